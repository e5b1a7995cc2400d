"""sitemap.xml: sitemap indexes, gzipped sitemaps and ``lastmod``, read with entities and the
network off and the inflated size capped while decompressing.

>>> index = read_sitemap(b'<sitemapindex><sitemap><loc>https://h/news.xml.gz</loc>'
...                      b'</sitemap></sitemapindex>', max_bytes=1000)
>>> [e.url for e in index.nested], index.pages
(['https://h/news.xml.gz'], ())
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from core.errors import ExtractError
from crawler._entries import Entry, parse_stamp, plausible

__all__ = ["SITEMAP_MIME_TYPES", "Sitemap", "inflate", "read_sitemap", "sitemap_urls"]

# Content types a sitemap is served with (besides XML and text types the fetcher already takes).
SITEMAP_MIME_TYPES = ("application/gzip", "application/x-gzip", "application/octet-stream")
_STEP = 65_536
_GZIP_MAGIC = b"\x1f\x8b"
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)  # sitemaps have no use for them
_COMPAT_CAP = 50 * 2**20  # sitemap_urls: the protocol's own limit of 50 MiB


@dataclass(frozen=True)
class Sitemap:
    """A sitemap read: the nested sitemaps of an index, the page URLs of a urlset."""

    nested: tuple[Entry, ...] = ()
    pages: tuple[Entry, ...] = ()

    @property
    def newest(self) -> datetime | None:
        """The latest ``lastmod`` of its pages (None when none has one)."""
        return max((e.modified for e in self.pages if e.modified is not None), default=None)


def inflate(raw: bytes, cap: int) -> bytes:
    """The bytes of a gzip stream, inflated a step at a time; an ``ExtractError`` as soon as
    they pass ``cap`` (a few KB of gzip can inflate to gigabytes) or when the stream is broken."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = io.BytesIO()
    data = raw
    try:
        while data and not inflater.eof:
            out.write(inflater.decompress(data, _STEP))
            if out.tell() > cap:
                raise ExtractError(f"gzipped sitemap inflates past the cap of {cap} bytes")
            data = inflater.unconsumed_tail
        if not inflater.eof:
            out.write(inflater.flush())
    except zlib.error as exc:
        raise ExtractError(f"damaged gzip data ({exc})") from exc
    if out.tell() > cap:
        raise ExtractError(f"gzipped sitemap inflates past the cap of {cap} bytes")
    return out.getvalue()


def _name(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def read_sitemap(raw: bytes, *, max_bytes: int) -> Sitemap:
    """The entries of a sitemap or sitemap index (gzipped or not), ``lastmod`` parsed (an
    unreadable or impossible one is dropped); broken XML gives what could be recovered. An
    ``ExtractError`` when it is too big, declares entities, or holds nothing readable."""
    if raw.startswith(_GZIP_MAGIC):
        raw = inflate(raw, max_bytes)
    if len(raw) > max_bytes:
        raise ExtractError(f"sitemap larger than the cap of {max_bytes} bytes")
    if _ENTITY.search(raw):
        raise ExtractError("sitemap declares XML entities: refused unread")
    nested: list[Entry] = []
    pages: list[Entry] = []
    loc, lastmod, root = "", "", False
    events = etree.iterparse(
        io.BytesIO(raw), events=("end",), recover=True, resolve_entities=False,
        no_network=True, huge_tree=False,
    )  # fmt: skip
    try:
        for _event, el in events:
            name = _name(el)
            if name == "loc":
                loc = (el.text or "").strip()
            elif name == "lastmod":
                lastmod = (el.text or "").strip()
            elif name in ("urlset", "sitemapindex"):
                root = True
            elif name in ("url", "sitemap"):
                if loc:
                    entry = Entry(loc, modified=plausible(parse_stamp(lastmod)))
                    (nested if name == "sitemap" else pages).append(entry)
                loc, lastmod = "", ""
                el.clear()
    except etree.XMLSyntaxError as exc:
        if not nested and not pages:
            raise ExtractError(f"sitemap is not readable XML ({exc})") from exc
        # nothing recoverable after this point: keep what was read
    if not root and not nested and not pages:
        raise ExtractError("not a sitemap (no <urlset> or <sitemapindex>)")
    return Sitemap(tuple(nested), tuple(pages))


def sitemap_urls(raw: bytes) -> tuple[list[str], list[str]]:
    """``(nested sitemaps, page URLs)`` named by a sitemap or sitemap index."""
    try:
        read = read_sitemap(raw, max_bytes=_COMPAT_CAP)
    except ExtractError:
        return [], []
    return [e.url for e in read.nested], [e.url for e in read.pages]
