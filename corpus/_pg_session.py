"""One psycopg 3 connection shared by threads: the part the store and the search backend share.

``PgSession`` is autocommit outside ``transaction()``; nested ``transaction()`` calls join the
outer one; outside a transaction, a connection the server dropped (a restart, a failover) is
replaced by a new one, so a long-running UI or scheduler outlives a server restart. What differs
between its users is data: the application name the server shows, the row factory, whether
statements are prepared, and the error family psycopg's errors become (``errors(what, where)``,
a context manager; ``StoreError`` for the store, ``SearchIndexError`` for the search tables).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

__all__ = ["CONNECT_TIMEOUT_S", "ErrorMapper", "PgSession", "first_line"]

CONNECT_TIMEOUT_S = 10

ErrorMapper = Callable[[str, str], AbstractContextManager[None]]
"""``errors(what, where)``: a context manager turning psycopg's errors into one-line VestnikErrors."""


def first_line(exc: BaseException) -> str:
    """The first two lines of an error's message as one line (psycopg adds detail lines)."""
    lines = str(exc).strip().splitlines()
    return " ".join(line.strip() for line in lines[:2]) if lines else type(exc).__name__


class PgSession:
    """One psycopg connection (autocommit outside ``transaction()``), shared behind a lock."""

    def __init__(
        self,
        url: str,
        where: str,
        *,
        errors: ErrorMapper,
        application_name: str,
        dict_rows: bool = False,
        prepare: bool = True,
        connect_what: str = "cannot connect",
    ) -> None:
        self.where, self._url = where, url
        self._errors, self._app, self._dict_rows = errors, application_name, dict_rows
        self._prepare, self._connect_what = prepare, connect_what
        self.lock = threading.RLock()
        self._depth = 0
        self.conn: psycopg.Connection[Any] = self._connect()

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg
        from psycopg.rows import dict_row, tuple_row

        options: dict[str, Any] = {} if self._prepare else {"prepare_threshold": None}
        with self._errors(self._connect_what, self.where):
            return psycopg.connect(
                self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                application_name=self._app, row_factory=dict_row if self._dict_rows else tuple_row,
                **options,
            )  # fmt: skip

    @property
    def in_transaction(self) -> bool:
        """True inside ``transaction()``."""
        return self._depth > 0

    @property
    def dropped(self) -> bool:
        """True when the connection is closed or broken (the server went away)."""
        return bool(self.conn.closed or self.conn.broken)

    def live(self) -> None:
        """Outside a transaction, replace a connection the server dropped by a new one."""
        if self._depth == 0 and self.dropped:
            self.conn = self._connect()

    @contextmanager
    def transaction(self, what: str) -> Iterator[None]:
        """One transaction; nested calls join the outer one."""
        with self.lock, self._errors(what, self.where):
            self.live()
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._depth = 1
            try:
                with self.conn.transaction():
                    yield
            finally:
                self._depth = 0

    @contextmanager
    def using(self, what: str) -> Iterator[psycopg.Connection[Any]]:
        """The live connection under the lock, its errors mapped (one statement's scope)."""
        with self.lock, self._errors(what, self.where):
            self.live()
            yield self.conn

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.conn.close()
