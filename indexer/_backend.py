"""The search backend seam: one search API, two implementations, chosen by ``search.backend``.

Usage::

    index = open_search(settings)
    index.search(SearchRequest("соглашение курская область")).total

- ``whoosh`` (default): ``SearchIndex``, the Whoosh index in ``DATA/index/``;
- ``postgres``: ``PgSearch``, PostgreSQL full-text search in the PostgreSQL store's own database
  (it needs ``store.url = postgresql://...``).

Both compile the one query tree (``indexer._qtree``) from the same analysis, so a query matches
the same documents on either; facets and totals are exact on both; snippets come from the same
highlighter. ``vestnik index`` writes the configured backend's index (``run_index(backend=...)``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Self

from core.errors import SearchIndexError

if TYPE_CHECKING:
    from core.settings import Settings
    from indexer._search import SearchRequest, SearchResults

__all__ = ["BACKENDS", "SearchBackend", "open_backend", "open_search"]

BACKENDS = ("whoosh", "postgres")


class SearchBackend(Protocol):
    """What the CLI, the UI, the HTTP API and saved searches call (``SearchIndex``, ``PgSearch``)."""

    def search(self, req: SearchRequest) -> SearchResults: ...

    def doc_ids(
        self,
        query_text: str,
        *,
        since: str = ...,
        until: str = ...,
        site: str = ...,
        lang: str = ...,
        region: str = ...,
    ) -> list[int]: ...

    def highlight(self, text: str, query_text: str, lang: str = ...) -> str: ...

    def refresh(self) -> bool: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


def open_backend(backend: str, data_dir: Path, store_url: str = "") -> SearchBackend:
    """Open the ``backend`` index: Whoosh's in ``data_dir``, PostgreSQL's in the database of the
    store ``store_url``; ``SearchIndexError`` (one line) when there is none yet."""
    if backend == "postgres":
        from indexer._pg_search import PgSearch

        return PgSearch.open(store_url)
    if backend == "whoosh":
        from indexer._search import SearchIndex

        return SearchIndex.open(Path(data_dir))
    raise SearchIndexError(f"unknown search backend {backend!r}: use {' or '.join(BACKENDS)}")


def open_search(settings: Settings) -> SearchBackend:
    """The configured search backend (``search.backend`` / ``VESTNIK_SEARCH_BACKEND``) over the
    configured data directory and store."""
    return open_backend(settings.search.backend, settings.data_dir, settings.store_url)
