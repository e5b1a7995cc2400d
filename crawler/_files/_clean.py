"""A file's raw pages to clean text: headers and footers repeated on every page dropped, page
numbers dropped, lines joined into paragraphs, words hyphenated at a line end rejoined, and a
paragraph cut by a page break made whole again.

>>> raw = RawText("pdf", (("Протокол № 3", "Стороны подпи-", "сали соглашение", "1"),
...                       ("Протокол № 3", "о сотрудничестве.", "2")), paged=True)
>>> clean_text(raw)
'Стороны подписали соглашение о сотрудничестве.'

Each step is a small named function; the hyphenation rule asks the Russian dictionary (pymorphy3)
whether the hyphenated form is a word ("научно-|технический" keeps its hyphen), else whether the
joined one is ("сотрудни-|чества" -> "сотрудничества"), else whether the halves look like a compound
(a linking "о"/"е" and a word after it: "информационно-|коммуникационных").
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from typing import Any

from crawler._files._raw import RawText

__all__ = ["clean_text", "join_hyphenated"]

_EDGE = 2  # lines at the top and at the bottom of a page where headers and footers live
_PAGE_NUMBER = re.compile(
    r"^(?:стр\.?|страница|с\.|page)?\s*[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:из|/|of)\s*\d{1,4})?$",
    re.I,
)
_LIST_ITEM = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]|[-–—•·▪]|[а-яa-z]\))\s")
_SENTENCE_END = tuple('.!?:;»")')
_WORD_TAIL = re.compile(r"([^\W\d_]+)[-\u00ad]$")
_WORD_HEAD = re.compile(r"^([^\W\d_]+)")


@functools.cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@functools.lru_cache(maxsize=20_000)
def _known(word: str) -> bool:
    return bool(_morph().word_is_known(word.lower().replace("ё", "е")))


def join_hyphenated(left: str, right: str) -> str:
    """Two lines where ``left`` ends in a hyphen: one line, the hyphen kept or removed.

    >>> join_hyphenated("договор о сотрудни-", "честве")
    'договор о сотрудничестве'
    >>> join_hyphenated("научно-", "технического")
    'научно-технического'
    >>> join_hyphenated("г. Санкт-", "Петербург")
    'г. Санкт-Петербург'
    """
    tail, head = _WORD_TAIL.search(left), _WORD_HEAD.search(right)
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if tail is None or head is None or not head[1][0].islower():
        return left + right  # "2023-|2025", "Санкт-|Петербург": a real hyphen
    first, second = tail[1], head[1]
    if _known(f"{first}-{second}"):
        return left + right  # "волоконно-|оптических": a compound the dictionary knows
    if _known(first + second):
        return left[:-1] + right  # "сотрудни-|чества", "взаимо-|действие": a word cut at the end
    if first[-1:].lower() in "ое" and _known(second):
        return left + right  # "информационно-|коммуникационных": a compound's linking vowel
    return left[:-1] + right


def _norm(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _edges(page: tuple[str, ...]) -> list[int]:
    filled = [k for k, line in enumerate(page) if line]
    return sorted(set(filled[:_EDGE] + filled[-_EDGE:]))


def drop_repeated_edges(pages: list[list[str]]) -> list[list[str]]:
    """Lines at a page's top or bottom that recur (digits aside) on at least half the pages."""
    if len(pages) < 2:
        return pages
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_norm(page[k]) for k in _edges(tuple(page))})
    need = max(2, math.ceil(len(pages) / 2))
    repeated = {line for line, n in seen.items() if n >= need}
    out = []
    for page in pages:
        edges = set(_edges(tuple(page)))
        out.append([ln for k, ln in enumerate(page) if k not in edges or _norm(ln) not in repeated])
    return out


def drop_page_numbers(pages: list[list[str]]) -> list[list[str]]:
    """Lone page numbers ("3", "- 3 -", "Страница 3 из 12") at a page's top or bottom."""
    out = []
    for page in pages:
        edges = set(_edges(tuple(page)))
        out.append(
            [ln for k, ln in enumerate(page) if k not in edges or not _PAGE_NUMBER.match(ln)]
        )
    return out


def _paragraphs(page: list[str]) -> list[str]:
    """A page's lines joined into paragraphs: a blank line or a list marker starts a new one."""
    paras: list[str] = []
    current = ""
    for line in page:
        if not line or (_LIST_ITEM.match(line) and current):
            if current:
                paras.append(current)
            current = line
            continue
        current = _join(current, line) if current else line
    if current:
        paras.append(current)
    return paras


def _join(left: str, right: str) -> str:
    if left.endswith(("-", "\u00ad")) and not left.endswith(" -"):
        return join_hyphenated(left, right)
    return f"{left} {right}"


def _continues(last: str, first: str) -> bool:
    """Whether a page's last paragraph goes on in the next page's first one."""
    if last.endswith(("-", "\u00ad")):
        return True
    return not last.endswith(_SENTENCE_END) and first[:1].islower()


def clean_text(raw: RawText, max_chars: int = 0) -> str:
    """The text of ``raw``: paragraphs separated by blank lines (at most ``max_chars``)."""
    pages = [list(p) for p in raw.pages]
    if raw.paged:
        pages = drop_page_numbers(drop_repeated_edges(pages))
    paras: list[str] = []
    for page in pages:
        found = _paragraphs(page)
        if paras and found and _continues(paras[-1], found[0]):
            paras[-1] = _join(paras[-1], found.pop(0))
        paras += found
    text = "\n\n".join(p.replace("\u00ad", "") for p in paras)
    if max_chars and len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > max_chars // 2 else max_chars]
    return text
