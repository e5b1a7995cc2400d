"""Following a page's links: which to queue, as what, how deep, and when an incremental listing
walk stops.

A link is followed when it can be requested (``url_problem``), sits in the site's scope, is not a
file of a skipped type and the site's trap guard lets it through; it is queued as a listing
(pagination) or as an article/page, at one more link hop than its page. A link to a known document
is queued as that document, or left to the re-check list of the seed when the crawl is
incremental. An incremental walk stops after ``stop_after`` listing pages in a row that link
nothing new (a feed or sitemap that reaches back to the stored documents may lower it).

>>> is_pagination("https://a.by/ru/news?page=3"), is_pagination("https://a.by/ru/news/3")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from core.records import FrontierItem
from corpus import CrawlStore, FrontierEntry
from crawler._announce import Announced
from crawler._extract import ATTACHMENT_EXTENSIONS, ExtractedPage
from crawler._markup import MAX_LINKS
from crawler._traps import TrapGuard
from crawler._urls import normalize_url, url_problem

if TYPE_CHECKING:
    from crawler._engine import SiteJob

__all__ = ["LinkFollower", "classify", "is_pagination", "known_document"]

_SKIP_EXT = (
    *ATTACHMENT_EXTENSIONS, ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css",
    ".js", ".mp3", ".mp4", ".avi", ".mov", ".woff", ".woff2", ".ttf", ".exe", ".apk",
)  # fmt: skip
_PAGE_PARAM = re.compile(r"^(page|pagen_\d+|p|pg|start|offset|list_page|curpage)$", re.I)
_PRIORITY = {"sitemap": 0, "listing": 0, "page": 1, "article": 1}

Refused = Callable[[str, str, str], None]  # (site, url, why): a URL not followed, reported


def is_pagination(url: str) -> bool:
    """True when ``url`` looks like a page of a listing (``/page/N``, ``?page=N`` and kin)."""
    parts = urlsplit(url)
    if re.search(r"/page/\d+/?$", parts.path):
        return True
    return any(_PAGE_PARAM.match(k) and v.isdigit() for k, v in parse_qsl(parts.query))


def classify(job: SiteJob, url: str) -> str:
    """What a link of ``job``'s site is to the crawl: "listing", "article", "page" (sites read
    by content), or "" (not followed)."""
    profile = job.profile
    if not profile.in_scope(url) or urlsplit(url).path.lower().endswith(_SKIP_EXT):
        return ""
    if profile.by_content:
        return "listing" if is_pagination(url) else "page"
    kind = profile.kind_of(url)
    return "" if kind == "page" else kind


def known_document(store: CrawlStore, url: str) -> str:
    """The URL of the stored document ``url`` reaches ("" when none)."""
    doc = store.find_document(url) or store.find_document(normalize_url(url))
    return doc.url if doc is not None else ""


class LinkFollower:
    """Queues the links of the pages one crawl run reads."""

    def __init__(
        self, store: CrawlStore, *, incremental: bool, stop_after: int, max_url_length: int,
        guard: Callable[[str], TrapGuard], refused: Refused, announced: Mapping[str, Announced],
    ) -> None:  # fmt: skip
        self.store, self.incremental, self.stop_after = store, incremental, stop_after
        self.max_url_length = max_url_length
        self._guard, self._refused, self._announced = guard, refused, announced

    def follow(self, job: SiteJob, item: FrontierItem, page: ExtractedPage | None) -> None:
        """Queue a page's links; an incremental listing walk stops after ``stop_after`` listing
        pages in a row that link nothing new."""
        if page is None:
            return
        incremental = self.incremental
        site = job.profile.name
        announced = self._announced.get(site)
        items: list[FrontierEntry] = []
        listings: list[str] = []
        new = 0
        # a listing's depth field counts stale listing pages; link depth starts again below it
        depth = (0 if item.kind == "listing" else item.depth) + 1
        guard = self._guard(site)
        for link in self.links(job, item, page):
            kind = classify(job, link)
            if not kind:
                continue
            refused = guard.refusal(link, 0 if kind == "listing" else depth)
            if refused:
                if not guard.is_closed(link):  # closed patterns were recorded when they closed
                    self._refused(site, link, refused)
                continue
            if kind == "listing":
                listings.append(link)
                continue
            known = known_document(self.store, link)
            # a link a feed/sitemap reaching back to the stored documents announced is not new
            fed = announced is not None and announced.covers(link)
            if not known and not fed and self.store.get_page(link) is None:
                new += 1
            if known and incremental:
                continue  # known documents are re-checked from the seed list
            target = known or link
            items.append(FrontierEntry(target, "article" if known else kind, depth,
                                       _PRIORITY[kind], item.url))  # fmt: skip
        stale = 0 if new else item.depth + 1 if item.kind == "listing" else 0
        stop_after = announced.stop_after(self.stop_after) if announced else self.stop_after
        if not (incremental and stale >= stop_after):
            items += [FrontierEntry(u, "listing", stale, _PRIORITY["listing"], item.url)
                      for u in listings]  # fmt: skip
        if items:
            self.store.frontier.push(site, items)

    def links(self, job: SiteJob, item: FrontierItem, page: ExtractedPage) -> list[str]:
        """The page's links that can be requested (extraction reads at most ``MAX_LINKS``)."""
        site = job.profile.name
        if len(page.links) > MAX_LINKS:
            self._refused(site, item.url, f"the page has more than {MAX_LINKS} links; the "
                          f"first {MAX_LINKS} are read")  # fmt: skip
        out = []
        for link in page.links[:MAX_LINKS]:
            problem = url_problem(link, self.max_url_length)
            if problem:
                self._refused(site, link, f"link not followed: {problem}")
            else:
                out.append(link)
        return out
