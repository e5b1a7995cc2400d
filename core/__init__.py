"""The base layer below every package: errors, typed settings, and the shared records and enums.

``core`` imports none of ``crawler``, ``corpus``, ``indexer``, ``search_ui``, ``webapi`` or
``vestnik`` (tests/test_layers.py enforces who may import whom). Its public modules are
``core.errors`` (the ``VestnikError`` family), ``core.settings`` (``load_settings``, ``Settings``
and its sections), ``core.enums`` (page states, document kinds, fact types, run kinds ...) and
``core.records`` (frozen dataclasses that go in and out of the store); everything is re-exported here.
``core.lazy`` serves the packages' names loaded on first use (PEP 562).
"""

from __future__ import annotations

from core.enums import (
    DocKind,
    DocState,
    FactType,
    FrontierKind,
    ItemChange,
    PageState,
    RunKind,
    RunStatus,
    SaveStatus,
)
from core.errors import (
    ConfigError,
    CrawlError,
    ExtractError,
    IndexLockedError,
    OutputError,
    QueryError,
    SearchIndexError,
    StoreError,
    StoreLockedError,
    UpdateLockedError,
    VestnikError,
)
from core.records import (
    CrawlRun,
    Document,
    DocumentDraft,
    Fact,
    FactFilter,
    FactRow,
    FrontierItem,
    NewItem,
    Page,
    PageFetch,
    SavedSearch,
    SaveOutcome,
    WatchItem,
)
from core.settings import Settings, default_data_dir, load_settings

__all__ = [
    "ConfigError",
    "CrawlError",
    "CrawlRun",
    "DocKind",
    "DocState",
    "Document",
    "DocumentDraft",
    "ExtractError",
    "Fact",
    "FactFilter",
    "FactRow",
    "FactType",
    "FrontierItem",
    "FrontierKind",
    "IndexLockedError",
    "ItemChange",
    "NewItem",
    "OutputError",
    "Page",
    "PageFetch",
    "PageState",
    "QueryError",
    "RunKind",
    "RunStatus",
    "SaveOutcome",
    "SaveStatus",
    "SavedSearch",
    "SearchIndexError",
    "Settings",
    "StoreError",
    "StoreLockedError",
    "UpdateLockedError",
    "VestnikError",
    "WatchItem",
    "default_data_dir",
    "load_settings",
]
