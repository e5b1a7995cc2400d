"""The corpus store: the only code that reads and writes vestnik's database.

Open a store from its URL with ``open_store(url)``: ``sqlite:///PATH`` (the default, one file in the
data directory: ``store_url("", data_dir)``) or ``postgresql://user@host:port/db`` (shared by many
crawler workers). Code asks for the protocol it needs (``Documents``, ``Pages``, ``Frontier``,
``HostSlots``, ``Runs``, ``Facts``, ``Meta``, ``Watches``; ``CrawlStore`` and ``IndexStore`` for the engine and
the indexer; ``Store`` for all). New tables come as named migrations (``corpus._migrations``): one
function, DDL in SQLite's words, run on both databases.

Its records (``Document``, ``Fact``, ``PageFetch``, ``FrontierItem`` ...) live in ``core.records``.

It also bundles the demo site (``DemoServer``) that tests and ``vestnik demo`` serve on 127.0.0.1.
"""

from __future__ import annotations

import typing
from typing import Any

from core.lazy import lazy_attribute, lazy_dir

if typing.TYPE_CHECKING:
    from corpus._clusters import ClusterMember, Clusters, SignatureRow
    from corpus._demo_server import DemoServer, Fault, RequestRecord
    from corpus._derived_table import Derived, DerivedRow
    from corpus._documents import content_hash
    from corpus._frontier import (
        DEFAULT_LEASE,
        DONE,
        FAILED,
        FrontierCounts,
        FrontierEntry,
        FrontierState,
        Settlement,
        retry_at,
    )
    from corpus._migrate import MigrateSummary, migrate_store
    from corpus._migrations import MIGRATIONS
    from corpus._open import describe, open_store, sqlite_url, store_url
    from corpus._pg_session import PgSession, first_line
    from corpus._protocols import (
        CrawlStore,
        Documents,
        Facts,
        Frontier,
        HostSlots,
        IndexStore,
        Meta,
        Pages,
        Runs,
        Store,
    )
    from corpus._store import STORE_FILENAME, PostgresStore, SQLiteStore
    from corpus._watches import MAX_WATCH_NAME, Watches, check_watch_name

# Each public name and the private module that defines it. They are imported on first use, so a
# command that needs the SQLite store only (a one-shot `vestnik search` collapsing its stories)
# does not load the demo server, the migrations or PostgreSQL's modules.
_WHERE = {
    "ClusterMember": "_clusters",
    "Clusters": "_clusters",
    "SignatureRow": "_clusters",
    "DemoServer": "_demo_server",
    "Fault": "_demo_server",
    "RequestRecord": "_demo_server",
    "Derived": "_derived_table",
    "DerivedRow": "_derived_table",
    "content_hash": "_documents",
    "DEFAULT_LEASE": "_frontier",
    "DONE": "_frontier",
    "FAILED": "_frontier",
    "FrontierCounts": "_frontier",
    "FrontierEntry": "_frontier",
    "FrontierState": "_frontier",
    "Settlement": "_frontier",
    "retry_at": "_frontier",
    "MigrateSummary": "_migrate",
    "migrate_store": "_migrate",
    "MIGRATIONS": "_migrations",
    "describe": "_open",
    "open_store": "_open",
    "sqlite_url": "_open",
    "store_url": "_open",
    "PgSession": "_pg_session",
    "first_line": "_pg_session",
    "CrawlStore": "_protocols",
    "Documents": "_protocols",
    "Facts": "_protocols",
    "Frontier": "_protocols",
    "HostSlots": "_protocols",
    "IndexStore": "_protocols",
    "Meta": "_protocols",
    "Pages": "_protocols",
    "Runs": "_protocols",
    "Store": "_protocols",
    "STORE_FILENAME": "_store",
    "PostgresStore": "_store",
    "SQLiteStore": "_store",
    "MAX_WATCH_NAME": "_watches",
    "Watches": "_watches",
    "check_watch_name": "_watches",
}


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _WHERE, name)


def __dir__() -> list[str]:
    return lazy_dir(__name__, _WHERE)


__all__ = [
    "DEFAULT_LEASE",
    "DONE",
    "FAILED",
    "MAX_WATCH_NAME",
    "MIGRATIONS",
    "STORE_FILENAME",
    "ClusterMember",
    "Clusters",
    "CrawlStore",
    "DemoServer",
    "Derived",
    "DerivedRow",
    "Documents",
    "Facts",
    "Fault",
    "Frontier",
    "FrontierCounts",
    "FrontierEntry",
    "FrontierState",
    "HostSlots",
    "IndexStore",
    "Meta",
    "MigrateSummary",
    "Pages",
    "PgSession",
    "PostgresStore",
    "RequestRecord",
    "Runs",
    "SQLiteStore",
    "Settlement",
    "SignatureRow",
    "Store",
    "Watches",
    "check_watch_name",
    "content_hash",
    "describe",
    "first_line",
    "migrate_store",
    "open_store",
    "retry_at",
    "sqlite_url",
    "store_url",
]
