"""The corpus store on SQL: one class of table code, two connections (SQLite file, PostgreSQL).

Usage::

    store = open_store("sqlite:///" + str(tmp_path / "corpus.sqlite"))
    store.save_document(DocumentDraft(url=..., site="mpt", title="...", body="..."))
    # -> SaveOutcome(doc_id=1, version=1, status='new')

Every write is one transaction, so a process killed at any instant leaves a store that opens and has
lost at most the write in flight. ``corpus`` is the only package that touches the database.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from core.errors import StoreError, StoreLockedError
from corpus._clusters_table import ClustersTable
from corpus._db import SQLiteConnection, create_file, sqlite_errors
from corpus._derived_table import DerivedTable
from corpus._documents import DocumentsTable
from corpus._facts_table import FactsTable
from corpus._frontier import SqlFrontier
from corpus._migrations import apply_migrations, schema_version
from corpus._pages import PagesTable
from corpus._postgres import PostgresConnection, redact
from corpus._runs import RunsTable
from corpus._slots import SqlHostSlots
from corpus._sql import Connection
from corpus._watches import WatchesTable

__all__ = ["STORE_FILENAME", "PostgresStore", "SQLiteStore", "SqlStore"]

STORE_FILENAME = "corpus.sqlite"


class SqlStore(
    DocumentsTable, PagesTable, RunsTable, FactsTable, DerivedTable, WatchesTable, ClustersTable
):
    """The store over one ``Connection``: documents, pages, runs, facts, meta as methods; the
    frontier and host slots as ``frontier`` and ``host_slots``. Safe to share between threads."""

    url: str

    def __init__(self, conn: Connection, url: str) -> None:
        self._conn = conn
        self.url = url
        self.frontier = SqlFrontier(conn)
        self.host_slots = SqlHostSlots(conn)
        try:
            apply_migrations(conn)
        except BaseException:
            conn.close()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    @property
    def schema_version(self) -> int:
        """How many named migrations this store has applied."""
        return schema_version(self._conn)

    @contextmanager
    def batch(self, what: str = "cannot save a page") -> Iterator[None]:
        """Make the writes inside one transaction (a crawled page: its fetch, its document, its
        links and its frontier row): all of them land, or none does."""
        with self._conn.transaction(what):
            yield

    @contextmanager
    def crawl_lock(self) -> Iterator[None]:
        """Held by a crawl for its whole run. A shared (PostgreSQL) store lets many crawls work
        together, so here it holds nothing."""
        yield

    def tables(self) -> list[str]:
        """The names of the store's tables."""
        return sorted(str(r["name"]) for r in self._conn.query(self._conn.dialect.tables))

    # -- meta ---------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str = "") -> str:
        """A value of the key/value ``meta`` table."""
        rows = self._conn.query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the key/value ``meta`` table."""
        self._conn.write(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value), "cannot save a setting of the store",
        )  # fmt: skip


class SQLiteStore(SqlStore):
    """The corpus store of one data directory: one SQLite file in WAL mode.

    Open it with ``open_store(url)``, or ``SQLiteStore.open(data_dir)`` (creates the directory and
    the database, applies pending migrations); use it as a context manager or call ``close()``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            create_file(path, apply_migrations)
        super().__init__(SQLiteConnection(path), "sqlite:///" + str(path))

    @classmethod
    def open(cls, data_dir: Path | str) -> SQLiteStore:
        """Open (creating if needed) the store inside ``data_dir``."""
        return cls.open_file(Path(data_dir).expanduser() / STORE_FILENAME)

    @classmethod
    def open_file(cls, path: Path) -> SQLiteStore:
        """Open (creating if needed) the store in the SQLite file ``path``."""
        directory = path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {directory}: {exc}") from exc
        if not os.access(directory, os.W_OK):
            raise StoreError(f"the data directory {directory} is not writable")
        return cls(path)

    def integrity_ok(self) -> bool:
        """True when SQLite's integrity check passes."""
        rows = self._conn.query("PRAGMA integrity_check")
        return bool(rows) and rows[0]["integrity_check"] == "ok"

    @contextmanager
    def crawl_lock(self) -> Iterator[None]:
        """One crawl at a time on an SQLite store: a second one is refused with one line.

        The lock is an ``flock`` on ``<store>.crawl-lock`` (freed by the OS when its process
        dies). Whoever holds it knows that no other crawler is alive, so claims and host slots
        left by a killed one are freed at once.
        """
        lock_path = self.path.with_name(self.path.name + ".crawl-lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot create the crawl lock {lock_path}: {exc}") from exc
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                raise StoreLockedError(
                    f"another crawl (pid {holder}) is writing the store {self.path}: wait for it "
                    "to finish, or use a PostgreSQL store for several crawlers at once"
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            with sqlite_errors("cannot free the claims of an earlier crawl", self.path):
                self.frontier.release()
                self.host_slots.forget()
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


class PostgresStore(SqlStore):
    """The corpus store in a PostgreSQL database, shared by many processes and hosts: frontier
    claims skip rows other workers hold, and document writes are serialized across processes."""

    def __init__(self, url: str) -> None:
        super().__init__(PostgresConnection(url), url)

    def __repr__(self) -> str:
        return f"PostgresStore({redact(self.url)!r})"

    def integrity_ok(self) -> bool:
        """PostgreSQL keeps its own integrity; True when the server answers."""
        return bool(self._conn.query("SELECT 1 AS ok"))
