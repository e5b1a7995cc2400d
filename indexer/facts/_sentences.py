"""Sentences of a body with offsets: paragraphs (lines) split by razdel, then small join rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Sentence", "split_sentences"]

# razdel splits after these; the sentence goes on ("29 сент. 2020 г.", "в т. ч.")
_NO_BREAK_AFTER = re.compile(
    r"(?:\b(?:янв|февр?|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек"  # 29 сент. 2020
    r"|г|гг|им|ул|д|т|ч|обл|р|руб|млн|млрд|тыс|долл)\.)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    """``text == body[start:stop]``."""

    text: str
    start: int
    stop: int


def _join(prev: Sentence, nxt: Sentence) -> bool:
    """Rules that glue razdel's pieces back: an abbreviation before a lower-case/digit start."""
    head = nxt.text[:1]
    if not (head.islower() or head.isdigit()):
        return False
    text = prev.text.rstrip()
    return bool(_NO_BREAK_AFTER.search(text, max(0, len(text) - 8)))  # its longest: 6 characters


# the fast path: a sentence ends at . ! ? before a space and a capital letter or digit ...
_END = re.compile(r"[.!?]+(?=\s+[А-ЯЁA-Z0-9])")
# ... unless the word before is an initial or an abbreviation ("Р.В. Старовойт", "т.д.", "г. Минск")
_ABBREVIATION = re.compile(
    r"(?:\b[А-ЯЁA-Z]|\b(?:г|гг|ул|д|т|им|обл|р|руб|млн|млрд|тыс|долл|см|ст|п|пр|др|проф|тел|"
    r"янв|февр?|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек|св|вв|н|ч|чел|ед|кв|км|м|с|стр|рис))$"
)
_HARD = re.compile(r"[«\"()…\[]|\.\.")  # quotes, brackets, ellipses: razdel decides


def _fast_split(line: str) -> list[tuple[int, int]] | None:
    """Sentence spans of a plain line, or None when razdel should decide."""
    if _HARD.search(line):
        return None
    spans = []
    start = 0
    for m in _END.finditer(line):
        if _ABBREVIATION.search(line, max(0, m.start() - 8), m.start()):  # longest: 5 chars
            return None
        spans.append((start, m.end()))
        start = m.end()
        while start < len(line) and line[start].isspace():
            start += 1
    spans.append((start, len(line.rstrip())))
    return [(a, b) for a, b in spans if b > a]


def _pieces(line: str) -> list[tuple[int, int]]:
    fast = _fast_split(line)
    if fast is not None:
        return fast
    from razdel import sentenize

    return [(s.start, s.stop) for s in sentenize(line)]


def split_sentences(body: str) -> list[Sentence]:
    """Sentences of ``body``; a line break always ends a sentence.

    >>> [s.text for s in split_sentences("Подписан План. Рост 5%.")]
    ['Подписан План.', 'Рост 5%.']
    """
    out: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", body):
        base = line.start()
        pieces: list[Sentence] = []
        for a, b in _pieces(line.group()):
            piece = Sentence(body[base + a : base + b], base + a, base + b)
            if pieces and _join(pieces[-1], piece):
                prev = pieces.pop()
                piece = Sentence(body[prev.start : piece.stop], prev.start, piece.stop)
            if piece.text.strip():
                pieces.append(piece)
        out.extend(pieces)
    return out
