"""pymorphy3 access: one lazily created analyzer and per-word-form caches.

Every distinct word form is analysed once per process (``analyse``): its parses become
``Analysis`` records whose ``tag`` is a plain frozenset of grammemes, so the rules' many
``"NOUN" in a.tag`` checks are set lookups instead of pymorphy3 tag calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["Analysis", "WordInfo", "analyse", "inflect", "lemmas", "norm", "parses"]

_STATE: dict[str, Any] = {}
_CACHE_LIMIT = 200_000


def _analyzer() -> Any:
    """The module's MorphAnalyzer, created on first use (loading takes ~0.2 s)."""
    morph = _STATE.get("morph")
    if morph is None:
        import pymorphy3

        morph = pymorphy3.MorphAnalyzer()
        _STATE["morph"] = morph
    return morph


def norm(word: str) -> str:
    """Lower case with ё folded to е: the key every lexicon lookup uses."""
    return word.lower().replace("ё", "е")


@dataclass(frozen=True, slots=True)
class Analysis:
    """One pymorphy3 parse: dictionary form, grammemes as a set, the parse itself (to inflect)."""

    normal_form: str
    tag: frozenset[str]
    parse: Any


@dataclass(frozen=True, slots=True)
class WordInfo:
    """Everything the rules read of one lower-cased word form."""

    lemmas: frozenset[str]  # normalized dictionary forms plus the form itself
    parses: tuple[Analysis, ...]
    grams: frozenset[str]  # union of the parses' grammemes (cheap "could be" tests)
    known: bool = True  # in pymorphy3's dictionary (not a guess from the ending)


_INFO: dict[str, WordInfo] = {}


def analyse(low: str) -> WordInfo:
    """The cached analysis of a lower-cased word form."""
    info = _INFO.get(low)
    if info is None:
        found = tuple(
            Analysis(p.normal_form, frozenset(str(p.tag).replace(" ", ",").split(",")), p)
            for p in _analyzer().parse(low)
        )
        lem = frozenset({norm(low), *(norm(a.normal_form) for a in found)})
        grams = frozenset().union(*(a.tag for a in found))
        info = WordInfo(lem, found, grams, bool(_analyzer().word_is_known(low)))
        if len(_INFO) >= _CACHE_LIMIT:
            _INFO.clear()
        _INFO[low] = info
    return info


def parses(word: str) -> tuple[Analysis, ...]:
    """All parses of a word form (lower-cased here)."""
    return analyse(word.lower()).parses


def lemmas(word: str) -> frozenset[str]:
    """The normalized dictionary forms of a word form, plus the form itself (``norm``)."""
    return analyse(word.lower()).lemmas


@lru_cache(maxsize=50_000)
def _inflect(parse: Any, grammemes: frozenset[str]) -> str | None:
    form = parse.inflect(set(grammemes))
    return None if form is None else str(form.word)


def inflect(parse: Analysis, grammemes: frozenset[str]) -> str | None:
    """The word of ``parse`` in ``grammemes`` (lower case), or None if pymorphy3 cannot."""
    return _inflect(parse.parse, grammemes)
