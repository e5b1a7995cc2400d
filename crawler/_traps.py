"""Crawler traps: sites with infinitely many URLs (calendars, session ids, growing paths, endless
pagination) bounded per site and run by depth, per-pattern and total-page budgets.

A URL's *pattern* is its shape: digit runs become ``9``, long random-looking tokens ``X``, query
values ``*`` (keys kept, sorted). A pattern may cost ``pattern_budget`` pages beyond the documents
the site has given so far (new, changed, or known and re-checked): article patterns grow with
their documents, a calendar or a session-id loop that only repeats itself runs dry. Static rules
refuse a URL by its look alone (a path segment repeated, too many segments). Every refusal says
why; the first of each kind is recorded by the engine.

>>> url_pattern("https://a.by/cal?month=2024-01&view=8f3a9c0d2e")
'/cal?month=*&view=*'
>>> url_pattern("https://a.by/ru/news/09-01-2023-8401")
'/ru/news/9-9-9-9'
>>> path_trap("https://a.by/a/a/a/b", TrapPolicy())
"path repeats the segment 'a' 3 times"
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

__all__ = ["TrapGuard", "TrapPolicy", "path_trap", "url_pattern"]

_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{16,}$|^[0-9a-fA-F]{8,}$")


@dataclass(frozen=True, kw_only=True)
class TrapPolicy:
    """Budgets per site and run (0 switches a budget off)."""

    max_depth: int = 25  # link hops from the start (pagination hops not counted)
    pattern_budget: int = 200  # pages of one pattern beyond the documents the site gave
    site_budget: int = 50_000  # pages requested
    max_segment_repeats: int = 2  # a path segment more often than this: a trap
    max_segments: int = 24


def _segment_shape(segment: str) -> str:
    if _TOKEN.match(segment):
        return "X"
    return _DIGITS.sub("9", segment.split(";", 1)[0])  # ;jsessionid=... dropped


def url_pattern(url: str) -> str:
    """The shape of ``url``'s path and query (host left out: the guard is per site)."""
    parts = urlsplit(url)
    path = "/".join(_segment_shape(s) for s in parts.path.split("/"))
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(f"{k}=*" for k in keys) if keys else "")


def path_trap(url: str, policy: TrapPolicy) -> str:
    """Why ``url``'s path alone looks like a trap ("" when it does not)."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if policy.max_segments and len(segments) > policy.max_segments:
        return f"path has {len(segments)} segments (more than {policy.max_segments})"
    if policy.max_segment_repeats and segments:
        segment, times = Counter(segments).most_common(1)[0]
        if times > policy.max_segment_repeats:
            return f"path repeats the segment {segment[:40]!r} {times} times"
    return ""


@dataclass
class TrapGuard:
    """One site's budgets during one run (mutable; the engine owns it)."""

    policy: TrapPolicy
    pages: int = 0  # requested
    elsewhere: int = 0  # requested by the other workers of a shared frontier (last looked at)
    productive: int = 0  # documents new, changed or re-checked
    per_pattern: Counter[str] = field(default_factory=Counter)
    closed: dict[str, str] = field(default_factory=dict)  # pattern -> why
    refusals: Counter[str] = field(default_factory=Counter)  # kind -> URLs not followed

    def tally(self, kind: str) -> bool:
        """Count one URL not followed for ``kind``; True for the first of its kind."""
        self.refusals[kind] += 1
        return self.refusals[kind] == 1

    def refusal(self, url: str, depth: int = 0) -> str:
        """Why ``url`` (``depth`` link hops from the start) is not to be requested ("" when it
        may be)."""
        policy = self.policy
        if policy.max_depth and depth > policy.max_depth:
            return f"trap: deeper than {policy.max_depth} links from the start"
        trap = path_trap(url, policy)
        if trap:
            return f"trap: {trap}"
        pattern = url_pattern(url)
        if pattern in self.closed:
            return self.closed[pattern]
        return ""

    def is_closed(self, url: str) -> bool:
        """True when ``url``'s pattern has spent its budget."""
        return url_pattern(url) in self.closed

    @property
    def exhausted(self) -> bool:
        """True when the site's page budget is spent (by this worker and, on a shared frontier,
        the others)."""
        budget = self.policy.site_budget
        return bool(budget) and self.pages + self.elsewhere >= budget

    def fetched(self, url: str, *, counted: bool, productive: bool) -> str:
        """Count one request of ``url``; ``counted`` is False for the crawl's own seeds (start
        URLs, sitemaps, re-checks), which spend only the site budget. Returns the reason when
        this request closed ``url``'s pattern ("" otherwise)."""
        self.pages += 1
        if productive:
            self.productive += 1
        if not counted or not self.policy.pattern_budget:
            return ""
        pattern = url_pattern(url)
        self.per_pattern[pattern] += 1
        spent = self.per_pattern[pattern]
        if pattern in self.closed or spent <= self.policy.pattern_budget + self.productive:
            return ""
        why = (
            f"trap: {spent} pages of the URL pattern {pattern[:200]} against {self.productive} "
            f"documents; its other URLs are not followed in this run"
        )
        self.closed[pattern] = why
        return why
