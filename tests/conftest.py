"""Fixtures shared by every test file: a real PostgreSQL server (started once per session)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests._pg import PgServer


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL 15 server of this test session (initdb in a temporary folder, 127.0.0.1)."""
    server = PgServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a new, empty database on the session's server."""
    return pg_server.new_database()
