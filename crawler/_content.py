"""The general main-content extractor: the smallest element that holds most paragraph text,
read back as blocks with navigation, sidebars, share and print links left out.

Rules, in order: drop non-content tags and elements whose class or id names chrome (never an
ancestor of the title); score each element by the paragraph text below it (link text does not
count); take the deepest element holding at least 80% of the best score; walk it, turning each
paragraph into one block and each list item into one line.

Works on ``lxml.html`` trees parsed without comments, scripts and styles (``_extract.parse``):
the text of an element is ``" ".join(el.itertext())``, as BeautifulSoup's ``get_text(" ")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["CHROME_RE", "Blocks", "find_content", "read_blocks", "strip_chrome", "text_of"]

Element = Any  # lxml.html.HtmlElement (lxml ships no type stubs)

# Class/id words of page furniture (Drupal, Bitrix, WordPress habits).
CHROME_RE = re.compile(
    r"(?:^|[\s_-])(?:nav|navigation|navbar|menu|sidebar|aside|footer|header|breadcrumbs?|share|"
    r"social|print|comments?|related|latest|banner|pager|pagination|search|skip|language|"
    r"copyright|logo|top-line|widget|tags|back|links|files|attachments?|counter|cookie|"
    r"subscribe|rating|submitted|date|meta)(?:$|[\s_-])",
    re.IGNORECASE,
)
_DROP_TAGS = frozenset((
    "script", "style", "noscript", "template", "iframe", "svg", "form", "button", "input",
    "select", "textarea", "nav", "aside", "footer", "object", "embed", "canvas", "map", "header",
))  # fmt: skip
_KEEP_TAGS = frozenset(("html", "body", "main", "article"))
_INLINE = frozenset(
    "a abbr b bdi bdo big br cite code del dfn em font i img ins kbd mark q s samp small span "
    "strike strong sub sup time tt u var wbr".split()
)
_LEAF = frozenset("p h2 h3 h4 h5 h6 blockquote pre dd dt figcaption caption".split())
_LISTS = frozenset(("ul", "ol"))
_SKIP_TEXT = frozenset(("html", "head", "title"))
_BLOCKS = (*_LEAF, "li", "div", "td")


@dataclass(frozen=True)
class Blocks:
    """Body blocks: ("p", text) per paragraph, ("li", text) per list item."""

    items: tuple[tuple[str, str], ...]

    def text(self) -> str:
        """Paragraphs joined by a blank line; list items of one list on lines of their own."""
        out: list[str] = []
        prev = ""
        for kind, text in self.items:
            if out:
                out.append("\n" if kind == "li" and prev == "li" else "\n\n")
            out.append(text)
            prev = kind
        return "".join(out)


def _norm(text: str) -> str:
    return " ".join(text.split())


def text_of(el: Element) -> str:
    """The whitespace-folded text below ``el``."""
    return _norm(" ".join(el.itertext()))


def _names(el: Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".strip()


def _link_text(el: Element) -> int:
    return sum(len(text_of(a)) for a in el.iterdescendants("a"))


def strip_chrome(root: Element, keep: Element | None) -> None:
    """Remove non-content tags and chrome-named elements below ``root`` (one pass), sparing
    ``keep`` and its ancestors; the text after a removed element stays."""
    spared = [keep, *keep.iterancestors()] if keep is not None else []
    spared_ids = {id(e) for e in spared}
    doomed: list[Element] = []
    stack = list(reversed(root))
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if (
            id(el) not in spared_ids
            and tag not in _KEEP_TAGS
            and (tag in _DROP_TAGS or CHROME_RE.search(_names(el)))
        ):
            doomed.append(el)
            continue
        stack.extend(reversed(el))
    for el in doomed:
        el.drop_tree()


def _own_text(el: Element) -> int:
    """Text directly inside ``el`` (not in child elements)."""
    total = len(_norm(el.text or ""))
    for child in el:
        total += len(_norm(child.tail or ""))
    return total


def find_content(root: Element) -> Element | None:
    """The deepest element holding at least 80% of the page's paragraph text (None if none)."""
    scores: dict[int, int] = {}
    tags: dict[int, Element] = {}
    for block in root.iter(*_BLOCKS):
        if block.tag in ("div", "td"):
            own = _own_text(block)
        else:
            own = max(0, len(text_of(block)) - _link_text(block))
        if own < 20:
            continue
        for parent in block.iterancestors():
            if parent.tag in _SKIP_TEXT:
                break
            key = id(parent)
            scores[key] = scores.get(key, 0) + own
            tags[key] = parent
    if not scores:
        return None
    best = max(scores.values())
    chosen: Element | None = None
    depth = -1
    for key, score in scores.items():
        if score >= 0.8 * best:
            tag = tags[key]
            d = sum(1 for _ in tag.iterancestors())
            if d > depth:
                chosen, depth = tag, d
    return chosen


def _is_inline_only(el: Element) -> bool:
    return all(not isinstance(c.tag, str) or c.tag in _INLINE for c in el)


def _link_dense(el: Element, text: str) -> bool:
    return bool(text) and _link_text(el) / len(text) > 0.6


def read_blocks(container: Element, skip: frozenset[str] = frozenset()) -> Blocks:
    """Walk ``container`` into paragraph and list-item blocks (texts in ``skip`` left out)."""
    items: list[tuple[str, str]] = []
    pending: list[str] = []

    def flush() -> None:
        text = _norm(" ".join(pending))
        pending.clear()
        if text and text not in skip:
            items.append(("p", text))

    def walk(el: Element) -> None:
        if el.text:
            pending.append(el.text)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                pass
            elif tag == "br":
                pending.append(" ")
            elif tag in _INLINE:
                pending.append(" ".join(child.itertext()))
            elif tag in _LISTS:
                flush()
                for li in child.iterdescendants("li"):
                    if next(li.iterdescendants("li"), None) is None:
                        text = text_of(li)
                        if text and text not in skip and not _link_dense(li, text):
                            items.append(("li", text))
            elif tag in _LEAF or tag == "li" or _is_inline_only(child):
                flush()
                text = text_of(child)
                if text and text not in skip and not _link_dense(child, text):
                    items.append(("p", text))
            else:
                flush()
                walk(child)
                flush()
            if child.tail:
                pending.append(child.tail)

    walk(container)
    flush()
    return Blocks(tuple(items))
