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
    return bool(_NO_BREAK_AFTER.search(prev.text)) and (head.islower() or head.isdigit())


def split_sentences(body: str) -> list[Sentence]:
    """Sentences of ``body``; a line break always ends a sentence.

    >>> [s.text for s in split_sentences("Подписан План. Рост 5%.")]
    ['Подписан План.', 'Рост 5%.']
    """
    from razdel import sentenize

    out: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", body):
        base = line.start()
        pieces: list[Sentence] = []
        for s in sentenize(line.group()):
            piece = Sentence(s.text, base + s.start, base + s.stop)
            if pieces and _join(pieces[-1], piece):
                prev = pieces.pop()
                piece = Sentence(body[prev.start : piece.stop], prev.start, piece.stop)
            if piece.text.strip():
                pieces.append(piece)
        out.extend(pieces)
    return out
