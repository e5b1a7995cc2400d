"""Reading the chosen block back as text: one block per paragraph, one line per list item.

>>> import lxml.etree
>>> root = lxml.etree.fromstring("<div><p>Один  абзац.</p><ul><li>пункт</li><li>ещё</li></ul></div>")
>>> read_blocks(root).text()
'Один абзац.\\n\\nпункт\\nещё'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crawler._markers import INLINE_TAGS

__all__ = ["Blocks", "read_blocks", "text_of"]

Element = Any  # lxml.etree._Element (lxml ships no type stubs)

_LEAF = frozenset("p h2 h3 h4 h5 h6 blockquote pre dd dt figcaption caption address".split())
_LISTS = frozenset(("ul", "ol"))


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


def _is_inline_only(el: Element) -> bool:
    return all(not isinstance(c.tag, str) or c.tag in INLINE_TAGS for c in el)


def read_blocks(container: Element, skip: frozenset[str] = frozenset()) -> Blocks:
    """Walk ``container`` into paragraph and list-item blocks (texts in ``skip`` left out)."""
    items: list[tuple[str, str]] = []
    pending: list[str] = []

    def add(kind: str, text: str) -> None:
        if text and text not in skip:
            items.append((kind, text))

    def flush() -> None:
        if not pending:
            return
        text = _norm(" ".join(pending))
        pending.clear()
        add("p", text)

    def walk(el: Element) -> None:
        if el.text:
            pending.append(el.text)
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                pass
            elif tag == "br":
                pending.append(" ")
            elif tag in INLINE_TAGS and _is_inline_only(child):
                pending.append(" ".join(child.itertext()))
            elif tag in _LISTS:
                flush()
                for item in child:
                    if not isinstance(item.tag, str):
                        continue
                    if item.tag == "li" and _is_inline_only(item):
                        add("li", text_of(item))
                    else:
                        walk(item)
                        flush()
            elif tag in _LEAF or tag == "li" or _is_inline_only(child):
                flush()
                add("p", text_of(child))
            else:
                flush()
                walk(child)
                flush()
            if child.tail:
                pending.append(child.tail)

    walk(container)
    flush()
    return Blocks(tuple(items))
