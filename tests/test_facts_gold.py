"""Facts of every demo article against its [gold]: precision/recall per fact type, exact regions.

A fact matches a gold fact when their keys are equal (docs/facts.md, "Matching facts against gold"):
counts and trade changes by type, value, qualifier, object and counterpart (trade changes also by
period); signed documents by name and date; person roles by person and role. Keys are compared as
multisets per article, so a fact stated twice must be found twice.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from core.records import Fact
from indexer.facts import FactsResult, extract_facts, find_regions

ARTICLES = sorted(
    (Path(__file__).parent.parent / "corpus" / "demo_site" / "sites").glob("*/articles/*.toml")
)
TYPES = ("agreement_count", "partner_count", "trade_change", "signed_document", "person_role")
MIN_PRECISION = 0.95
MIN_RECALL = 0.9


def fact_key(f: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields that must agree for a fact to match a gold fact."""
    kind = f["fact_type"]
    if kind == "signed_document":
        return (kind, f["object"], f["date"], f["value"], f["qualifier"])
    if kind == "person_role":
        return (kind, ";".join(f["persons"]), f["object"])
    key = (kind, f["value"], f["qualifier"], f["object"])
    key += (f["counterpart_value"], f["counterpart_object"])
    return key + (f["date"],) if kind == "trade_change" else key


def _as_dict(f: Fact) -> dict[str, Any]:
    return {
        "fact_type": f.fact_type, "value": f.value, "qualifier": f.qualifier, "object": f.object,
        "counterpart_value": f.counterpart_value, "counterpart_object": f.counterpart_object,
        "persons": list(f.persons), "date": f.date,
    }  # fmt: skip


@cache
def _article(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def _extracted(path: Path) -> FactsResult:
    a = _article(path)
    return extract_facts(a["title"], a["body"], a.get("lang", "ru"))


def _pairs() -> Iterator[tuple[str, Counter[tuple[str, ...]], Counter[tuple[str, ...]]]]:
    for path in ARTICLES:
        gold = Counter(fact_key(g) for g in _article(path).get("gold", {}).get("facts", []))
        got = Counter(fact_key(_as_dict(f)) for f in _extracted(path).facts)
        yield f"{path.parent.parent.name}:{path.stem}", gold, got


def score() -> dict[str, tuple[int, int, int]]:
    """Per type: (true positives, extracted, gold)."""
    table = {t: [0, 0, 0] for t in TYPES}
    for _, gold, got in _pairs():
        for key, n in got.items():
            table[key[0]][1] += n
            table[key[0]][0] += min(n, gold.get(key, 0))
        for key, n in gold.items():
            table[key[0]][2] += n
    return {t: (v[0], v[1], v[2]) for t, v in table.items()}


def _misses() -> list[str]:
    lines = []
    for name, gold, got in _pairs():
        lines += [f"{name} missed {k}" for k in gold - got]
        lines += [f"{name} extra  {k}" for k in got - gold]
    return lines


def test_precision_and_recall_per_fact_type() -> None:
    assert ARTICLES, "the demo gold is missing"
    table = score()
    print(f"\n{'fact_type':<18}{'gold':>6}{'found':>7}{'tp':>5}{'precision':>11}{'recall':>8}")
    low = []
    for kind, (tp, found, gold) in table.items():
        precision = tp / found if found else 1.0
        recall = tp / gold if gold else 1.0
        print(f"{kind:<18}{gold:>6}{found:>7}{tp:>5}{precision:>11.3f}{recall:>8.3f}")
        if precision < MIN_PRECISION or recall < MIN_RECALL:
            low.append(kind)
    if low:
        print("\n".join(_misses()))
    assert low == []


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: f"{p.parent.parent.name}:{p.stem}")
def test_regions_exact(path: Path) -> None:
    article = _article(path)
    gold = set(article.get("gold", {}).get("regions", []))
    assert set(_extracted(path).regions) == gold
    assert set(find_regions(f"{article['title']}\n{article['body']}")) == gold
