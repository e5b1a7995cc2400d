"""``vestnik migrate``: SQLite -> PostgreSQL -> SQLite keeps every row; a killed copy resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.errors import StoreError
from core.records import DocumentDraft, Fact, PageFetch
from corpus import DONE, FrontierEntry, SQLiteStore, migrate_store, open_store, sqlite_url
from vestnik.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _fill(url: str, n: int) -> None:
    with open_store(url) as store:
        run = store.start_run("crawl", "e")
        for i in range(n):
            out = store.save_document(DocumentDraft(
                url=f"https://e.by/ru/news/{i}", site="e", title=f"Новость {i}",
                body=f"Соглашение с Курской областью № {i}.", aliases=(f"https://e.by/node/{i}",),
            ))  # fmt: skip
            if i % 3 == 0:  # a second version
                store.save_document(DocumentDraft(
                    url=f"https://e.by/ru/news/{i}", site="e", title=f"Новость {i}",
                    body=f"Исправлено: соглашение № {i}.",
                ))  # fmt: skip
            store.replace_facts(out.doc_id, 1, [Fact("agreement_count", str(i), rule="r")])
            store.record_fetch(PageFetch(f"https://e.by/ru/news/{i}", "e", 200, "ok",
                                         raw_html=f"<p>{i}</p>".encode(), etag=f'"{i}"'))  # fmt: skip
        store.mark_gone("https://e.by/ru/news/1")
        store.record_error(run, "https://e.by/x", "HTTP 500")
        store.finish_run(run, "ok", {"fetched": n})
        store.frontier.push("e", [FrontierEntry(f"https://e.by/q/{i}") for i in range(5)])
        item = store.frontier.claim("e")
        assert item is not None and store.frontier.settle(item, DONE)
        store.set_meta("index_seq", "7")
        conn = store._conn  # type: ignore[attr-defined]
        # a table a later migration added, whose name sorts before its parent's
        [saved] = conn.write(
            "INSERT INTO saved_searches(name, query, created_at) VALUES ('s', 'соглашение', 'now') "
            "RETURNING id"
        )
        conn.write(
            "INSERT INTO saved_search_items(search_id, run_id, doc_id, version, change, found_at) "
            "VALUES (?, ?, 2, 1, 'new', 'now')",
            (saved["id"], run),
        )


def _snapshot(url: str) -> dict[str, object]:
    with open_store(url) as store:
        docs = [(d.id, d.url, d.title, d.body, d.version, d.state, d.seq, d.aliases)
                for d in store.iter_documents(state=None)]  # fmt: skip
        return {
            "docs": docs,
            "versions": [store.document_versions(d[0]) for d in docs],
            "facts": [(r.doc_id, r.fact) for r in store.iter_facts()],
            "page": (store.get_page("https://e.by/ru/news/5"), store.page_html("https://e.by/ru/news/5")),
            "runs": [(r.kind, r.status, r.counters, r.errors) for r in store.recent_runs()],
            "errors": [(e["url"], e["error"]) for e in store.recent_errors()],
            "frontier": store.frontier.pending("e"),
            "meta": (store.get_meta("index_seq"), store.max_seq()),
            "saved": [
                (r["name"], r["doc_id"], r["change"])
                for r in store._conn.query(  # type: ignore[attr-defined]
                    "SELECT s.name, i.doc_id, i.change FROM saved_search_items i "
                    "JOIN saved_searches s ON s.id = i.search_id"
                )
            ],
        }  # fmt: skip


def test_sqlite_to_postgres_and_back_keeps_everything(tmp_path: Path, pg_url: str) -> None:
    source = sqlite_url(tmp_path / "a")
    _fill(source, 60)
    before = _snapshot(source)
    summary = migrate_store(source, pg_url)
    assert summary.rows["documents"] == 60 and summary.rows["document_versions"] == 80
    assert _snapshot(pg_url) == before
    back = sqlite_url(tmp_path / "b")
    migrate_store(pg_url, back)
    assert _snapshot(back) == before
    with open_store(pg_url) as store:  # ids continue past the copied ones
        out = store.save_document(
            DocumentDraft(url="https://e.by/new", site="e", title="T", body="B")
        )
        assert out.doc_id == 61 and store.max_seq() == int(str(before["meta"][1])) + 1  # type: ignore[index]
    again = migrate_store(source, back)  # a finished copy run again: nothing to do
    assert again.copied == 0 and again.rows == summary.rows


def test_migrate_refuses_a_target_holding_other_data(tmp_path: Path, pg_url: str) -> None:
    source = sqlite_url(tmp_path / "a")
    _fill(source, 5)
    with open_store(pg_url) as other:
        other.save_document(DocumentDraft(url="https://x.by/1", site="x", title="X", body="Y"))
    with pytest.raises(StoreError, match="already holds other data"):
        migrate_store(source, pg_url)


KILLED = r"""
import sys
import corpus._migrate as m
m.BATCH = 50
real = m._write
calls = [0]
def slow(*args):
    calls[0] += 1
    if calls[0] == 6:
        print("half", flush=True)
        import time; time.sleep(60)
    return real(*args)
m._write = slow
m.migrate_store(sys.argv[1], sys.argv[2])
"""


def test_a_killed_migrate_resumes_without_duplicates(tmp_path: Path, pg_url: str) -> None:
    source = sqlite_url(tmp_path / "a")
    _fill(source, 400)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-c", KILLED, source, pg_url], stdout=subprocess.PIPE,
                            text=True, env=env)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "half"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    with open_store(pg_url) as partial:
        assert 0 < partial.count_documents(state="ok") < 399
    time.sleep(0.1)
    assert main(["migrate", "--from", source, "--to", pg_url]) == 0
    assert _snapshot(pg_url) == _snapshot(source)


def test_cli_migrate_default_source_and_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d"
    _fill(sqlite_url(data), 3)
    target = sqlite_url(tmp_path / "copy")
    assert main(["migrate", "--to", target, "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "documents: 3" in out and "counts checked" in out
    with SQLiteStore.open(tmp_path / "copy") as copy:
        assert copy.count_documents() == 2  # one of the three is gone
    assert main(["migrate", "--to", sqlite_url(data), "--data", str(data)]) == 1
    assert "the same store" in capsys.readouterr().err
