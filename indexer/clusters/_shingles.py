"""Text -> shingles: word n-grams of lowercased, ё-folded words cut to a few letters.

Cutting words to their first letters stands in for lemmas at a fraction of the cost: a rewritten
copy that says «Витебская область» where the original said «Витебской области» keeps its shingles.

>>> sorted(shingles("Курская делегация посетила Витебск", "", words=2, stem=5))
['делег посет', 'курск делег', 'посет витеб']
"""

from __future__ import annotations

import re

__all__ = ["shingles", "words"]

_WORD = re.compile(r"\w+")


def words(text: str, stem: int) -> list[str]:
    """The words of ``text``: lowercased, ё as е, cut to ``stem`` characters (0: whole)."""
    found = _WORD.findall(text.lower().replace("ё", "е"))
    return [w[:stem] for w in found] if stem else found


def shingles(title: str, body: str, *, words: int = 3, stem: int = 6) -> set[str]:
    """The set of ``words``-word shingles of the title and body (title shingles kept apart)."""
    out: set[str] = set()
    for part in (title, body):
        seq = _words(part, stem)
        if len(seq) < words:
            if seq:
                out.add(" ".join(seq))
            continue
        runs = zip(*[seq[k:] for k in range(words)], strict=False)  # the n-grams, shortest wins
        out.update(map(" ".join, runs))
    return out


_words = words
