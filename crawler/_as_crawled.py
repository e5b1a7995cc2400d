"""One page extracted as a crawl would extract it: the profile of the site the URL belongs to
(a site crawled into the store first, then the configured and bundled profiles, else generic
mode), the store's table of repeated blocks, and the crawl's tag cap. ``vestnik extract URL``
uses it, so it gives the body a crawl stores for the same bytes."""

from __future__ import annotations

import logging

from core.errors import VestnikError
from core.settings import Settings
from corpus import Store
from crawler._extract import ExtractedPage, extract_page
from crawler._markup import cap_tags
from crawler._profiles import SiteProfile, load_profiles
from crawler._repeats import RepeatTable
from crawler._urls import normalize_url

__all__ = ["extract_as_crawled", "profile_of"]

log = logging.getLogger(__name__)


def profile_of(url: str, settings: Settings, store: Store | None = None) -> SiteProfile | None:
    """The profile a crawl would extract ``url`` with: the one a re-crawl of a store's site
    claiming the URL would use, else the configured or bundled profile claiming it, else None
    (generic mode)."""
    norm = normalize_url(url, keep_slash=True)
    if store is not None:
        from crawler._crawl import site_profile, stored_sites

        for name in stored_sites(store):
            try:
                profile = site_profile(store, settings, name)
            except VestnikError as exc:
                log.warning("site %s: its profile cannot be rebuilt: %s", name, exc)
                continue
            if profile.in_scope(norm):
                return None if profile.generic else profile
    return next((p for p in load_profiles(settings) if p.in_scope(norm)), None)


def extract_as_crawled(
    raw: bytes, url: str, content_type: str | None, profile: SiteProfile | None,
    repeats: RepeatTable | None,
) -> ExtractedPage:  # fmt: skip
    """``extract_page`` with the crawl's cap on tags (a page of a million elements is read up
    to the cap, as the crawl reads it)."""
    return extract_page(cap_tags(raw) or raw, url, content_type, profile, repeats)
