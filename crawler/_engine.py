"""The async crawl engine: workers take URLs from the store's frontier, fetch them politely and
write pages and documents back through the store.

A site's crawl either resumes (its frontier still holds queued or in-flight URLs: a killed crawl)
or starts fresh from its start URLs, its sitemaps and the documents it already has (re-checked,
conditionally when incremental). Every outcome of a URL is settled in the frontier only after
the page and its document are written, so a crawl killed at any instant loses nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from urllib.parse import urlsplit

import httpx

from core.enums import DocKind, FrontierKind, PageState
from core.errors import ExtractError
from core.records import DocumentDraft, FrontierItem, PageFetch
from corpus import DEFAULT_LEASE, DONE, FAILED, CrawlStore, FrontierEntry, content_hash, retry_at
from crawler._announce import Announced, Announcer, FeedPolicy
from crawler._attachments import attachment_items, store_attachment
from crawler._extract import ExtractedPage, extract_page
from crawler._fetch import FetchPolicy, FetchResult, fetch
from crawler._files import FILE_MIME_TYPES, FileLimits, FileReader
from crawler._hosts import HostPolicy, Hosts
from crawler._links import LinkFollower, classify, known_document
from crawler._markup import MAX_TAGS, cap_tags
from crawler._politeness import HostSlot
from crawler._profiles import SiteProfile
from crawler._repeats import RepeatTable
from crawler._retry import RetryPolicy, next_attempt
from crawler._traps import TrapGuard, TrapPolicy
from crawler._urls import MAX_URL_LENGTH, host_key, normalize_url, url_problem

__all__ = ["Counters", "Engine", "EngineConfig", "SiteJob"]

log = logging.getLogger(__name__)

_RECHECK_PRIORITY = 2
_CLAIM_BATCH = 4  # URLs claimed at once on a shared store (one round trip per batch)
_LEASE_MARGIN = 5.0  # seconds of lease kept beyond a fetch's deadline for storing its answer


@dataclass
class Counters:
    """Live counters of a crawl run (mutable; the engine owns it)."""

    fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    gone: int = 0
    not_modified: int = 0
    skipped: int = 0
    files: int = 0  # attachments stored new or changed
    file_errors: int = 0  # attachments that could not be read (recorded errors)
    queued: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counters by name."""
        return dict(self.__dict__)


@dataclass(frozen=True, kw_only=True)
class EngineConfig:
    """Settings the engine reads, gathered once from ``Settings``."""

    user_agent: str
    robots_agent: str = "vestnik"
    concurrency: int = 8
    per_host_concurrency: int = 2
    delay: float = 1.0
    respect_robots: bool = True
    use_sitemaps: bool = True
    max_pages: int = 0
    stop_after: int = 2
    incremental: bool = True
    max_crawl_delay: float = 60.0
    robots_max_bytes: int = 500_000
    max_url_length: int = MAX_URL_LENGTH
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    files: FileLimits | None = None  # None: attachments are not fetched (crawler/_attachments.py)
    traps: TrapPolicy = field(default_factory=TrapPolicy)
    # feeds and sitemaps, read before a site's listings (crawler/_announce.py)
    feeds: FeedPolicy = field(default_factory=FeedPolicy)
    shared: bool = False  # the store is shared by worker processes (PostgreSQL)
    lease: float = DEFAULT_LEASE  # seconds a claimed URL is held (renewed before its request)
    repeats: RepeatTable | None = None  # repeated blocks stripped from bodies (crawler/_repeats.py)

    def host_policy(self) -> HostPolicy:
        """The per-host part of these settings."""
        return HostPolicy(
            delay=self.delay, concurrency=self.per_host_concurrency,
            respect_robots=self.respect_robots, robots_agent=self.robots_agent,
            max_crawl_delay=self.max_crawl_delay, robots_max_bytes=self.robots_max_bytes,
            lease=self.lease,
        )  # fmt: skip


@dataclass(frozen=True)
class SiteJob:
    """One site to crawl: its profile and the start URLs of this run."""

    profile: SiteProfile
    start_urls: tuple[str, ...]

    @property
    def start_hosts(self) -> frozenset[str]:
        """Hosts of the start URLs: the only ones allowed to be (or resolve to) private or
        loopback addresses."""
        return frozenset(host_key(u) for u in self.start_urls)


@dataclass
class _SiteState:
    active: int = 0
    fetched: int = 0
    claimed: deque[FrontierItem] = field(default_factory=deque)  # claimed, not yet taken
    budget_seen: int = 0  # ``fetched`` when the shared frontier's spending was last read


class Engine:
    """Crawl ``SiteJob``s into ``store`` with an injected ``httpx.AsyncClient``."""

    def __init__(
        self, store: CrawlStore, client: httpx.AsyncClient, config: EngineConfig, run_id: int,
        counters: Counters,
    ) -> None:  # fmt: skip
        self.store, self.client, self.config = store, client, config
        self.run_id, self.counters = run_id, counters
        self._global = asyncio.Semaphore(max(1, config.concurrency))
        self.hosts = Hosts(client, config.host_policy(), config.fetch, self._record,
                           self._robots_fetched,
                           store.host_slots if config.shared else None)  # fmt: skip
        self._guards: dict[str, TrapGuard] = {}
        self._files = FileReader(config.files) if config.files is not None else None
        self._announcer = Announcer(
            store, config.feeds, config.fetch, run_id=run_id, counters=counters,
            incremental=config.incremental, fetch=self._fetch_side, refusal=self._refusal,
            classify=classify, report=self._refused, max_url_length=config.max_url_length,
        )  # fmt: skip
        self._announced: dict[str, Announced] = {}  # per site: what its feeds and sitemaps said
        self._links = LinkFollower(
            store, incremental=config.incremental, stop_after=config.stop_after,
            max_url_length=config.max_url_length, guard=self._guard, refused=self._refused,
            announced=self._announced,
        )  # fmt: skip
        self._claim_batch = min(_CLAIM_BATCH, max(1, config.concurrency)) if config.shared else 1

    async def run(self, jobs: list[SiteJob]) -> None:
        """Crawl every job (sites side by side) until their frontiers are empty."""
        try:
            await asyncio.gather(*(self._crawl_site(job) for job in jobs))
        finally:
            if self._files is not None:
                await self._files.aclose()

    # -- politeness and scope ---------------------------------------------------------------

    def _record(self, url: str, message: str) -> None:
        self.store.record_error(self.run_id, url, message)

    def _robots_fetched(self) -> None:
        self.counters.fetched += 1

    def _guard(self, site: str) -> TrapGuard:
        guard = self._guards.get(site)
        if guard is None:
            guard = self._guards[site] = TrapGuard(self.config.traps)
        return guard

    def _refused(self, site: str, url: str, why: str) -> None:
        """A URL not followed: the first of each kind (``why`` with its numbers left out) per
        site is logged and recorded, the rest counted (``_crawl_site`` logs the totals)."""
        if self._guard(site).tally(re.sub(r"\d+", "N", why)):
            message = f"{why}; further such URLs of site {site} are only counted"
            log.warning("%s: %s", url[:300], message)
            self._record(url[:2000], message)

    async def _slot(self, url: str, profile: SiteProfile) -> HostSlot:
        return await self.hosts.slot(url, profile.delay, profile.concurrency)

    async def _refusal(self, job: SiteJob, url: str, kind: str = "") -> str:
        """Why ``url`` may not be requested ("" when it may); a sitemap, feed or attachment may
        sit outside the site's path scope (at the host's root, under /files/), never off its hosts."""
        problem = url_problem(url, self.config.max_url_length)
        if problem:
            return problem
        if (
            kind not in (FrontierKind.SITEMAP, FrontierKind.FEED, FrontierKind.ATTACHMENT)
            and not job.profile.in_scope(url)
            and normalize_url(url) not in {normalize_url(u) for u in job.start_urls}
        ):
            return f"outside the scope of site {job.profile.name}"
        host = host_key(url)
        if host not in job.profile.hosts and host not in job.start_hosts:
            return f"host {host} is not one of the site's hosts"
        if host not in job.start_hosts and await self.hosts.private(host):
            return f"host {host} is a private address"
        slot = await self._slot(url, job.profile)
        if not self.hosts.allowed(slot, url):
            return "disallowed by robots.txt"
        return ""

    # -- the site loop ----------------------------------------------------------------------

    async def _crawl_site(self, job: SiteJob) -> None:
        site = job.profile.name
        counts = self.store.frontier.pending(site)
        if counts.pending:
            log.info("%s: resuming an interrupted crawl (%d queued, %d claimed)", site,
                     counts.queued, counts.in_flight)  # fmt: skip
        else:
            await self._seed(job)
        state = _SiteState()
        workers = max(1, self.config.concurrency)
        try:
            await asyncio.gather(*(self._worker(job, state) for _ in range(workers)))
        finally:
            if state.claimed:  # claimed in a batch, not reached (page or site budget spent)
                self.store.frontier.unclaim(state.claimed)
                state.claimed.clear()
        for kind, count in sorted(self._guard(site).refusals.items()):
            if count > 1:
                log.info("%s: %d URLs not followed: %s", site, count, kind)

    async def _seed(self, job: SiteJob) -> None:
        profile, site = job.profile, job.profile.name
        items: list[FrontierEntry] = []
        for url in job.start_urls:
            kind = profile.kind_of(url) if not profile.by_content else "listing"
            items.append(FrontierEntry(url, "listing" if kind == "page" else kind))
        maps: list[str] = []
        if self.config.use_sitemaps and profile.use_sitemap:
            for url in job.start_urls[:1]:
                slot = await self._slot(url, profile)
                found = list(slot.robots.sitemaps) if slot.robots is not None else []
                base = f"{urlsplit(url).scheme}://{host_key(url)}"
                for sm in found or [f"{base}/sitemap.xml"]:
                    problem = url_problem(sm, self.config.max_url_length)
                    if problem:
                        self._refused(site, sm, f"robots.txt Sitemap line not read: {problem}")
                        continue
                    maps.append(normalize_url(sm, keep_slash=True))
        announced = await self._announcer.announce(job, maps)  # feeds and sitemaps first
        items += announced.entries.values()
        cutoff, newest = "", ""
        if self.config.incremental and profile.revisit_days:
            cutoff = (date.today() - timedelta(days=profile.revisit_days)).isoformat()
        for doc in self.store.iter_documents(site=site, state=None):
            if doc.kind != DocKind.ATTACHMENT:
                newest = max(newest, doc.published[:10])
            if announced.skips(doc):  # its sitemap/feed date has not moved
                continue
            if not cutoff or doc.published >= cutoff:
                if doc.kind == DocKind.ATTACHMENT:  # re-checked as a file, with its parent
                    items.append(FrontierEntry(doc.url, FrontierKind.ATTACHMENT, 1,
                                               _RECHECK_PRIORITY, doc.parent_url))  # fmt: skip
                else:
                    items.append(FrontierEntry(doc.url, "article", priority=_RECHECK_PRIORITY))
        announced.finish(newest)
        self._announced[site] = announced
        if not self.store.frontier.seed(site, items):
            log.info("%s: another worker started this crawl; joining it", site)

    async def _worker(self, job: SiteJob, state: _SiteState) -> None:
        site = job.profile.name
        guard = self._guard(site)
        while True:
            if self.config.max_pages and state.fetched >= self.config.max_pages:
                return
            self._spent_elsewhere(site, guard, state)
            if guard.exhausted:
                if guard.tally("site budget"):
                    message = (f"site budget of {guard.policy.site_budget} pages spent; the rest "
                               f"of the frontier waits for the next run")  # fmt: skip
                    log.warning("%s: %s", site, message)
                    self._record(job.start_urls[0], message)
                return
            item = self._claim(site, state)
            if item is None:
                if state.active == 0:
                    due = self.store.frontier.next_due(site)
                    if due is None:
                        return
                    await asyncio.sleep(min(max(due - time.time(), 0.01), 0.5))
                else:
                    await asyncio.sleep(0.01)
                continue
            state.active += 1
            state.fetched += 1
            try:
                await self._process(job, item)
            finally:
                state.active -= 1

    def _spent_elsewhere(self, site: str, guard: TrapGuard, state: _SiteState) -> None:
        """On a shared frontier the site budget is spent by all workers together: every few
        requests (each one near the end) read how many URLs the frontier has settled."""
        budget = guard.policy.site_budget
        if not (self.config.shared and budget):
            return
        every = min(25, max(1, (budget - guard.pages - guard.elsewhere) // 10))
        if state.fetched and state.fetched - state.budget_seen < every:
            return
        state.budget_seen = state.fetched
        counts = self.store.frontier.pending(site)
        guard.elsewhere = max(0, counts.done + counts.failed - guard.pages)

    def _claim(self, site: str, state: _SiteState) -> FrontierItem | None:
        """The site's next URL: from this process's batch, else a new batch from the frontier."""
        if not state.claimed:
            state.claimed.extend(
                self.store.frontier.claim_many(site, self._claim_batch, lease=self.config.lease)
            )
        return state.claimed.popleft() if state.claimed else None

    # -- one URL ----------------------------------------------------------------------------

    def _conditional(self, url: str) -> dict[str, str]:
        page = self.store.get_page(url)
        if page is None or not (page.etag or page.last_modified) or page.state != "ok":
            doc = self.store.find_document(url)
            urls = [doc.url, *doc.aliases] if doc is not None else []
            page = next(
                (p for p in map(self.store.get_page, urls)
                 if p is not None and p.state == "ok" and (p.etag or p.last_modified)),
                None,
            )  # fmt: skip
        if page is None:
            return {}
        headers = {}
        if page.etag:
            headers["If-None-Match"] = page.etag
        if page.last_modified:
            headers["If-Modified-Since"] = page.last_modified
        return headers

    async def _process(self, job: SiteJob, item: FrontierItem) -> None:
        site, url = job.profile.name, item.url
        if self._skip_if_down(site, item):
            return
        if item.kind in (FrontierKind.FEED, FrontierKind.SITEMAP):  # crawler/_announce.py
            await self._announcer.read_row(job, item)
            return
        guard = self._guard(site)
        refused = await self._refusal(job, url, item.kind)
        refused = refused or (guard.refusal(url) if item.referrer else "")
        if refused:
            with self.store.batch():
                self.store.record_fetch(PageFetch(url, site, 0, PageState.SKIPPED, error=refused))
                self.store.frontier.settle(item, DONE)
            self.counters.skipped += 1
            return
        headers = self._conditional(url) if self.config.incremental else {}
        slot = await self._slot(url, job.profile)

        is_file = item.kind == FrontierKind.ATTACHMENT and self._files is not None

        async def gate(target: str) -> str:
            return await self._refusal(job, target, item.kind if is_file else "")

        async with self._global, slot:
            if self._skip_if_down(site, item):  # the host went down while this URL waited
                return
            if self.config.shared and self._lease_short(item):  # the wait was long: hold on
                held = self.store.frontier.renew(item, self.config.lease)
                if held is None:  # the lease ran out meanwhile and another worker took it
                    log.debug("%s: claim lost while waiting; another worker has it", url)
                    return
                item = held
            policy = self._file_policy() if is_file else self.config.fetch
            result = await fetch(self.client, url, headers=headers, policy=policy, gate=gate)
        if result.status:
            self.counters.fetched += 1
            self.hosts.reached(url)
        productive = False
        if result.error_kind or result.status == 429 or result.status >= 500:
            with self.store.batch():
                self._failure(job, item, result)
        elif is_file and result.status == 200:
            productive = await self._attachment(job, item, result)
        else:
            page = None
            if result.status == 200 and item.kind != "sitemap":
                page = self._extract(job, result.body, result.final_url, result.content_type, item)
            with self.store.batch():  # the page, its document, its links and its frontier row
                productive = self._settle(job, item, result, page)
        closed = guard.fetched(url, counted=bool(item.referrer), productive=productive)
        if closed:
            log.warning("%s: %s", site, closed)
            self._record(url, closed)

    def _lease_short(self, item: FrontierItem) -> bool:
        """True when the claim may run out before the request and its storing are done."""
        return item.lease_until - time.time() < self.config.fetch.total_timeout + _LEASE_MARGIN

    # -- feeds and sitemaps (crawler/_announce.py) ---------------------------------------------

    async def _fetch_side(self, job: SiteJob, url: str, kind: str,
                          policy: FetchPolicy) -> FetchResult | str:  # fmt: skip
        """One polite GET of a feed or sitemap (the reason instead when it may not be made)."""
        refused = self.hosts.down(url) or await self._refusal(job, url, kind)
        if refused:
            return refused
        headers = self._conditional(url) if self.config.incremental else {}
        slot = await self._slot(url, job.profile)

        async def gate(target: str) -> str:
            return await self._refusal(job, target, kind)

        async with self._global, slot:
            result = await fetch(self.client, url, headers=headers, policy=policy, gate=gate)
        if result.status:
            self.counters.fetched += 1
            self.hosts.reached(url)
        elif result.error_kind == "connect":
            self.hosts.refused(url, result.error)
        return result

    # -- attachments (crawler/_attachments.py) ------------------------------------------------

    def _file_policy(self) -> FetchPolicy:
        limits = self.config.files or FileLimits()
        return replace(self.config.fetch, max_bytes=limits.max_bytes, types=FILE_MIME_TYPES)

    async def _attachment(self, job: SiteJob, item: FrontierItem, result: FetchResult) -> bool:
        """Store a fetched file; True when it gave a new or changed document."""
        assert self._files is not None
        status = await store_attachment(self.store, self._files, job.profile.name, item, result,
                                        self.run_id)  # fmt: skip
        if status in ("new", "changed"):
            self.counters.files += 1
        elif status == "error":
            self.counters.file_errors += 1
        return status in ("new", "changed")

    def _push_attachments(self, job: SiteJob, item: FrontierItem, parent: str,
                          links: tuple[str, ...]) -> None:  # fmt: skip
        if self._files is None or not links:
            return

        def known(url: str) -> bool:
            return self.config.incremental and self.store.find_document(url) is not None

        rows = attachment_items(job.profile.hosts, parent, links, item.depth, known)
        if rows:
            self.store.frontier.push(job.profile.name, rows)

    def _settle(
        self, job: SiteJob, item: FrontierItem, result: FetchResult, page: ExtractedPage | None
    ) -> bool:
        """Store the answer and settle the URL; True when it gave the site a document (new,
        changed, or known and re-checked)."""
        site, url = job.profile.name, item.url
        productive = False
        if result.status == 304:
            self.store.record_fetch(PageFetch(url, site, 304, PageState.NOT_MODIFIED))
            self.counters.not_modified += 1
            productive = item.kind == "article"
            if item.kind != "article":
                stored = self.store.page_html(url)
                if stored:
                    self._links.follow(job, item, self._extract(job, stored, url, "", item) or None)
        elif result.status in (404, 410):
            self.store.record_fetch(PageFetch(url, site, result.status, PageState.GONE))
            if self.store.mark_gone(url) or self.store.mark_gone(normalize_url(url)):
                self.counters.gone += 1
        elif result.status != 200:
            self._fail(job, item, result.status, f"HTTP {result.status}")
            return False
        else:
            gave = self._page(job, item, result, page)
            if gave is None:
                return False
            productive = gave
        self.store.frontier.settle(item, DONE)
        return productive

    def _failure(self, job: SiteJob, item: FrontierItem, result: FetchResult) -> None:
        if result.error_kind == "type":
            self.store.record_fetch(PageFetch(item.url, job.profile.name, result.status,
                                              PageState.SKIPPED, error=result.error))  # fmt: skip
            self.store.frontier.settle(item, DONE)
            self.counters.skipped += 1
            return
        if result.error_kind == "connect":
            self.hosts.refused(item.url, result.error)
            if self._skip_if_down(job.profile.name, item):
                return
        error: int | str = result.error_kind or result.status
        delay = next_attempt(item.attempts, error, result.retry_after, self.config.retry)
        if delay is not None:
            log.debug("%s: %s; retry in %.1f s", item.url, result.error or result.status, delay)
            self.store.frontier.settle(item, retry_at(time.time() + delay))
            return
        self._fail(job, item, result.status, result.error or f"HTTP {result.status}")

    def _skip_if_down(self, site: str, item: FrontierItem) -> bool:
        """Settle ``item`` as failed, without a request, when its host is down in this run."""
        down = self.hosts.down(item.url)
        if not down:
            return False
        with self.store.batch():
            self.store.record_fetch(PageFetch(item.url, site, 0, PageState.ERROR, error=down))
            self.store.frontier.settle(item, FAILED)
        self.counters.failed += 1
        return True

    def _fail(self, job: SiteJob, item: FrontierItem, status: int, error: str) -> None:
        log.warning("%s: %s", item.url, error)
        self.store.record_fetch(
            PageFetch(item.url, job.profile.name, status, PageState.ERROR, error=error)
        )
        self.store.record_error(self.run_id, item.url, error)
        self.store.frontier.settle(item, FAILED)
        self.counters.failed += 1

    def _extract(
        self, job: SiteJob, raw: bytes, url: str, ctype: str, item: FrontierItem
    ) -> ExtractedPage | None:
        cut = cap_tags(raw)
        if cut is not None:  # a page of a million elements: bounded memory and time
            self._refused(job.profile.name, item.url, f"the page has more than {MAX_TAGS} "
                          f"tags; the first {MAX_TAGS} are read")  # fmt: skip
            raw = cut
        try:
            return extract_page(raw, url, ctype, job.profile, self.config.repeats)
        except ExtractError as exc:
            self.store.record_error(self.run_id, item.url, str(exc))
            return None

    def _page(
        self, job: SiteJob, item: FrontierItem, result: FetchResult, page: ExtractedPage | None
    ) -> bool | None:
        """Store a 200 answer: True when it gave a document (new, changed or re-checked), None
        when the page failed (already settled)."""
        site, url = job.profile.name, item.url
        productive = False
        if page is None:
            self._fail(job, item, 200, "the page cannot be read")
            return None
        canonical = page.canonical if job.profile.in_scope(page.canonical) else result.final_url
        if page.is_article:
            digest = content_hash(page.title, page.body)
            forms = {url, result.final_url, canonical}
            aliases = forms | {normalize_url(u) for u in forms}
            known = bool(
                known_document(self.store, url)
            )  # False: a new URL, perhaps a copy of a known page
            outcome = self.store.save_document(DocumentDraft(
                url=canonical, site=site, title=page.title, body=page.body, lang=page.lang,
                published=page.published, aliases=tuple(sorted(aliases - {canonical})),
                attachments=page.attachments, source_url=url,
            ))  # fmt: skip
            setattr(self.counters, outcome.status, getattr(self.counters, outcome.status) + 1)
            self._push_attachments(job, item, canonical, page.attachments)
            productive = known or outcome.status != "unchanged"
        else:
            digest = hashlib.sha256(result.body).hexdigest()[:32]
        self.store.record_fetch(PageFetch(
            url, site, 200, PageState.OK, canonical_url=canonical, etag=result.etag,
            last_modified=result.last_modified, content_hash=digest, raw_html=result.body,
            encoding=page.encoding,
        ))  # fmt: skip
        if not page.is_article:
            self._announcer.note_page(job, url, result.body)  # the feeds it names
        if not page.is_article or job.profile.by_content:
            self._links.follow(job, item, page)
        return productive
