"""Russian-morphology indexing and search on Whoosh: analyzers, the index, the search API.

>>> run_index(store, data_dir)                                              # doctest: +SKIP
>>> SearchIndex.open(data_dir).search(SearchRequest("соглашение курская область"))

The analysis chain is Whoosh's own idiom, a tokenizer piped into filters::

    RegexTokenizer(words, numbers, ranges) | LowercaseFilter | YoFilter | StopFilter
        | HyphenPartsFilter | LemmaFilter

and the same ``russian_analyzer()`` serves indexing and queries (see docs/search.md).
"""

from __future__ import annotations

from indexer._analysis import (
    HyphenPartsFilter,
    LemmaFilter,
    YoFilter,
    analyzer_for,
    belarusian_analyzer,
    english_analyzer,
    russian_analyzer,
)
from indexer._derive import DeriveSummary, run_derive
from indexer._index import IndexSummary, index_dir, run_index
from indexer._schema import build_schema
from indexer._search import Hit, SearchIndex, SearchRequest, SearchResults
from indexer._steps import DERIVE_STEPS, Derivation, DeriveStep, FactsStep

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
    "SearchIndex",
    "SearchRequest",
    "SearchResults",
    "YoFilter",
    "analyzer_for",
    "belarusian_analyzer",
    "build_schema",
    "english_analyzer",
    "index_dir",
    "run_derive",
    "run_index",
    "russian_analyzer",
]
