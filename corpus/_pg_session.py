"""One psycopg 3 connection shared by threads: the part the store and the search backend share.

``PgSession`` is autocommit outside ``transaction()``; nested ``transaction()`` calls join the
outer one; outside a transaction, a connection the server dropped (a restart, a failover) is
replaced by a new one, so a long-running UI or scheduler outlives a server restart. What differs
between its users is data: the application name the server shows, the row factory, whether
statements are prepared, session settings run on every new connection (``setup``), and the
error family psycopg's errors become (``errors(what, where)``,
a context manager; ``StoreError`` for the store, ``SearchIndexError`` for the search tables).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from corpus._sql import Nesting

if TYPE_CHECKING:
    import psycopg

__all__ = ["CONNECT_TIMEOUT_S", "ErrorMapper", "PgSession", "first_line"]

T = TypeVar("T")

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
        setup: Sequence[str] = (),
    ) -> None:
        self.where, self._url = where, url
        self._errors, self._app, self._dict_rows = errors, application_name, dict_rows
        self._prepare, self._connect_what, self._setup = prepare, connect_what, tuple(setup)
        self.lock = threading.RLock()
        self._nesting = Nesting()
        self.conn: psycopg.Connection[Any] = self._connect()

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg
        from psycopg.rows import dict_row, tuple_row

        options: dict[str, Any] = {} if self._prepare else {"prepare_threshold": None}
        with self._errors(self._connect_what, self.where):
            conn = psycopg.connect(
                self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S,
                application_name=self._app, row_factory=dict_row if self._dict_rows else tuple_row,
                **options,
            )  # fmt: skip
            for statement in self._setup:  # session settings, again on every new connection
                conn.execute(statement)
            return conn

    @property
    def in_transaction(self) -> bool:
        """True inside ``transaction()``."""
        return self._nesting.depth > 0

    @property
    def dropped(self) -> bool:
        """True when the connection is closed or broken (the server went away)."""
        return bool(self.conn.closed or self.conn.broken)

    def live(self) -> None:
        """Outside a transaction, replace a connection the server dropped by a new one."""
        if self._nesting.depth == 0 and self.dropped:
            self.conn = self._connect()

    @contextmanager
    def transaction(self, what: str) -> Iterator[None]:
        """One transaction; nested calls join the outer one."""
        with self.lock, self._errors(what, self.where):
            self.live()
            with self._nesting as outermost:
                if not outermost:
                    yield
                    return
                with self.conn.transaction():
                    yield

    @contextmanager
    def using(self, what: str) -> Iterator[psycopg.Connection[Any]]:
        """The live connection under the lock, its errors mapped (one statement's scope)."""
        with self.lock, self._errors(what, self.where):
            self.live()
            yield self.conn

    def read(self, what: str, run: Callable[[psycopg.Connection[Any]], T]) -> T:
        """``run(connection)`` for a read, asked again once on a new connection when the server
        dropped the old one (a restart, a failover) outside a transaction: a read is safe to
        repeat, so a long-running UI's first query after a restart does not fail."""
        import psycopg

        with self.using(what) as conn:
            try:
                return run(conn)
            except psycopg.OperationalError:
                if self.in_transaction or not self.dropped:
                    raise
            self.live()
            return run(self.conn)

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.conn.close()
