"""Highlighting: the text HTML-escaped, the word forms a query matched wrapped in ``<mark>``.

A word is marked when the document language's analyzer turns it into a term of the query (any form
of a query lemma) or into a term starting with a query prefix (``цифров*``). Offsets come from the
analyzer's tokens, so marks are slices of the text, never re-searched::

    >>> marker = Marker.from_query(parsed)                  # doctest: +SKIP
    >>> highlight_html("Соглашение с Курской областью", marker, "ru")
    '<mark>Соглашение</mark> с <mark>Курской</mark> <mark>областью</mark>'
"""

from __future__ import annotations

import fnmatch
import html
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from whoosh import query

from indexer._analysis import analyzer_for
from indexer._query import text_leaves
from indexer._schema import lang_of_field

__all__ = ["Marker", "highlight_html", "snippet_html"]


@lru_cache(maxsize=4)
def _analyzer(lang: str) -> Any:
    return analyzer_for(lang)


@dataclass(frozen=True)
class Marker:
    """What to mark, per document language: exact terms, prefixes, wildcard patterns."""

    terms: dict[str, frozenset[str]] = field(default_factory=dict)
    prefixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_query(cls, q: Any) -> Marker:
        """The marker of a parsed query's positive text terms."""
        terms: dict[str, set[str]] = {}
        prefixes: dict[str, set[str]] = {}
        patterns: dict[str, set[str]] = {}
        for leaf, _, _ in text_leaves(q):
            lang = lang_of_field(leaf.fieldname)
            if isinstance(leaf, query.Prefix):
                prefixes.setdefault(lang, set()).add(leaf.text)
            elif isinstance(leaf, query.PatternQuery):
                patterns.setdefault(lang, set()).add(leaf.text)
            else:
                terms.setdefault(lang, set()).add(leaf.text)
        return cls(
            {k: frozenset(v) for k, v in terms.items()},
            {k: tuple(sorted(v)) for k, v in prefixes.items()},
            {k: tuple(sorted(v)) for k, v in patterns.items()},
        )

    def matches(self, lang: str, term: str) -> bool:
        """True when ``term`` (an analyzed token of a ``lang`` text) is a query word."""
        if term in self.terms.get(lang, ()):
            return True
        if any(term.startswith(p) for p in self.prefixes.get(lang, ())):
            return True
        return any(fnmatch.fnmatchcase(term, p) for p in self.patterns.get(lang, ()))

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.patterns)


def _spans(text: str, marker: Marker, lang: str) -> list[tuple[int, int, str]]:
    """(start, stop, term) of each marked word, in text order, without overlaps."""
    if not marker or not text:
        return []
    found: dict[int, tuple[int, str]] = {}
    for t in _analyzer(lang)(text, chars=True, mode="index"):
        if marker.matches(lang, t.text) and t.startchar not in found:
            found[t.startchar] = (t.endchar, t.text)
    spans: list[tuple[int, int, str]] = []
    for start in sorted(found):
        stop, term = found[start]
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, stop, term))
    return spans


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
    """The stretch of about ``width`` characters holding the most distinct query terms."""
    if not spans:
        return 0, min(len(text), width)
    best, best_start = -1, spans[0][0]
    for i, (a, _, _) in enumerate(spans):
        distinct = {term for s, _, term in spans[i:] if s < a + width - 40}
        if len(distinct) > best:
            best, best_start = len(distinct), a
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
