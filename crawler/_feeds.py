"""RSS 2.0 and Atom feeds: found in a page's ``<link rel="alternate">`` or at common paths, read
with feedparser from bytes the crawler fetched itself (feedparser never fetches), screened first.

Usage::

    feed = read_feed(body, "https://example.gov.by/rss.xml", max_bytes=5_000_000)
    feed.kind, feed.entries[0].url
    # -> ('rss20', 'https://example.gov.by/ru/news/09-01-2023-8401')

The screen: a body past ``max_bytes`` is refused unread; the XML is parsed once by ``defusedxml``,
which refuses entity declarations (billion laughs, quadratic blow-up) and external references
before feedparser sees a byte. A feed that is not well-formed XML is read leniently by feedparser
(unless it declares entities) and says so in ``Feed.problems``; one with nothing usable is an
``ExtractError``. Unreadable or impossible dates are tolerated: the entry is kept without them.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml
import defusedxml.ElementTree
import feedparser

from core.errors import ExtractError
from crawler._entries import Entry, plausible
from crawler._urls import join_url

__all__ = [
    "COMMON_FEED_PATHS",
    "FEED_LINK_TYPES",
    "FEED_MIME_TYPES",
    "MAX_ENTRIES",
    "Feed",
    "feed_links",
    "read_feed",
]

# Probed once per site (in this order) when none of its pages names a feed: Drupal, WordPress,
# Bitrix, Hugo/Jekyll and hand-made sites between them.
COMMON_FEED_PATHS = ("/rss.xml", "/atom.xml", "/feed", "/rss", "/feed.xml", "/index.xml", "/rss/")
# ``<link rel="alternate" type=...>`` values that name a feed.
FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
# Content types a feed is served with (besides XML and text types the fetcher already takes).
FEED_MIME_TYPES = (*FEED_LINK_TYPES, "application/x-rss+xml", "application/octet-stream")
MAX_ENTRIES = 10_000  # entries read from one feed; the rest are noted and left
_HEAD_BYTES = 256_000  # feed links are looked for in the head: the first bytes of a page
_MAX_LINKS = 5


@dataclass(frozen=True)
class Feed:
    """A feed read: its format (feedparser's name, e.g. "rss20", "atom10"), its title, its entries,
    and what was tolerated on the way (unreadable dates, lenient parsing), one line each."""

    kind: str
    title: str
    entries: tuple[Entry, ...]
    problems: tuple[str, ...] = ()


def _screen(raw: bytes, max_bytes: int) -> str:
    """ "" when the XML is well-formed and harmless; the parse error when it is malformed;
    an ``ExtractError`` when it is too big or declares entities."""
    if len(raw) > max_bytes:
        raise ExtractError(f"feed larger than the cap of {max_bytes} bytes (feeds.max_bytes)")
    try:
        defusedxml.ElementTree.fromstring(raw)
    except defusedxml.EntitiesForbidden as exc:
        raise ExtractError(f"feed declares XML entities ({exc.name}): refused unread") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise ExtractError("feed refers to an external entity: refused unread") from exc
    except defusedxml.DTDForbidden as exc:  # pragma: no cover - DTDs are allowed, kept for safety
        raise ExtractError("feed has a forbidden DTD: refused unread") from exc
    except ParseError as exc:
        if b"<!entity" in raw.lower():
            raise ExtractError(
                f"feed is not well-formed XML ({exc}) and declares entities"
            ) from exc
        return str(exc)
    return ""


def _stamp(entry: Any, key: str) -> tuple[datetime | None, bool]:
    """(date, unreadable?) of ``key`` ("published"/"updated"); read with ``dict.get`` so
    feedparser's deprecated updated->published fallback is never triggered."""
    raw = dict.get(entry, key)
    parsed = dict.get(entry, f"{key}_parsed")
    if parsed is None:
        return None, bool(raw)
    try:
        stamp = datetime(*time.struct_time(parsed)[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None, True
    good = plausible(stamp)
    return good, good is None


def _link(entry: Any, base: str) -> str | None:
    href = dict.get(entry, "link") or ""
    if not href:
        for link in dict.get(entry, "links") or ():
            if dict.get(link, "rel", "alternate") == "alternate" and dict.get(link, "href"):
                href = dict.get(link, "href")
                break
    ident = dict.get(entry, "id") or ""
    if not href and ident.startswith(("http://", "https://")):
        href = ident
    return join_url(base, str(href)) if href else None


def read_feed(raw: bytes, url: str, *, max_bytes: int) -> Feed:
    """The entries of an RSS/Atom feed fetched from ``url`` (links resolved against it); an
    ``ExtractError`` of one line when the feed is refused or holds nothing usable."""
    malformed = _screen(raw, max_bytes)
    # A stream, never bytes or str: given bytes that name a file, feedparser would open it.
    parsed = feedparser.parse(io.BytesIO(raw), resolve_relative_uris=False, sanitize_html=False)
    kind = str(dict.get(parsed, "version") or "")
    items = list(dict.get(parsed, "entries") or ())
    if not kind and not items:
        reason = f"not well-formed XML ({malformed})" if malformed else "not an RSS or Atom feed"
        raise ExtractError(f"feed unreadable: {reason}")
    problems: list[str] = []
    if malformed:
        problems.append(f"not well-formed XML ({malformed}); read leniently")
    if len(items) > MAX_ENTRIES:
        problems.append(f"{len(items)} entries; the first {MAX_ENTRIES} read")
        items = items[:MAX_ENTRIES]
    entries: list[Entry] = []
    bad_dates = no_link = 0
    for item in items:
        link = _link(item, url)
        if link is None:
            no_link += 1
            continue
        published, bad_published = _stamp(item, "published")
        updated, bad_updated = _stamp(item, "updated")
        bad_dates += bad_published or bad_updated
        entries.append(Entry(link, modified=updated, published=published))
    if bad_dates:
        problems.append(f"{bad_dates} entries with unreadable or impossible dates (kept undated)")
    if no_link:
        problems.append(f"{no_link} entries without a usable link (skipped)")
    feed_info = dict.get(parsed, "feed") or {}
    title = str(dict.get(feed_info, "title") or "")
    return Feed(kind or "unknown", title, tuple(entries), tuple(problems))


class _HeadLinks(HTMLParser):
    """Collects ``<link rel="alternate" type="...rss/atom...">`` hrefs until the body starts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.done = True
        if tag != "link" or self.done:
            return
        values = {k.lower(): (v or "") for k, v in attrs}
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").split(";", 1)[0].strip().lower()
        if "alternate" in rels and kind in FEED_LINK_TYPES and values.get("href"):
            self.hrefs.append(values["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.done = True


def feed_links(html: bytes, base: str) -> list[str]:
    """The feeds a page names in its head, as absolute URLs (at most five, in page order)."""
    head = html[:_HEAD_BYTES]
    if b"alternate" not in head.lower():
        return []
    parser = _HeadLinks()
    text = head.decode("utf-8", "replace")
    for start in range(0, len(text), 8192):
        parser.feed(text[start : start + 8192])
        if parser.done:
            break
    found: list[str] = []
    for href in parser.hrefs:
        url = join_url(base, href)
        if url is not None and url not in found:
            found.append(url)
    return found[:_MAX_LINKS]
