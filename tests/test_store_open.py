"""Opening a store from its URL, one clear line for every way it can fail, and the crawl lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import StoreError, StoreLockedError
from core.records import DocumentDraft
from corpus import SQLiteStore, open_store, sqlite_url, store_url
from tests._net import free_port
from tests._pg import PgServer

ROOT = Path(__file__).resolve().parents[1]


def test_store_url_defaults_to_the_sqlite_file_of_the_data_dir(tmp_path: Path) -> None:
    assert store_url("", tmp_path) == f"sqlite:///{tmp_path}/corpus.sqlite"
    assert store_url(" postgresql://u@h:5432/db ", tmp_path) == "postgresql://u@h:5432/db"
    with open_store(sqlite_url(tmp_path / "d")) as store:
        store.save_document(DocumentDraft(url="https://e.by/1", site="e", title="T", body="B"))
    with SQLiteStore.open(tmp_path / "d") as again:
        assert again.count_documents() == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u@h/db", "cannot read the store URL"),
        ("corpus.sqlite", "cannot read the store URL"),
        ("sqlite://relative", "cannot read the store URL"),
        ("postgresql://u:secret@127.0.0.1:99999/db", "invalid port .* 1-65535"),
        ("postgresql://u:secret@127.0.0.1:0/db", "invalid port .* 1-65535"),
        ("postgresql://u:secret@127.0.0.1:/db", "empty port"),
        ("postgresql://u:secret@127.0.0.1:5432", "names no database"),
    ],
)
def test_bad_store_urls_are_one_line_errors(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as info:
        open_store(url)
    assert "\n" not in str(info.value) and "secret" not in str(info.value)


def test_a_folder_as_sqlite_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="names a folder"):
        open_store(f"sqlite:///{tmp_path}")


def test_postgres_server_down_and_wrong_password(pg_server: PgServer) -> None:
    down = f"postgresql://vestnik:pw@127.0.0.1:{free_port()}/db"
    with pytest.raises(StoreError, match="cannot connect") as info:
        open_store(down)
    assert "\n" not in str(info.value) and ":pw@" not in str(info.value)
    wrong = pg_server.url("postgres", password="not-the-password")
    with pytest.raises(StoreError, match="password authentication failed") as info:
        open_store(wrong)
    assert "not-the-password" not in str(info.value)
    with pytest.raises(StoreError, match="does not exist"):
        open_store(pg_server.url("no_such_database"))


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"", "empty"),
        (b"SQLite fo", "truncated"),
        (b"<html>not a database at all</html>" * 10, "not an SQLite database"),
    ],
)
def test_a_broken_store_file_names_itself_and_what_to_do(
    tmp_path: Path, content: bytes, detail: str
) -> None:
    path = tmp_path / "corpus.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=detail) as info:
        SQLiteStore.open(tmp_path)
    assert str(path) in str(info.value) and "backup" in str(info.value)
    assert path.read_bytes() == content  # left as it was


def test_a_store_cut_short_mid_file_is_damaged(tmp_path: Path) -> None:
    with SQLiteStore.open(tmp_path) as store:
        for n in range(300):
            store.save_document(
                DocumentDraft(url=f"https://e.by/{n}", site="e", title=f"T{n}", body="Текст " * 200)
            )
    path = tmp_path / "corpus.sqlite"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    with pytest.raises(StoreError, match=f"the store {path} is damaged"):
        with SQLiteStore.open(tmp_path) as store:
            list(store.iter_documents())


def test_a_second_crawl_of_an_sqlite_store_is_refused(tmp_path: Path) -> None:
    with SQLiteStore.open(tmp_path) as first, SQLiteStore.open(tmp_path) as second:
        with first.crawl_lock():
            with pytest.raises(StoreLockedError, match="another crawl .* is writing the store"):
                with second.crawl_lock():
                    pass
        with second.crawl_lock():  # free again once the first crawl ends
            pass


def test_postgres_stores_crawl_side_by_side(pg_url: str) -> None:
    with open_store(pg_url) as first, open_store(pg_url) as second:
        with first.crawl_lock(), second.crawl_lock():
            assert first.frontier.pending("s").pending == 0


def test_cli_reports_a_bad_store_url_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vestnik.cli", "--store", "postgresql://u:pw@127.0.0.1:99999/db",
         "crawl", "https://example.by/"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "vestnik: error: invalid port in the store URL postgresql://u:***@127.0.0.1:99999/db: "
        "a port is 1-65535"
    ]


def test_postgres_server_gone_mid_run_is_one_line() -> None:
    server = PgServer().start()
    try:
        store = open_store(server.new_database())
        store.save_document(DocumentDraft(url="https://e.by/1", site="e", title="T", body="B"))
    finally:
        server.stop()
    with pytest.raises(StoreError) as info:
        store.count_documents()
    assert "\n" not in str(info.value) and server.admin_url.split("@")[1].split("/")[0] in str(
        info.value
    )
    with pytest.raises(StoreError):
        store.save_document(DocumentDraft(url="https://e.by/2", site="e", title="T", body="C"))


def test_a_postgres_store_outlives_a_server_restart() -> None:
    server = PgServer().start()
    try:
        with open_store(server.new_database()) as store:
            store.save_document(DocumentDraft(url="https://e.by/1", site="e", title="T", body="B"))
            server.restart()
            assert store.count_documents() == 1  # a new connection, transparently
            store.save_document(DocumentDraft(url="https://e.by/2", site="e", title="T", body="C"))
            assert store.count_documents() == 2
    finally:
        server.stop()


def test_cli_refuses_a_second_crawl_of_the_same_data_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vestnik.cli import main

    with SQLiteStore.open(tmp_path) as running, running.crawl_lock():
        code = main(["crawl", "https://example.by/ru/news/", "--data", str(tmp_path)])
    assert code == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("vestnik: error: another crawl (pid ") and str(tmp_path) in line
