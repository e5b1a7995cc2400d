"""The SQLite connection under the store: WAL, busy timeout, explicit transactions, error mapping."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from core.errors import StoreError, StoreLockedError
from corpus._sql import SQLITE, Nesting, Row

__all__ = ["SQLiteConnection", "check_file", "create_file", "now_iso", "sqlite_errors"]

BUSY_TIMEOUT_S = 30.0
MIN_SQLITE = (3, 35)  # RETURNING, ON CONFLICT upserts, aggregate FILTER
_SQLITE_HEADER = b"SQLite format 3\x00"


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _damaged(path: Path, detail: str) -> StoreError:
    return StoreError(
        f"the store {path} is damaged ({detail}): restore it from a backup, or move it away and "
        "crawl again to start a new one"
    )


@contextmanager
def sqlite_errors(what: str, path: Path) -> Iterator[None]:
    """Turn sqlite3 errors into ``StoreError`` (or ``StoreLockedError``) with a one-line message."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise StoreLockedError(
                f"{what}: the store {path} is locked by another process ({exc})"
            ) from exc
        if "disk is full" in text or "disk I/O error" in text:
            raise StoreError(
                f"{what}: {exc} (store {path}); free some space and run the command again: "
                "nothing written before this point is lost"
            ) from exc
        raise StoreError(f"{what}: {exc} (store {path})") from exc
    except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed", ...
        raise _damaged(path, str(exc)) from exc


def check_file(path: Path) -> None:
    """Refuse an existing file that cannot be a store: empty without a WAL, or not SQLite."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc}") from exc
    wal = path.with_name(path.name + "-wal")
    if size == 0:
        if wal.exists() and wal.stat().st_size > 0:
            return  # a store whose first commit is still in its WAL
        raise _damaged(path, "the file is empty (0 bytes)")
    try:
        with path.open("rb") as fh:
            header = fh.read(len(_SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read the store {path}: {exc}") from exc
    if header != _SQLITE_HEADER:
        raise _damaged(path, "not an SQLite database" if size >= 100 else "the file is truncated")


def create_file(path: Path, init: Callable[[SQLiteConnection], object]) -> None:
    """Make a new store at ``path`` atomically: built (``init``) in a temporary file and linked into
    place, so a store file is never seen half made (an empty ``corpus.sqlite`` is always damage).
    Another process creating it at the same moment wins quietly."""
    tmp = path.with_name(f".{path.name}.new-{os.getpid()}")
    try:
        # a rollback journal, not WAL, while building: each commit lands in the file itself or
        # fails loudly (a WAL left behind by a failed checkpoint would be lost with the temp name)
        conn = SQLiteConnection(tmp, wal=False, shown=path)
        try:
            init(conn)
        finally:
            conn.close()
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    except OSError as exc:
        raise StoreError(f"cannot create the store {path}: {exc}") from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


class SQLiteConnection:
    """One autocommit SQLite connection shared by threads behind a re-entrant lock."""

    dialect = SQLITE

    def __init__(self, path: Path, *, wal: bool = True, shown: Path | None = None) -> None:
        self.path = shown or path  # the name errors give (a store being made has a temporary one)
        if sqlite3.sqlite_version_info < MIN_SQLITE:
            raise StoreError(
                f"SQLite {sqlite3.sqlite_version} is too old for the store (3.35 or newer is needed: "
                "UPDATE ... RETURNING); use a newer Python/SQLite or a PostgreSQL store"
            )
        check_file(path)
        with sqlite_errors("cannot open the store", self.path):
            self.db = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            self.db.row_factory = sqlite3.Row
            self.db.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
        self.lock = threading.RLock()
        self._nesting = Nesting()

    @contextmanager
    def transaction(self, what: str = "store write") -> Iterator[None]:
        """A write transaction (``BEGIN IMMEDIATE``); nested calls join the outer one."""
        with self.lock, sqlite_errors(what, self.path):
            with self._nesting as outermost:
                if not outermost:
                    yield
                    return
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    if self.db.in_transaction:
                        self.db.execute("ROLLBACK")
                    raise
            self.db.execute("COMMIT")

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """One statement and its rows."""
        with self.lock, sqlite_errors("store write", self.path):
            return list(self.db.execute(sql, params).fetchall())

    def execute_many(self, sql: str, rows: Sequence[Sequence[object]]) -> int:
        """One statement per row; how many rows changed."""
        with self.lock, sqlite_errors("store write", self.path):
            before = self.db.total_changes
            self.db.executemany(sql, rows)
            return self.db.total_changes - before

    def changed(self, sql: str, params: Sequence[object] = ()) -> int:
        """One statement; how many rows it changed."""
        with self.lock, sqlite_errors("store write", self.path):
            return int(self.db.execute(sql, params).rowcount)

    def write(
        self, sql: str, params: Sequence[object] = (), what: str = "store write"
    ) -> list[Row]:
        """One write statement and its ``RETURNING`` rows: atomic by itself (SQLite's autocommit
        wraps it in its own transaction), or part of the enclosing ``transaction``."""
        with self.lock, sqlite_errors(what, self.path):
            return list(self.db.execute(sql, params).fetchall())

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Run a read query and return all rows."""
        with self.lock, sqlite_errors("store read", self.path):
            return list(self.db.execute(sql, params).fetchall())

    def iterate(self, sql: str, params: Sequence[object] = (), batch: int = 500) -> Iterator[Row]:
        """Stream rows of a read query in batches, on a cursor of its own."""
        with self.lock, sqlite_errors("store read", self.path):
            cursor = self.db.execute(sql, params)
        try:
            while True:
                with self.lock, sqlite_errors("store read", self.path):
                    rows = cursor.fetchmany(batch)
                if not rows:
                    return
                yield from rows
        finally:
            cursor.close()

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.db.close()
