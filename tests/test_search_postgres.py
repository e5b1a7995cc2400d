"""The PostgreSQL search backend beside the Whoosh one, on a real PostgreSQL 15 (tests/_pg.py).

One PostgreSQL store holds the demo site's articles (state 1) and a few documents of our own
(English, Belarusian, dated and undated); both backends index that same store. Every query must
mean the same on both: the demo gold queries return identical result sets through ``vestnik
search``, totals, facets, suggestions and ``doc_ids`` are equal, hostile queries are the same
one-line error. Then the index stage: incremental runs (changed, gone, new documents) leave the
same index and lexicon as a rebuild, one writer at a time, a SQLite store is refused in one line;
and the whole demo flow (crawl -> index -> search -> facts -> saved search -> HTTP API -> UI) with
``--store postgresql://...`` and ``search.backend = postgres``.
"""

from __future__ import annotations

import doctest
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from core.errors import IndexLockedError, QueryError
from core.records import DocumentDraft
from corpus import DemoServer, open_store
from indexer import PgSearch, SearchIndex, SearchRequest, _pg_query, _pg_rows, _pg_search, run_index
from tests._api_server import api_server
from tests._pg import PgServer
from tests.test_search_quality import _articles, _gold_queries, _scores, _url
from vestnik.cli import main

# Documents of our own beside the demo articles: other languages, no date, a hyphenated word.
OWN_DOCS = [
    DocumentDraft(
        url="http://demo.test/own/en-1", site="own", lang="en", published="2024-03-02",
        title="Vitebsk and Pskov regions sign a trade agreement",
        body="The two regions agreed to expand trade in dairy products and machinery. "
        "Officials expect the agreements to double deliveries by 2026.",
    ),
    DocumentDraft(
        url="http://demo.test/own/be-1", site="own", lang="be", published="2023-11-20",
        title="Віцебская вобласць і Смаленская вобласць падпісалі пагадненне",
        body="Бакі дамовіліся аб супрацоўніцтве ў галіне адукацыі і культуры. "
        "Пагадненне разлічана на 2024-2026 гады.",
    ),
    DocumentDraft(
        url="http://demo.test/own/ru-undated", site="own", lang="ru",
        title="Научно-техническое сотрудничество без даты",
        body="Стороны обсудили научно-технические программы и цифровизацию отрасли. "
        "Курская делегация посетила выставку, а область подготовила доклад.",
    ),
]  # fmt: skip

# Queries beyond the gold set: every kind of leaf, field and filter of the query language.
EXTRA_QUERIES = [
    "цифров*", "ц?фров*", "*ация", "научн*", "title:сотрудничество", "заголовок:область",
    "body:ярмарка", "текст:делегация", "site:mpt", "site:own", "lang:be", "lang:en",
    "agreement", "agreements", "trade OR dairy", "пагадненне", "date:2023", "дата:2024-03",
    "year:2021", 'region:"Курская область"', "соглашение NOT site:mpt",
    "(брянск OR смоленск) ярмарка", "ярмарка НЕ коренская", "NOT соглашение",
    "соглашение OR site:own", '"Курская область" OR "Брянская область"', '"курская делегация"',
    '"делегация посетила"', "научно-технический", "технический", "2024-2026", "2026",
    "минск", "стали", "саглашение", "курская саглашение", "зарегистрированныйнигде",
    'url:"http://demo.test/own/en-1"', "fact_types:agreement_count", "область",
]  # fmt: skip
FILTERS: list[dict[str, str]] = [
    {}, {"site": "vitebsk"}, {"lang": "ru"}, {"since": "2023-01-01"},
    {"until": "2023-06-30"}, {"since": "2022-01-01", "until": "2024-12-31"},
    {"region": "Курская область"}, {"site": "own", "lang": "en"}, {"kind": "page"},
]  # fmt: skip
HOSTILE = [
    '"Курская область', "курская OR", "OR", "NOT", "AND курская", "(курская", "курская)",
    "автор:Иванов", "и или не", "((((((((((((((((((курская))))))))))))))))))",
    "слово " * 80, "я" * 1001, "*",
]  # fmt: skip


class Corpus:
    """The shared PostgreSQL store, its data directory and both backends' open indexes."""

    def __init__(self, url: str, data: Path) -> None:
        self.url, self.data = url, data
        self.whoosh = SearchIndex.open(data)
        self.pg = PgSearch.open(url)

    def both(self) -> tuple[Any, Any]:
        return self.whoosh, self.pg


@pytest.fixture(scope="module")
def corpus(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    url = pg_server.new_database()
    data = tmp_path_factory.mktemp("pgsearch")
    with open_store(url) as store:
        for a in _articles():
            store.save_document(
                DocumentDraft(url=_url(a.key), site=a.key.split(":")[0], title=a.title,
                              body=a.body, lang=a.lang, published=a.published)
            )  # fmt: skip
        for draft in OWN_DOCS:
            store.save_document(draft)
        run_index(store, data, backend="postgres", progress=False)  # derive (facts), then index
        run_index(store, data, facts=False, progress=False)  # Whoosh, from the same store
    opened = Corpus(url, data)
    yield opened
    opened.whoosh.close()
    opened.pg.close()


def _search(index: Any, q: str, **filters: str) -> Any:
    return index.search(SearchRequest(q, per_page=1000, **filters))


def test_doctests() -> None:
    for module in (_pg_rows, _pg_query, _pg_search):
        assert doctest.testmod(module).failed == 0


# -- the same answers on both backends -------------------------------------------------------------


def test_gold_queries_identical_result_sets_through_the_cli(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _gold_queries(_articles())
    assert len(gold) > 50
    by_url = {_url(a.key): a.key for a in _articles()}
    found: dict[str, dict[str, set[str]]] = {}
    stories: dict[str, dict[str, set[tuple[int, frozenset[str]]]]] = {}
    for backend in ("whoosh", "postgres"):
        monkeypatch.setenv("VESTNIK_SEARCH_BACKEND", backend)
        found[backend], stories[backend] = {}, {}
        for q, _ in gold:
            args = ["--store", corpus.url, "search", q, "--json", "--limit", "100"]
            assert main([*args, "--all-copies", "--data", str(corpus.data)]) == 0
            rows = json.loads(capsys.readouterr().out)
            found[backend][q] = {by_url.get(r["url"], r["url"]) for r in rows}
            assert main([*args, "--data", str(corpus.data)]) == 0  # one row per story
            stories[backend][q] = {
                (r["cluster"], frozenset([r["url"], *(c["url"] for c in r["copies"])]))
                for r in json.loads(capsys.readouterr().out)
            }
    for q, _ in gold:
        assert found["postgres"][q] == found["whoosh"][q], q
        assert stories["postgres"][q] == stories["whoosh"][q], q
    assert any(len(urls) > 1 for q, _ in gold for _, urls in stories["postgres"][q])
    recall, precision = _scores(found["postgres"], gold)
    with capsys.disabled():
        print(
            f"\n{len(gold)} gold queries on PostgreSQL: recall {recall:.3f} precision {precision:.3f}"
        )
    assert recall == 1.0
    assert precision >= 0.9


@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "none"
)
def test_totals_facets_hits_and_suggestions_are_equal(
    corpus: Corpus, filters: dict[str, str]
) -> None:
    queries = [q for q, _ in _gold_queries(_articles())] + EXTRA_QUERIES + [""]
    if filters:  # every query without filters; a third of them (all kinds) with each filter
        queries = queries[::3]
    for q in queries:
        w, p = (_search(index, q, **filters) for index in corpus.both())
        assert p.total == w.total, (q, filters)
        assert p.facets == w.facets, (q, filters)
        assert p.suggestion == w.suggestion, (q, filters)
        assert {h.url for h in p.hits} == {h.url for h in w.hits}, (q, filters)
        assert [
            (h.url, h.title, h.snippet, h.regions, h.kind, h.file_type, h.parent_url)
            for h in sorted(p.hits, key=lambda h: h.url)
        ] == [
            (h.url, h.title, h.snippet, h.regions, h.kind, h.file_type, h.parent_url)
            for h in sorted(w.hits, key=lambda h: h.url)
        ], (q, filters)
        # doc_ids has no kind argument: the same filter as a query field
        rest = {k: v for k, v in filters.items() if k != "kind"}
        dq = f"{q} kind:{filters['kind']}" if "kind" in filters else q
        ids = [index.doc_ids(dq, **rest) for index in corpus.both()]
        assert ids[0] == ids[1] == sorted(h.doc_id for h in w.hits), (q, filters)


def test_the_extra_queries_find_something(corpus: Corpus) -> None:
    """The extra queries are not vacuous: all but the misspelt ones match."""
    totals = {q: _search(corpus.pg, q).total for q in EXTRA_QUERIES}
    assert {q for q, t in totals.items() if not t} == {
        "саглашение", "курская саглашение", "зарегистрированныйнигде"
    }  # fmt: skip
    assert totals["agreement"] == totals["agreements"] == 1  # the English document, stemmed
    assert totals["пагадненне"] == 1 and totals["lang:be"] == 4
    assert (
        totals["научно-технический"] >= 1 and totals["технический"] >= totals["научно-технический"]
    )
    assert _search(corpus.pg, "саглашение").suggestion == "соглашение"


def test_date_sort_gives_the_same_order(corpus: Corpus) -> None:
    for q in ("", "соглашение", "область", "site:vitebsk"):
        w, p = (
            index.search(SearchRequest(q, sort="date", per_page=1000)) for index in corpus.both()
        )
        assert [h.published for h in p.hits] == [h.published for h in w.hits], q
        assert [h.published for h in p.hits] == sorted((h.published for h in p.hits), reverse=True)


def test_pages_cut_the_same_ranking(corpus: Corpus) -> None:
    whole = corpus.pg.search(SearchRequest("область", per_page=1000))
    paged = [corpus.pg.search(SearchRequest("область", page=n, per_page=7)) for n in (1, 2, 3)]
    assert [h.url for r in paged for h in r.hits] == [h.url for h in whole.hits[:21]]
    assert all(r.total == whole.total for r in paged)
    scores = [h.score for h in whole.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1] > 0


def test_ranking_is_comparable_to_whoosh(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    """ts_rank_cd is not BM25F: the same documents, not the same order. Measured: how many of
    Whoosh's first five are in PostgreSQL's first five, over the gold queries with 5+ hits."""
    overlaps = []
    tops = 0
    for q, _ in _gold_queries(_articles()):
        w, p = (index.search(SearchRequest(q, per_page=5)) for index in corpus.both())
        if w.total < 5:
            continue
        overlaps.append(len({h.url for h in w.hits} & {h.url for h in p.hits}) / 5)
        tops += w.hits[0].url in {h.url for h in p.hits[:3]}
    mean = sum(overlaps) / len(overlaps)
    with capsys.disabled():
        print(f"\ntop-5 overlap with Whoosh {mean:.2f} over {len(overlaps)} queries; "
              f"Whoosh's first hit in PostgreSQL's first three: {tops}/{len(overlaps)}")  # fmt: skip
    assert len(overlaps) >= 10
    assert mean >= 0.6
    assert tops >= 0.6 * len(overlaps)


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_are_the_same_one_line_error(
    corpus: Corpus, q: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    messages = []
    for index in corpus.both():
        with pytest.raises(QueryError) as caught:
            index.search(SearchRequest(q))
        messages.append(str(caught.value))
        with pytest.raises(QueryError):
            index.doc_ids(q)
    assert messages[0] == messages[1] and "\n" not in messages[0]
    monkeypatch.setenv("VESTNIK_SEARCH_BACKEND", "postgres")
    capsys.readouterr()
    assert main(["--store", corpus.url, "search", q, "--data", str(corpus.data)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and messages[0] in err[0], err


def test_highlight_is_the_same(corpus: Corpus) -> None:
    text = "Соглашение с Курской областью подписано; <b>курская</b> делегация."
    w, p = (index.highlight(text, '"курская область" соглашение') for index in corpus.both())
    assert w == p and w.count("<mark>") == 4 and "&lt;b&gt;" in w


# -- the index stage ------------------------------------------------------------------------------


def _snapshot(url: str) -> tuple[list[Any], list[Any]]:
    """The search index's rows and lexicon."""
    with psycopg.connect(url) as conn:
        docs = conn.execute(
            "SELECT doc_id, url, site, lang, published, regions, region_names, fact_types, persons,"
            " coalesce(tsv, tsv_big)::text, tsv IS NULL FROM vestnik_search.docs ORDER BY doc_id"
        ).fetchall()
        terms = conn.execute("SELECT * FROM vestnik_search.terms ORDER BY lexeme").fetchall()
    return docs, terms


def _same_answers(url: str, data: Path, queries: list[str]) -> None:
    with SearchIndex.open(data) as w, PgSearch.open(url) as p:
        for q in queries:
            a, b = _search(w, q), _search(p, q)
            assert (b.total, b.facets, {h.url for h in b.hits}) == (
                a.total, a.facets, {h.url for h in a.hits}
            ), q  # fmt: skip


def _both(store: Any, data: Path, **options: Any) -> tuple[Any, Any]:
    """(Whoosh, PostgreSQL) summaries of one index run of each backend."""
    whoosh = run_index(store, data, facts=False, progress=False, **options)
    pg = run_index(store, data, facts=False, progress=False, backend="postgres", **options)
    return whoosh, pg


def test_incremental_runs_match_a_rebuild(pg_url: str, tmp_path: Path) -> None:
    from corpus import DerivedRow

    articles = _articles()[:24]
    queries = ["область", "соглашение", "ярмарка", '"курская область"', "цифров*", "новый",
               'region:"тестовая область"', "сотрудничество site:mpt"]  # fmt: skip
    with open_store(pg_url) as store:
        for a in articles[:18]:
            store.save_document(
                DocumentDraft(url=_url(a.key), site=a.key.split(":")[0], title=a.title,
                              body=a.body, lang=a.lang, published=a.published)
            )  # fmt: skip
        first = _both(store, tmp_path)
        assert [(s.added, s.updated, s.removed) for s in first] == [(18, 0, 0)] * 2
        # two changed, one gone, six new documents; derived fields of a seventh changed
        for a in articles[:2]:
            store.save_document(
                DocumentDraft(url=_url(a.key), site=a.key.split(":")[0], title=a.title + " (новый)",
                              body=a.body + "\n\nНовый абзац.", lang=a.lang, published=a.published)
            )  # fmt: skip
        assert store.mark_gone(_url(articles[2].key))
        for a in articles[18:]:
            store.save_document(
                DocumentDraft(url=_url(a.key), site=a.key.split(":")[0], title=a.title,
                              body=a.body, lang=a.lang, published=a.published)
            )  # fmt: skip
        seventh = store.find_document(_url(articles[5].key))
        assert seventh is not None
        store.save_derived([
            DerivedRow(seventh.id, seventh.version, seventh.content_hash, "test",
                       fields={"regions": ("Тестовая область",)})
        ])  # fmt: skip
        second = _both(store, tmp_path)
        assert [(s.added, s.updated, s.removed) for s in second] == [(6, 3, 1)] * 2
        _same_answers(pg_url, tmp_path, queries)
        with PgSearch.open(pg_url) as p:
            assert p.doc_ids('region:"Тестовая область"') == [seventh.id]
            assert _search(p, "новый абзац").total == 2
        incremental = _snapshot(pg_url)
        again = _both(store, tmp_path)
        assert [(s.added, s.updated, s.removed) for s in again] == [(0, 0, 0)] * 2
        assert _snapshot(pg_url) == incremental
        rebuilt = run_index(store, tmp_path, facts=False, rebuild=True, backend="postgres")
        assert rebuilt.added == 23
        assert _snapshot(pg_url) == incremental  # the same rows and lexicon counts
        assert store.get_meta("index_seq") == str(store.max_seq())
        with psycopg.connect(pg_url) as conn:
            state = dict(conn.execute("SELECT key, value FROM vestnik_search.state").fetchall())
        assert state["seq"] == str(store.max_seq()) and state["dseq"] == str(store.max_dseq())


def test_a_searcher_keeps_working_across_a_rebuild(pg_url: str, tmp_path: Path) -> None:
    with open_store(pg_url) as store:
        for draft in OWN_DOCS:
            store.save_document(draft)
        run_index(store, tmp_path, facts=False, backend="postgres")
        with PgSearch.open(pg_url) as p:
            before = _search(p, "сотрудничество OR agreement")
            assert before.total == 2 and not p.refresh()
            run_index(store, tmp_path, facts=False, rebuild=True, backend="postgres")
            after = _search(p, "сотрудничество OR agreement")
            assert (after.total, after.facets) == (before.total, before.facets)
            store.save_document(DocumentDraft(url="http://demo.test/own/x", site="own",
                                              title="Сотрудничество", body="Ещё одно."))  # fmt: skip
            run_index(store, tmp_path, facts=False, backend="postgres")
            assert p.refresh() and _search(p, "сотрудничество OR agreement").total == 3


def test_one_index_writer_at_a_time(pg_url: str, tmp_path: Path) -> None:
    with open_store(pg_url) as store:
        store.save_document(OWN_DOCS[0])
        with psycopg.connect(pg_url, autocommit=True) as other:
            other.execute("SELECT pg_advisory_lock(7160320)")  # what a running writer holds
            with pytest.raises(IndexLockedError, match="another index run is writing"):
                run_index(store, tmp_path, facts=False, backend="postgres")
        # the holder's connection ended (as a killed writer's does): the lock is gone
        assert run_index(store, tmp_path, facts=False, backend="postgres").added == 1


def test_long_documents_keep_what_postgresql_keeps(pg_url: str, tmp_path: Path) -> None:
    """tsvector positions end at 16,383 and 256 per lexeme: a long body still indexes, its words
    are found, and a phrase near its start is found too."""
    body = "Курская область подписала соглашение. " + "Сотрудничество развивается. " * 9000
    # 3,000 distinct numbers: a tsvector too big for a table row (kept out of line)
    wide = "Смоленская область. " + " ".join(str(10_000 + i) for i in range(3000))
    with open_store(pg_url) as store:
        for n, text in enumerate((body, wide)):
            store.save_document(DocumentDraft(url=f"http://demo.test/own/long-{n}", site="own",
                                              title="Длинный документ", body=text))  # fmt: skip
        run_index(store, tmp_path, facts=False, backend="postgres")
    with PgSearch.open(pg_url) as p:
        assert _search(p, '"курская область" сотрудничество').total == 1
        assert _search(p, "развивается").total == 1
        assert _search(p, '"смоленская область" 12999').total == 1
        assert _search(p, "12999 OR 10000 OR развивается").total == 2
    docs, terms = _snapshot(pg_url)
    assert [row[-1] for row in docs] == [False, True]  # in the row / out of line
    counts = {row[0]: row for row in terms}
    assert counts["развиваться"][4] == 256  # body occurrences kept for one document


def test_sqlite_store_with_the_postgres_backend_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from corpus import SQLiteStore

    with SQLiteStore.open(tmp_path) as store:
        store.save_document(OWN_DOCS[0])
    monkeypatch.setenv("VESTNIK_SEARCH_BACKEND", "postgres")
    for args in (["index"], ["search", "agreement"], ["facts", "agreement"]):
        capsys.readouterr()
        assert main([*args, "--data", str(tmp_path)]) == 1, args
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "needs a PostgreSQL store" in err[0], err
    with SQLiteStore.open(tmp_path) as store:  # refused before the derive stage ran
        assert store.count_facts() == {} and store.max_dseq() == 0


def test_no_search_index_yet_is_one_line(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(pg_url) as store:
        store.save_document(OWN_DOCS[0])
    monkeypatch.setenv("VESTNIK_SEARCH_BACKEND", "postgres")
    store_args, data = ["--store", pg_url], ["--data", str(tmp_path)]
    assert main([*store_args, "search", "agreement", *data]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no search index yet" in err[0] and "vestnik index" in err[0], err
    assert "vestnik-test-pw" not in err[0]
    # an empty query sorted by date still lists the stored documents
    assert main([*store_args, "search", "--sort", "date", "--json", *data]) == 0
    assert [r["url"] for r in json.loads(capsys.readouterr().out)] == [OWN_DOCS[0].url]


# -- the whole flow on PostgreSQL -----------------------------------------------------------------


def _ui(params: dict[str, str]) -> Any:
    from streamlit.testing.v1 import AppTest

    app = str(Path(__file__).resolve().parents[1] / "search_ui" / "app.py")
    at = AppTest.from_file(app, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_demo_flow_with_the_postgres_backend(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VESTNIK_SEARCH_BACKEND", "postgres")
    store, data = ["--store", pg_url], ["--data", str(tmp_path)]
    with DemoServer(state=1) as srv:
        assert main(["-q", *store, "crawl", srv.start_url("vitebsk"), *data, "--delay", "0"]) == 0
    assert main(["-q", *store, "index", *data]) == 0
    assert not (tmp_path / "index").exists()  # no Whoosh index: the postgres backend was written
    capsys.readouterr()
    assert main(["-q", *store, "search", "соглашение", "--json", "--limit", "50", *data]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and all("<mark>" in h["snippet"] or "соглашен" in h["title"].lower() for h in hits)
    assert main(["-q", *store, "facts", "соглашение", "--format", "json", *data]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts and {f["doc_url"] for f in facts} <= {h["url"] for h in hits}
    assert main(["-q", *store, "facts", "--format", "json", *data]) == 0
    assert len(json.loads(capsys.readouterr().out)) >= len(facts)
    assert main(["-q", *store, "watch", "add", "agr", "соглашение", *data]) == 0
    assert main(["-q", *store, "search", "саглашение", *data]) == 0
    assert "Возможно, вы имели в виду: соглашение" in capsys.readouterr().out
    # the HTTP API answers as the CLI does
    with api_server(tmp_path, store_url=pg_url, search_backend="postgres") as base:
        answer = httpx.get(
            f"{base}/api/search", params={"q": "соглашение", "limit": 50}, timeout=30
        )
    assert answer.status_code == 200, answer.text
    assert [h["url"] for h in answer.json()["hits"]] == [h["url"] for h in hits]
    # the UI searches the PostgreSQL index
    for key, value in (("VESTNIK_DATA", str(tmp_path)), ("VESTNIK_STORE", pg_url)):
        monkeypatch.setenv(key, value)
    at = _ui({"q": "соглашению"})
    found = [str(m.value) for m in at.markdown if str(m.value).startswith("Найдено")]
    assert found and f"**{len(hits)}**" in found[0], found
    marked = [el.proto.body for el in at.get("html") if "<mark>" in el.proto.body]
    assert marked
    at = _ui({"q": "саглашение"})
    assert at.button(key="w_suggestion").label.endswith("соглашение")


def test_a_searcher_outlives_a_server_restart(tmp_path: Path) -> None:
    server = PgServer().start()  # its own server: the module's one keeps running
    try:
        url = server.new_database()
        with open_store(url) as store:
            for draft in OWN_DOCS:
                store.save_document(draft)
            run_index(store, tmp_path, facts=False, backend="postgres")
        with PgSearch.open(url) as p:
            before = _search(p, "сотрудничество OR agreement")
            server.restart()
            after = _search(p, "сотрудничество OR agreement")  # a new connection, transparently
            assert (after.total, after.facets) == (before.total, before.facets) and after.total == 2
            with psycopg.connect(url) as raw:  # a connection of nobody's: the server's default
                [(default,)] = raw.execute("SHOW statement_timeout").fetchall()
            [(timeout,)] = p._db.execute("SHOW statement_timeout")
            assert default == "0" and timeout == "1min"  # STATEMENT_TIMEOUT_MS, set again
            assert _pg_search.STATEMENT_TIMEOUT_MS == 60_000
    finally:
        server.stop()
