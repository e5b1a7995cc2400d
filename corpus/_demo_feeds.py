"""The demo sites' feeds and sitemap index: an RSS 2.0 feed (mpt), an Atom feed (vitebsk), and a
sitemap index whose Russian child is gzipped (mpt). Configured per site in ``site.toml``
(``feed``, ``feed_path``, ``feed_linked``, ``sitemap_index``); routed by ``_demo_routes``.

Feeds carry the newest ``FEED_SIZE`` articles of the site's first section online in the state,
"feed_only" articles included (the listings leave those out: only the feed and the sitemap name
them).
"""

from __future__ import annotations

import gzip
from datetime import datetime
from email.utils import format_datetime
from html import escape

from corpus._demo_gold import Article, Site, canonical_path, listing_path, modified_at
from corpus._demo_render import Ctx, sitemap_xml, teaser

__all__ = [
    "FEED_SIZE",
    "SITEMAP_CHILDREN",
    "feed_head_link",
    "feed_reply_type",
    "feed_xml",
    "newest_modified",
    "sitemap_child",
    "sitemap_index_xml",
]

FEED_SIZE = 20
# The children of a sitemap index: path -> the sections it lists (gzipped when it ends in .gz).
SITEMAP_CHILDREN = {"/sitemaps/news-ru.xml.gz": ("ru",), "/sitemaps/news-other.xml": ("be", "en")}
_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def feed_reply_type(site: Site) -> str:
    """The Content-Type the site's feed is served with."""
    return f"{_TYPES[site.feed]}; charset=utf-8"


def feed_head_link(site: Site) -> str:
    """The ``<link rel="alternate">`` naming the feed ("" when pages do not name it)."""
    if not site.feed or not site.feed_linked:
        return ""
    return (
        f'<link rel="alternate" type="{_TYPES[site.feed]}" title="{escape(site.title)}: новости" '
        f'href="{escape(site.feed_path)}">\n'
    )


def _items(site: Site, state: int) -> list[Article]:
    return list(site.announced(site.sections[0], state))[:FEED_SIZE]


def newest_modified(site: Site, state: int) -> datetime:
    """When the feed last changed: the latest change of its items."""
    return max(modified_at(site, a, state) for a in _items(site, state))


def _rss(site: Site, ctx: Ctx) -> str:
    sec = site.sections[0]
    items = "".join(
        f"<item>\n<title>{escape(a.title)}</title>\n<link>{ctx.base}{canonical_path(site, a)}</link>\n"
        f"<description>{escape(teaser(a, ctx.state))}</description>\n"
        f"<pubDate>{format_datetime(a.published)}</pubDate>\n"
        f'<guid isPermaLink="true">{ctx.base}{canonical_path(site, a)}</guid>\n</item>\n'
        for a in _items(site, ctx.state)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{escape(site.title)}: новости</title>\n"
        f"<link>{ctx.base}{listing_path(site, sec)}</link>\n"
        f"<description>Новости: {escape(site.title)}</description>\n<language>{sec}</language>\n"
        f'<atom:link href="{ctx.base}{site.feed_path}" rel="self" type="application/rss+xml"/>\n'
        f"{items}</channel>\n</rss>\n"
    )


def _atom(site: Site, ctx: Ctx) -> str:
    sec = site.sections[0]
    entries = "".join(
        f"<entry>\n<title>{escape(a.title)}</title>\n"
        f'<link rel="alternate" type="text/html" href="{ctx.base}{canonical_path(site, a)}"/>\n'
        f"<id>{ctx.base}{canonical_path(site, a)}</id>\n"
        f"<published>{a.published.isoformat()}</published>\n"
        f"<updated>{modified_at(site, a, ctx.state).isoformat()}</updated>\n"
        f"<summary>{escape(teaser(a, ctx.state))}</summary>\n</entry>\n"
        for a in _items(site, ctx.state)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{sec}">\n'
        f"<title>{escape(site.title)}: новости</title>\n"
        f"<id>{ctx.base}{listing_path(site, sec)}</id>\n"
        f"<updated>{newest_modified(site, ctx.state).isoformat()}</updated>\n"
        f'<link rel="self" type="application/atom+xml" href="{ctx.base}{site.feed_path}"/>\n'
        f'<link rel="alternate" type="text/html" href="{ctx.base}{listing_path(site, sec)}"/>\n'
        f"<author><name>{escape(site.title)}</name></author>\n{entries}</feed>\n"
    )


def feed_xml(site: Site, ctx: Ctx) -> str:
    """The site's feed in its state (RSS 2.0 or Atom 1.0)."""
    return _rss(site, ctx) if site.feed == "rss" else _atom(site, ctx)


def sitemap_index_xml(site: Site, ctx: Ctx) -> str:
    """/sitemap.xml of a site with ``sitemap_index``: its children with their lastmod."""
    rows = []
    for path, sections in SITEMAP_CHILDREN.items():
        arts = [a for s in sections for a in site.announced(s, ctx.state)]
        if not arts:
            continue
        newest = max(modified_at(site, a, ctx.state) for a in arts).isoformat()
        rows.append(f"<sitemap><loc>{ctx.base}{path}</loc><lastmod>{newest}</lastmod></sitemap>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</sitemapindex>\n"
    )


def sitemap_child(site: Site, ctx: Ctx, path: str) -> tuple[bytes, str] | None:
    """(body, content type) of a child sitemap of the index; None for another path."""
    sections = SITEMAP_CHILDREN.get(path)
    if not site.sitemap_index or sections is None:
        return None
    text = sitemap_xml(site, ctx, sections).encode("utf-8")
    if path.endswith(".gz"):
        return gzip.compress(text, mtime=0), "application/x-gzip"
    return text, "application/xml"
