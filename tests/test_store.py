"""The corpus store on both backends (a real SQLite file and a real PostgreSQL server): documents,
versions, facts, frontier, host slots, runs, migrations. Every test taking ``store`` runs twice."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

import corpus._migrations as migrations
from core.errors import StoreError
from core.records import DocumentDraft, Fact, FactFilter, PageFetch
from corpus import (
    DONE,
    FAILED,
    MIGRATIONS,
    FrontierCounts,
    FrontierEntry,
    SQLiteStore,
    Store,
    open_store,
    retry_at,
    sqlite_url,
)
from corpus._sql import Connection


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "data")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        yield s


def draft(
    url: str = "https://example.by/ru/news/1", body: str = "Текст", **kw: object
) -> DocumentDraft:
    fields: dict[str, object] = {"site": "example", "title": "Заголовок", "published": "2023-01-09"}
    fields.update(kw)
    return DocumentDraft(url=url, body=body, **fields)  # type: ignore[arg-type]


def test_open_creates_wal_store_with_every_migration(tmp_path: Path) -> None:
    with SQLiteStore.open(tmp_path / "new" / "dir") as s:
        assert s.path == tmp_path / "new" / "dir" / "corpus.sqlite"
        assert s.schema_version == len(MIGRATIONS)
        mode = sqlite3.connect(s.path).execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_unwritable_data_dir_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="data directory"):
        SQLiteStore.open(blocker / "sub")


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


def test_frontier_push_claim_settle_retry(store: Store) -> None:
    frontier = store.frontier
    assert frontier.push("s", [FrontierEntry("https://e.by/a", "listing")]) == 1
    assert frontier.push("s", [FrontierEntry("https://e.by/a", "listing")]) == 0
    b = FrontierEntry("https://e.by/b", "article", depth=1, priority=1, referrer="https://e.by/a")
    assert frontier.push("s", [b, FrontierEntry("https://e.by/c", priority=5)]) == 2
    item = frontier.claim("s", now=1000.0)
    assert item is not None and item.url == "https://e.by/a" and item.lease_until > 1000
    assert frontier.settle(item, retry_at(10**10)) is True
    assert frontier.settle(item, DONE) is False  # settled already: the claim is gone
    nxt = frontier.claim("s")
    assert nxt is not None and nxt.url == "https://e.by/b" and nxt.referrer == "https://e.by/a"
    assert (nxt.kind, nxt.depth) == ("article", 1)
    last = frontier.claim("s")
    assert last is not None and last.url == "https://e.by/c"
    assert frontier.claim("s") is None  # a is not due yet, b and c are held
    assert frontier.pending("s") == FrontierCounts(queued=1, in_flight=2)
    assert frontier.settle(nxt, DONE) and frontier.settle(last, FAILED)
    assert frontier.pending("s") == FrontierCounts(queued=1, done=1, failed=1)
    assert frontier.next_due("s") == 10**10
    again = frontier.claim("s", now=10**10 + 1)
    assert again is not None and again.url == "https://e.by/a" and again.attempts == 1


def test_a_claim_whose_lease_ran_out_returns(store: Store) -> None:
    frontier = store.frontier
    frontier.push("s", [FrontierEntry("https://e.by/a")])
    dead = frontier.claim("s", lease=30, now=1000.0)  # a worker that will be killed
    assert dead is not None
    assert frontier.claim("s", now=1010.0) is None  # its lease still runs
    assert frontier.next_due("s") == 1030.0
    taken = frontier.claim("s", now=1031.0)
    assert taken is not None and taken.url == dead.url and taken.token != dead.token
    assert frontier.settle(dead, DONE) is False  # the dead worker's late answer changes nothing
    assert frontier.pending("s").in_flight == 1
    assert frontier.settle(taken, DONE) is True
    assert frontier.pending("s") == FrontierCounts(done=1)


def test_claims_in_a_batch_come_in_claim_order_and_go_back_unspent(store: Store) -> None:
    frontier = store.frontier
    frontier.push("s", [FrontierEntry(f"https://e.by/{n}", priority=n % 3) for n in range(7)])
    frontier.push("t", [FrontierEntry("https://e.by/other-site")])
    batch = frontier.claim_many("s", 4, lease=60, now=1000.0)
    assert [i.url.rsplit("/", 1)[1] for i in batch] == ["0", "3", "6", "1"]  # priority, then age
    assert len({i.id for i in batch}) == 4 and frontier.pending("s").in_flight == 4
    rest = frontier.claim_many("s", 10, lease=60, now=1000.0)
    assert sorted(i.url[-1] for i in rest) == ["2", "4", "5"]  # only the site's, only the free
    assert frontier.claim_many("s", 3, now=1001.0) == []
    assert frontier.settle(batch[0], DONE)
    assert frontier.unclaim([batch[0], *batch[1:3]]) == 2  # the settled one is not held
    assert frontier.pending("s") == FrontierCounts(queued=2, in_flight=4, done=1)
    again = frontier.claim_many("s", 5, now=1002.0)
    assert [i.url[-1] for i in again] == ["3", "6"] and all(i.attempts == 0 for i in again)
    expired = frontier.claim_many("s", 9, now=1061.0)  # the others' leases ran out
    assert sorted(i.url[-1] for i in expired) == ["1", "2", "4", "5"]


def test_host_places_are_taken_one_statement_each_and_booked_at_once(store: Store) -> None:
    slots = store.host_slots
    held = [slots.enter("e.by", 3, 1.0, lease=60, now=100.0) for _ in range(3)]
    assert sorted(p for p, _ in filter(None, held)) == [0, 1, 2]
    assert [t for _, t in filter(None, held)] == [100.0, 101.0, 102.0]  # spaced by the interval
    assert slots.enter("e.by", 3, 1.0, lease=60, now=100.5) is None  # all held: nothing booked
    assert slots.reserve("e.by", 1.0, now=100.5) == 103.0
    assert slots.acquire("e.by", 4, lease=60, now=100.5) == 3  # a worker allowed one more place
    slots.release("e.by", 1)
    assert slots.enter("e.by", 3, 0.0, lease=60, now=100.6) == (1, 104.0)
    assert slots.enter("e.by", 3, 0.0, lease=60, now=161.0) is not None  # leases ran out


def test_renew_and_release(store: Store) -> None:
    frontier = store.frontier
    frontier.push("s", [FrontierEntry("https://e.by/a"), FrontierEntry("https://e.by/b")])
    a = frontier.claim("s")
    assert a is not None
    renewed = frontier.renew(a, 600)
    assert renewed is not None and renewed.lease_until > a.lease_until - 300 + 500
    assert frontier.release("s") == 1
    assert frontier.renew(a) is None
    assert frontier.pending("s") == FrontierCounts(queued=2)


def test_seed_starts_a_crawl_only_when_none_is_under_way(store: Store) -> None:
    frontier = store.frontier
    frontier.push("s", [FrontierEntry("https://e.by/old")])
    item = frontier.claim("s")
    assert item is not None and frontier.settle(item, DONE)
    assert frontier.seed("s", [FrontierEntry("https://e.by/start", "listing")]) is True
    assert frontier.pending("s") == FrontierCounts(queued=1)  # the old done row is forgotten
    assert frontier.seed("s", [FrontierEntry("https://e.by/other")]) is False
    frontier.clear("s")
    assert frontier.pending("s") == FrontierCounts()


def test_host_slots_space_requests_and_bound_concurrency(store: Store) -> None:
    slots = store.host_slots
    assert slots.reserve("e.by", 2.0, now=100.0) == 100.0
    assert slots.reserve("e.by", 2.0, now=100.5) == 102.0  # another worker booked 100
    assert slots.reserve("e.by", 2.0, now=100.6) == 104.0
    assert slots.reserve("other.by", 2.0, now=100.6) == 100.6
    assert slots.reserve("e.by", 2.0, now=200.0) == 200.0  # idle long enough
    first = slots.acquire("e.by", 2, lease=60, now=100.0)
    second = slots.acquire("e.by", 2, lease=60, now=100.0)
    assert {first, second} == {0, 1}
    assert slots.acquire("e.by", 2, lease=60, now=101.0) is None
    assert slots.acquire("e.by", 2, lease=60, now=161.0) is not None  # a dead holder's lease ended
    assert first is not None
    slots.release("e.by", first)
    assert slots.acquire("e.by", 2, lease=60, now=162.0) is not None


def test_batch_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.batch():
        store.save_document(draft())
        store.frontier.push("s", [FrontierEntry("https://e.by/a")])
        raise RuntimeError("the page failed halfway")
    assert store.count_documents() == 0 and store.frontier.pending("s") == FrontierCounts()


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
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(store_url) as s:
        s.save_document(draft())
    added: list[str] = []

    def m999_add_note(conn: Connection) -> None:
        migrations.ddl(conn, "ALTER TABLE documents ADD COLUMN note TEXT NOT NULL DEFAULT ''")
        migrations.ddl(conn, "CREATE TABLE notes (id INTEGER PRIMARY KEY, raw BLOB, at REAL)")
        added.append("ran")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, ("m999_add_note", m999_add_note)])
    with open_store(store_url) as s:
        assert added == ["ran"]
        assert s.count_documents() == 1
        assert "notes" in s.tables()
        assert s.schema_version == len(MIGRATIONS) + 1  # type: ignore[attr-defined]
    with open_store(store_url):
        assert added == ["ran"]  # applied once


def test_failed_migration_rolls_back(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(store_url):
        pass

    def m998_broken(conn: Connection) -> None:
        migrations.ddl(conn, "CREATE TABLE half (x TEXT)")
        raise StoreError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, ("m998_broken", m998_broken)])
    with pytest.raises(StoreError, match="boom"):
        open_store(store_url)
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)
    with open_store(store_url) as s:
        assert "half" not in s.tables()


def test_only_runs_of_gone_processes_are_interrupted(store: Store) -> None:
    import subprocess
    import sys
    import time

    import corpus._runs as runs
    from corpus._owner import owner

    live = store.start_run("crawl", "mpt")  # this process: alive
    dead = store.start_run("crawl", "mpt,vitebsk")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    elsewhere_quiet = store.start_run("crawl", "vitebsk")
    elsewhere_busy = store.start_run("crawl", "vitebsk")
    # pretend: `dead` was run by a process that has exited; the last two by another host
    conn = store._conn  # type: ignore[attr-defined]
    conn.write(
        "UPDATE crawl_runs SET owner = ? WHERE id = ?",
        (f"{owner().rsplit(':', 1)[0]}:{gone.stdout.strip()}", dead),
    )
    conn.write("UPDATE crawl_runs SET owner = 'other-host:1', heartbeat = ? WHERE id = ?",
               (time.time() - runs.STALE_AFTER_S - 5, elsewhere_quiet))  # fmt: skip
    conn.write("UPDATE crawl_runs SET owner = 'other-host:2', heartbeat = ? WHERE id = ?",
               (time.time(), elsewhere_busy))  # fmt: skip
    newest = store.start_run("crawl", "mpt,vitebsk")
    assert sorted(store.interrupt_stale_runs("crawl", ["mpt", "vitebsk"], before=newest)) == sorted(
        [dead, elsewhere_quiet]
    )
    statuses = {r.id: r.status for r in store.recent_runs()}
    assert statuses[live] == "running" and statuses[elsewhere_busy] == "running"
    assert statuses[dead] == "interrupted" and statuses[elsewhere_quiet] == "interrupted"


def test_claims_of_a_dead_worker_of_this_host_return_at_once(store: Store) -> None:
    import subprocess
    import sys

    from corpus._owner import owner

    frontier = store.frontier
    frontier.push("s", [FrontierEntry("https://e.by/a"), FrontierEntry("https://e.by/b")])
    held = frontier.claim("s", lease=3600)
    lost = frontier.claim("s", lease=3600)
    assert held is not None and lost is not None and frontier.claim("s") is None
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    store._conn.write(  # type: ignore[attr-defined]
        "UPDATE frontier SET owner = ? WHERE id = ?",
        (f"{owner().rsplit(':', 1)[0]}:{gone}", lost.id),
    )
    again = frontier.claim("s")  # the live claim stays held, the dead one comes back
    assert again is not None and again.url == lost.url
    assert frontier.settle(held, DONE) and frontier.settle(again, DONE)
