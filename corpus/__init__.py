"""The corpus store: the only code that reads and writes vestnik's SQLite database.

Its records (``Document``, ``Fact``, ``PageFetch`` ...) live in ``core.records``.

It also bundles the demo site (``DemoServer``) that tests and ``vestnik demo`` serve on 127.0.0.1.
"""

from __future__ import annotations

from corpus._demo_server import DemoServer, Fault, RequestRecord
from corpus._migrations import MIGRATIONS
from corpus._store import STORE_FILENAME, Store, content_hash

__all__ = [
    "MIGRATIONS",
    "STORE_FILENAME",
    "DemoServer",
    "Fault",
    "RequestRecord",
    "Store",
    "content_hash",
]
