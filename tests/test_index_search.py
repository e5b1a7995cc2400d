"""Index and search: incremental runs, rebuild, phrases, filters, facets, snippets, errors, locking,
a SIGKILLed index run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from whoosh.util.filelock import FileLock

from core.errors import IndexLockedError, QueryError, SearchIndexError
from core.records import DocumentDraft
from corpus import SQLiteStore, Store
from indexer import SearchIndex, SearchRequest, run_index
from vestnik.cli import main

ROOT = Path(__file__).resolve().parents[1]

DOCS = [
    # (n, site, lang, published, title, body)
    (1, "mpt", "ru", "2023-01-09", "Курская делегация посетила Гомельскую область",
     "Подписано соглашений с Курской областью: 81.\n\nНаучно-техническое сотрудничество."),
    (2, "mpt", "ru", "2023-06-01", "Ярмарка в Брянске",
     "Курская делегация приехала на ярмарку. Область и город показали продукцию."),
    (3, "mpt", "ru", "2024-02-15", "Визит в Курскую область",
     "Делегация Витебской области посетила Курскую область и обсудила соглашение."),
    (4, "mogilev", "ru", "2024-11-20", "Форум регионов",
     "Губернатор Смоленской области выступил. <script>alert('x')</script> & прочее."),
    (5, "vitebsk", "be", "2022-05-05", "Мінскі аблвыканкам",
     "Беларуская мова і Мінск. Віцебская вобласць."),
    (6, "mogilev", "ru", "", "Без даты", "Документ без даты о курской области и сотрудничестве."),
]  # fmt: skip


def _save(store: Store, n: int, site: str, lang: str, published: str, title: str, body: str) -> int:
    draft = DocumentDraft(
        url=f"http://{site}.test/{n}", site=site, title=title, body=body, lang=lang,
        published=published,
    )  # fmt: skip
    return store.save_document(draft).doc_id


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    with SQLiteStore.open(tmp_path) as store:
        for row in DOCS:
            _save(store, *row)
        store.set_regions(1, ["Курская область", "Гомельская область"])
        store.set_regions(3, ["Курская область", "Витебская область"])
        run_index(store, tmp_path, facts=False)
    return tmp_path


def _urls(data: Path, q: str, **kw: object) -> list[str]:
    with SearchIndex.open(data) as index:
        return [h.url for h in index.search(SearchRequest(q, per_page=100, **kw)).hits]  # type: ignore[arg-type]


def _ns(urls: list[str]) -> set[int]:
    return {int(u.rsplit("/", 1)[1]) for u in urls}


# -- incremental, gone, rebuild ------------------------------------------------------------------


def test_incremental_run_indexes_only_changes_and_removes_gone(data: Path) -> None:
    with SQLiteStore.open(data) as store:
        assert run_index(store, data, facts=False).added == 0
        _save(store, 7, "mpt", "ru", "2025-01-01", "Новое соглашение", "Смоленская ярмарка.")
        _save(store, 2, "mpt", "ru", "2023-06-01", "Новости Брянска", "Изменённый текст о льне.")
        assert store.mark_gone("http://mogilev.test/4")
        summary = run_index(store, data, facts=False)
        assert (summary.added, summary.updated, summary.removed) == (1, 1, 1)
        assert store.get_meta("index_seq") == str(store.max_seq())
    assert _ns(_urls(data, "ярмарка")) == {7}  # doc 2 changed: no ярмарка any more
    assert _ns(_urls(data, "лен")) == {2}
    assert _urls(data, "губернатор") == []


def test_rebuild_gives_the_same_results(data: Path) -> None:
    before = _ns(_urls(data, "курская область"))
    with SQLiteStore.open(data) as store:
        summary = run_index(store, data, rebuild=True, facts=False)
    assert summary.added == len(DOCS)
    assert _ns(_urls(data, "курская область")) == before == {1, 2, 3, 6}
    assert not list(data.glob("index.new-*")) and not list(data.glob("index.old-*"))


def test_open_without_an_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="no index yet"):
        SearchIndex.open(tmp_path)


# -- query language ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("соглашение курская область", {1, 3}),
        ('"Курская область"', {1, 3, 6}),
        ('"курской области"', {1, 3, 6}),
        ('"курскую область" соглашений', {1, 3}),
        ("ярмарка OR форум", {2, 4}),
        ("ярмарка ИЛИ форум", {2, 4}),
        ("курская NOT соглашение", {2, 6}),
        ("курская НЕ соглашение", {2, 6}),
        ("брянск*", {2}),
        ("title:визит", {3}),
        ("заголовок:визит", {3}),
        ("site:mogilev", {4, 6}),
        ('region:"Курская область"', {1, 3}),
        ("lang:be", {5}),
        ("Мінск", {5}),
        ("технический", {1}),
        ("Минске", set()),
    ],
)
def test_queries(data: Path, q: str, expected: set[int]) -> None:
    assert _ns(_urls(data, q)) == expected


def test_phrase_needs_the_words_together(data: Path) -> None:
    # doc 2 has "Курская делегация ... Область": both words, not as a phrase
    assert 2 in _ns(_urls(data, "курская область"))
    assert 2 not in _ns(_urls(data, '"курская область"'))


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"site": "mpt"}, {1, 2, 3}),
        ({"since": "2023-06-01"}, {2, 3, 4}),
        ({"until": "2023-06-01"}, {1, 2}),
        ({"since": "2023-02-01", "until": "2023-12-31"}, {2}),
        ({"region": "Курская область"}, {1, 3}),
        ({"region": "курская область"}, {1, 3}),
        ({"lang": "ru", "site": "mogilev"}, {4, 6}),
        ({"lang": "be"}, set()),
    ],
)
def test_filters(data: Path, kw: dict[str, str], expected: set[int]) -> None:
    assert _ns(_urls(data, "курская OR губернатор", **kw)) == expected


def test_facets_sort_and_pages(data: Path) -> None:
    with SearchIndex.open(data) as index:
        res = index.search(SearchRequest("курская", sort="date", per_page=2))
        assert res.total == 4
        assert res.facets["site"] == [("mpt", 3), ("mogilev", 1)]
        assert res.facets["year"] == [("2023", 2), ("2024", 1)]
        assert res.facets["lang"] == [("ru", 4)]
        assert res.facets["region"] == [("Курская область", 2), ("Витебская область", 1),
                                        ("Гомельская область", 1)]  # fmt: skip
        assert [h.published for h in res.hits] == ["2024-02-15", "2023-06-01"]
        page2 = index.search(SearchRequest("курская", sort="date", per_page=2, page=2))
        assert [h.published for h in page2.hits] == ["2023-01-09", ""]
        everything = index.search(SearchRequest("", sort="date", per_page=100))
        assert everything.total == len(DOCS)
        assert [h.published for h in everything.hits][:2] == ["2024-11-20", "2024-02-15"]
        assert index.search(SearchRequest("курская", page=9)).hits == ()
        assert index.doc_ids("курская", site="mpt") == [1, 2, 3]


def test_relevance_prefers_title_matches(data: Path) -> None:
    hits = _urls(data, "визит")
    assert _ns(hits[:1]) == {3}


def test_snippets_mark_forms_and_escape_everything_else(data: Path) -> None:
    with SearchIndex.open(data) as index:
        hit = index.search(SearchRequest("губернатор script")).hits[0]
        assert "<mark>Губернатор</mark>" in hit.snippet
        assert (
            "&lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)&lt;/<mark>script</mark>&gt;"
            in hit.snippet
        )
        assert "&amp; прочее" in hit.snippet
        assert "<script>" not in hit.snippet
        hits = index.search(SearchRequest("соглашение курская")).hits
        hit = next(h for h in hits if h.doc_id == 1)
        assert "<mark>соглашений</mark> с <mark>Курской</mark>" in hit.snippet
        assert hit.title_html == "<mark>Курская</mark> делегация посетила Гомельскую область"
        text = "Курская <b>область</b>\n\nСоглашение"
        assert index.highlight(text, '"курская область"') == (
            "<mark>Курская</mark> &lt;b&gt;<mark>область</mark>&lt;/b&gt;\n\nСоглашение"
        )


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ('"курская область', "непарная кавычка"),
        ("(курская OR брянская", "непарная скобка"),
        ("курская OR", "оператору не хватает слова"),
        ("AND курская", "оператору не хватает слова"),
        ("автор:Иванов", "неизвестное поле"),
        ("и в на", "нет слов для поиска"),
    ],
)
def test_malformed_queries(data: Path, q: str, message: str) -> None:
    with SearchIndex.open(data) as index, pytest.raises(QueryError, match=message):
        index.search(SearchRequest(q))


def test_malformed_query_in_the_cli_is_one_line(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", '"курская', "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("vestnik: error: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("q", "suggestion"),
    [
        ("саглашение курская", "соглашение курская"),
        ("курская делeгация", "курская делегация"),  # a Latin "e" inside a Cyrillic word
        ("курская делегация", ""),  # found as typed: nothing to suggest
    ],
)
def test_did_you_mean(data: Path, q: str, suggestion: str) -> None:
    with SearchIndex.open(data) as index:
        res = index.search(SearchRequest(q))
    assert res.suggestion == suggestion
    assert (res.total > 0) == (not suggestion)


def test_cli_json_and_text(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "курская", "--json", "--sort", "date", "--limit", "2",
                 "--data", str(data)]) == 0  # fmt: skip
    rows = json.loads(capsys.readouterr().out)
    assert [sorted(r) for r in rows] == [sorted(
        ["url", "title", "published", "site", "lang", "score", "snippet", "cluster", "copies",
         "kind", "file_type", "parent_url"])] * 2  # fmt: skip
    assert [r["published"] for r in rows] == ["2024-02-15", "2023-06-01"]
    assert main(["search", "соглашение курская", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "*соглашений* с *Курской*" in out and "<mark>" not in out


# -- locking, concurrency, a killed run ----------------------------------------------------------


def test_second_index_run_is_refused(data: Path) -> None:
    lock = FileLock(str(data / "index.lock"))
    assert lock.acquire(blocking=False)
    try:
        with (
            SQLiteStore.open(data) as store,
            pytest.raises(IndexLockedError, match="another index run"),
        ):
            run_index(store, data, facts=False)
    finally:
        lock.release()
    with SQLiteStore.open(data) as store:
        run_index(store, data, facts=False)


def test_searches_keep_working_while_index_runs_commit(data: Path) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()
    index = SearchIndex.open(data)

    def searching() -> None:
        while not stop.is_set():
            try:
                assert index.search(SearchRequest("курская")).total >= 4
            except BaseException as exc:  # noqa: BLE001 -- collected for the assertion below
                errors.append(exc)
                return

    thread = threading.Thread(target=searching)
    thread.start()
    try:
        with SQLiteStore.open(data) as store:
            for n in range(10, 16):
                _save(store, n, "mpt", "ru", "2025-02-01", f"Курская новость {n}", "Текст.")
                run_index(store, data, facts=False)
            run_index(store, data, rebuild=True, facts=False)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert index.search(SearchRequest("курская")).total == 10
    index.close()


_KILLED_RUN = """
import sys, time
from pathlib import Path
import indexer._index as ix
from corpus import SQLiteStore
data, marker = Path(sys.argv[1]), Path(sys.argv[2])
ix.BATCH = 5
real = ix._fields
seen = [0]
def slow(store, docs):
    for fields in real(store, docs):
        seen[0] += 1
        if seen[0] == 8:           # one batch of 5 committed, the next one half done
            marker.write_text("go")
            time.sleep(60)
        yield fields
ix._fields = slow
ix.run_index(SQLiteStore.open(data), data, facts=False, rebuild=len(sys.argv) > 3)
"""


def _kill_index_run(data: Path, *extra: str) -> None:
    marker = data / "marker"
    marker.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_KILLED_RUN), str(data), str(marker), *extra],
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_killed_index_run_leaves_the_old_index_and_the_next_run_completes(data: Path) -> None:
    with SQLiteStore.open(data) as store:
        for n in range(20, 32):
            _save(store, n, "mpt", "ru", "2025-03-01", f"Смоленская новость {n}", "Лён.")
    _kill_index_run(data)
    assert _ns(_urls(data, "курская")) == {1, 2, 3, 6}  # the old index still answers
    assert _ns(_urls(data, "смоленская новость")) == set(range(20, 25))  # the committed batch
    _kill_index_run(data, "rebuild")
    assert _ns(_urls(data, "смоленская новость")) == set(range(20, 25))
    with SQLiteStore.open(data) as store:  # the dead run's lock is gone with it (fcntl)
        run_index(store, data, facts=False)
    assert _ns(_urls(data, "смоленская новость")) == set(range(20, 32))
    assert not list(data.glob("index.new-*"))
    with SearchIndex.open(data) as index:
        assert index.search(SearchRequest("лен")).total == 12  # no duplicates


def test_phrase_with_ambiguous_words_plans_over_many_documents(tmp_path: Path) -> None:
    # Or and And ask their subqueries for size estimates once there are enough of them
    with SQLiteStore.open(tmp_path) as store:
        for n in range(40):
            _save(
                store,
                n,
                "mpt",
                "ru",
                "2024-01-01",
                f"Новость {n}",
                "Ярмарка в Минском районе стали.",
            )
        run_index(store, tmp_path, facts=False)
    with SearchIndex.open(tmp_path) as index:
        res = index.search(SearchRequest('"минском районе" OR "районе стали" ярмарка OR форум'))
        assert res.total == 40
        assert "<mark>Минском</mark> <mark>районе</mark>" in res.hits[0].snippet


def test_parallel_rebuild_writes_a_segment_per_busy_worker_with_the_same_results(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh import index as whoosh_index

    import indexer._index as ix

    queries = ["курская область", '"Курская область"', "site:mpt", "lang:be", "мінск"]
    with SQLiteStore.open(data) as store:
        for n in range(20, 40):
            _save(store, n, "mpt", "ru", "2025-03-01", f"Смоленская новость {n}", "Лён и ярмарка.")
        run_index(store, data, facts=False)
        single = {q: _ns(_urls(data, q)) for q in [*queries, "ярмарка"]}
        monkeypatch.setattr(ix, "PARALLEL_MIN_DOCS", 0)
        summary = run_index(store, data, rebuild=True, facts=False, procs=2)
    assert summary.added == len(DOCS) + 20
    assert {q: _ns(_urls(data, q)) for q in single} == single  # equal scores: any order
    assert single["курская область"] == {1, 2, 3, 6} and len(single["ярмарка"]) == 21
    segments = whoosh_index.open_dir(str(data / "index")).reader().leaf_readers()
    # one segment per worker that got work; on a loaded machine one worker may drain the queue
    # before the other has started (spawned workers import everything first)
    assert len(segments) in (1, 2)
    # plain segment files (a compound one is copied into memory when opened), no temp folders
    assert not any(reader.segment().is_compound() for reader, _ in segments)
    assert not list((data / "index").glob("*.tmp*"))


@pytest.mark.parametrize("spill", [False, True])
def test_index_writer_writes_whoosh_s_postings_and_lengths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill: bool
) -> None:
    """IndexWriter's bulk paths (pool, runs, flush) give Whoosh's own segment: the same terms,
    postings, block and term statistics and field lengths; ``spill``: a pool of a few kilobytes
    spilling many runs in chunks of 7 postings, merged 3 at a time first, into blocks of 4."""
    from whoosh import index as whoosh_index
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.writing import SegmentWriter

    import indexer._pool as pool
    from core.records import Document
    from indexer._schema import build_schema, document_fields
    from indexer._writer import IndexWriter

    docs = [
        Document(id=n, url=f"http://t/{n}", site="mpt", lang=lang, title=title, published="",
                 body=body, content_hash="", version=1, state="ok", first_seen="", fetched_at="",
                 changed_at="", seq=n)
        for n, (_, _, lang, _, title, body) in enumerate(DOCS * 3, start=1)
    ]  # fmt: skip
    if spill:
        monkeypatch.setattr(pool, "RUN_CHUNK", 7)
        monkeypatch.setattr(pool, "_MAX_RUNS", 3)

    def postings(writer_class: type, directory: Path) -> list[object]:
        directory.mkdir()
        ix = whoosh_index.create_in(str(directory), build_schema())
        writer = writer_class(ix, codec=W3Codec(blocklimit=4) if spill else None)
        if spill:
            writer.pool.limit = 3000  # bytes
        for doc in docs:
            writer.add_document(**document_fields(doc))
        if spill and writer_class is IndexWriter:
            assert len(writer.pool.runs) > 3
        writer.commit()
        out: list[object] = []
        with ix.reader() as r:
            for field, term in r.all_terms():
                m = r.postings(field, term)
                while m.is_active():
                    out.append((field, term, m.id(), m.weight(), m.value(), m.block_max_length()))
                    m.next()
                info = r.term_info(field, term)
                stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length())
                out.append((stats, info.max_weight(), info.min_id(), info.max_id()))
            for f in ("title", "body", "title_be", "body_be"):
                out.append([r.doc_field_length(i, f) for i in range(len(docs))])
        return out

    ours = postings(IndexWriter, tmp_path / "a")
    assert len(ours) > 300
    assert ours == postings(SegmentWriter, tmp_path / "b")


def test_full_builds_close_a_segment_every_segment_docs_with_the_same_results(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build starts a new segment after SEGMENT_DOCS documents (one process and each
    worker), so its memory does not grow with the corpus; searches see the same results."""
    from whoosh import index as whoosh_index

    import indexer._index as ix

    queries = ["курская область", '"Курская область"', "site:mpt", "lang:be", "ярмарка"]
    with SQLiteStore.open(data) as store:
        for n in range(20, 40):
            _save(store, n, "mpt", "ru", "2025-03-01", f"Смоленская новость {n}", "Лён и ярмарка.")
        run_index(store, data, rebuild=True, facts=False)
        single = {q: _ns(_urls(data, q)) for q in queries}
        monkeypatch.setattr(ix, "SEGMENT_DOCS", 10)
        monkeypatch.setattr(ix, "BATCH", 5)
        run_index(store, data, rebuild=True, facts=False)
        assert {q: _ns(_urls(data, q)) for q in single} == single
        with whoosh_index.open_dir(str(data / "index")).reader() as r:
            assert [sub.doc_count() for sub, _ in r.leaf_readers()] == [10, 10, 6]
        monkeypatch.setattr(ix, "PARALLEL_MIN_DOCS", 0)
        monkeypatch.setattr(ix, "TASK_DOCS", 4)  # tasks of 4 documents: a segment every 3 tasks
        assert run_index(store, data, rebuild=True, facts=False, procs=2).added == 26
        assert {q: _ns(_urls(data, q)) for q in single} == single
        with whoosh_index.open_dir(str(data / "index")).reader() as r:
            counts = [sub.doc_count() for sub, _ in r.leaf_readers()]
    assert sum(counts) == 26 and len(counts) >= 3 and max(counts) <= 12


def test_worker_temp_files_never_share_the_parent_writers_folder(tmp_path: Path) -> None:
    from whoosh.filedb.filestore import FileStorage

    from indexer._parallel import _WorkerStorage

    parent = FileStorage(str(tmp_path)).temp_storage("MAIN.tmp")
    worker = _WorkerStorage(str(tmp_path)).temp_storage("MAIN.tmp")
    kept = parent.create_file("pool.tmp")
    kept.write(b"x")
    kept.close()
    worker.destroy()  # what a worker's writer does when it finishes
    assert parent.file_exists("pool.tmp") and worker.folder != parent.folder


@pytest.mark.parametrize("victim", ["*.pst", "*.trm", "_MAIN_*.toc"])
def test_a_damaged_index_is_one_line_naming_the_folder_and_the_cure(
    data: Path, victim: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in (data / "index").glob(victim):
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])  # truncated
    assert list((data / "index").glob(victim))
    assert main(["search", "курская область", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected error" not in err
    assert str(data / "index") in err and "vestnik index --rebuild" in err
