"""Word, number and punctuation tokens with offsets into the text they came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from indexer.facts._morph import lemmas, norm, parses

__all__ = ["Token", "tokenize"]

_TOKEN = re.compile(
    r"\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?(?!\d)"  # 1 200 or 12 500,5
    r"|\d+(?:[.,]\d+)?"  # 81, 12,5
    r"|[^\W\d_]+(?:[-‐][^\W\d_]+)*"  # words, Санкт-Петербург
    r"|\S"  # punctuation, one character each
)


@dataclass(frozen=True)
class Token:
    """One token: ``text`` is ``source[start:stop]``."""

    text: str
    start: int
    stop: int

    @cached_property
    def kind(self) -> str:
        """ "num", "word" or "punct"."""
        if self.text[0].isdigit():
            return "num"
        return "word" if self.text[0].isalpha() else "punct"

    @cached_property
    def low(self) -> str:
        """Lower case, ё folded to е."""
        return norm(self.text)

    @cached_property
    def lemmas(self) -> frozenset[str]:
        """Normalized dictionary forms (empty for numbers and punctuation)."""
        return lemmas(self.text) if self.kind == "word" else frozenset()

    @cached_property
    def parses(self) -> tuple[Any, ...]:
        """pymorphy3 parses (empty for numbers and punctuation)."""
        return parses(self.text.lower()) if self.kind == "word" else ()

    @property
    def is_upper_initial(self) -> bool:
        """Starts with a capital letter."""
        return self.text[0].isupper()

    def has(self, *grammemes: str) -> bool:
        """Some parse carries all ``grammemes``."""
        return any(all(g in p.tag for g in grammemes) for p in self.parses)

    def lemma_is(self, *words: str) -> bool:
        """One of the token's dictionary forms is one of ``words``."""
        return not self.lemmas.isdisjoint(words)

    def number(self) -> float:
        """The value of a ``num`` token (``12,5`` -> 12.5, ``1 200`` -> 1200)."""
        return float(re.sub(r"[ \u00a0]", "", self.text).replace(",", "."))


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset``."""
    return [Token(m.group(), m.start() + offset, m.end() + offset) for m in _TOKEN.finditer(text)]
