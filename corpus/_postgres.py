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
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from urllib.parse import urlsplit, urlunsplit

from core.errors import StoreError, StoreLockedError
from corpus._pg_session import PgSession, first_line
from corpus._sql import POSTGRES, Row

__all__ = ["PostgresConnection", "pg_errors", "redact"]

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


@contextmanager
def pg_errors(what: str, where: str) -> Iterator[None]:
    """psycopg errors as ``StoreError`` naming ``where`` (the redacted URL)."""
    import psycopg
    from psycopg import errors

    try:
        yield
    except errors.LockNotAvailable as exc:
        raise StoreLockedError(f"{what}: the store {where} is locked ({first_line(exc)})") from exc
    except errors.DiskFull as exc:
        raise StoreError(
            f"{what}: the PostgreSQL server of {where} is out of disk space; free some and run "
            "the command again: nothing written before this point is lost"
        ) from exc
    except psycopg.OperationalError as exc:
        raise StoreError(f"{what}: {where}: {first_line(exc)}") from exc
    except psycopg.Error as exc:
        raise StoreError(f"{what}: {where}: {first_line(exc)}") from exc


class PostgresConnection:
    """The store's connection: a ``PgSession`` (dict rows, ``StoreError``) speaking ``?``
    placeholders."""

    dialect = POSTGRES

    def __init__(self, url: str) -> None:
        self._session = PgSession(
            url, redact(url), errors=pg_errors, application_name="vestnik", dict_rows=True,
            connect_what="cannot connect to the store",
        )  # fmt: skip
        self.where = self._session.where
        self.lock = self._session.lock

    def transaction(self, what: str = "store write") -> AbstractContextManager[None]:
        """A write transaction; nested calls join the outer one."""
        return self._session.transaction(what)

    def execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """One statement and its rows."""
        with self._session.using("store write") as db:
            cur = db.execute(_to_pg(sql), tuple(params))
            return list(cur.fetchall()) if cur.description else []

    def execute_many(self, sql: str, rows: Sequence[Sequence[object]]) -> int:
        """One statement per row; how many rows changed."""
        with self._session.using("store write") as db, db.cursor() as cur:
            cur.executemany(_to_pg(sql), [tuple(r) for r in rows])
            return max(int(cur.rowcount), 0)

    def changed(self, sql: str, params: Sequence[object] = ()) -> int:
        """One statement; how many rows it changed."""
        with self._session.using("store write") as db:
            return max(int(db.execute(_to_pg(sql), tuple(params)).rowcount), 0)

    def write(
        self, sql: str, params: Sequence[object] = (), what: str = "store write"
    ) -> list[Row]:
        """One write statement and its ``RETURNING`` rows (its own transaction unless inside one)."""
        with self._session.using(what) as db:
            cur = db.execute(_to_pg(sql), tuple(params))
            return list(cur.fetchall()) if cur.description else []

    def query(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """A read query: all rows (asked again, once, on a new connection when the server dropped
        the old one: a read is safe to repeat)."""
        pg_sql, args = _to_pg(sql), tuple(params)
        return self._session.read(
            "store read", lambda db: list(db.execute(pg_sql, args).fetchall())
        )

    def iterate(self, sql: str, params: Sequence[object] = (), batch: int = 500) -> Iterator[Row]:
        """Stream a read query through a server-side cursor, ``batch`` rows at a time."""
        name = f"vestnik_{next(_cursor_names)}"
        with self._session.using("store read") as db:
            cur = db.cursor(name=name, withhold=True)
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
        self._session.close()
