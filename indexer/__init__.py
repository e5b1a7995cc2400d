"""Russian-morphology indexing and search on Whoosh: analyzers, the index, the search API.

Usage::

    run_index(store, data_dir)
    SearchIndex.open(data_dir).search(SearchRequest("соглашение курская область"))
    open_search(settings).search(...)      # the configured backend: Whoosh or PostgreSQL (_backend)

The analysis chain is Whoosh's own idiom, a tokenizer piped into filters::

    RegexTokenizer(words, numbers, ranges) | LowercaseFilter | YoFilter | StopFilter
        | HyphenPartsFilter | LemmaFilter

and the same ``russian_analyzer()`` serves indexing and queries (see docs/search.md).
"""

from __future__ import annotations

import typing
from typing import Any

from core.lazy import lazy_attribute, lazy_dir

if typing.TYPE_CHECKING:
    from indexer._analysis import (
        HyphenPartsFilter,
        LemmaFilter,
        YoFilter,
        analyzer_for,
        belarusian_analyzer,
        english_analyzer,
        russian_analyzer,
    )
    from indexer._backend import SearchBackend, open_backend, open_search
    from indexer._derive import DeriveSummary, run_derive
    from indexer._index import IndexSummary, run_index
    from indexer._paths import index_dir
    from indexer._pg_search import PgSearch
    from indexer._schema import build_schema
    from indexer._search import Hit, SearchIndex, SearchRequest, SearchResults
    from indexer._steps import DERIVE_STEPS, Derivation, DeriveStep, FactsStep, derive_steps

# Each public name and the private module that defines it. They are imported on first use, so a
# one-shot `vestnik search` loads the search modules only, not the writer, the store or the
# derive stage (see docs/search.md, "Fast start").
_WHERE = {
    "HyphenPartsFilter": "_analysis",
    "LemmaFilter": "_analysis",
    "YoFilter": "_analysis",
    "analyzer_for": "_analysis",
    "belarusian_analyzer": "_analysis",
    "english_analyzer": "_analysis",
    "russian_analyzer": "_analysis",
    "SearchBackend": "_backend",
    "open_backend": "_backend",
    "open_search": "_backend",
    "DeriveSummary": "_derive",
    "run_derive": "_derive",
    "IndexSummary": "_index",
    "run_index": "_index",
    "index_dir": "_paths",
    "PgSearch": "_pg_search",
    "build_schema": "_schema",
    "Hit": "_search",
    "SearchIndex": "_search",
    "SearchRequest": "_search",
    "SearchResults": "_search",
    "DERIVE_STEPS": "_steps",
    "Derivation": "_steps",
    "DeriveStep": "_steps",
    "FactsStep": "_steps",
    "derive_steps": "_steps",
}


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _WHERE, name)


def __dir__() -> list[str]:
    return lazy_dir(__name__, _WHERE)


__all__ = [
    "DERIVE_STEPS",
    "Derivation",
    "DeriveStep",
    "DeriveSummary",
    "FactsStep",
    "Hit",
    "HyphenPartsFilter",
    "IndexSummary",
    "LemmaFilter",
    "PgSearch",
    "SearchBackend",
    "SearchIndex",
    "SearchRequest",
    "SearchResults",
    "YoFilter",
    "analyzer_for",
    "belarusian_analyzer",
    "build_schema",
    "derive_steps",
    "english_analyzer",
    "index_dir",
    "open_backend",
    "open_search",
    "run_derive",
    "run_index",
    "russian_analyzer",
]
