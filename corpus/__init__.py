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
