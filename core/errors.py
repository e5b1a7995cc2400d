"""The one exception family of vestnik (``core.errors``, below every package).

Every failure that a user can cause or meet is a ``VestnikError``; the CLI turns it into one line on
stderr and exit code 1 (``--debug`` shows the traceback). Third-party errors (sqlite3, httpx, whoosh)
are translated at one boundary per package with ``raise ... from exc``::

    VestnikError
    ├── ConfigError          bad configuration file, option or environment value
    ├── StoreError           the corpus store cannot be opened, migrated or written
    │   └── StoreLockedError another process holds the store's writer lock
    ├── CrawlError           a crawl cannot start or go on (bad start URL, no profile, robots)
    ├── ExtractError         a page cannot be turned into a document
    ├── SearchIndexError     the index cannot be opened or written
    │   └── IndexLockedError another index run is writing
    ├── QueryError           a search query cannot be parsed
    ├── OutputError          a result file cannot be written (missing folder, directory, full disk)
    └── UpdateLockedError    another update is running
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "CrawlError",
    "ExtractError",
    "IndexLockedError",
    "OutputError",
    "QueryError",
    "SearchIndexError",
    "StoreError",
    "StoreLockedError",
    "UpdateLockedError",
    "VestnikError",
]


class VestnikError(Exception):
    """Root of every error vestnik reports to its user."""


class ConfigError(VestnikError):
    """A configuration file, option or environment value is wrong."""


class StoreError(VestnikError):
    """The corpus store cannot be opened, migrated or written."""


class StoreLockedError(StoreError):
    """Another process holds the store's write lock for too long."""


class CrawlError(VestnikError):
    """A crawl cannot start or go on."""


class ExtractError(VestnikError):
    """A page cannot be turned into a document."""


class SearchIndexError(VestnikError):
    """The search index cannot be opened or written."""


class IndexLockedError(SearchIndexError):
    """Another index run is writing the index."""


class QueryError(VestnikError):
    """A search query cannot be parsed."""


class OutputError(VestnikError):
    """A result file (export, report) cannot be written."""


class UpdateLockedError(VestnikError):
    """Another update run holds the update lock."""
