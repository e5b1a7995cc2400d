"""``crawl()``: the synchronous entry point. Resolves targets to site jobs, opens a crawl run,
drives the async engine and reports progress.

Usage::

    summary = crawl(store, settings, ["https://www.mpt.gov.by/ru/news"])
    summary.new, summary.failed
    # -> (412, 0)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import httpx

from core.errors import ConfigError, CrawlError
from corpus import Store
from crawler._announce import FeedPolicy
from crawler._engine import Counters, Engine, EngineConfig, SiteJob
from crawler._fetch import FetchPolicy, fetch, make_client
from crawler._files import FileLimits
from crawler._politeness import parse_robots
from crawler._profiles import (
    SiteProfile,
    generic_profile,
    load_profiles,
    profile_for,
    profile_from_table,
    profile_table,
)
from crawler._progress import Progress
from crawler._repeats_store import stored_repeats
from crawler._retry import RetryPolicy
from crawler._traps import TrapPolicy
from crawler._urls import host_key, is_private_host, normalize_url, url_problem

if TYPE_CHECKING:
    from core.settings import Settings

__all__ = [
    "SITES_META_KEY",
    "CrawlSummary",
    "crawl",
    "engine_config",
    "fetch_url",
    "site_profile",
    "stored_sites",
]

log = logging.getLogger(__name__)

SITES_META_KEY = "crawler.sites"  # JSON list of the names of every site crawled into the store


@dataclass(frozen=True)
class CrawlSummary:
    """What one crawl run did; ``run_id`` is its row in the crawl-runs table."""

    run_id: int
    sites: tuple[str, ...]
    fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    gone: int = 0
    not_modified: int = 0
    skipped: int = 0
    files: int = 0  # attachments stored new or changed
    file_errors: int = 0  # attachments that could not be read
    status: str = "ok"

    @property
    def reached_nothing(self) -> bool:
        """True when pages failed and none was stored, confirmed unchanged or found gone."""
        reached = self.new + self.changed + self.unchanged + self.not_modified + self.gone
        return bool(self.failed) and not reached


def engine_config(
    settings: Settings, *, incremental: bool = True, shared: bool = False
) -> EngineConfig:
    """The engine's settings read once from ``settings`` (politeness.*, crawler.*)."""
    crawler, polite = settings.crawler, settings.politeness
    return EngineConfig(
        user_agent=settings.user_agent(),
        concurrency=max(1, crawler.concurrency),
        per_host_concurrency=max(1, polite.per_host_concurrency),
        delay=polite.delay,
        respect_robots=polite.respect_robots,
        use_sitemaps=crawler.use_sitemaps,
        max_pages=crawler.max_pages,
        stop_after=max(1, crawler.stop_after_unchanged_listing_pages),
        incremental=incremental,
        max_crawl_delay=polite.max_crawl_delay,
        robots_max_bytes=polite.robots_max_bytes,
        max_url_length=crawler.max_url_length,
        shared=shared,
        lease=max(crawler.lease, polite.total_timeout + 5.0),
        traps=TrapPolicy(
            max_depth=crawler.max_depth,
            pattern_budget=crawler.pattern_budget,
            site_budget=crawler.site_budget,
        ),
        fetch=FetchPolicy(
            max_bytes=polite.max_bytes,
            max_redirects=polite.max_redirects,
            total_timeout=polite.total_timeout,
        ),
        retry=RetryPolicy(
            retries=polite.retries,
            backoff=polite.backoff,
            retry_after_cap=polite.retry_after_cap,
        ),
        files=_file_limits(settings),
        feeds=_feed_policy(settings),
    )


def _feed_policy(settings: Settings) -> FeedPolicy:
    """How feeds and sitemaps are read, from ``[feeds]``."""
    f = settings.feeds
    return FeedPolicy(feeds=f.use, common_paths=f.common_paths, trust_lastmod=f.trust_lastmod,
                      max_bytes=f.max_bytes, max_sitemap_bytes=f.max_sitemap_bytes,
                      max_sitemaps=f.max_sitemaps)  # fmt: skip


def _file_limits(settings: Settings) -> FileLimits | None:
    """The attachment limits of ``[attachments]``; None when attachments are not fetched."""
    a = settings.attachments
    if not a.fetch:
        return None
    return FileLimits(max_bytes=a.max_bytes, max_unpacked=a.max_unpacked, max_pages=a.max_pages,
                      max_chars=a.max_chars, memory_mb=a.memory_mb, seconds=a.seconds)  # fmt: skip


def _saved(store: Store, name: str) -> dict[str, Any]:
    raw = store.get_meta(f"site:{name}")
    try:
        saved = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return saved if isinstance(saved, dict) else {}


def _saved_start_urls(store: Store, name: str) -> tuple[str, ...]:
    urls = _saved(store, name).get("start_urls", ())
    return tuple(u for u in urls if isinstance(u, str)) if isinstance(urls, list) else ()


def _saved_profile(store: Store, name: str, bundled: SiteProfile | None) -> SiteProfile | None:
    """The profile a site was last crawled with, rebuilt from the store's meta under the same
    name (so ``vestnik update`` without the config keeps documents under their site); None when
    the bundled profile ``bundled`` is the one that crawled it (or nothing is remembered)."""
    saved = _saved(store, name)
    urls = _saved_start_urls(store, name)
    table = saved.get("profile")
    if isinstance(table, dict) and table.get("name") == name:
        if saved.get("bundled") and bundled is not None:
            return None  # the current bundled profile wins over an old copy of it
        try:
            return profile_from_table(table, f"store meta site:{name}")
        except ConfigError as exc:
            log.warning("%s: the remembered profile is unusable (%s)", name, exc)
    if not urls:
        return None
    if saved.get("generic") and generic_profile(urls[0]).name == name:
        return generic_profile(urls[0])
    if bundled is not None and any(bundled.in_scope(normalize_url(u)) for u in urls):
        return None
    # stores written before profiles were remembered: a [[sites]] table of name + start_urls
    return profile_from_table({"name": name, "start_urls": list(urls)}, f"store meta site:{name}")


def _jobs(store: Store, settings: Settings, targets: list[str] | None) -> list[SiteJob]:
    profiles = load_profiles(settings)
    by_name = {p.name: p for p in profiles}
    bundled = {p.name: p for p in load_profiles(None)}
    config_names = [str(t["name"]) for t in settings.sites if "name" in t]
    chosen: dict[str, tuple[SiteProfile, list[str]]] = {}

    def add(profile: SiteProfile, urls: tuple[str, ...] | list[str]) -> None:
        entry = chosen.setdefault(profile.name, (profile, []))
        entry[1].extend(u for u in urls if u not in entry[1])

    if targets is None:
        names = json.loads(store.get_meta(SITES_META_KEY, "[]"))
        targets = [*names, *(n for n in config_names if n not in names)]
        if not targets:
            raise CrawlError("nothing to crawl: give a start URL or a site name")
    for target in targets:
        if target.startswith(("http://", "https://")):
            _check_start(target, settings.crawler.max_url_length)
            url = normalize_url(target, keep_slash=True)
            add(profile_for(url, profiles), [url])
        elif target not in config_names and (
            saved := _saved_profile(store, target, bundled.get(target))
        ):
            urls = _saved_start_urls(store, target) or saved.start_urls
            add(saved, [normalize_url(u, keep_slash=True) for u in urls])
        elif target in by_name:
            profile = by_name[target]
            urls = profile.start_urls or _saved_start_urls(store, target)
            if not urls:
                raise CrawlError(f"site {target!r} has no start_urls")
            for u in urls:
                _check_start(u, settings.crawler.max_url_length)
            add(profile, [normalize_url(u, keep_slash=True) for u in urls])
        else:
            known = ", ".join(sorted(by_name)) or "none"
            raise CrawlError(f"unknown site {target!r} (profiles: {known}); give a start URL")
    return [SiteJob(p, tuple(urls)) for p, urls in chosen.values()]


def stored_sites(store: Store) -> list[str]:
    """The names of the sites crawled into ``store``."""
    return [str(n) for n in json.loads(store.get_meta(SITES_META_KEY, "[]"))]


def site_profile(store: Store, settings: Settings, name: str) -> SiteProfile:
    """The profile a re-crawl of the store's site ``name`` would use (a ``CrawlError`` when the
    site is unknown)."""
    return _jobs(store, settings, [name])[0].profile


def _check_start(url: str, max_length: int) -> None:
    """A start URL that cannot be requested is a one-line ``CrawlError``."""
    problem = url_problem(url.strip(), max_length)
    if problem:
        shown = url if len(url) <= 120 else url[:100] + "..."
        raise CrawlError(f"start URL {shown}: {problem}")


def _remember(store: Store, jobs: list[SiteJob]) -> None:
    names: list[str] = json.loads(store.get_meta(SITES_META_KEY, "[]"))
    bundled = {p.name: p for p in load_profiles(None)}
    for job in jobs:
        name = job.profile.name
        urls = list(dict.fromkeys([*_saved_start_urls(store, name), *job.start_urls]))
        remembered = {
            "start_urls": urls,
            "generic": job.profile.generic,
            "profile": profile_table(job.profile),
            "bundled": bundled.get(name) == job.profile,
        }
        store.set_meta(f"site:{name}", json.dumps(remembered, ensure_ascii=False))
        if name not in names:
            names.append(name)
    store.set_meta(SITES_META_KEY, json.dumps(names))


async def _report(store: Store, run_id: int, counters: Counters, progress: Progress,
                  sites: list[str]) -> None:  # fmt: skip
    """Refresh the queued count, the progress display and the run row until cancelled."""
    tick = 0
    while True:
        counters.queued = sum(store.frontier.pending(s).queued for s in sites)
        progress.show(counters.as_dict())
        tick += 1
        if tick % 4 == 0:
            store.update_run(run_id, counters.as_dict())
        await asyncio.sleep(0.5)


async def _run(
    store: Store, jobs: list[SiteJob], config: EngineConfig, run_id: int, counters: Counters,
    progress: Progress, client: httpx.AsyncClient | None, connect: float, read: float,
) -> None:  # fmt: skip
    own = client is None
    client = client or make_client(config.user_agent, connect=connect, read=read,
                                   concurrency=config.concurrency)  # fmt: skip
    reporter = asyncio.create_task(
        _report(store, run_id, counters, progress, [j.profile.name for j in jobs])
    )
    try:
        await Engine(store, client, config, run_id, counters).run(jobs)
    finally:
        reporter.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reporter
        if own:
            await client.aclose()


def crawl(
    store: Store,
    settings: Settings,
    targets: list[str] | None = None,
    *,
    incremental: bool = True,
    progress: bool | None = None,
    client: httpx.AsyncClient | None = None,
) -> CrawlSummary:
    """Crawl ``targets`` (start URLs or profile names; None: every site the store knows plus the
    config's ``[[sites]]``) into ``store`` and return the run's counters.

    A site whose last crawl was interrupted resumes from its stored frontier; otherwise a fresh
    crawl starts. ``incremental`` sends conditional requests and stops listing walks early.
    ``client`` injects an ``httpx.AsyncClient`` (tests pass one with a ``MockTransport``).
    An SQLite store takes one crawl at a time (``Store.crawl_lock``: a second one is refused).
    """
    with store.crawl_lock():
        return _crawl(store, settings, targets, incremental, progress, client)


def _crawl(
    store: Store, settings: Settings, targets: list[str] | None, incremental: bool,
    progress: bool | None, client: httpx.AsyncClient | None,
) -> CrawlSummary:  # fmt: skip
    jobs = _jobs(store, settings, targets)
    names = tuple(j.profile.name for j in jobs)
    shared = store.url.startswith(("postgresql:", "postgres:"))
    config = engine_config(settings, incremental=incremental, shared=shared)
    config = replace(config, repeats=stored_repeats(store))  # frozen for the run
    _remember(store, jobs)
    run_id = store.start_run("crawl", ",".join(names))
    # Older runs of these sites still marked running whose process is gone were killed: close
    # them (runs record their owner, so other live workers' runs on a shared store stay).
    stale = store.interrupt_stale_runs("crawl", names, before=run_id)
    if stale:
        log.info("earlier crawl run(s) %s never finished: marked interrupted", stale)
    counters = Counters()
    described = (
        f"{j.profile.name} ({'generic' if j.profile.generic else 'profile'})" for j in jobs
    )
    log.info("crawl run %d: %s", run_id, ", ".join(described))
    status = "interrupted"
    try:
        with Progress(progress) as bar:
            asyncio.run(_run(
                store, jobs, config, run_id, counters, bar, client,
                settings.politeness.connect_timeout,
                settings.politeness.read_timeout,
            ))  # fmt: skip
            counters.queued = sum(store.frontier.pending(n).queued for n in names)
            bar.show(counters.as_dict(), final=True)
        status = "ok"
    finally:
        store.finish_run(run_id, status, counters.as_dict())
    values = counters.as_dict()
    values.pop("queued")
    return CrawlSummary(run_id=run_id, sites=names, status=status, **values)


def fetch_url(url: str, settings: Settings) -> tuple[bytes, str, str]:
    """Fetch one page politely (robots, scope of its host, size cap, redirects checked) and
    return ``(body, content_type, final_url)``; a ``CrawlError`` when it cannot be had."""
    config = engine_config(settings)
    _check_start(url, config.max_url_length)
    start = normalize_url(url, keep_slash=True)
    host = host_key(start)
    allow_private = is_private_host(host)

    async def go() -> tuple[bytes, str, str]:
        async with make_client(config.user_agent, concurrency=1,
                               connect=settings.politeness.connect_timeout,
                               read=settings.politeness.read_timeout) as client:  # fmt: skip
            if config.respect_robots:
                robots = await fetch(client, f"{start.split('://')[0]}://{host}/robots.txt",
                                     policy=config.fetch, gate=_refuse_all)  # fmt: skip
                rules = parse_robots(robots.status, robots.body.decode("utf-8", "replace"))
                if rules is not None and not rules.can_fetch(start, config.robots_agent):
                    raise CrawlError(f"{start}: disallowed by robots.txt")

            async def gate(target: str) -> str:
                problem = url_problem(target, config.max_url_length)
                if problem:
                    return problem
                if host_key(target) != host:
                    return "another host"
                if is_private_host(host_key(target)) and not allow_private:
                    return "a private address"
                return ""

            result = await fetch(client, start, policy=config.fetch, gate=gate)
            if result.error:
                raise CrawlError(f"{start}: {result.error}")
            if result.status != 200:
                raise CrawlError(f"{start}: HTTP {result.status}")
            return result.body, result.content_type, result.final_url

    return asyncio.run(go())


async def _refuse_all(_target: str) -> str:
    return "redirects of robots.txt are not followed"
