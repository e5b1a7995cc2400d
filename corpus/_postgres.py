"""The PostgreSQL connection and store (psycopg 3): a shared store for many crawler workers.

The table code is the SQLite store's (``corpus._sql``): this connection turns ``?`` placeholders
into ``%s``, runs each write in a transaction of its own unless inside ``transaction()``, streams
big reads through a server-side cursor, and maps psycopg's errors to one-line ``StoreError``s that
name the server (never the password).
"""

from __future__ import annotations

import contextlib
import itertools
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from core.errors import StoreError, StoreLockedError
from corpus._sql import POSTGRES, Row

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresConnection", "pg_errors", "redact"]

CONNECT_TIMEOUT_S = 10
_cursor_names = itertools.count(1)


def redact(url: str) -> str:
    """``url`` without its password."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def _to_pg(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return re.sub(r"\?", "%s", sql.replace("%", "%%"))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return " ".join(line.strip() for line in text[:2]) if text else type(exc).__name__


@contextmanager
def pg_errors(what: str, where: str) -> Iterator[None]:
    """psycopg errors as ``StoreError`` naming ``where`` (the redacted URL)."""
    import psycopg
    from psycopg import errors

    try:
        yield
    except errors.LockNotAvailable as exc:
        raise StoreLockedError(f"{what}: the store {where} is locked ({_first_line(exc)})") from exc
    except errors.DiskFull as exc:
        raise StoreError(
            f"{what}: the PostgreSQL server of {where} is out of disk space; free some and run "
            "the command again: nothing written before this point is lost"
        ) from exc
    except psycopg.OperationalError as exc:
        raise StoreError(f"{what}: {where}: {_first_line(exc)}") from exc
    except psycopg.Error as exc:
        raise StoreError(f"{what}: {where}: {_first_line(exc)}") from exc


class PostgresConnection:
    """One psycopg connection (autocommit outside ``transaction()``), shared behind a lock."""

    dialect = POSTGRES

    def __init__(self, url: str) -> None:
        self.where, self._url = redact(url), url
        self.db: psycopg.Connection[dict[str, Any]] = self._connect()
        self.lock = threading.RLock()
        self._depth = 0

    def _connect(self) -> psycopg.Connection[dict[str, Any]]:
        import psycopg
        from psycopg.rows import dict_row

        with pg_errors("cannot connect to the store", self.where):
            return psycopg.connect(
                self._url, autocommit=True, row_factory=dict_row,
                connect_timeout=CONNECT_TIMEOUT_S, application_name="vestnik",
            )  # fmt: skip

    def _live(self) -> None:
        """Outside a transaction, replace a connection the server dropped (a restart, a failover)
        by a new one: a long-running UI or scheduler outlives a server restart."""
        if self._depth == 0 and (self.db.closed or self.db.broken):
            self.db = self._connect()

    @contextmanager
    def transaction(self, what: str = "store write") -> Iterator[None]:
        """A write transaction; nested calls join the outer one."""
        with self.lock, pg_errors(what, self.where):
            self._live()
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            try:
                with self.db.transaction():
                    yield
            finally:
                self._depth = 0

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """One statement and its rows."""
        with self.lock, pg_errors("store write", self.where):
            self._live()
            cur = self.db.execute(_to_pg(sql), tuple(params))
            return list(cur.fetchall()) if cur.description else []

    def execute_many(self, sql: str, rows: Sequence[Sequence[object]]) -> int:
        """One statement per row; how many rows changed."""
        with self.lock, pg_errors("store write", self.where):
            self._live()
            with self.db.cursor() as cur:
                cur.executemany(_to_pg(sql), [tuple(r) for r in rows])
                return max(int(cur.rowcount), 0)

    def changed(self, sql: str, params: Sequence[object] = ()) -> int:
        """One statement; how many rows it changed."""
        with self.lock, pg_errors("store write", self.where):
            self._live()
            return max(int(self.db.execute(_to_pg(sql), tuple(params)).rowcount), 0)

    def write(
        self, sql: str, params: Sequence[object] = (), what: str = "store write"
    ) -> list[Row]:
        """One write statement and its ``RETURNING`` rows (its own transaction unless inside one)."""
        with self.lock, pg_errors(what, self.where):
            self._live()
            cur = self.db.execute(_to_pg(sql), tuple(params))
            return list(cur.fetchall()) if cur.description else []

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """A read query: all rows (asked again, once, on a new connection when the server dropped
        the old one: a read is safe to repeat)."""
        import psycopg

        with self.lock, pg_errors("store read", self.where):
            self._live()
            try:
                return list(self.db.execute(_to_pg(sql), tuple(params)).fetchall())
            except psycopg.OperationalError:
                if self._depth or not (self.db.closed or self.db.broken):
                    raise
            self._live()
            return list(self.db.execute(_to_pg(sql), tuple(params)).fetchall())

    def iterate(self, sql: str, params: Sequence[object] = (), batch: int = 500) -> Iterator[Row]:
        """Stream a read query through a server-side cursor, ``batch`` rows at a time."""
        name = f"vestnik_{next(_cursor_names)}"
        with self.lock, pg_errors("store read", self.where):
            self._live()
            cur = self.db.cursor(name=name, withhold=True)
            cur.execute(_to_pg(sql), tuple(params))
        try:
            while True:
                with self.lock, pg_errors("store read", self.where):
                    rows = cur.fetchmany(batch)
                if not rows:
                    return
                yield from rows
        finally:
            import psycopg

            with self.lock, contextlib.suppress(psycopg.Error):
                cur.close()

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.db.close()
