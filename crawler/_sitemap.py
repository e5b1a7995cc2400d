"""sitemap.xml: nested sitemaps and page URLs, read with entities and the network off."""

from __future__ import annotations

from lxml import etree

__all__ = ["sitemap_urls"]


def sitemap_urls(raw: bytes) -> tuple[list[str], list[str]]:
    """``(nested sitemaps, page URLs)`` named by a sitemap or sitemap index."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    locs = [
        (el.text or "").strip()
        for el in root.iter()
        if isinstance(el.tag, str) and etree.QName(el).localname == "loc"
    ]
    locs = [u for u in locs if u]
    if etree.QName(root).localname == "sitemapindex":
        return locs, []
    return [], locs
