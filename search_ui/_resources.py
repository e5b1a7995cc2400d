"""The data directory, the corpus store and the search index, opened once per process.

``st.cache_resource`` keeps one ``Store`` and one index holder per data directory (and search
backend, ``search.backend``) for every browser session of the process. The holder opens the index on
first use (there may be no index yet: a ``SearchIndexError`` then reaches the page, and the next run
tries again) and asks it to reopen itself whenever an index run has committed since
(``refresh``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from corpus import Store
    from indexer import SearchBackend

__all__ = ["data_dir", "get_index", "get_store"]


def data_dir() -> Path:
    """``$VESTNIK_DATA`` (set by ``vestnik ui``), else the configured/default data directory."""
    env = os.environ.get("VESTNIK_DATA", "").strip()
    if env:
        return Path(env).expanduser()
    from core.settings import load_settings

    return load_settings().data_dir


class _IndexHolder:
    """One search index of a data directory (or of a PostgreSQL store), opened lazily and
    refreshed on commit."""

    def __init__(self, directory: Path, url: str, backend: str) -> None:
        self._directory, self._url, self._backend = directory, url, backend
        self._lock = threading.Lock()
        self._index: SearchBackend | None = None

    def get(self) -> SearchBackend:
        from indexer import open_backend

        with self._lock:
            if self._index is None:
                self._index = open_backend(self._backend, self._directory, self._url)
            else:
                self._index.refresh()
            return self._index


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    from corpus import open_store

    return open_store(url)


@st.cache_resource(show_spinner=False)
def _holder(directory: str, url: str, backend: str) -> _IndexHolder:
    return _IndexHolder(Path(directory), url, backend)


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


def search_backend() -> str:
    """``$VESTNIK_SEARCH_BACKEND``, else the configured ``search.backend``."""
    env = os.environ.get("VESTNIK_SEARCH_BACKEND", "").strip()
    if env:
        return env
    from core.settings import load_settings

    return load_settings().search.backend


def get_index() -> SearchBackend:
    """The process-wide index, reopened if an index run committed; ``SearchIndexError`` if none."""
    return _holder(str(data_dir()), store_url(), search_backend()).get()
