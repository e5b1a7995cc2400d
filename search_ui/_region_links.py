"""Links to the «Регион» page: every region label in the UI is one (``region?r=<name>``)."""

from __future__ import annotations

import html
from collections.abc import Iterable
from urllib.parse import quote

__all__ = ["PARAM", "region_href", "region_link_html", "region_links_html"]

PARAM = "r"  # the URL parameter of the «Регион» page


def region_href(name: str) -> str:
    """The page's relative URL for ``name`` (``region?r=...``, the name percent-encoded)."""
    return f"region?{PARAM}={quote(name, safe='')}"


def region_link_html(name: str) -> str:
    """A link to the «Регион» page of ``name`` (same tab), its text escaped."""
    text = html.escape(name, quote=True)
    return f'<a class="vn-region" href="{region_href(name)}" target="_self">{text}</a>'


def region_links_html(names: Iterable[str]) -> str:
    """Region labels as links, separated by " · "."""
    return " · ".join(region_link_html(n) for n in names)
