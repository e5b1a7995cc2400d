"""pymorphy3 access: one lazily created analyzer and per-word-form caches."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["inflect", "lemmas", "norm", "parses"]

_STATE: dict[str, Any] = {}


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


@lru_cache(maxsize=100_000)
def parses(word: str) -> tuple[Any, ...]:
    """All pymorphy3 parses of a lower-cased word form."""
    return tuple(_analyzer().parse(word))


@lru_cache(maxsize=100_000)
def lemmas(word: str) -> frozenset[str]:
    """The normalized dictionary forms of a word form, plus the form itself (``norm``)."""
    low = word.lower()
    return frozenset({norm(low), *(norm(p.normal_form) for p in parses(low))})


def inflect(parse: Any, grammemes: frozenset[str]) -> str | None:
    """The word of ``parse`` in ``grammemes`` (lower case), or None if pymorphy3 cannot."""
    form = parse.inflect(set(grammemes))
    return None if form is None else str(form.word)
