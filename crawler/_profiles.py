"""Site profiles as data: the bundled ``crawler/sites.toml`` plus the ``[[sites]]`` tables of the
user's config file (same keys; a user table replaces a bundled one of the same name).

Usage::

    profile = profile_for("https://www.mpt.gov.by/ru/news", load_profiles(settings))
    profile.name, profile.is_article_url("/ru/news/09-01-2023-8401")
    # -> ('mpt', True)

A URL no profile claims gets a generic profile: its host, and the "directory" of its path as
scope (``/ru/news`` -> ``/ru/``, ``/ru/novosti/`` -> ``/ru/novosti/``).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from core.errors import ConfigError
from crawler._urls import host_key, normalize_url, path_and_query, site_name_for

if TYPE_CHECKING:
    from core.settings import Settings

__all__ = [
    "SITES_FILE",
    "SiteProfile",
    "generic_profile",
    "load_profiles",
    "profile_for",
    "profile_from_table",
    "profile_table",
]

SITES_FILE = Path(__file__).with_name("sites.toml")


@functools.lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True, kw_only=True)
class SiteProfile:
    """How to crawl one site. Patterns are regular expressions matched (``re.search``) against a
    URL's path plus ``?query``; ``scope`` holds path prefixes; selectors are CSS."""

    name: str
    hosts: tuple[str, ...]
    start_urls: tuple[str, ...] = ()
    scope: tuple[str, ...] = ("/",)
    article_patterns: tuple[str, ...] = ()
    listing_patterns: tuple[str, ...] = ()
    title_selector: str = ""
    date_selector: str = ""
    body_selector: str = ""
    delay: float | None = None  # None: politeness.delay
    concurrency: int | None = None  # None: politeness.per_host_concurrency
    use_sitemap: bool = True
    revisit_days: int = 0  # incremental crawls re-check documents this recent; 0: all
    generic: bool = False

    @property
    def by_content(self) -> bool:
        """True when pages are told apart by their content (no URL patterns given)."""
        return self.generic or not (self.article_patterns or self.listing_patterns)

    def in_scope(self, url: str) -> bool:
        """True when ``url`` is on one of the hosts and under one of the scope prefixes."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or host_key(url) not in self.hosts:
            return False
        return any(parts.path.startswith(prefix) for prefix in self.scope)

    def is_article_url(self, path_query: str) -> bool:
        """True when the path (+query) matches an article pattern."""
        return any(_regex(p).search(path_query) for p in self.article_patterns)

    def is_listing_url(self, path_query: str) -> bool:
        """True when the path (+query) matches a listing pattern."""
        return any(_regex(p).search(path_query) for p in self.listing_patterns)

    def kind_of(self, url: str) -> str:
        """ "article", "listing" or "page" (generic profiles only know "page")."""
        pq = path_and_query(url)
        if self.is_article_url(pq):
            return "article"
        if self.is_listing_url(pq):
            return "listing"
        return "page"


_FIELDS = {f.name for f in fields(SiteProfile)}
_TUPLES = {"hosts", "start_urls", "scope", "article_patterns", "listing_patterns"}


def _profile(table: dict[str, Any], origin: str) -> SiteProfile:
    data = {k: v for k, v in table.items() if not k.startswith("_")}
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise ConfigError(f"{origin}: unknown site profile key(s) {', '.join(unknown)}")
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ConfigError(f"{origin}: a [[sites]] table needs a name")
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in _TUPLES:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{origin}: site {data['name']}: {key} must be a list of strings")
            value = tuple(value)
        values[key] = value
    if "hosts" not in values:
        values["hosts"] = tuple(host_key(normalize_url(u)) for u in values.get("start_urls", ()))
    values["hosts"] = tuple(h.lower() for h in values["hosts"])
    if not values["hosts"]:
        raise ConfigError(f"{origin}: site {data['name']} needs hosts or start_urls")
    for pattern in (*values.get("article_patterns", ()), *values.get("listing_patterns", ())):
        try:
            _regex(pattern)
        except re.error as exc:
            raise ConfigError(
                f"{origin}: site {data['name']}: bad pattern {pattern!r}: {exc}"
            ) from exc
    try:
        return SiteProfile(**values)
    except TypeError as exc:
        raise ConfigError(f"{origin}: site {data['name']}: {exc}") from exc


def profile_table(profile: SiteProfile) -> dict[str, Any]:
    """``profile`` as a [[sites]]-like table (JSON-ready; ``profile_from_table`` reverses it)."""
    table: dict[str, Any] = {}
    for f in fields(SiteProfile):
        value = getattr(profile, f.name)
        table[f.name] = list(value) if isinstance(value, tuple) else value
    return table


def profile_from_table(table: dict[str, Any], origin: str = "store") -> SiteProfile:
    """The profile a [[sites]]-like table describes (a ``ConfigError`` when it is invalid)."""
    return _profile({k: v for k, v in table.items() if v is not None}, origin)


def load_profiles(settings: Settings | None = None) -> list[SiteProfile]:
    """The bundled profiles merged with ``settings.sites`` (a user table wins by name)."""
    with SITES_FILE.open("rb") as fh:
        bundled = tomllib.load(fh).get("sites", [])
    by_name = {p.name: p for p in (_profile(t, str(SITES_FILE)) for t in bundled)}
    for table in settings.sites if settings is not None else ():
        profile = _profile(dict(table), str(table.get("_origin", "config")))
        by_name[profile.name] = profile
    return list(by_name.values())


def generic_profile(url: str) -> SiteProfile:
    """A profile for a start URL no profile claims: its host, its path's directory as scope."""
    norm = normalize_url(url, keep_slash=True)
    path = urlsplit(norm).path or "/"
    prefix = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
    return SiteProfile(
        name=site_name_for(norm), hosts=(host_key(norm),), start_urls=(norm,), scope=(prefix,),
        generic=True,
    )  # fmt: skip


def profile_for(url: str, profiles: list[SiteProfile]) -> SiteProfile:
    """The profile claiming ``url`` (host and scope), else a generic one."""
    norm = normalize_url(url, keep_slash=True)
    for profile in profiles:
        if profile.in_scope(norm):
            return profile
    return generic_profile(norm)
