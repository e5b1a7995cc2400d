"""The SQLite connection under the store: WAL, busy timeout, explicit transactions, error mapping."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from core.errors import StoreError, StoreLockedError

__all__ = ["RETURNING", "Connection", "now_iso", "translate_errors"]

BUSY_TIMEOUT_S = 30.0
RETURNING = sqlite3.sqlite_version_info >= (3, 35)  # the SQLite has INSERT/UPDATE ... RETURNING


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def translate_errors(what: str) -> Iterator[None]:
    """Turn sqlite3 errors into ``StoreError`` (or ``StoreLockedError``) with a one-line message."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreLockedError(
                f"{what}: the store is locked by another process ({exc})"
            ) from exc
        raise StoreError(f"{what}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{what}: {exc}") from exc


class Connection:
    """One autocommit SQLite connection shared by threads behind a re-entrant lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with translate_errors(f"cannot open the store {path}"):
            self.db = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
        self.lock = threading.RLock()
        self._depth = 0

    @contextmanager
    def transaction(self, what: str = "store write") -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``); nested calls join the outer one."""
        with self.lock, translate_errors(what):
            if self._depth:
                self._depth += 1
                try:
                    yield self.db
                finally:
                    self._depth -= 1
                return
            self.db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.db
            except BaseException:
                self._depth = 0
                self.db.execute("ROLLBACK")
                raise
            self._depth = 0
            self.db.execute("COMMIT")

    def write(
        self, sql: str, params: tuple[object, ...] = (), what: str = "store write"
    ) -> list[sqlite3.Row]:
        """One write statement and its ``RETURNING`` rows: atomic by itself (SQLite's autocommit
        wraps it in its own transaction), or part of the enclosing ``transaction``."""
        with self.lock, translate_errors(what):
            return self.db.execute(sql, params).fetchall()

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Run a read query and return all rows."""
        with self.lock, translate_errors("store read"):
            return self.db.execute(sql, params).fetchall()

    def iterate(
        self, sql: str, params: tuple[object, ...] = (), batch: int = 500
    ) -> Iterator[sqlite3.Row]:
        """Stream rows of a read query in batches, on a cursor of its own."""
        with self.lock, translate_errors("store read"):
            cursor = self.db.execute(sql, params)
        while True:
            with self.lock, translate_errors("store read"):
                rows = cursor.fetchmany(batch)
            if not rows:
                return
            yield from rows

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.db.close()
