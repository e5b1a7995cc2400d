"""Highlighting: the text HTML-escaped, the word forms a query matched wrapped in ``<mark>``.

A word is marked when the document language's analyzer turns it into a term of the query (any form
of a query lemma) or into a term starting with a query prefix (``цифров*``). Offsets come from the
tokenizer, so marks are slices of the text, never re-searched::

    >>> from indexer._qtree import parse
    >>> marker = Marker.from_tree(parse("соглашение курская"))
    >>> highlight_html("Соглашение с Курской областью", marker, "ru")
    '<mark>Соглашение</mark> с <mark>Курской</mark> областью'

Russian text is not run through the analyzer word by word: a Cyrillic word goes through it only when
it begins as a query lemma or prefix does (its first four letters, three for lemmas under six
letters: a form of a lemma nearly always does; suppletive forms such as "люди" for "человек" are not
marked), each distinct word once per marker, its lemmas from the process's shared lemma cache.
"""

from __future__ import annotations

import fnmatch
import functools
import html
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from indexer._analysis import STOPWORDS, analyzer_for, token_pattern
from indexer._qtree import Node, Phrase, Prefix, Word, leaves

__all__ = ["Marker", "highlight_html", "snippet_html"]

_TOKEN_SPLIT = re.compile(f"({token_pattern()})")  # the pattern's own groups do not capture
_CYRILLIC = re.compile(r"^[а-яё]+$")


@functools.lru_cache(maxsize=4)
def _analyzer(lang: str) -> Any:
    return analyzer_for(lang)


@functools.lru_cache(maxsize=100_000)
def _folded(word: str) -> tuple[str, bool]:
    """A text word lower-cased with ё -> е, and whether it is one plain Cyrillic word."""
    low = word.lower().replace("ё", "е")
    return low, bool(_CYRILLIC.match(low))


@functools.lru_cache(maxsize=200_000)
def _word_terms(lang: str, word: str) -> tuple[str, ...]:
    """The index terms the ``lang`` analyzer makes of one raw text word (the same for every
    query, so kept for the process: a hyphenated word, a number or a Latin word runs the whole
    chain)."""
    return tuple(t.text for t in _analyzer(lang)(word, mode="index", tokenize=True))


def _lemmas(form: str) -> tuple[str, ...]:
    """The lemmas the Russian analyzer gives one lower-case, ё-free word (its shared cache)."""
    lemma_filter = _analyzer("ru").items[-1]
    return lemma_filter.lemmas(form)  # type: ignore[no-any-return]


def _query_terms(node: Node, lang: str) -> tuple[set[str], set[str], set[str]]:
    terms: set[str] = set()
    prefixes: set[str] = set()
    patterns: set[str] = set()
    analyzer = _analyzer(lang)
    for leaf, positive in leaves(node):
        if not positive:
            continue
        if isinstance(leaf, Word | Phrase):
            terms.update(t.text for t in analyzer(leaf.text, mode="query"))
        elif isinstance(leaf, Prefix):
            text = leaf.text.lower().replace("ё", "е")
            if text.endswith("*") and "*" not in text[:-1] and "?" not in text:
                prefixes.add(text[:-1])
            else:
                patterns.add(text)
    return terms, prefixes, patterns


@dataclass(frozen=True)
class Marker:
    """What to mark, per document language: exact terms, prefixes, wildcard patterns."""

    terms: dict[str, frozenset[str]] = field(default_factory=dict)
    prefixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _seen: dict[str, dict[str, bool]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_tree(cls, node: Node | None) -> Marker:
        """The marker of a query tree's positive words, phrases and prefixes."""
        if node is None:
            return cls()
        terms, prefixes, patterns = {}, {}, {}
        for lang in ("ru", "be", "en"):
            t, p, pat = _query_terms(node, lang)
            if t:
                terms[lang] = frozenset(t)
            if p:
                prefixes[lang] = tuple(sorted(p))
            if pat:
                patterns[lang] = tuple(sorted(pat))
        return cls(terms, prefixes, patterns)

    def matches(self, lang: str, term: str) -> bool:
        """True when ``term`` (an analyzed token of a ``lang`` text) is a query word."""
        if term in self.terms.get(lang, ()):
            return True
        if any(term.startswith(p) for p in self.prefixes.get(lang, ())):
            return True
        return any(fnmatch.fnmatchcase(term, p) for p in self.patterns.get(lang, ()))

    @functools.cached_property
    def _ru_stems(self) -> tuple[str, ...]:
        words = (*self.terms.get("ru", ()), *self.prefixes.get("ru", ()))
        return tuple(sorted({w[:4] if len(w) >= 6 else w[:3] for w in words}))

    def marks(self, lang: str, word: str) -> bool:
        """True when the raw text word ``word`` is to be marked in a ``lang`` text."""
        seen = self._seen.setdefault(lang, {})
        found = seen.get(word)
        if found is None:
            found = seen[word] = self._marks(lang, word)
        return found

    def _marks(self, lang: str, word: str) -> bool:
        low, cyrillic = _folded(word)
        if low in STOPWORDS:
            return False
        if lang == "ru" and cyrillic and not self.patterns.get("ru"):
            if not low.startswith(self._ru_stems):
                return False  # does not begin as a query lemma does: no form of one
            return any(self.matches(lang, lemma) for lemma in _lemmas(low))
        return any(self.matches(lang, term) for term in _word_terms(lang, word))

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.patterns)


def _spans(text: str, marker: Marker, lang: str) -> list[tuple[int, int, str]]:
    """(start, stop, word) of each marked word, in text order.

    The text is split at its tokens in one call (``parts``: gap, word, gap, word, ..., gap), each
    distinct word is judged once per marker, and a word's offsets are sums of the parts' lengths.
    """
    if not marker or not text:
        return []
    parts = _TOKEN_SPLIT.split(text)
    words = parts[1::2]
    seen = marker._seen.setdefault(lang, {})
    for word in set(words).difference(seen):
        seen[word] = marker._marks(lang, word)
    hits = [k for k, word in enumerate(words) if seen[word]]
    if not hits:
        return []
    ends = list(itertools.accumulate(map(len, parts)))  # word k is parts[2k + 1]
    return [(ends[2 * k], ends[2 * k + 1], words[k].lower()) for k in hits]


def _render(text: str, spans: list[tuple[int, int, str]], start: int, stop: int) -> str:
    out: list[str] = []
    pos = start
    for a, b, _ in spans:
        if b <= start or a >= stop:
            continue
        out.append(html.escape(text[pos:a]))
        out.append("<mark>" + html.escape(text[a:b]) + "</mark>")
        pos = b
    out.append(html.escape(text[pos:stop]))
    return "".join(out)


def highlight_html(text: str, marker: Marker, lang: str = "ru") -> str:
    """The whole text, HTML-escaped, query word forms in ``<mark>``; newlines kept as they are."""
    return _render(text, _spans(text, marker, lang), 0, len(text))


def _window(text: str, spans: list[tuple[int, int, str]], width: int) -> tuple[int, int]:
    """The stretch of about ``width`` characters holding the most distinct query words."""
    if not spans:
        return 0, min(len(text), width)
    best, best_start = -1, spans[0][0]
    counts: dict[str, int] = {}
    j = 0
    for i, (a, _, _) in enumerate(spans):  # spans[i:j] start within the window from a
        while j < len(spans) and spans[j][0] < a + width - 40:
            counts[spans[j][2]] = counts.get(spans[j][2], 0) + 1
            j += 1
        if len(counts) > best:
            best, best_start = len(counts), a
        word = spans[i][2]
        counts[word] -= 1
        if not counts[word]:
            del counts[word]
    start = max(0, best_start - 60)
    return start, min(len(text), start + width)


def _word_bounds(text: str, start: int, stop: int) -> tuple[int, int]:
    if start > 0:
        space = text.find(" ", start, start + 30)
        start = space + 1 if space != -1 else start
    if stop < len(text):
        space = text.rfind(" ", stop - 30, stop)
        stop = space if space > start else stop
    return start, stop


def snippet_html(text: str, marker: Marker, lang: str = "ru", width: int = 240) -> str:
    """About ``width`` characters of ``text`` around the best cluster of query words, one line,
    HTML-escaped with ``<mark>`` around the matched forms and "…" where it was cut."""
    flat = " ".join(text.split())
    spans = _spans(flat, marker, lang)
    start, stop = _word_bounds(flat, *_window(flat, spans, width))
    body = _render(flat, spans, start, stop)
    return ("…" if start > 0 else "") + body + ("…" if stop < len(flat) else "")
