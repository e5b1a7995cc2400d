"""The corpus store on real SQLite files: documents, versions, facts, frontier, runs, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import corpus._migrations as migrations
from core.errors import StoreError
from core.records import DocumentDraft, Fact, FactFilter, PageFetch
from corpus import MIGRATIONS, Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "data") as s:
        yield s


def draft(
    url: str = "https://example.by/ru/news/1", body: str = "Текст", **kw: object
) -> DocumentDraft:
    fields: dict[str, object] = {"site": "example", "title": "Заголовок", "published": "2023-01-09"}
    fields.update(kw)
    return DocumentDraft(url=url, body=body, **fields)  # type: ignore[arg-type]


def test_open_creates_wal_store_with_every_migration(tmp_path: Path) -> None:
    with Store.open(tmp_path / "new" / "dir") as s:
        assert s.path == tmp_path / "new" / "dir" / "corpus.sqlite"
        assert s.schema_version == len(MIGRATIONS)
        mode = sqlite3.connect(s.path).execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_unwritable_data_dir_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="data directory"):
        Store.open(blocker / "sub")


def test_new_unchanged_changed_versions(store: Store) -> None:
    first = store.save_document(draft())
    assert (first.status, first.version) == ("new", 1)
    again = store.save_document(draft(body="  Текст \n"))  # whitespace-only difference
    assert (again.status, again.doc_id, again.version) == ("unchanged", first.doc_id, 1)
    changed = store.save_document(draft(body="Новый текст"))
    assert (changed.status, changed.version) == ("changed", 2)
    versions = store.document_versions(first.doc_id)
    assert [v["body"] for v in versions] == ["Текст", "Новый текст"]
    doc = store.get_document(first.doc_id)
    assert doc is not None and doc.body == "Новый текст" and doc.version == 2


def test_alias_and_content_hash_make_one_document(store: Store) -> None:
    canonical = "https://example.by/ru/news/09-01-2023-8328"
    alias = "https://example.by/ru/node/8328"
    a = store.save_document(draft(url=canonical, aliases=(alias,)))
    b = store.save_document(draft(url=alias))
    assert b.doc_id == a.doc_id and b.status == "unchanged"
    # a third URL with the same text (e.g. a print version) joins the same document
    c = store.save_document(draft(url="https://example.by/ru/print/8328"))
    assert c.doc_id == a.doc_id
    found = store.find_document(alias)
    assert found is not None and found.url == canonical
    assert set(found.aliases) == {alias, "https://example.by/ru/print/8328"}
    assert store.count_documents() == 1


def test_gone_and_revived_bump_the_change_counter(store: Store) -> None:
    out = store.save_document(draft())
    seq = store.max_seq()
    assert store.mark_gone("https://example.by/ru/news/1") is True
    assert store.mark_gone("https://example.by/ru/news/1") is False
    assert store.max_seq() == seq + 1
    assert [d.id for d in store.iter_documents(since_seq=seq, state=None)] == [out.doc_id]
    assert store.count_documents() == 0 and store.count_documents(state="gone") == 1
    store.save_document(draft())
    doc = store.get_document(out.doc_id)
    assert doc is not None and doc.state == "ok" and store.max_seq() == seq + 2


def test_pages_keep_raw_html_compressed_and_conditional_state(store: Store) -> None:
    html = "<html><body>Привет</body></html>".encode()
    url = "https://example.by/ru/news/1"
    store.record_fetch(
        PageFetch(
            url=url,
            site="example",
            status=200,
            state="ok",
            etag='"a"',
            content_hash="h1",
            raw_html=html,
        )
    )
    store.record_fetch(PageFetch(url=url, site="example", status=304, state="not_modified"))
    page = store.get_page(url)
    assert page is not None and page.etag == '"a"' and page.status == 304 and page.state == "ok"
    assert store.page_html(url) == html
    store.record_fetch(
        PageFetch(url=url, site="example", status=500, state="error", error="HTTP 500")
    )
    assert store.page_html(url) == html  # an error keeps the last good copy


def test_facts_follow_the_current_version(store: Store) -> None:
    out = store.save_document(draft())
    store.replace_facts(
        out.doc_id, 1, [Fact("agreement_count", "81", regions=("Курская область",))]
    )
    changed = store.save_document(draft(body="Другой текст"))
    assert list(store.iter_facts()) == []  # version 2 has no facts yet
    store.replace_facts(
        changed.doc_id, 2, [Fact("trade_change", "-3.4"), Fact("partner_count", "75")]
    )
    rows = list(store.iter_facts())
    assert [r.fact.fact_type for r in rows] == ["trade_change", "partner_count"]
    assert rows[0].doc_title == "Заголовок" and rows[0].site == "example"
    assert [r.fact.value for r in store.iter_facts(FactFilter(types=("partner_count",)))] == ["75"]
    assert list(store.iter_facts(FactFilter(doc_ids=()))) == []
    assert list(store.iter_facts(FactFilter(since="2024-01-01"))) == []
    assert store.count_facts() == {"trade_change": 1, "partner_count": 1}


def test_facts_filter_by_region(store: Store) -> None:
    out = store.save_document(draft())
    store.replace_facts(
        out.doc_id, 1,
        [Fact("agreement_count", "1", regions=("Курская область",)), Fact("agreement_count", "2")],
    )  # fmt: skip
    rows = list(store.iter_facts(FactFilter(regions=("Курская область",))))
    assert [r.fact.value for r in rows] == ["1"]


def test_frontier_push_pop_retry_resume(store: Store) -> None:
    assert store.frontier_push("s", "https://e.by/a", "listing") is True
    assert store.frontier_push("s", "https://e.by/a", "listing") is False
    assert (
        store.frontier_push_many("s", [("https://e.by/b", "article", 1, 1, "https://e.by/a")]) == 1
    )
    item = store.frontier_pop("s")
    assert item is not None and item.url == "https://e.by/a"
    store.frontier_retry(item.id, not_before=10**10)
    nxt = store.frontier_pop("s")
    assert nxt is not None and nxt.url == "https://e.by/b" and nxt.referrer == "https://e.by/a"
    assert store.frontier_pop("s") is None  # a is not due yet
    assert store.frontier_counts("s") == {"queued": 1, "in_flight": 1, "done": 0, "failed": 0}
    assert store.frontier_resume("s") == 1
    store.frontier_done(nxt.id)
    assert store.frontier_next_due("s") == 10**10


def test_runs_and_errors(store: Store) -> None:
    run = store.start_run("crawl", "mpt")
    store.update_run(run, {"fetched": 3})
    store.record_error(run, "https://e.by/x", "HTTP 500\ntraceback lines")
    store.finish_run(run, "ok", {"fetched": 4})
    got = store.get_run(run)
    assert (
        got is not None
        and got.status == "ok"
        and got.counters == {"fetched": 4}
        and got.errors == 1
    )
    assert store.recent_errors()[0]["error"] == "HTTP 500"


def test_store_from_an_older_release_opens_and_migrates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(tmp_path) as s:
        s.save_document(draft())
    added: list[str] = []

    def m999_add_note(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE documents ADD COLUMN note TEXT NOT NULL DEFAULT ''")
        added.append("ran")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, ("m999_add_note", m999_add_note)])
    with Store.open(tmp_path) as s:
        assert added == ["ran"]
        assert s.count_documents() == 1
        assert migrations.pending_migrations(s._conn.db) == []
    with Store.open(tmp_path):
        assert added == ["ran"]  # applied once


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(tmp_path):
        pass

    def m998_broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half (x)")
        raise sqlite3.OperationalError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, ("m998_broken", m998_broken)])
    with pytest.raises(StoreError, match="boom"):
        Store.open(tmp_path)
    db = sqlite3.connect(tmp_path / "corpus.sqlite")
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchone() is None
