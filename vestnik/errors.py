"""Public re-export of vestnik's exception family (see ``vestnik._errors``)."""

from __future__ import annotations

from vestnik._errors import (
    ConfigError,
    CrawlError,
    ExtractError,
    IndexLockedError,
    QueryError,
    SearchIndexError,
    StoreError,
    StoreLockedError,
    UpdateLockedError,
    VestnikError,
)

__all__ = [
    "ConfigError",
    "CrawlError",
    "ExtractError",
    "IndexLockedError",
    "QueryError",
    "SearchIndexError",
    "StoreError",
    "StoreLockedError",
    "UpdateLockedError",
    "VestnikError",
]
