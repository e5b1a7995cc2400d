"""Word, number and punctuation tokens with offsets into the text they came from."""

from __future__ import annotations

import re

from indexer.facts._morph import Analysis, analyse, norm

__all__ = ["Token", "tokenize"]

_TOKEN = re.compile(
    r"\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?(?!\d)"  # 1 200 or 12 500,5
    r"|\d+(?:[.,]\d+)?"  # 81, 12,5
    r"|[^\W\d_]+(?:[-‐‑][^\W\d_]+)*"  # words, Санкт-Петербург, Премьер‑министр
    r"|\S"  # punctuation, one character each
)
_EMPTY: frozenset[str] = frozenset()
_HYPHENS = str.maketrans({"‑": "-", "‐": "-"})  # non-breaking hyphens analysed as "-"


class Token:
    """One token: ``text`` is ``source[start:stop]``; word tokens carry their cached analysis."""

    __slots__ = ("grams", "kind", "known", "lemmas", "low", "parses", "start", "stop", "text")

    lemmas: frozenset[str]
    parses: tuple[Analysis, ...]
    grams: frozenset[str]
    known: bool

    def __init__(self, text: str, start: int, stop: int) -> None:
        self.text = text
        self.start = start
        self.stop = stop
        form = _FORMS.get(text)
        if form is None:
            form = _form(text)
        self.low, self.kind, self.lemmas, self.parses, self.grams, self.known = form

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.stop})"

    @property
    def is_upper_initial(self) -> bool:
        """Starts with a capital letter."""
        return self.text[0].isupper()

    def has(self, *grammemes: str) -> bool:
        """Some parse carries all ``grammemes``."""
        grams = self.grams  # the union of the parses' grammemes
        for g in grammemes:
            if g not in grams:
                return False
        if len(grammemes) == 1:
            return True
        return any(all(g in p.tag for g in grammemes) for p in self.parses)

    def lemma_is(self, *words: str) -> bool:
        """One of the token's dictionary forms is one of ``words``."""
        return not self.lemmas.isdisjoint(words)

    def number(self) -> float:
        """The value of a ``num`` token (``12,5`` -> 12.5, ``1 200`` -> 1200)."""
        return float(re.sub(r"[ \u00a0]", "", self.text).replace(",", "."))


_Form = tuple[str, str, frozenset[str], tuple[Analysis, ...], frozenset[str], bool]
_FORMS: dict[str, _Form] = {}  # token text -> what every Token of that text carries


def _form(text: str) -> _Form:
    first = text[0]
    kind = "num" if first.isdigit() else "word" if first.isalpha() else "punct"
    if kind == "word":
        info = analyse(text.lower().translate(_HYPHENS))
        form: _Form = (norm(text), kind, info.lemmas, info.parses, info.grams, info.known)
    else:
        form = (norm(text), kind, _EMPTY, (), _EMPTY, True)
    if len(_FORMS) >= 300_000:
        _FORMS.clear()
    _FORMS[text] = form
    return form


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Tokens of ``text``; offsets are shifted by ``offset``.

    >>> [(t.text, t.start, t.stop) for t in tokenize("Подписано 1 200 документов.", 10)][1:]
    [('1 200', 20, 25), ('документов', 26, 36), ('.', 36, 37)]
    """
    new, forms, find = object.__new__, _FORMS, text.find
    out = []
    pos = 0
    for word in _TOKEN.findall(text):  # only spaces lie between matches: find() is exact
        start = find(word, pos)
        pos = start + len(word)
        tok = new(Token)
        tok.text, tok.start, tok.stop = word, start + offset, pos + offset
        form = forms.get(word)
        tok.low, tok.kind, tok.lemmas, tok.parses, tok.grams, tok.known = form or _form(word)
        out.append(tok)
    return out
