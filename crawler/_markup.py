"""Markup too deep to parse, made shallow: libxml2 stops reading a page at 256 nested elements
(the text below is lost), so a page that hits the limit is re-read with the container tags past
``limit`` levels dropped — their text stays where it was.

>>> flatten_deep("<div>" * 5 + "текст" + "</div>" * 5, limit=2)
'<div><div>текст</div></div>'
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["MAX_DEPTH", "MAX_LINKS", "MAX_TAGS", "cap_tags", "flatten_deep", "too_deep"]

MAX_DEPTH = 200  # below libxml2's 256
MAX_LINKS = 10_000  # links read from one page (each costs a URL join; a page may hold a million)
MAX_TAGS = 250_000  # tags read from one page (a news page has a few thousand; each costs memory)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>")
# Elements that never hold others, and ones that close themselves when a sibling starts: they
# take no nesting level.
_FLAT = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen "
    "p li dt dd option tr td th".split()
)
# Elements the extractor reads (title, date, links, the article itself): kept past the limit.
_KEEP = frozenset("h1 h2 h3 h4 h5 h6 a time article main title".split())
_SPARE = 40


def flatten_deep(text: str, limit: int = MAX_DEPTH) -> str:
    """``text`` with the opening tags that would nest deeper than ``limit`` dropped, together
    with their closing tags; text, shallow tags and their order are kept. Past the limit,
    headings, links and ``<time>`` stay (the extractor needs them) unless they too nest
    ``_SPARE`` levels deeper."""
    out: list[str] = []
    depth = 0
    dropped: dict[str, int] = {}
    pos = 0
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if name in _FLAT or match.group(0).endswith("/>"):
            continue
        drop = False
        if not closing:
            keep = name in _KEEP and depth < limit + _SPARE
            if depth >= limit and not keep:
                dropped[name] = dropped.get(name, 0) + 1
                drop = True
            else:
                depth += 1
        elif dropped.get(name):
            dropped[name] -= 1
            drop = True
        else:
            depth = max(0, depth - 1)
        if drop:
            out.append(text[pos : match.start()])
            pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def too_deep(parser: Any) -> bool:
    """True when an lxml parser gave up on a page for its nesting depth."""
    return any("Excessive depth" in entry.message for entry in parser.error_log)


def cap_tags(raw: bytes, limit: int = MAX_TAGS) -> bytes | None:
    """``raw`` cut after its first ``limit`` tags, or None when it has no more: a page of a
    million elements would cost gigabytes as a tree (the parser closes what the cut leaves open).

    >>> cap_tags(b"<p>a<p>b<p>c", limit=2)
    b'<p>a<p>b'
    >>> cap_tags(b"<p>a", limit=2) is None
    True
    """
    if raw.count(b"<") <= limit:
        return None
    pos = -1
    for _ in range(limit + 1):
        pos = raw.find(b"<", pos + 1)
    return raw[:pos]
