"""Fact extraction: the numbers, documents, persons and regions of a news text, as rows.

``extract_facts(title, body)`` splits the body into sentences (razdel plus join rules), analyses
each sentence once (tokens with pymorphy3 parses, region mentions from the gazetteer, dates) and
runs ordered, named rules on it; every ``corpus.Fact`` records the rule that made it. Fact types
and columns are specified in docs/facts.md. ``write_facts`` streams fact rows as CSV or JSON.

>>> extract_facts("", "Подписаны соглашения с пятью регионами.").facts[0].counterpart_value
'5'
"""

from __future__ import annotations

from indexer.facts._export import FACT_COLUMNS, fact_to_dict, safe_cell, write_facts
from indexer.facts._extract import RULES, FactsResult, Person, extract_facts
from indexer.facts._gazetteer import find_regions
from indexer.facts._numerals import parse_numeral
from indexer.facts._rules_documents import document_head

__all__ = [
    "FACT_COLUMNS",
    "RULES",
    "FactsResult",
    "Person",
    "document_head",
    "extract_facts",
    "fact_to_dict",
    "find_regions",
    "parse_numeral",
    "safe_cell",
    "write_facts",
]
