"""Article or listing: whether a page in generic mode is one story or a list of teasers.

A listing page (a news list, a category or tag page, search results, a portal's front page)
holds most of its text in *teasers*: three or more sibling items of one tag and first class,
each short and led by a link (a headline, perhaps a date and an excerpt). An article holds its
own running text outside any teaser. ``teaser_mass`` weighs the two over the page's body,
leaving furniture (``<nav>``, ``<aside>``, ``<footer>``, ``<header>``, chrome-named blocks) out.

>>> import lxml.etree
>>> from crawler._content import measure
>>> items = "".join(f'<div class="row"><a href="/{i}">Заголовок новости номер {i}</a>'
...                 f'<p>Короткий анонс.</p></div>' for i in range(5))
>>> root = lxml.etree.fromstring(f"<html><body><h1>Новости</h1>{items}</body></html>")
>>> mass = teaser_mass(root, measure(root))
>>> mass.items, mass.own < mass.teasers
(5, True)
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from crawler._content import Element, Stat, is_furniture, kind_of
from crawler._markers import SECTION_TAGS

__all__ = ["Mass", "is_listing", "listing_reason", "teaser_mass"]

_ITEM_TAGS = frozenset(("div", "li", "article", "section", "tr", "dl", "dt", "dd", "td"))
_MAX_ITEM = 1000  # characters: a teaser is short
_MIN_HEADLINE = 12  # characters of link text a teaser leads with
_MAX_OWN = 500  # characters of its own a list of teasers holds at most (a heading, a pager)


class Mass(NamedTuple):
    """Characters of text over a page's body, furniture left out: ``own`` outside teasers (less
    its link text), ``teasers`` inside them, ``items`` how many teasers, ``found`` which."""

    own: int
    teasers: int
    items: int
    found: tuple[Element, ...]


def _teaser(st: Stat | None) -> bool:
    return (
        st is not None and st.links >= _MIN_HEADLINE and st.chars < _MAX_ITEM
        and st.links >= 0.08 * st.chars
    )  # fmt: skip


def _kind(el: Element) -> str:
    """The first class token without its number ("post-901" and "post-902" are one kind)."""
    return kind_of(el).rstrip("0123456789-_")


def _teasers_among(children: list[Element], stats: dict[Element, Stat]) -> set[int]:
    """The indexes of the children that are teasers: three or more of one tag and first class
    (no class: list items, table rows and plain blocks), each a teaser by its measures."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, child in enumerate(children):
        tag = child.tag
        if tag in _ITEM_TAGS and _teaser(stats.get(child)):
            groups[(tag, _kind(child))].append(i)
    return {i for members in groups.values() if len(members) >= 3 for i in members}


def teaser_mass(root: Element, stats: dict[Element, Stat], content: Element | None = None) -> Mass:
    """How the text of ``root``'s body splits between teasers and the page's own text (the
    chosen ``content`` and its ancestors are never furniture, nor is a chrome-named block
    holding half of the page's text)."""
    body = next(root.iter("body"), None)
    if body is None or body not in stats:
        return Mass(0, 0, 0, ())
    teasers = furniture_plain = 0
    found: list[Element] = []
    total = stats[body]
    most = 0.5 * (total.chars - total.links)
    spared = {id(content), *map(id, content.iterancestors())} if content is not None else set()
    stack = [body]
    while stack:  # only below elements with links: a teaser leads with one
        el = stack.pop()
        children = [c for c in el if isinstance(c.tag, str)]
        chosen = (
            _teasers_among(children, stats)
            if len(children) >= 3 and stats[el].links >= 3 * _MIN_HEADLINE
            else ()
        )  # fmt: skip
        for i, child in enumerate(children):
            st = stats.get(child)
            if st is None:
                continue
            plain = st.chars - st.links
            if i in chosen:
                teasers += st.chars
                found.append(child)
                furniture_plain += plain
            elif id(child) in spared:
                stack.append(child)
            elif child.tag in SECTION_TAGS or st.links and is_furniture(child) and plain < most:
                furniture_plain += plain
            elif st.links >= _MIN_HEADLINE:
                stack.append(child)
    own = total.chars - total.links - furniture_plain
    return Mass(max(own, 0), teasers, len(found), tuple(found))


def is_listing(
    root: Element, stats: dict[Element, Stat], content: Element | None,
    title_tag: Element | None,
) -> bool:  # fmt: skip
    """Whether the page is a list of teasers (``listing_reason`` says why)."""
    return bool(listing_reason(root, stats, content, title_tag))


def listing_reason(
    root: Element, stats: dict[Element, Stat], content: Element | None,
    title_tag: Element | None,
) -> str:  # fmt: skip
    """Why the page is a list of teasers, "" when it is not: the chosen block is a teaser
    ("in a teaser") or a list of them ("holds teasers"), or teasers outweigh the page's own
    text and stand between the title and the chosen block ("teasers before the block")."""
    if content is None:
        return "no block"
    mass = teaser_mass(root, stats, content)
    if mass.items < 3:
        return ""
    items = {id(t) for t in mass.found}
    if any(id(a) in items for a in (content, *content.iterancestors())):
        return "in a teaser"
    inside = [t for t in mass.found if any(a is content for a in t.iterancestors())]
    if len(inside) >= 3:
        st = stats[content]
        held = sum(stats[t].chars for t in inside)
        rest = st.chars - st.links - sum(stats[t].chars - stats[t].links for t in inside)
        if held > 3 * rest and rest < _MAX_OWN:
            return "holds teasers"
    if mass.teasers <= mass.own:
        return ""
    if title_tag is None:  # no headline to place them by: teasers must hold clearly more
        return "teasers, no title" if mass.teasers > 2 * mass.own else ""
    order = {id(el): i for i, el in enumerate(root.iter())}
    start, end = order.get(id(title_tag), -1), order.get(id(content), -1)
    between = [t for t in mass.found if start < order.get(id(t), -1) < end]
    plain = stats[content].chars - stats[content].links
    if len(between) >= 3 and sum(stats[t].chars for t in between) > plain:
        return "teasers before the block"
    return ""
