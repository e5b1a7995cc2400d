"""Safe HTML for the pages: only markup built here, with every piece of page text escaped.

Crawled text is untrusted: a page may contain ``<script>`` or any markup, and must show it as
text. The rule: functions here take plain text and escape it with ``html.escape``, or take HTML the
search API already escaped (``Hit.snippet``, ``Hit.title_html``, ``SearchIndex.highlight``: escaped
text plus ``<mark>``). Links only ever get http(s) URLs. The results go to ``st.html`` (sanitized
again by Streamlit, never Markdown-processed), so no text is read as Markdown either.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from search_ui._region_links import region_links_html
from search_ui._state import LANGS

if TYPE_CHECKING:
    from indexer import Hit

__all__ = [
    "CSS",
    "esc",
    "format_date",
    "hit_html",
    "link_html",
    "md_escape",
    "safe_url",
    "text_html",
]

CSS = """<style>
.vn-hit { margin: 0 0 0.3rem 0; }
.vn-hit-title { font-size: 1.1rem; font-weight: 600; }
.vn-meta { color: #5f6368; font-size: 0.85rem; margin: 0.1rem 0; }
.vn-snippet { font-size: 0.95rem; line-height: 1.45; }
.vn-text { white-space: pre-wrap; line-height: 1.55; font-size: 1rem; }
.vn-also { color: #5f6368; font-size: 0.85rem; font-style: italic; }
.vn-hit mark, .vn-text mark, .vn-title mark { background: #ffe98f; padding: 0 1px; }
.vn-new { background: #d93025; color: #fff; border-radius: 4px; padding: 0 4px; font-size: 0.8rem; }
</style>"""


def esc(text: object) -> str:
    """``text`` as HTML text (quotes escaped too, so it is safe in attributes)."""
    return html.escape(str(text), quote=True)


def md_escape(text: object) -> str:
    """``text`` for a Markdown context (``st.markdown``, labels): every Markdown/HTML sign escaped."""
    out = []
    for char in str(text):
        out.append("\\" + char if char in _MD_SPECIAL else char)
    return "".join(out).replace("<", "&lt;").replace(">", "&gt;")


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~$:")


def safe_url(url: str) -> str:
    """``url`` if it is an http(s) URL, else "" (no ``javascript:`` or ``data:`` links)."""
    scheme = urlsplit(url.strip()).scheme.lower()
    return url.strip() if scheme in ("http", "https") else ""


def link_html(url: str, inner_html: str) -> str:
    """A link opening ``url`` in a new tab around already-safe ``inner_html`` (no link if unsafe)."""
    href = safe_url(url)
    if not href:
        return inner_html
    return f'<a href="{esc(href)}" target="_blank" rel="noopener noreferrer">{inner_html}</a>'


def format_date(value: str) -> str:
    """``2023-01-09`` -> ``09.01.2023``; ``2023-01-09T10:15...`` -> ``09.01.2023 10:15``."""
    value = (value or "").strip()
    if len(value) < 10 or value[4] != "-" or value[7] != "-":
        return value
    day = f"{value[8:10]}.{value[5:7]}.{value[0:4]}"
    clock = value[11:16] if len(value) >= 16 and value[10] in "T " else ""
    return f"{day} {clock}" if clock and clock != "00:00" else day


def _meta(parts: Iterable[str]) -> str:
    return " · ".join(esc(p) for p in parts if p)


def hit_html(hit: Hit, also: Iterable[str] = (), parent: str = "") -> str:
    """One search result: linked title, date · site · language · region links, highlighted
    snippet, and the other sites carrying the story ("также: site2, site3"); an attached file
    also its type and the title of its article (``parent``)."""
    title = hit.title_html or esc(hit.title) or esc(hit.url)
    meta = _meta(
        [format_date(hit.published) or "без даты", hit.site, LANGS.get(hit.lang, hit.lang)]
    )
    if hit.kind == "attachment":
        where = f" к статье «{esc(parent)}»" if parent else ""
        meta = f"<b>{esc(hit.file_type.upper() or 'файл')}</b> · вложение{where} · {meta}"
    regions = region_links_html(hit.regions[:5]) if hit.regions else ""
    others = _meta(also)
    return (
        '<div class="vn-hit">'
        f'<div class="vn-hit-title">{link_html(hit.url, title)}</div>'
        f'<div class="vn-meta">{meta}{" · " + regions if regions else ""}</div>'
        f'<div class="vn-snippet">{hit.snippet}</div>'
        + (f'<div class="vn-also">также: {others}</div>' if others else "")
        + "</div>"
    )


def text_html(body_html: str) -> str:
    """A document's text (already escaped, with ``<mark>``) as a block keeping its line breaks."""
    return f'<div class="vn-text">{body_html}</div>'
