"""Feeds and sitemaps first: what a site announces, read before its listing walk.

A fresh crawl of a site starts here (``Engine._seed``, before any page is fetched): the feeds the
site is known to have (remembered in the store's meta ``feeds:<site>``, plus those its stored start
pages name; when none, once, the common paths), then its sitemaps (robots.txt ``Sitemap:`` lines
or ``/sitemap.xml``; indexes followed, gzip inflated). Every announced URL is checked like a link
(the site's hosts, its scope, robots.txt); the rest are ignored without a request. ``Announced``
holds the outcome:

- frontier rows for URLs the store does not know, and for known documents whose modification
  date (sitemap ``lastmod``, Atom ``updated``) moved past the copy the store has;
- the known documents whose date has not moved (``feeds.trust_lastmod``): not re-checked;
- whether the announcements reach back to the newest stored document (``covered``): then the
  listing walk stops at the first listing page linking nothing unknown and unannounced.

A feed or sitemap that cannot be read is one recorded error (``failed`` counts it) and the crawl
goes on with its listings. Feeds named by listing pages mid-crawl are remembered and read then.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from datetime import time as dt_time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from core.enums import FrontierKind, PageState
from core.errors import ExtractError
from core.records import Document, FrontierItem, Page, PageFetch
from corpus import DONE, CrawlStore, FrontierEntry
from crawler._entries import Entry, parse_http_date, parse_stamp
from crawler._feeds import COMMON_FEED_PATHS, FEED_MIME_TYPES, feed_links, read_feed
from crawler._fetch import FetchPolicy, FetchResult
from crawler._sitemap import SITEMAP_MIME_TYPES, read_sitemap
from crawler._urls import MAX_URL_LENGTH, host_key, normalize_url, url_problem

if TYPE_CHECKING:
    from crawler._engine import Counters, SiteJob

__all__ = ["MAX_ANNOUNCED", "Announced", "Announcer", "FeedPolicy", "feeds_meta_key"]

log = logging.getLogger(__name__)

MAX_ANNOUNCED = 200_000  # URLs one run takes from a site's feeds and sitemaps
_MAX_FEEDS = 5  # feeds read per site
_RECHECK_PRIORITY = 2  # as the engine's re-checks of known documents
_PRIORITY = {"listing": 0}  # others 1, as the engine queues links
_RENDER_CLOCK = timedelta(
    minutes=2
)  # a Last-Modified this close to the fetch is the server's clock
_SAME = timedelta(seconds=1)
_END_OF_DAY = dt_time(23, 59, 59)

Fetch = Callable[["SiteJob", str, str, FetchPolicy], Awaitable[FetchResult | str]]
Refusal = Callable[["SiteJob", str, str], Awaitable[str]]
Classify = Callable[["SiteJob", str], str]
Report = Callable[[str, str, str], None]  # (site, url, why): a URL not followed, reported once


@dataclass(frozen=True, kw_only=True)
class FeedPolicy:
    """``[feeds]`` as the crawl uses it."""

    feeds: bool = True  # read RSS/Atom feeds
    common_paths: bool = True  # probe COMMON_FEED_PATHS once when a site names no feed
    trust_lastmod: bool = True  # known documents whose lastmod has not moved are not re-checked
    max_bytes: int = 5_000_000  # a feed larger than this is one recorded error
    max_sitemap_bytes: int = 52_428_800  # a sitemap (fetched or inflated) larger than this too
    max_sitemaps: int = 50  # sitemaps read per site and run


def feeds_meta_key(site: str) -> str:
    """The store meta key remembering a site's feeds: JSON ``{"feeds": [...], "probed": bool}``."""
    return f"feeds:{site}"


def _held(page: Page, modified: datetime) -> bool:
    """True when a stored page already shows the version dated ``modified``: its Last-Modified
    is that date (a date that moved either way is a change), or — when the server sent none, or
    sent its own clock (a Last-Modified at the fetch time) — it was fetched after that date."""
    last = parse_http_date(page.last_modified)
    fetched = parse_stamp(page.fetched_at)
    if last is not None and (fetched is None or abs(fetched - last) > _RENDER_CLOCK):
        day_only = modified.time() == _END_OF_DAY  # a bare lastmod date (see parse_stamp)
        return abs(modified - last) <= _SAME or day_only and modified.date() == last.date()
    return fetched is not None and modified <= fetched


def _day(stamp: datetime | None) -> str:
    return stamp.date().isoformat() if stamp is not None else ""


@dataclass
class Announced:
    """What one site's feeds and sitemaps announced in this run (see the module docstring)."""

    entries: dict[str, FrontierEntry] = field(default_factory=dict)
    fresh: set[str] = field(default_factory=set)  # announced URLs the store does not know
    unchanged: set[str] = field(default_factory=set)  # known document URLs whose date held
    moved: set[str] = field(default_factory=set)  # known document URLs whose date moved
    feed_oldest: str = ""  # oldest day of an in-scope feed entry
    sitemap_newest: str = ""  # newest lastmod day of an in-scope sitemap URL
    feeds: int = 0  # feeds read
    sitemaps: int = 0  # sitemaps read
    ignored: int = 0  # entries off the site's hosts, out of scope or disallowed by robots.txt
    cut: int = 0  # entries past MAX_ANNOUNCED
    covered: bool = False  # the announcements reach back to the newest stored document

    @property
    def full(self) -> bool:
        """True when MAX_ANNOUNCED URLs are taken."""
        return len(self.entries) + len(self.unchanged) >= MAX_ANNOUNCED

    def covers(self, url: str) -> bool:
        """True when the announcements reach back to the stored documents (``covered``) and
        named ``url``, unknown to the store: a listing linking it shows nothing new."""
        return self.covered and normalize_url(url) in self.fresh

    def stop_after(self, default: int) -> int:
        """Listing pages in a row linking nothing new before an incremental walk stops."""
        return 1 if self.covered else default

    def skips(self, doc: Document) -> bool:
        """True when a known document needs no re-check: its announced date held. (Attached
        files are in no sitemap: they are re-checked, conditionally, like pages nobody
        announces.)"""
        return doc.url in self.unchanged

    def finish(self, newest_known: str) -> None:
        """Decide ``covered`` from the newest stored document's day (``YYYY-MM-DD``)."""
        feed = bool(self.feed_oldest) and self.feed_oldest <= newest_known
        sitemap = bool(self.sitemap_newest) and self.sitemap_newest >= newest_known
        self.covered = bool(newest_known) and (feed or sitemap)


class Announcer:
    """Reads a site's feeds and sitemaps for the engine, through its politeness and scope."""

    def __init__(
        self, store: CrawlStore, policy: FeedPolicy, fetch_policy: FetchPolicy, *, run_id: int,
        counters: Counters, incremental: bool, fetch: Fetch, refusal: Refusal, classify: Classify,
        report: Report, max_url_length: int = MAX_URL_LENGTH,
    ) -> None:  # fmt: skip
        self.store, self.policy, self.run_id, self.counters = store, policy, run_id, counters
        self.incremental, self.max_url_length = incremental, max_url_length
        self._fetch, self._refusal, self._classify, self._report = fetch, refusal, classify, report
        types = (*fetch_policy.types, *FEED_MIME_TYPES)
        self._feed_fetch = replace(fetch_policy, max_bytes=policy.max_bytes, types=types)
        self._map_fetch = replace(fetch_policy, max_bytes=policy.max_sitemap_bytes,
                                  types=(*types, *SITEMAP_MIME_TYPES))  # fmt: skip
        self._read: set[str] = set()  # feeds read in this run

    # -- the announce phase ------------------------------------------------------------------

    async def announce(self, job: SiteJob, sitemaps: Iterable[str]) -> Announced:
        """Read the site's feeds, then its ``sitemaps``; see the module docstring."""
        out = Announced()
        if self.policy.feeds:
            for url in await self._feeds_of(job, out):
                await self._read_feed(job, url, out)
        await self._read_sitemaps(job, list(sitemaps), out)
        if out.ignored or out.cut:
            log.info("%s: %d announced URLs ignored (off the site, out of scope or robots.txt)%s",
                     job.profile.name, out.ignored,
                     f"; {out.cut} past the cap of {MAX_ANNOUNCED}" if out.cut else "")  # fmt: skip
        return out

    async def _feeds_of(self, job: SiteJob, out: Announced) -> list[str]:
        """The site's feeds: remembered, named by its stored start pages, or (once) probed."""
        meta = self._meta(job.profile.name)
        feeds = list(meta["feeds"])
        seen_pages = False
        for start in job.start_urls:
            html = self.store.page_html(start)
            seen_pages = seen_pages or bool(html)
            feeds += [u for u in feed_links(html, start) if u not in feeds] if html else []
        feeds = feeds[:_MAX_FEEDS]
        probe = not feeds and self.policy.common_paths and seen_pages and not meta["probed"]
        if probe:
            feeds = await self._probe(job, out)
        if probe or feeds != meta["feeds"]:
            self._remember(job.profile.name, feeds, probe or bool(meta["probed"]))
        return [u for u in feeds if u not in self._read]

    async def _probe(self, job: SiteJob, out: Announced) -> list[str]:
        """The first of COMMON_FEED_PATHS on the first start URL's host that is a feed (read)."""
        start = job.start_urls[0]
        base = f"{urlsplit(start).scheme}://{host_key(start)}"
        for path in COMMON_FEED_PATHS:
            if await self._read_feed(job, base + path, out, quiet=True):
                log.info("%s: feed found at %s", job.profile.name, base + path)
                return [base + path]
        return []

    # -- feeds ---------------------------------------------------------------------------------

    async def _read_feed(self, job: SiteJob, url: str, out: Announced, quiet: bool = False) -> bool:
        """Read one feed into ``out``; ``quiet`` (a probe): a miss is not an error."""
        got = await self._get(job, url, FrontierKind.FEED, self._feed_fetch, quiet)
        if got is None:
            return False
        body, result = got
        try:
            feed = read_feed(body, url, max_bytes=self.policy.max_bytes)
        except ExtractError as exc:
            if not quiet:
                self._error(job, url, f"feed {url}: {exc}", 200)
            return False
        self._read.add(url)
        self._stored(job, url, result, body)
        if feed.problems:
            message = f"feed {url}: " + "; ".join(feed.problems)
            log.warning("%s", message)
            self.store.record_error(self.run_id, url, message)
        out.feeds += 1
        await self._take(job, feed.entries, url, out, "feed")
        return True

    # -- sitemaps ------------------------------------------------------------------------------

    async def _read_sitemaps(self, job: SiteJob, urls: list[str], out: Announced) -> None:
        queue, seen, hosts = list(urls), set(urls), job.profile.hosts
        while queue and out.sitemaps < self.policy.max_sitemaps:
            url = queue.pop(0)
            got = await self._get(job, url, FrontierKind.SITEMAP, self._map_fetch)
            if got is None:
                continue
            body, result = got
            try:
                sitemap = read_sitemap(body, max_bytes=self.policy.max_sitemap_bytes)
            except ExtractError as exc:
                self._error(job, url, f"sitemap {url}: {exc}", 200)
                continue
            self._stored(job, url, result, body)
            out.sitemaps += 1
            for nested in sitemap.nested:
                child = self._usable(job, nested.url, "sitemap")
                if child and child not in seen and host_key(child) in hosts:
                    seen.add(child)
                    queue.append(child)
            await self._take(job, sitemap.pages, url, out, "sitemap")
        if queue:
            log.info("%s: %d nested sitemaps past feeds.max_sitemaps (%d) left unread",
                     job.profile.name, len(queue), self.policy.max_sitemaps)  # fmt: skip

    # -- entries -------------------------------------------------------------------------------

    async def _take(
        self, job: SiteJob, entries: Iterable[Entry], source: str, out: Announced, what: str
    ) -> None:
        hosts = job.profile.hosts
        for entry in entries:
            if out.full:
                out.cut += 1
                continue
            url = self._usable(job, entry.url, what)
            kind = self._classify(job, url) if url and host_key(url) in hosts else ""
            if not kind or await self._refusal(job, url, kind):
                out.ignored += 1
                continue
            if what == "feed" and entry.day:
                out.feed_oldest = min(out.feed_oldest or entry.day, entry.day)
            if what == "sitemap" and entry.modified is not None:
                out.sitemap_newest = max(out.sitemap_newest, _day(entry.modified))
            doc = self._document(url) if self.incremental else None
            if doc is not None:
                self._known(doc, entry, out)
            elif normalize_url(url) not in out.fresh:
                out.fresh.add(normalize_url(url))
                out.entries.setdefault(url, FrontierEntry(url, kind, 0, _PRIORITY.get(kind, 1),
                                                          source))  # fmt: skip

    def _usable(self, job: SiteJob, url: str, what: str) -> str:
        """``url`` in the form to request; "" (reported: the first of each kind is recorded)
        when it cannot be requested (too long, malformed, not http(s); ``url_problem``)."""
        problem = url_problem(url, self.max_url_length)
        if problem:
            self._report(job.profile.name, url[:2000], f"{what} URL not followed: {problem}")
            return ""
        return normalize_url(url, keep_slash=True)

    def _document(self, url: str) -> Document | None:
        return self.store.find_document(url) or self.store.find_document(normalize_url(url))

    def _known(self, doc: Document, entry: Entry, out: Announced) -> None:
        """A known document announced: re-check it when its modification date moved."""
        if entry.modified is None:
            return  # no modification date: the engine's re-check decides
        if self._moved(doc, entry.modified):
            out.moved.add(doc.url)
            out.unchanged.discard(doc.url)
            out.entries[doc.url] = FrontierEntry(doc.url, FrontierKind.ARTICLE, 0,
                                                 _RECHECK_PRIORITY)  # fmt: skip
        elif self.policy.trust_lastmod and doc.url not in out.moved:
            out.unchanged.add(doc.url)

    def _moved(self, doc: Document, modified: datetime) -> bool:
        """True unless a stored copy of ``doc`` is as recent as ``modified`` (see ``_held``)."""
        for url in (doc.url, *doc.aliases):
            page = self.store.get_page(url)
            if page is not None and page.state == PageState.OK and _held(page, modified):
                return False
        return True

    # -- rows found mid-crawl ------------------------------------------------------------------

    def note_page(self, job: SiteJob, url: str, body: bytes) -> None:
        """Queue (and remember) the feeds a listing page names that the site had not shown yet."""
        if not self.policy.feeds:
            return
        site = job.profile.name
        meta = self._meta(site)
        known = set(meta["feeds"]) | self._read
        new = [u for u in feed_links(body, url) if u not in known]
        new = new[: max(0, _MAX_FEEDS - len(meta["feeds"]))]
        if not new:
            return
        self._remember(site, [*meta["feeds"], *new], bool(meta["probed"]))
        self.store.frontier.push(
            site, [FrontierEntry(u, FrontierKind.FEED, 0, 0, url) for u in new]
        )

    async def read_row(self, job: SiteJob, item: FrontierItem) -> None:
        """A feed or sitemap row of the frontier: read it, queue what it announces, settle it."""
        out = Announced()
        if item.kind == FrontierKind.FEED:
            if item.url not in self._read:
                await self._read_feed(job, item.url, out)
        else:
            await self._read_sitemaps(job, [item.url], out)
        site = job.profile.name
        with self.store.batch():
            self.store.frontier.push(site, out.entries.values())
            self.store.frontier.settle(item, DONE)

    # -- fetching and records ------------------------------------------------------------------

    async def _get(
        self, job: SiteJob, url: str, kind: str, policy: FetchPolicy, quiet: bool = False
    ) -> tuple[bytes, FetchResult] | None:
        """The body of a feed or sitemap (the stored one on 304); None when there is none."""
        site = job.profile.name
        answer = await self._fetch(job, url, kind, policy)
        if isinstance(answer, str):
            if not quiet:
                log.info("%s: %s not read: %s", site, url, answer)
            return None
        if answer.status == 304:
            body = self.store.page_html(url)
            self.store.record_fetch(PageFetch(url, site, 304, PageState.NOT_MODIFIED))
            self.counters.not_modified += 1
            return (body, answer) if body else None
        if answer.status in (404, 410) and not answer.error_kind:
            if not quiet:
                self.store.record_fetch(PageFetch(url, site, answer.status, PageState.GONE))
            return None
        if answer.error_kind or answer.status != 200:
            if not quiet:
                self._error(job, url, f"{kind} {url}: {answer.error or f'HTTP {answer.status}'}",
                            answer.status)  # fmt: skip
            return None
        return answer.body, answer

    def _stored(self, job: SiteJob, url: str, result: FetchResult, body: bytes) -> None:
        if result.status == 304:
            return
        self.store.record_fetch(PageFetch(
            url, job.profile.name, 200, PageState.OK, canonical_url=url, etag=result.etag,
            last_modified=result.last_modified, content_hash=hashlib.sha256(body).hexdigest()[:32],
            raw_html=body,
        ))  # fmt: skip

    def _error(self, job: SiteJob, url: str, message: str, status: int) -> None:
        log.warning("%s", message)
        with self.store.batch():
            self.store.record_fetch(PageFetch(url, job.profile.name, status, PageState.ERROR,
                                              error=message))  # fmt: skip
            self.store.record_error(self.run_id, url, message)
        self.counters.failed += 1

    def _meta(self, site: str) -> dict[str, Any]:
        try:
            saved = json.loads(self.store.get_meta(feeds_meta_key(site)) or "{}")
        except ValueError:
            saved = {}
        feeds = saved.get("feeds") if isinstance(saved, dict) else None
        feeds = [u for u in feeds if isinstance(u, str)] if isinstance(feeds, list) else []
        probed = bool(saved.get("probed")) if isinstance(saved, dict) else False
        return {"feeds": feeds[:_MAX_FEEDS], "probed": probed}

    def _remember(self, site: str, feeds: list[str], probed: bool) -> None:
        value = {"feeds": feeds[:_MAX_FEEDS], "probed": probed}
        self.store.set_meta(feeds_meta_key(site), json.dumps(value, ensure_ascii=False))
