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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlsplit

import httpx

from core.enums import DocKind, FrontierKind, PageState
from core.errors import ExtractError
from core.records import DocumentDraft, FrontierItem, PageFetch
from corpus import DONE, FAILED, CrawlStore, FrontierEntry, content_hash, retry_at
from crawler._attachments import attachment_items, store_attachment
from crawler._extract import ATTACHMENT_EXTENSIONS, ExtractedPage, extract_page
from crawler._fetch import FetchPolicy, FetchResult, fetch
from crawler._files import FILE_MIME_TYPES, FileLimits, FileReader
from crawler._politeness import HostSlot, parse_robots
from crawler._profiles import SiteProfile
from crawler._retry import RetryPolicy, next_attempt
from crawler._sitemap import sitemap_urls
from crawler._urls import host_key, is_private_host, normalize_url

__all__ = ["Counters", "Engine", "EngineConfig", "SiteJob"]

log = logging.getLogger(__name__)

_SKIP_EXT = (
    *ATTACHMENT_EXTENSIONS, ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css",
    ".js", ".mp3", ".mp4", ".avi", ".mov", ".woff", ".woff2", ".ttf", ".exe", ".apk",
)  # fmt: skip
_PAGE_PARAM = re.compile(r"^(page|pagen_\d+|p|pg|start|offset|list_page|curpage)$", re.I)
_PRIORITY = {"sitemap": 0, "listing": 0, "page": 1, "article": 1}
_RECHECK_PRIORITY = 2
_HOST_DOWN_AFTER = 3  # connect errors in a row (any URLs) before a host counts as down


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
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    files: FileLimits | None = None  # None: attachments are not fetched (crawler/_attachments.py)


@dataclass(frozen=True)
class SiteJob:
    """One site to crawl: its profile and the start URLs of this run."""

    profile: SiteProfile
    start_urls: tuple[str, ...]

    @property
    def allow_private(self) -> bool:
        """Private and loopback hosts are allowed only when a start URL is one."""
        return any(is_private_host(host_key(u)) for u in self.start_urls)


@dataclass
class _SiteState:
    active: int = 0
    fetched: int = 0


def _is_pagination(url: str) -> bool:
    parts = urlsplit(url)
    if re.search(r"/page/\d+/?$", parts.path):
        return True
    return any(_PAGE_PARAM.match(k) and v.isdigit() for k, v in parse_qsl(parts.query))


class Engine:
    """Crawl ``SiteJob``s into ``store`` with an injected ``httpx.AsyncClient``."""

    def __init__(
        self, store: CrawlStore, client: httpx.AsyncClient, config: EngineConfig, run_id: int,
        counters: Counters,
    ) -> None:  # fmt: skip
        self.store, self.client, self.config = store, client, config
        self.run_id, self.counters = run_id, counters
        self._slots: dict[str, HostSlot] = {}
        self._slot_lock = asyncio.Lock()
        self._global = asyncio.Semaphore(max(1, config.concurrency))
        self._private: dict[str, bool] = {}
        # hosts that refused connections for _HOST_DOWN_AFTER URLs in a row: the rest of their
        # URLs fail at once in this run (the next run tries again) instead of each retrying
        self._connect_fails: dict[str, int] = {}
        self._host_down: dict[str, str] = {}
        self._files = FileReader(config.files) if config.files is not None else None

    async def run(self, jobs: list[SiteJob]) -> None:
        """Crawl every job (sites side by side) until their frontiers are empty."""
        try:
            await asyncio.gather(*(self._crawl_site(job) for job in jobs))
        finally:
            if self._files is not None:
                await self._files.aclose()

    # -- politeness and scope ---------------------------------------------------------------

    async def _slot(self, url: str, profile: SiteProfile) -> HostSlot:
        host = host_key(url)
        async with self._slot_lock:
            slot = self._slots.get(host)
            if slot is not None:
                return slot
            delay = profile.delay if profile.delay is not None else self.config.delay
            per_host = profile.concurrency or self.config.per_host_concurrency
            slot = HostSlot(host, delay, per_host)
            if self.config.respect_robots:
                robots_url = f"{urlsplit(url).scheme}://{host}/robots.txt"

                async def no_redirects(_target: str) -> str:
                    return "robots.txt redirects are not followed"

                result = await fetch(self.client, robots_url, policy=self.config.fetch,
                                     gate=no_redirects)  # fmt: skip
                self.counters.fetched += 1
                slot.robots = parse_robots(result.status, result.body.decode("utf-8", "replace"))
                if result.error_kind and result.error_kind != "offsite":
                    log.warning("%s: robots.txt unavailable (%s); crawling as allowed", host,
                                result.error)  # fmt: skip
                if slot.robots is not None:
                    crawl_delay = slot.robots.crawl_delay(self.config.robots_agent)
                    if crawl_delay:
                        slot.delay = max(slot.delay, float(crawl_delay))
            self._slots[host] = slot
            return slot

    async def _host_private(self, host: str) -> bool:
        if host in self._private:
            return self._private[host]
        private = is_private_host(host)
        if not private:
            name = urlsplit(f"//{host}").hostname or host
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(name, None)
            except OSError:
                infos = []
            private = any(is_private_host(str(info[4][0])) for info in infos)
        self._private[host] = private
        return private

    async def _refusal(self, job: SiteJob, url: str, kind: str = "") -> str:
        """Why ``url`` may not be requested ("" when it may); a sitemap, feed or attachment may
        sit outside the site's path scope (at the host's root, under /files/), never off its hosts."""
        if (
            kind not in (FrontierKind.SITEMAP, FrontierKind.FEED, FrontierKind.ATTACHMENT)
            and not job.profile.in_scope(url)
            and normalize_url(url) not in {normalize_url(u) for u in job.start_urls}
        ):
            return f"outside the scope of site {job.profile.name}"
        host = host_key(url)
        if host not in job.profile.hosts and host not in {host_key(u) for u in job.start_urls}:
            return f"host {host} is not one of the site's hosts"
        if not job.allow_private and await self._host_private(host):
            return f"host {host} is a private address"
        slot = await self._slot(url, job.profile)
        if self.config.respect_robots and not slot.allowed(url, self.config.robots_agent):
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
        await asyncio.gather(*(self._worker(job, state) for _ in range(workers)))

    async def _seed(self, job: SiteJob) -> None:
        profile, site = job.profile, job.profile.name
        items: list[FrontierEntry] = []
        for url in job.start_urls:
            kind = profile.kind_of(url) if not profile.by_content else "listing"
            items.append(FrontierEntry(url, "listing" if kind == "page" else kind))
        if self.config.use_sitemaps and profile.use_sitemap:
            for url in job.start_urls[:1]:
                slot = await self._slot(url, profile)
                maps = list(slot.robots.sitemaps) if slot.robots is not None else []
                base = f"{urlsplit(url).scheme}://{host_key(url)}"
                for sm in maps or [f"{base}/sitemap.xml"]:
                    items.append(FrontierEntry(normalize_url(sm, keep_slash=True), "sitemap"))
        cutoff = ""
        if self.config.incremental and profile.revisit_days:
            cutoff = (date.today() - timedelta(days=profile.revisit_days)).isoformat()
        for doc in self.store.iter_documents(site=site, state=None):
            if not cutoff or doc.published >= cutoff:
                if doc.kind == DocKind.ATTACHMENT:  # re-checked as a file, with its parent
                    items.append(FrontierEntry(doc.url, FrontierKind.ATTACHMENT, 1,
                                               _RECHECK_PRIORITY, doc.parent_url))  # fmt: skip
                else:
                    items.append(FrontierEntry(doc.url, "article", priority=_RECHECK_PRIORITY))
        if not self.store.frontier.seed(site, items):
            log.info("%s: another worker started this crawl; joining it", site)

    async def _worker(self, job: SiteJob, state: _SiteState) -> None:
        site = job.profile.name
        while True:
            if self.config.max_pages and state.fetched >= self.config.max_pages:
                return
            item = self.store.frontier.claim(site)
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
        refused = await self._refusal(job, url, item.kind)
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
            policy = self._file_policy() if is_file else self.config.fetch
            result = await fetch(self.client, url, headers=headers, policy=policy, gate=gate)
        if result.status:
            self.counters.fetched += 1
            self._connect_fails.pop(host_key(url), None)
        if result.error_kind or result.status == 429 or result.status >= 500:
            with self.store.batch():
                self._failure(job, item, result)
            return
        if is_file and result.status == 200:
            await self._attachment(job, item, result)
            return
        page = None
        if result.status == 200 and item.kind != "sitemap":
            page = self._extract(job, result.body, result.final_url, result.content_type, item)
        with self.store.batch():  # the page, its document, its links and its frontier row
            self._settle(job, item, result, page)

    # -- attachments (crawler/_attachments.py) ------------------------------------------------

    def _file_policy(self) -> FetchPolicy:
        limits = self.config.files or FileLimits()
        return replace(self.config.fetch, max_bytes=limits.max_bytes, types=FILE_MIME_TYPES)

    async def _attachment(self, job: SiteJob, item: FrontierItem, result: FetchResult) -> None:
        assert self._files is not None
        status = await store_attachment(self.store, self._files, job.profile.name, item, result,
                                        self.run_id)  # fmt: skip
        if status in ("new", "changed"):
            self.counters.files += 1
        elif status == "error":
            self.counters.file_errors += 1

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
    ) -> None:
        site, url = job.profile.name, item.url
        if result.status == 304:
            self.store.record_fetch(PageFetch(url, site, 304, PageState.NOT_MODIFIED))
            self.counters.not_modified += 1
            if item.kind != "article":
                stored = self.store.page_html(url)
                if stored:
                    self._follow(job, item, self._extract(job, stored, url, "", item) or None)
        elif result.status in (404, 410):
            self.store.record_fetch(PageFetch(url, site, result.status, PageState.GONE))
            if self.store.mark_gone(url) or self.store.mark_gone(normalize_url(url)):
                self.counters.gone += 1
        elif result.status != 200:
            self._fail(job, item, result.status, f"HTTP {result.status}")
            return
        elif not self._page(job, item, result, page):
            return
        self.store.frontier.settle(item, DONE)

    def _failure(self, job: SiteJob, item: FrontierItem, result: FetchResult) -> None:
        if result.error_kind == "type":
            self.store.record_fetch(PageFetch(item.url, job.profile.name, result.status,
                                              PageState.SKIPPED, error=result.error))  # fmt: skip
            self.store.frontier.settle(item, DONE)
            self.counters.skipped += 1
            return
        if result.error_kind == "connect":
            self._note_connect_failure(host_key(item.url), result.error)
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
        down = self._host_down.get(host_key(item.url))
        if not down:
            return False
        with self.store.batch():
            self.store.record_fetch(PageFetch(item.url, site, 0, PageState.ERROR, error=down))
            self.store.frontier.settle(item, FAILED)
        self.counters.failed += 1
        return True

    def _note_connect_failure(self, host: str, error: str) -> None:
        fails = self._connect_fails.get(host, 0) + 1
        self._connect_fails[host] = fails
        if fails >= _HOST_DOWN_AFTER and host not in self._host_down:
            message = (
                f"host {host} unreachable ({error}); its other URLs are tried again on the next run"
            )
            self._host_down[host] = message
            log.error("%s", message)
            self.store.record_error(self.run_id, f"http://{host}/", message)

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
        try:
            return extract_page(raw, url, ctype, job.profile)
        except ExtractError as exc:
            self.store.record_error(self.run_id, item.url, str(exc))
            return None

    def _page(
        self, job: SiteJob, item: FrontierItem, result: FetchResult, page: ExtractedPage | None
    ) -> bool:
        """Store a 200 answer; False when the page failed (already settled)."""
        site, url = job.profile.name, item.url
        if item.kind == "sitemap":
            self.store.record_fetch(PageFetch(url, site, 200, PageState.OK, raw_html=result.body))
            self._push_sitemap(job, result.body)
            return True
        if page is None:
            self._fail(job, item, 200, "the page cannot be read")
            return False
        canonical = page.canonical if job.profile.in_scope(page.canonical) else result.final_url
        if page.is_article:
            digest = content_hash(page.title, page.body)
            forms = {url, result.final_url, canonical}
            aliases = forms | {normalize_url(u) for u in forms}
            outcome = self.store.save_document(DocumentDraft(
                url=canonical, site=site, title=page.title, body=page.body, lang=page.lang,
                published=page.published, aliases=tuple(sorted(aliases - {canonical})),
                attachments=page.attachments, source_url=url,
            ))  # fmt: skip
            setattr(self.counters, outcome.status, getattr(self.counters, outcome.status) + 1)
            self._push_attachments(job, item, canonical, page.attachments)
        else:
            digest = hashlib.sha256(result.body).hexdigest()[:32]
        self.store.record_fetch(PageFetch(
            url, site, 200, PageState.OK, canonical_url=canonical, etag=result.etag,
            last_modified=result.last_modified, content_hash=digest, raw_html=result.body,
            encoding=page.encoding,
        ))  # fmt: skip
        if not page.is_article or job.profile.by_content:
            self._follow(job, item, page)
        return True

    # -- links ------------------------------------------------------------------------------

    def _known_doc(self, url: str) -> str:
        """The URL of the document ``url`` reaches ("" when none)."""
        doc = self.store.find_document(url) or self.store.find_document(normalize_url(url))
        return doc.url if doc is not None else ""

    def _classify(self, job: SiteJob, url: str) -> str:
        profile = job.profile
        if not profile.in_scope(url) or urlsplit(url).path.lower().endswith(_SKIP_EXT):
            return ""
        if profile.by_content:
            return "listing" if _is_pagination(url) else "page"
        kind = profile.kind_of(url)
        return "" if kind == "page" else kind

    def _follow(self, job: SiteJob, item: FrontierItem, page: ExtractedPage | None) -> None:
        """Queue a page's links; an incremental listing walk stops after ``stop_after`` listing
        pages in a row that link nothing new."""
        if page is None:
            return
        incremental = self.config.incremental
        items: list[FrontierEntry] = []
        listings: list[str] = []
        new = 0
        for link in page.links:
            kind = self._classify(job, link)
            if not kind:
                continue
            if kind == "listing":
                listings.append(link)
                continue
            known = self._known_doc(link)
            if not known and self.store.get_page(link) is None:
                new += 1
            if known and incremental:
                continue  # known documents are re-checked from the seed list
            target = known or link
            items.append(FrontierEntry(target, "article" if known else kind, item.depth + 1,
                                       _PRIORITY[kind], item.url))  # fmt: skip
        stale = 0 if new else item.depth + 1 if item.kind == "listing" else 0
        if not (incremental and stale >= self.config.stop_after):
            items += [FrontierEntry(u, "listing", stale, _PRIORITY["listing"], item.url)
                      for u in listings]  # fmt: skip
        if items:
            self.store.frontier.push(job.profile.name, items)

    def _push_sitemap(self, job: SiteJob, body: bytes) -> None:
        nested, pages = sitemap_urls(body)
        items = [FrontierEntry(normalize_url(u, keep_slash=True), "sitemap") for u in nested]
        for raw in pages:
            url = normalize_url(raw, keep_slash=True)
            kind = self._classify(job, url)
            if not kind or (self.config.incremental and self._known_doc(url)):
                continue
            items.append(FrontierEntry(url, kind, 0, _PRIORITY[kind], "sitemap"))
        items = [i for i in items if host_key(i.url) in job.profile.hosts]
        self.store.frontier.push(job.profile.name, items)
