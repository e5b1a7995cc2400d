"""Search quality on the demo site: gold queries through ``vestnik search``, beside a plain Whoosh
index with ``LanguageAnalyzer("ru")`` (Snowball stems) over the same documents.

Documents come straight from the article sources (``corpus/demo_site/sites/*/articles/*.toml``, state
1 text), not from a crawl. Gold queries are ``gold.json``'s "queries" (else ``queries.toml``); a few
queries of our own, with regex oracles written by hand, run as well.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import AndGroup, MultifieldParser

from core.records import DocumentDraft
from corpus import SQLiteStore
from indexer import run_index
from vestnik.cli import main

DEMO = Path(__file__).resolve().parents[1] / "corpus" / "demo_site"


@dataclass(frozen=True)
class Article:
    key: str  # "site:id"
    lang: str
    published: str
    title: str
    body: str


def _articles() -> list[Article]:
    out = []
    for path in sorted(DEMO.glob("sites/*/articles/*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        if 1 not in data.get("states", [1, 2]):
            continue
        site = path.parent.parent.name
        published = str(data.get("published", "")).replace(" ", "T")
        out.append(
            Article(f"{site}:{data['id']}", data.get("lang", "ru"), published,
                    data["title"], data["body"].strip())
        )  # fmt: skip
    return out


# Our own development queries: each word in a form absent from the texts, with a regex per word
# that a matching title or body must contain (the oracle, written by hand).
OWN_QUERIES: list[tuple[str, list[str]]] = [
    ("коренскую ярмарку", [r"коренск", r"ярмарк"]),
    ("татарстаном", [r"татарстан"]),
    ("видеоконференцией", [r"видеоконференц"]),
    ("псковскую делегацию", [r"псковск", r"делегаци"]),
    ('"коренскую ярмарку"', [r"коренск\w*\s+ярмарк"]),
    ("смоленскую OR тульскую", [r"(смоленск|тульск)"]),
    ("побратимскими районами", [r"побратимск", r"район(?!н)"]),
]


def _url(key: str) -> str:
    site, n = key.split(":")
    return f"http://demo.test/{site}/{n}"


def _gold_queries(articles: list[Article]) -> list[tuple[str, set[str]]]:
    queries: list[dict[str, object]] = []
    gold = DEMO / "gold.json"
    if gold.exists():
        queries = json.loads(gold.read_text("utf-8")).get("queries", [])
    if not queries and (DEMO / "queries.toml").exists():
        queries = tomllib.loads((DEMO / "queries.toml").read_text("utf-8")).get("query", [])
    out = [(str(q["q"]), set(q["expect"])) for q in queries]  # type: ignore[call-overload]
    for q, patterns in OWN_QUERIES:
        expect = {
            a.key
            for a in articles
            if all(re.search(p, f"{a.title}\n{a.body}", re.IGNORECASE) for p in patterns)
        }
        out.append((q, expect))
    return out


def _baseline(articles: list[Article], directory: Path) -> MultifieldParser:
    analyzer = LanguageAnalyzer("ru")
    schema = Schema(
        key=ID(stored=True), title=TEXT(analyzer=analyzer), body=TEXT(analyzer=analyzer)
    )
    ix = whoosh_index.create_in(str(directory), schema)
    with ix.writer() as w:
        for a in articles:
            w.add_document(key=a.key, title=a.title, body=a.body)
    return ix


def _scores(found: dict[str, set[str]], gold: list[tuple[str, set[str]]]) -> tuple[float, float]:
    relevant = sum(len(expect) for _, expect in gold)
    returned = sum(len(found[q]) for q, _ in gold)
    correct = sum(len(found[q] & expect) for q, expect in gold)
    return correct / max(relevant, 1), correct / max(returned, 1)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Article], object]:
    articles = _articles()
    assert articles, "the demo site's articles are missing"
    data = tmp_path_factory.mktemp("quality")
    with SQLiteStore.open(data) as store:
        for a in articles:
            site = a.key.split(":")[0]
            store.save_document(
                DocumentDraft(url=_url(a.key), site=site, title=a.title, body=a.body,
                              lang=a.lang, published=a.published)
            )  # fmt: skip
        run_index(store, data, facts=False)
    baseline_dir = data / "baseline"
    baseline_dir.mkdir()
    return data, articles, _baseline(articles, baseline_dir)


def test_gold_queries_beside_the_snowball_baseline(
    setup: tuple[Path, list[Article], object], capsys: pytest.CaptureFixture[str]
) -> None:
    data, articles, baseline = setup
    gold = _gold_queries(articles)
    by_url = {_url(a.key): a.key for a in articles}
    ours: dict[str, set[str]] = {}
    for q, _ in gold:
        assert main(["search", q, "--json", "--limit", "100", "--data", str(data)]) == 0
        ours[q] = {by_url[row["url"]] for row in json.loads(capsys.readouterr().out)}
    theirs: dict[str, set[str]] = {}
    parser = MultifieldParser(["title", "body"], baseline.schema, group=AndGroup)  # type: ignore[attr-defined]
    with baseline.searcher() as s:  # type: ignore[attr-defined]
        for q, _ in gold:
            theirs[q] = {hit["key"] for hit in s.search(parser.parse(q), limit=None)}
    with capsys.disabled():
        print(f"\n{'query':42} {'gold':>4} {'ours':>9} {'snowball':>9}")
        for q, expect in gold:
            o, t = ours[q], theirs[q]
            print(f"{q[:42]:42} {len(expect):4} {len(o & expect):4}/{len(o):<4} "
                  f"{len(t & expect):4}/{len(t):<4}"
                  + ("" if o == expect else f"  missed {sorted(expect - o)} extra {sorted(o - expect)}"))  # fmt: skip
        recall, precision = _scores(ours, gold)
        b_recall, b_precision = _scores(theirs, gold)
        print(f"{len(gold)} queries: ours recall {recall:.3f} precision {precision:.3f}; "
              f"LanguageAnalyzer('ru') recall {b_recall:.3f} precision {b_precision:.3f}")  # fmt: skip
    assert recall == 1.0
    assert precision >= 0.9
    assert recall >= b_recall and precision >= b_precision
