"""The general main-content extractor: the smallest element that holds most paragraph text,
read back as blocks with navigation, sidebars, share and print links left out.

Rules, in order: drop non-content tags and elements whose class or id names chrome (never an
ancestor of the title); score each element by the paragraph text below it (link text does not
count); take the deepest element holding at least 80% of the best score; walk it, turning each
paragraph into one block and each list item into one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, Tag

__all__ = ["CHROME_RE", "Blocks", "find_content", "read_blocks", "strip_chrome"]

# Class/id words of page furniture (Drupal, Bitrix, WordPress habits).
CHROME_RE = re.compile(
    r"(?:^|[\s_-])(?:nav|navigation|navbar|menu|sidebar|aside|footer|header|breadcrumbs?|share|"
    r"social|print|comments?|related|latest|banner|pager|pagination|search|skip|language|"
    r"copyright|logo|top-line|widget|tags|back|links|files|attachments?|counter|cookie|"
    r"subscribe|rating|submitted|date|meta)(?:$|[\s_-])",
    re.IGNORECASE,
)
_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "form", "button", "input",
    "select", "textarea", "nav", "aside", "footer", "object", "embed", "canvas", "map",
)  # fmt: skip
_INLINE = frozenset(
    "a abbr b bdi bdo big br cite code del dfn em font i img ins kbd mark q s samp small span "
    "strike strong sub sup time tt u var wbr".split()
)
_LEAF = frozenset("p h2 h3 h4 h5 h6 blockquote pre dd dt figcaption caption".split())
_LISTS = frozenset(("ul", "ol"))
_SKIP_TEXT = frozenset(("html", "head", "title"))


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


def _names(tag: Tag) -> str:
    classes: object = tag.get("class") or []
    names = " ".join(classes) if isinstance(classes, list) else str(classes)
    return f"{names} {tag.get('id') or ''}".strip()


def strip_chrome(soup: BeautifulSoup | Tag, keep: Tag | None) -> None:
    """Remove non-content tags and chrome-named elements below ``soup`` (one pass), sparing
    ``keep`` and its ancestors."""
    spared = {id(keep)} | {id(p) for p in keep.parents} if keep is not None else set()
    drop = frozenset(_DROP_TAGS) | {"header"}
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in list(soup.find_all(True)):
        if tag.decomposed or id(tag) in spared or tag.name in ("html", "body", "main", "article"):
            continue
        if tag.name in drop or CHROME_RE.search(_names(tag)):
            tag.decompose()


def _text_len(tag: Tag) -> int:
    total = len(_norm(tag.get_text(" ")))
    links = sum(len(_norm(a.get_text(" "))) for a in tag.find_all("a"))
    return max(0, total - links)


def find_content(soup: BeautifulSoup) -> Tag | None:
    """The deepest element holding at least 80% of the page's paragraph text (None if none)."""
    scores: dict[int, int] = {}
    tags: dict[int, Tag] = {}
    for block in soup.find_all([*_LEAF, "li", "div", "td"]):
        if block.name in ("div", "td"):
            own = sum(len(_norm(s)) for s in block.find_all(string=True, recursive=False))
            if own < 20:
                continue
        else:
            own = _text_len(block)
            if own < 20:
                continue
        for parent in block.parents:
            if parent.name in _SKIP_TEXT:
                break
            scores[id(parent)] = scores.get(id(parent), 0) + own
            tags[id(parent)] = parent
    if not scores:
        return None
    best = max(scores.values())
    chosen: Tag | None = None
    depth = -1
    for key, score in scores.items():
        if score >= 0.8 * best:
            tag = tags[key]
            d = sum(1 for _ in tag.parents)
            if d > depth:
                chosen, depth = tag, d
    return chosen


def _is_inline_only(tag: Tag) -> bool:
    return all(
        isinstance(c, NavigableString) or isinstance(c, Tag) and c.name in _INLINE
        for c in tag.children
    )


def _link_dense(tag: Tag, text: str) -> bool:
    links = sum(len(_norm(a.get_text(" "))) for a in tag.find_all("a"))
    return bool(text) and links / len(text) > 0.6


def read_blocks(container: Tag, skip: frozenset[str] = frozenset()) -> Blocks:
    """Walk ``container`` into paragraph and list-item blocks (texts in ``skip`` left out)."""
    items: list[tuple[str, str]] = []
    pending: list[str] = []

    def flush() -> None:
        text = _norm(" ".join(pending))
        pending.clear()
        if text and text not in skip:
            items.append(("p", text))

    def walk(tag: Tag) -> None:
        for child in tag.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, Comment):
                    pending.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            if child.name == "br":
                pending.append(" ")
            elif child.name in _INLINE:
                pending.append(child.get_text(" "))
            elif child.name in _LISTS:
                flush()
                for li in child.find_all("li"):
                    if li.find("li") is None:
                        text = _norm(li.get_text(" "))
                        if text and text not in skip and not _link_dense(li, text):
                            items.append(("li", text))
            elif child.name in _LEAF or child.name == "li" or _is_inline_only(child):
                flush()
                text = _norm(child.get_text(" "))
                if text and text not in skip and not _link_dense(child, text):
                    items.append(("p", text))
            else:
                flush()
                walk(child)
                flush()

    walk(container)
    flush()
    return Blocks(tuple(items))
