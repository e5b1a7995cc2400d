"""Numbers written in words ("двадцати одного", "пятью") and in digits, with their grammar."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from indexer.facts._morph import parses
from indexer.facts._tokens import Token

__all__ = [
    "NumberPhrase",
    "format_number",
    "may_start_number",
    "number_starts",
    "parse_numeral",
    "read_number",
]

_UNITS = {
    "ноль": 0, "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12,
    "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16,
    "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20, "тридцать": 30,
    "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80,
    "девяносто": 90, "сто": 100, "двести": 200, "триста": 300, "четыреста": 400,
    "пятьсот": 500, "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
    "полтора": 1.5,
}  # fmt: skip
_SCALES = {"тысяча": 1000, "миллион": 1_000_000, "миллиард": 1_000_000_000}
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_NUMERAL_GRAMS = frozenset({"NUMR", "Anum"})


def _word_value(word: str) -> tuple[float, str] | None:
    """(value, "unit"|"scale") of one numeral word form, or None."""
    low = word.lower()
    if low not in _VALUES:
        _VALUES[low] = _compute_value(low)
    return _VALUES[low]


_VALUES: dict[str, tuple[float, str] | None] = {}


def _compute_value(low: str) -> tuple[float, str] | None:
    for p in parses(low):
        if "NUMR" not in p.tag and "Anum" not in p.tag and "NOUN" not in p.tag:
            continue
        lemma = p.normal_form.replace("ё", "е")
        if lemma in _UNITS and ("NUMR" in p.tag or lemma == "один"):
            return _UNITS[lemma], "unit"
        if lemma in _SCALES and "NOUN" in p.tag:
            return _SCALES[lemma], "scale"
    return None


def is_numeral_word(word: str) -> bool:
    """The word form is a cardinal numeral (or тысяча/миллион)."""
    return _word_value(word) is not None


def parse_numeral(words: Iterable[str]) -> float | None:
    """The value of a numeral written in words, in any case or gender; None if not one.

    >>> parse_numeral(["двадцати", "одного"])
    21
    >>> parse_numeral("пятью".split())
    5
    """
    total: float = 0
    current: float = 0
    seen = False
    for word in words:
        found = _word_value(word)
        if found is None:
            return None
        value, kind = found
        seen = True
        if kind == "scale":
            total += (current or 1) * value
            current = 0
        else:
            current += value
    if not seen:
        return None
    result = total + current
    return int(result) if float(result).is_integer() else result


def format_number(value: float) -> str:
    """Digits, a decimal point, no spaces: 12.5, 450, -3.4."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class NumberPhrase:
    """A number in a token list: tokens ``[first, last]``, its value and possible cases."""

    first: int
    last: int
    value: float
    cases: frozenset[str]  # empty for digits: any case
    in_words: bool


def may_start_number(tok: Token) -> bool:
    """``read_number`` may read a number from the token (digits, numeral words): its
    ``may_number``, tested once per token text."""
    return tok.kind == "num" or not (
        tok.grams.isdisjoint(_NUMERAL_GRAMS) and tok.lemmas.isdisjoint(_SCALES)
    )


def number_starts(tokens: Sequence[Token]) -> tuple[int, ...]:
    """Indices of the tokens ``read_number`` may read a number from (digits, numeral words)."""
    return tuple([i for i, tok in enumerate(tokens) if tok.may_number])


def read_number(tokens: Sequence[Token], i: int) -> NumberPhrase | None:
    """The number starting at ``tokens[i]`` (digits or numeral words), or None."""
    tok = tokens[i]
    if tok.kind == "num":
        return NumberPhrase(i, i, tok.number(), frozenset(), False)
    if tok.kind != "word" or (
        tok.grams.isdisjoint(_NUMERAL_GRAMS) and tok.lemmas.isdisjoint(_SCALES)
    ):
        return None  # cheap test: no parse of the word can be a numeral
    j = i
    while j < len(tokens) and tokens[j].kind == "word" and is_numeral_word(tokens[j].text):
        j += 1
    if j == i:
        return None
    value = parse_numeral(t.text for t in tokens[i:j])
    if value is None:
        return None
    last = tokens[j - 1].text.lower()
    cases = frozenset(c for p in parses(last) for c in _CASES if c in p.tag)
    return NumberPhrase(i, j - 1, value, cases, True)


def agrees(number: NumberPhrase, noun: Token) -> bool:
    """Numeral-noun agreement: "пять соглашений", "с пятью регионами", "двадцать одно соглашение".

    Digits carry no case, so any form of the noun agrees with them.
    """
    if not number.in_words:
        return True
    value = number.value
    for p in noun.parses:
        tag = p.tag
        if "NOUN" not in tag and "ADJF" not in tag:
            continue
        for case in number.cases:
            if case in ("nomn", "accs"):
                if _direct_ok(value, tag, case):
                    return True
            elif case in tag and ("plur" in tag or (_ends_in_one(value) and "sing" in tag)):
                return True
    return False


def _ends_in_one(value: float) -> bool:
    return value % 10 == 1 and value % 100 != 11


def _direct_ok(value: float, tag: object, case: str) -> bool:
    """Noun form after a numeral in the nominative or accusative."""
    if not float(value).is_integer():
        return "gent" in tag  # type: ignore[operator]
    if _ends_in_one(value):
        return "sing" in tag and (case in tag or "nomn" in tag or "accs" in tag)  # type: ignore[operator]
    if value % 10 in (2, 3, 4) and value % 100 not in (12, 13, 14):
        return "gent" in tag or ("plur" in tag and ("nomn" in tag or "accs" in tag))  # type: ignore[operator]
    return "plur" in tag and ("gent" in tag or ("anim" in tag and "accs" in tag))  # type: ignore[operator]
