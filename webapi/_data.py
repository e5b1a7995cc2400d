"""The store and the search index the API serves, opened once and shared by its worker threads.

The index is opened on first use (there may be none yet: ``SearchIndexError``, a 503, and the next
request tries again) and refreshed by the search API itself when an index run commits.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus import Store
    from indexer import SearchBackend

__all__ = ["ApiData"]


class ApiData:
    """One data directory's index and its store (``store_url``, else the directory's SQLite);
    ``backend``: the search backend (``search.backend``)."""

    def __init__(self, data_dir: Path, store_url: str = "", backend: str = "whoosh") -> None:
        self.data_dir = Path(data_dir)
        self.store_url = store_url
        self.backend = backend
        self._lock = threading.Lock()
        self._store: Store | None = None
        self._index: SearchBackend | None = None

    def store(self) -> Store:
        """The store (opened on first use)."""
        from corpus import open_store, sqlite_url

        with self._lock:
            if self._store is None:
                self._store = open_store(self.store_url or sqlite_url(self.data_dir))
            return self._store

    def index(self) -> SearchBackend:
        """The search index; ``SearchIndexError`` while there is none."""
        from corpus import sqlite_url
        from indexer import open_backend

        with self._lock:
            if self._index is None:
                url = self.store_url or sqlite_url(self.data_dir)
                self._index = open_backend(self.backend, self.data_dir, url)
            return self._index

    def index_or_none(self) -> SearchBackend | None:
        """The search index, or None while there is none."""
        from core.errors import SearchIndexError

        try:
            return self.index()
        except SearchIndexError:
            return None

    def close(self) -> None:
        """Close what was opened."""
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None
            if self._store is not None:
                self._store.close()
                self._store = None
