"""Analyzers: a tokenizer piped into filters, in Whoosh's own idiom.

The Russian chain is ``RegexTokenizer(token_pattern()) | LowercaseFilter() | YoFilter() | StopFilter(RU_STOPWORDS)
| HyphenPartsFilter() | LemmaFilter()``; the same analyzer runs at index and query time::

    >>> [t.text for t in russian_analyzer()("Соглашений с Минском")]
    ['соглашение', 'минский', 'минск']

An ambiguous form yields each of its distinct lemmas at the same position (as Manticore's
``lemmatize_ru_all`` does), so a phrase matches across forms. Belarusian and English texts get chains
without pymorphy3 (Belarusian is not Russian).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from typing import Any

from whoosh.analysis import (
    Analyzer,
    CompositeAnalyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.lang import stopwords_for_language

__all__ = [
    "BE_STOPWORDS",
    "RU_STOPWORDS",
    "STOPWORDS",
    "HyphenPartsFilter",
    "LemmaFilter",
    "RussianAnalyzer",
    "YoFilter",
    "analyzer_for",
    "belarusian_analyzer",
    "english_analyzer",
    "russian_analyzer",
    "token_pattern",
]

# One token: a number range or decimal ("2023-2025", "12,5", "09.01.2023"), else a word that may hold
# inner hyphens or apostrophes ("научно-технический", "COVID-19", "з'езд"), abbreviations included.
_TOKEN_EXPR = (
    r"\d+(?:[.,]\d+)*(?:[-–]\d+(?:[.,]\d+)*)+"  # 2023-2025, 2023–2025, 1,5-2,0
    r"|\d+(?:[.,]\d+)+"  # 12,5  09.01.2023
    r"|[^\W_]+(?:[-'’‐][^\W_]+)*"  # слово, научно-технический, РФ, з'езд, 19-го
)
_SPLIT_PARTS = re.compile(r"[-'’‐–]")
_CYRILLIC_WORD = re.compile(r"^[а-яё]+(?:-[а-яё]+)*$")


def token_pattern() -> str:
    """The tokenizer's regular expression (used by the snippet code too)."""
    return _TOKEN_EXPR


# Whoosh's Russian (Snowball) stop list minus words that carry meaning in cooperation news.
_KEEP_RU = frozenset({"два", "три", "один", "другой", "лучше", "хорошо", "больше", "более", "раз"})
RU_STOPWORDS: frozenset[str] = frozenset(stopwords_for_language("ru")) - _KEEP_RU

# Belarusian function words (prepositions, conjunctions, particles).
BE_STOPWORDS: frozenset[str] = frozenset(
    "і й ды а але ці ў у з са да па на за ад аб пра для пры што як гэта не ні ж бы".split()
)

# Every analyzer drops the union of the three lists: a query word is searched in the fields of every
# language at once, so a word stopped in one language but not another would be required in the
# other's fields and find nothing ("соглашение с Курской" would demand "с" in Belarusian fields).
STOPWORDS: frozenset[str] = RU_STOPWORDS | BE_STOPWORDS | frozenset(stopwords_for_language("en"))


class _StatelessFilter(Filter):  # type: ignore[misc]
    """A filter without settings: any two instances of the same class are equal."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


class YoFilter(_StatelessFilter):
    """ё -> е, so "объём" and "объем" are one word (Russian texts drop the dots at will)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if "ё" in t.text:
                t.text = t.text.replace("ё", "е")
            yield t


class HyphenPartsFilter(_StatelessFilter):
    """At index time, a hyphenated token also yields its parts at the same position.

    "научно-технический" is indexed as itself and as "научно" and "технический", so a query for
    "технический" finds it; "2023-2025" also as 2023 and 2025. Queries keep the whole token.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if t.mode != "index" or t.stopped or not _SPLIT_PARTS.search(text):
                yield t
                continue
            yield t
            for part in _SPLIT_PARTS.split(text):
                if part and part not in STOPWORDS:
                    t.text = part
                    yield t


class LemmaFilter(Filter):  # type: ignore[misc]
    """pymorphy3 lemmas of Cyrillic words; an ambiguous form yields every distinct lemma.

    ``is_morph = True`` so a query may skip it with ``no_morph=True``. Stopped tokens and
    non-Cyrillic tokens (numbers, Latin words, wildcards) pass unchanged. Each distinct form is parsed
    once per process: lemmas are kept in a dict bounded to ``cachesize`` entries (cleared when full).
    The pymorphy3 analyzer is created on first use and left out of pickles (the schema pickles it)::

        >>> lf = LemmaFilter()
        >>> [t.text for t in lf(RegexTokenizer()("минском"))]
        ['минский', 'минск']
    """

    is_morph = True

    def __init__(self, cachesize: int = 500_000) -> None:
        self.cachesize = cachesize
        self._cache: dict[str, tuple[str, ...]] = _shared_cache()

    def __getstate__(self) -> dict[str, Any]:
        return {"cachesize": self.cachesize}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.cachesize = int(state.get("cachesize", 500_000))
        self._cache = _shared_cache()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LemmaFilter) and other.cachesize == self.cachesize

    def __hash__(self) -> int:
        return hash((LemmaFilter, self.cachesize))

    def clear(self) -> None:
        """Forget cached lemmas."""
        self._cache.clear()

    def lemmas(self, form: str) -> tuple[str, ...]:
        """The distinct lemmas of one lowercased form (the form itself if it is not Cyrillic)."""
        cached = self._cache.get(form)
        if cached is None:
            cached = self._parse(form)
            if len(self._cache) >= self.cachesize:
                self._cache.clear()
            self._cache[form] = cached
        return cached

    def _parse(self, form: str) -> tuple[str, ...]:
        if not _CYRILLIC_WORD.match(form):
            return (form,)
        parses = _morph().parse(form)
        # A word pymorphy3 does not know gets guesses; keeping the few best distinct ones lets
        # forms whose best guesses differ still meet ("коренская" -> коренскай, коренский).
        limit = 8 if parses and parses[0].is_known else 3
        lemmas: list[str] = []
        for p in parses:
            lemma = p.normal_form.replace("ё", "е")
            if lemma not in lemmas:
                lemmas.append(lemma)
        return tuple(lemmas[:limit]) or (form,)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        cache = self._cache
        for t in tokens:
            if t.stopped:
                yield t
                continue
            lemmas = cache.get(t.text)
            if lemmas is None:
                lemmas = self.lemmas(t.text)
            if len(lemmas) == 1:
                t.text = lemmas[0]
                yield t
            else:
                for lemma in lemmas:
                    t.text = lemma
                    yield t


@functools.cache
def _morph() -> Any:
    """The process's one pymorphy3 analyzer, made on first use (loading takes a moment)."""
    import pymorphy3

    logging.getLogger("pymorphy3").setLevel(logging.WARNING)  # it logs each dictionary load
    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.cache
def _shared_cache() -> dict[str, tuple[str, ...]]:
    """Lemmas by form, shared by every LemmaFilter of the process (so each form is parsed once)."""
    return {}


def _tokenizer() -> RegexTokenizer:
    return RegexTokenizer(_TOKEN_EXPR)


class RussianAnalyzer(CompositeAnalyzer):  # type: ignore[misc]
    """The Russian chain, with a one-loop fast path for indexing.

    ``items`` are the chain's tokenizer and filters, and every call but indexing runs them as any
    Whoosh chain does. Indexing (``mode="index"`` without character offsets: what a TEXT field asks
    for) runs one loop instead, giving exactly the chain's tokens and positions: each raw token's
    result (its lemmas and hyphen parts' lemmas, or nothing for a stop word) is computed once through
    the chain's own steps and kept in a dict bounded to ``cachesize`` entries (cleared when full), so
    a repeated form costs one dict lookup and no generator per filter.
    """

    _FAST_KWARGS = frozenset({"positions", "boosts", "mode"})

    def __init__(self, *composables: Any, cachesize: int = 200_000) -> None:
        super().__init__(*composables)
        self.cachesize = cachesize
        self._forms: dict[str, tuple[str, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"items": self.items, "cachesize": self.cachesize}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.items = state["items"]
        self.cachesize = int(state.get("cachesize", 200_000))
        self._forms = {}

    def __call__(self, value: str, no_morph: bool = False, **kwargs: Any) -> Iterator[Token]:
        if (
            kwargs.get("mode") == "index"
            and not no_morph
            and kwargs.keys() <= self._FAST_KWARGS
            and isinstance(value, str)
        ):
            return self._index_tokens(value, bool(kwargs.get("positions")))
        tokens: Iterator[Token] = super().__call__(value, no_morph=no_morph, **kwargs)
        return tokens

    def _terms_of(self, raw: str) -> tuple[str, ...]:
        """The index terms of one raw token through the chain (empty for a stop word)."""
        terms = tuple(t.text for t in super().__call__(raw, mode="index", tokenize=False))
        if len(self._forms) >= self.cachesize:
            self._forms.clear()
        self._forms[raw] = terms
        return terms

    def index_positions(self, value: str) -> dict[str, list[int]]:
        """Indexing without tokens: each term of ``value`` with its positions, in the order the
        indexing tokens give them (what a Positions format collects from them)."""
        forms, terms_of = self._forms, self._terms_of
        poses: dict[str, list[int]] = {}
        pos = -1
        for raw_pos, raw in enumerate(self.items[0].expression.findall(value)):
            terms = forms.get(raw)
            if terms is None:
                terms = terms_of(raw)
            if not terms:
                continue
            pos = raw_pos if pos < 0 else pos + 1
            for term in terms:
                found = poses.get(term)
                if found is None:
                    poses[term] = [pos]
                else:
                    found.append(pos)
        return poses

    def _index_tokens(self, value: str, positions: bool) -> Iterator[Token]:
        token = Token(positions=positions, chars=False, removestops=True, mode="index")
        token.boost, token.stopped = 1.0, False
        forms, terms_of = self._forms, self._terms_of
        pos = -1
        for raw_pos, raw in enumerate(self.items[0].expression.findall(value)):
            terms = forms.get(raw)
            if terms is None:
                terms = terms_of(raw)
            if not terms:
                continue  # a stop word: the next word takes its place (StopFilter's renumbering)
            pos = raw_pos if pos < 0 else pos + 1
            token.pos = pos
            for term in terms:
                token.text = term
                yield token


def russian_analyzer() -> Analyzer:
    """Tokenize, lowercase, ё -> е, drop stop words, hyphen parts, pymorphy3 lemmas.

    >>> [t.text for t in russian_analyzer()("Курской области, 2023-2025")]
    ['курский', 'область', '2023-2025']
    """
    return RussianAnalyzer(
        _tokenizer(),
        LowercaseFilter(),
        YoFilter(),
        StopFilter(stoplist=STOPWORDS, minsize=1),
        HyphenPartsFilter(),
        LemmaFilter(),
    )


def belarusian_analyzer() -> Analyzer:
    """Tokenize, lowercase, drop Belarusian function words; no lemmas (pymorphy3 is Russian)."""
    analyzer: Analyzer = (
        _tokenizer() | LowercaseFilter() | StopFilter(stoplist=STOPWORDS, minsize=1)
    )
    return analyzer


def english_analyzer() -> Analyzer:
    """Tokenize, lowercase, English stop words, Porter stems (Cyrillic words pass unchanged)."""
    analyzer: Analyzer = (
        _tokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=1)
        | StemFilter(lang="en")
    )
    return analyzer


def analyzer_for(lang: str) -> Analyzer:
    """The analyzer of a document language: "be", "en", else Russian."""
    if lang == "be":
        return belarusian_analyzer()
    if lang == "en":
        return english_analyzer()
    return russian_analyzer()
