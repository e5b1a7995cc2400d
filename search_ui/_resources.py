"""The data directory, the corpus store and the search index, opened once per process.

``st.cache_resource`` keeps one ``Store`` and one index holder per data directory for every browser
session of the process. The holder opens the index on first use (there may be no index yet: a
``SearchIndexError`` then reaches the page, and the next run tries again) and asks it to reopen
itself whenever an index run has committed since (``SearchIndex.refresh``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from corpus import Store
    from indexer import SearchIndex

__all__ = ["data_dir", "get_index", "get_store"]


def data_dir() -> Path:
    """``$VESTNIK_DATA`` (set by ``vestnik ui``), else the configured/default data directory."""
    env = os.environ.get("VESTNIK_DATA", "").strip()
    if env:
        return Path(env).expanduser()
    from core.settings import load_settings

    return load_settings().data_dir


class _IndexHolder:
    """One ``SearchIndex`` of a data directory, opened lazily and refreshed on commit."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None

    def get(self) -> SearchIndex:
        from indexer import SearchIndex

        with self._lock:
            if self._index is None:
                self._index = SearchIndex.open(self._directory)
            else:
                self._index.refresh()
            return self._index


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    from corpus import open_store

    return open_store(url)


@st.cache_resource(show_spinner=False)
def _holder(directory: str) -> _IndexHolder:
    return _IndexHolder(Path(directory))


def store_url() -> str:
    """``$VESTNIK_STORE``, else the configured store, else the SQLite store of the data directory."""
    env = os.environ.get("VESTNIK_STORE", "").strip()
    if env:
        return env
    from core.settings import load_settings

    configured = load_settings().store.url.strip()
    if configured:
        return configured
    from corpus import sqlite_url

    return sqlite_url(data_dir())


def get_store() -> Store:
    """The process-wide store (``store_url()``)."""
    return _store(store_url())


def get_index() -> SearchIndex:
    """The process-wide index, reopened if an index run committed; ``SearchIndexError`` if none."""
    return _holder(str(data_dir())).get()
