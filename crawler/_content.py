"""The general main-content finder: the densest coherent block of article text on a page.

Steps, in order:

1. *measure* every element once, bottom-up: its text, its link text and its paragraph text
   (text directly inside it or in inline children: a ``<p>``, but also a ``<div>``,
   ``<span>``, ``<font>`` or custom element holding text);
2. *gain*: each paragraph adds its text, minus twice its link text, minus a cost per block
   (25 characters with links, 10 without, none for table cells); teasers (three or more
   siblings of one tag and class, short, with links) add nothing, nor does furniture
   (``<nav>``/``<aside>``/``<footer>``/``<header>``, chrome-named class or id, ``_markers``)
   to the elements above it;
3. *choose* the element with the highest gain (the deepest of equals): sections of one
   article are joined, a sidebar or teaser feed beside it costs more than it adds;
4. *prune* inside it: control tags, furniture and link-dense blocks go, but never an element
   holding half the chosen block's text (so a layout class like ``content-with-aside`` or a
   mis-named wrapper never deletes the article).

Works on ``lxml`` trees parsed without comments, scripts and styles (``_extract.parse``).
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import Any, NamedTuple

import lxml.etree

from crawler._markers import DROP_TAGS, INLINE_TAGS, SECTION_TAGS, class_weight

__all__ = [
    "Stat", "drop", "feed_of", "find_content", "is_furniture", "kind_of", "measure", "prune",
    "siblings_of",
]  # fmt: skip

Element = Any  # lxml.etree._Element (lxml ships no type stubs)

_SKIP_TEXT = frozenset(("html", "head", "title"))
_PAGE_TAGS = frozenset(("html", "body"))  # their class names describe the page layout
_MIN_PARAGRAPH = 25
_BLOCK_COST = 25  # characters a block with links must hold to add to the gain
_TEXT_COST = 10  # the same for a block of plain text (table cells: none)
_CELLS = frozenset(("td", "th"))
_PRUNABLE = frozenset(("ul", "ol", "div", "section", "table", "dl", "p", "li", "form"))


class Stat(NamedTuple):
    """Measures of one element's subtree (characters of whitespace-trimmed text pieces)."""

    chars: int  # all text below
    links: int  # text inside <a>
    own: int  # paragraph text: direct text and inline children
    block: bool  # has a non-inline descendant
    paragraphs: int  # paragraph-like elements below and itself (own >= 25)
    gain: float  # text minus furniture: paragraph text - 2 x its link text - a cost per block
    raw: float  # the same counting furniture and teasers too (what pruning may not remove)


def _names(el: Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _named_furniture(el: Element) -> bool:
    names = el.get("class")
    ident = el.get("id")
    if not names and not ident:
        return False
    return class_weight(f"{names or ''} {ident or ''}") < 0


def measure(root: Element) -> dict[Element, Stat]:
    """Every element's ``Stat``, in one bottom-up pass over the ``<body>`` (the whole tree when
    there is none: ``<head>`` holds no article text); the returned dict keeps the elements, so
    their identity is stable while it lives."""
    stats: dict[Element, Stat] = {}
    # per open element: chars, links, own, block, paragraphs, own links, gain, raw, teasers
    stack: list[list[Any]] = []
    inline = INLINE_TAGS
    new = tuple.__new__  # Stat(...) without the Python-level __new__ of a NamedTuple
    push, pop = stack.append, stack.pop
    furniture: dict[tuple[str | None, str | None], bool] = {}
    body = root if root.tag == "body" else next(root.iter("body"), root)
    for event, el in lxml.etree.iterwalk(body, events=("start", "end")):
        if event == "start":
            text = el.text
            n = len(text.strip()) if text else 0
            push([n, 0, n, False, 0, 0, 0.0, 0.0, 0])
            continue
        chars, links, own, block, paragraphs, own_links, gain, raw, teasers = pop()
        tag = el.tag
        if tag == "a":
            links = chars
        is_inline = tag in inline and not block
        if own and not is_inline:
            if own >= _MIN_PARAGRAPH:
                paragraphs += 1
            cost = _BLOCK_COST if own_links else 0 if tag in _CELLS else _TEXT_COST
            points = own - 2 * own_links - cost
            gain += points
            raw += points
        if teasers >= 3:
            gain -= _teaser_gain(el, stats)
        if gain > 0:
            key = (el.get("class"), el.get("id"))
            if tag in SECTION_TAGS or (key[0] or key[1]) and (
                furniture[key] if key in furniture else furniture.setdefault(
                    key, class_weight(f"{key[0] or ''} {key[1] or ''}") < 0
                )
            ):  # fmt: skip
                gain = 0.0
        stats[el] = new(Stat, (chars, links, own, block, paragraphs, gain, raw))
        if stack:
            up = stack[-1]
            tail = el.tail
            n = len(tail.strip()) if tail else 0
            up[0] += chars + n
            up[1] += links
            up[4] += paragraphs
            if is_inline:
                up[2] += chars + n
                up[5] += links
            else:
                up[2] += n
                up[3] = True
                up[6] += gain
                up[7] += raw
                if links and chars < 1000 and links >= 0.15 * chars:
                    up[8] += 1
    return stats


def _teaser_gain(el: Element, stats: dict[Element, Stat]) -> float:
    """The gain of the teasers among ``el``'s children: three or more of one tag and first
    class, each short and with a link (a feed beside the article is not the article)."""
    groups: dict[tuple[str, str], list[float]] = {}
    for child in el:
        st = stats.get(child)
        if st is None or not st.links or st.chars >= 1000 or st.links < 0.15 * st.chars:
            continue
        kind = kind_of(child)
        if kind or child.tag in ("li", "div", "article"):
            groups.setdefault((child.tag, kind), []).append(st.gain)
    return sum(sum(g for g in gains if g > 0) for gains in groups.values() if len(gains) >= 3)


def _density(st: Stat) -> float:
    return st.links / st.chars if st.chars else 0.0


def find_content(root: Element, stats: dict[Element, Stat] | None = None) -> Element | None:
    """The element holding the article's text: the one with the highest gain (the deepest of
    equals) that is not inside furniture, unless that furniture holds most of the page's text;
    None when the page has no paragraph text."""
    stats = stats if stats is not None else measure(root)
    ranked = heapq.nlargest(20, [
        (st.gain, -i, el) for i, (el, st) in enumerate(stats.items())
        if st.gain > 0 and el.tag not in _SKIP_TEXT
    ])  # fmt: skip
    if not ranked:
        return None
    body = next(root.iter("body"), None)
    page = _plain(stats[body]) if body is not None and body in stats else 0
    for _gain, _order, el in ranked:
        holder = next(
            (a for a in el.iterancestors() if a.tag not in _PAGE_TAGS and is_furniture(a)), None
        )
        if holder is None or _plain(stats[holder]) >= 0.5 * page:
            return el
    return ranked[0][2]


def _plain(st: Stat) -> int:
    """Text outside links."""
    return st.chars - st.links


def is_furniture(el: Element) -> bool:
    return el.tag in SECTION_TAGS or _named_furniture(el)


def siblings_of(content: Element, stats: dict[Element, Stat]) -> list[Element]:
    """``content`` with the neighbouring siblings that continue the article (a run of
    non-negative gain, not furniture): an article whose blocks sit straight in ``<body>``
    beside the menu and the footer."""
    parent = content.getparent()
    while (
        parent is not None and parent.tag not in _PAGE_TAGS and parent in stats
        and stats[parent].chars == stats[content].chars
    ):  # fmt: skip
        content, parent = parent, parent.getparent()
    if parent is None or content.tag in _SKIP_TEXT:
        return [content]
    siblings = [c for c in parent if isinstance(c.tag, str)]
    at = siblings.index(content)

    def joins(el: Element) -> bool:
        st = stats.get(el)
        return st is not None and st.gain >= 0 and st.raw >= 0 and not is_furniture(el)

    start = at
    while start > 0 and joins(siblings[start - 1]):
        start -= 1
    end = at + 1
    while end < len(siblings) and joins(siblings[end]):
        end += 1
    run = siblings[start:end]
    return [el for el in run if stats[el].chars or el is content]


def feed_of(content: Element, stats: dict[Element, Stat]) -> Element | None:
    """The teaser list ``content`` is one item of (three or more siblings of one tag and class,
    each short and with a link), else None: listing pages and "главное" blocks."""
    kinds = [(child.tag, kind_of(child)) for child in content if _teaser(child, stats)]
    if any(n >= 3 for n in Counter(k for k in kinds if k[1]).values()):
        return content
    node = content
    for _ in range(3):
        parent = node.getparent()
        if parent is None or node.tag in _SKIP_TEXT or node.tag == "body":
            return None
        kind = kind_of(node)
        if kind:
            alike = [
                sib for sib in parent
                if sib.tag == node.tag and kind_of(sib) == kind and _teaser(sib, stats)
            ]  # fmt: skip
            if len(alike) >= 3:
                return parent
        node = parent
    return None


def _teaser(el: Element, stats: dict[Element, Stat]) -> bool:
    st = stats.get(el)
    return st is not None and st.links > 0 and st.chars < 1000


def kind_of(el: Element) -> str:
    """The first class token: what repeated items of one list share ("views-row")."""
    names = (el.get("class") or "").split()
    return names[0] if names else ""


def _droppable(el: Element, st: Stat, keep: float) -> bool:
    """Furniture inside the chosen block (never an element holding most of its text)."""
    tag = el.tag
    if tag in DROP_TAGS:
        return True
    if st.raw >= keep:
        return False
    if tag in SECTION_TAGS:
        return True
    if tag in INLINE_TAGS and not st.block:
        return False  # running text: a link or a span inside a paragraph stays
    names = _names(el)
    weight = class_weight(names) if names else 0
    if weight < 0:
        return True
    if tag in _PRUNABLE:
        density = _density(st)
        if st.chars and density > (0.5 if weight > 0 else 0.33) and st.chars - st.links < 120:
            return True
        if tag == "form" and st.paragraphs == 0:
            return True
    return False


def prune(container: Element, stats: dict[Element, Stat], keep: Element | None = None) -> None:
    """Remove furniture below ``container`` (the text after a removed element stays), sparing
    ``keep`` and its ancestors."""
    spared = {id(e) for e in ([keep, *keep.iterancestors()] if keep is not None else [])}
    total = stats[container].raw if container in stats else 0.0
    most = max(total * 0.5, 1.0)
    doomed: list[Element] = []
    stack = list(reversed(container))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        st = stats.get(el)
        if st is not None and id(el) not in spared and _droppable(el, st, most):
            doomed.append(el)
            continue
        stack.extend(reversed(el))
    for el in doomed:
        drop(el)


def drop(el: Element) -> None:
    """Remove ``el`` and its subtree; the text after it stays where it was."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)
