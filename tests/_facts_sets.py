"""Scoring of the written facts sets (tests/data/facts_dev, tests/data/facts_test).

Each set is TOML: ``[[doc]]`` with ``id``, ``style``, ``lang`` (default "ru"), ``title``, ``body``,
``regions`` and ``facts`` (inline tables; missing keys are empty). A fact matches a gold fact when
their keys are equal, compared as multisets per text:

- agreement_count, partner_count: type, value, qualifier, object, counterpart value and object;
- trade_change: the same (the unit is the counterpart object) + date (the period);
- signed_document: the document's head noun in its dictionary form (``document_head``) + date,
  value and qualifier (a count: "подписано 12 документов");
- person_role: person + role.

Regions are scored as (text, region) pairs. Used by tests/test_facts_sets.py and bench/bench_facts.py.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.records import Fact
from indexer.facts import document_head, extract_facts

DATA = Path(__file__).parent / "data"
DEV = DATA / "facts_dev"
HELDOUT = DATA / "facts_test"
TYPES = ("agreement_count", "partner_count", "trade_change", "signed_document", "person_role")
Key = tuple[str, ...]


def gold_key(g: dict[str, Any]) -> Key:
    """The key of a gold fact written in a set file."""
    kind = str(g["type"])

    def get(name: str) -> str:
        return str(g.get(name, ""))

    if kind == "signed_document":
        return (kind, get("object"), get("date"), get("value"), get("qualifier"))
    if kind == "person_role":
        return (kind, get("persons"), get("object"))
    key = (kind, get("value"), get("qualifier"), get("object"))
    key += (get("counterpart_value"), get("counterpart_object"))
    return key + (get("date"),) if kind == "trade_change" else key


def fact_key(f: Fact) -> Key:
    """The key of an extracted fact."""
    if f.fact_type == "signed_document":
        return (f.fact_type, document_head(f.object), f.date, f.value, f.qualifier)
    if f.fact_type == "person_role":
        return (f.fact_type, ";".join(f.persons), f.object)
    key = (f.fact_type, f.value, f.qualifier, f.object, f.counterpart_value, f.counterpart_object)
    return key + (f.date,) if f.fact_type == "trade_change" else key


@dataclass(frozen=True)
class Score:
    """True positives, extracted and gold counts of one fact type (or of regions)."""

    tp: int
    found: int
    gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0


def load_docs(folder: Path) -> list[dict[str, Any]]:
    """Every ``[[doc]]`` of the ``*.toml`` files in ``folder``; raises if there are none."""
    docs = [
        d for p in sorted(folder.glob("*.toml")) for d in tomllib.loads(p.read_text("utf-8"))["doc"]
    ]
    if not docs:
        raise FileNotFoundError(f"no facts set in {folder}")
    return docs


def evaluate(docs: Iterable[dict[str, Any]]) -> tuple[dict[str, Score], list[str]]:
    """Scores per fact type and for "regions", and one line per miss or extra fact."""
    table = {t: [0, 0, 0] for t in (*TYPES, "regions")}
    lines: list[str] = []
    for doc in docs:
        result = extract_facts(doc["title"], doc["body"], doc.get("lang", "ru"))
        gold = Counter(gold_key(g) for g in doc["facts"])
        got = Counter(fact_key(f) for f in result.facts if f.fact_type in TYPES)
        for key, n in got.items():
            table[key[0]][1] += n
            table[key[0]][0] += min(n, gold.get(key, 0))
        for key, n in gold.items():
            table[key[0]][2] += n
        lines += [f"{doc['id']} missed {k}" for k in gold - got]
        lines += [f"{doc['id']} extra  {k}" for k in got - gold]
        want, have = set(doc["regions"]), set(result.regions)
        table["regions"][0] += len(want & have)
        table["regions"][1] += len(have)
        table["regions"][2] += len(want)
        lines += [f"{doc['id']} region missed {r}" for r in want - have]
        lines += [f"{doc['id']} region extra  {r}" for r in have - want]
    return {t: Score(*v) for t, v in table.items()}, lines


def format_table(title: str, scores: dict[str, Score]) -> str:
    """A printed precision/recall table."""
    out = [title, f"{'type':<18}{'gold':>6}{'found':>7}{'tp':>5}{'precision':>11}{'recall':>8}"]
    for kind, s in scores.items():
        out.append(
            f"{kind:<18}{s.gold:>6}{s.found:>7}{s.tp:>5}{s.precision:>11.3f}{s.recall:>8.3f}"
        )
    return "\n".join(out)
