"""Word, number and punctuation tokens, and their offsets into the text they came from."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from indexer.facts._morph import Analysis, analyse, norm

__all__ = ["Token", "spans", "tokenize"]

_TOKEN = re.compile(
    r"\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d+)?(?!\d)"  # 1 200 or 12 500,5
    r"|\d+(?:[.,]\d+)?"  # 81, 12,5
    r"|[^\W\d_]+(?:[-‐‑][^\W\d_]+)*"  # words, Санкт-Петербург, Премьер‑министр
    r"|\S"  # punctuation, one character each
)
_EMPTY: frozenset[str] = frozenset()
_HYPHENS = str.maketrans({"‑": "-", "‐": "-"})  # non-breaking hyphens analysed as "-"


class Token:
    """One token of a text: ``text`` and, for word tokens, its cached analysis.

    One ``Token`` per distinct token text is made and shared by every sentence that writes it (the
    rules only read tokens): a token's offsets are not in it but in ``spans(text, tokens)``.
    """

    __slots__ = (
        "grams", "kind", "known", "lemmas", "low", "may_number", "may_person", "may_region",
        "parses", "text",
    )  # fmt: skip

    lemmas: frozenset[str]
    parses: tuple[Analysis, ...]
    grams: frozenset[str]
    known: bool
    may_number: bool  # a number may start here (``_numerals.number_starts``)
    may_person: bool  # a role head or a name may start here (``_persons.find_person_roles``)
    may_region: bool  # a region mention may start here (``_gazetteer.region_mentions``)

    def __init__(self, text: str) -> None:
        self.text = text
        first = text[0]
        self.kind = kind = "num" if first.isdigit() else "word" if first.isalpha() else "punct"
        self.low = norm(text)
        if kind == "word":
            info = analyse(text.lower().translate(_HYPHENS))
            self.lemmas, self.parses, self.grams, self.known = (
                info.lemmas, info.parses, info.grams, info.known
            )  # fmt: skip
        else:
            self.lemmas, self.parses, self.grams, self.known = _EMPTY, (), _EMPTY, True
        number, person, region = _tests()
        self.may_number, self.may_person, self.may_region = number(self), person(self), region(self)

    def __repr__(self) -> str:
        return f"Token({self.text!r})"

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


_TESTS: list[Callable[[Token], bool]] = []


def _tests() -> list[Callable[[Token], bool]]:
    """The rules' cheap per-token tests, each run once per distinct token text (imported on first
    use: those modules import this one)."""
    if not _TESTS:
        from indexer.facts._gazetteer import may_start_region
        from indexer.facts._numerals import may_start_number
        from indexer.facts._persons import may_start_person

        _TESTS.extend((may_start_number, may_start_person, may_start_region))
    return _TESTS


_TOKENS: dict[str, Token] = {}  # token text -> the one Token of that text
_CACHE_LIMIT = 300_000


def _token(text: str) -> Token:
    tok = Token(text)
    if len(_TOKENS) >= _CACHE_LIMIT:
        _TOKENS.clear()
    _TOKENS[text] = tok
    return tok


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` (their offsets: ``spans``).

    >>> [t.text for t in tokenize("Подписано 1 200 документов.")]
    ['Подписано', '1 200', 'документов', '.']
    """
    get = _TOKENS.get
    return [get(word) or _token(word) for word in _TOKEN.findall(text)]


def spans(text: str, tokens: Sequence[Token], offset: int = 0) -> tuple[tuple[int, int], ...]:
    """(start, stop) of each of ``tokenize(text)`` in ``text``, shifted by ``offset``.

    >>> spans("Подписано 1 200 документов.", tokenize("Подписано 1 200 документов."), 10)[1:]
    ((20, 25), (26, 36), (36, 37))
    """
    find = text.find
    out = []
    pos = 0
    for tok in tokens:  # only spaces lie between tokens: find() is exact
        word = tok.text
        start = find(word, pos)
        pos = start + len(word)
        out.append((start + offset, pos + offset))
    return tuple(out)
