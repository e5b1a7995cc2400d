"""The repeated-block table of a store: learned from the store's own raw pages, kept in it,
applied where bodies are made.

The table lives in the store's ``meta`` table under ``extract.repeats`` (sorted JSON): it goes
with the store (``vestnik migrate`` copies it, every crawl worker of a shared PostgreSQL store
reads the same one) and needs no schema change. A crawl reads it once when it starts and strips
every article body it makes with it (``extract_page(..., repeats=table)``); ``vestnik extract``
uses the same table. Learning re-extracts the site's stored raw pages *without* a table (so a
re-learn does not depend on the table in use) and replaces only that site's hosts. Stored raw
pages never change; stored bodies change only when ``apply_repeats`` re-extracts them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.errors import ExtractError
from core.records import DocumentDraft
from crawler._extract import ExtractedPage, extract_page
from crawler._markup import cap_tags
from crawler._repeats import RepeatTable, learn_repeats

if TYPE_CHECKING:
    from core.settings import Settings
    from corpus import Store
    from crawler._profiles import SiteProfile

__all__ = [
    "REPEATS_META_KEY",
    "Applied",
    "Learned",
    "apply_repeats",
    "clear_repeats",
    "learn_store_repeats",
    "stored_repeats",
]

log = logging.getLogger(__name__)

REPEATS_META_KEY = "extract.repeats"
Progress = Callable[[str, int, int], None]  # (site, pages done, pages of the site)


def _none(_site: str, _done: int, _total: int) -> None:
    return None


@dataclass(frozen=True)
class Learned:
    """What learning one site gave: raw pages read, article bodies among them, hosts and
    repeated blocks found, and stored documents whose body the new table changes."""

    site: str
    pages: int
    articles: int
    hosts: int
    blocks: int
    stale: int


@dataclass(frozen=True)
class Applied:
    """What re-extracting one site's stored pages did."""

    site: str
    pages: int
    changed: int
    unchanged: int


def stored_repeats(store: Store) -> RepeatTable | None:
    """The store's table (None when none was learned)."""
    text = store.get_meta(REPEATS_META_KEY)
    if not text.strip():
        return None
    return RepeatTable.from_json(text, f"store meta {REPEATS_META_KEY}")


def _save(store: Store, table: RepeatTable) -> None:
    store.set_meta(REPEATS_META_KEY, table.to_json() if table.hosts else "")


def _sites(store: Store, settings: Settings, site: str | None) -> list[tuple[str, SiteProfile]]:
    """(name, profile a re-crawl would use) of ``site`` or of every site of the store; with
    every site, one whose profile cannot be rebuilt is left out with a warning."""
    from core.errors import ConfigError, CrawlError
    from crawler._crawl import site_profile, stored_sites

    names = sorted(stored_sites(store))
    if site is not None and site not in names:
        raise ConfigError(f"no site {site!r} in the store (sites: {', '.join(names) or 'none'})")
    out = []
    for name in [site] if site is not None else names:
        try:
            out.append((name, site_profile(store, settings, name)))
        except (ConfigError, CrawlError) as exc:
            if site is not None:
                raise
            log.warning("repeats: site %s left out: %s", name, exc)
    return out


def _articles(
    store: Store, site: str, profile: SiteProfile, table: RepeatTable | None, progress: Progress
) -> Iterator[tuple[str, ExtractedPage]]:
    """(fetched URL, page) of each stored article page of ``site``, extracted from its raw HTML
    as the crawl does (the site's profile, the tag cap), with ``table`` applied."""
    pages = [p.url for p in store.iter_pages(site=site, state="ok")]
    for done, url in enumerate(pages, 1):
        raw = store.page_html(url)
        progress(site, done, len(pages))
        if not raw:
            continue
        try:
            page = extract_page(cap_tags(raw) or raw, url, "", profile, table)
        except ExtractError:
            continue
        if page.is_article:
            yield url, page


def _document_url(page: ExtractedPage, url: str, profile: SiteProfile) -> str:
    return page.canonical if page.canonical and profile.in_scope(page.canonical) else url


def learn_store_repeats(
    store: Store,
    settings: Settings,
    site: str | None = None,
    *,
    min_pages: int = 3,
    min_share: float = 0.01,
    progress: Progress = _none,
) -> tuple[RepeatTable, list[Learned]]:
    """Learn the table of ``site`` (None: every site of the store) from its stored raw pages,
    replace that site's part of the store's table, and say what was found."""
    table = stored_repeats(store) or RepeatTable(min_pages=min_pages, min_share=min_share)
    report = []
    for name, profile in _sites(store, settings, site):
        pages = list(_articles(store, name, profile, None, progress))
        learned = learn_repeats(((u, p.body) for u, p in pages), min_pages, min_share, name)
        table = table.without_site(name).merged(learned)
        stale = 0
        for url, page in pages:
            doc = store.find_document(_document_url(page, url, profile))
            stale += doc is not None and doc.body != learned.strip(url, page.body)
        blocks = sum(len(r.blocks) for r in learned.hosts.values())
        total = sum(1 for _ in store.iter_pages(site=name, state="ok"))
        report.append(Learned(name, total, len(pages), len(learned.hosts), blocks, stale))
    _save(store, table)
    return table, report


def clear_repeats(store: Store, site: str | None = None) -> int:
    """Forget the table of ``site`` (None: the whole table); the number of hosts forgotten."""
    table = stored_repeats(store)
    if table is None:
        return 0
    kept = RepeatTable(min_pages=table.min_pages, min_share=table.min_share)
    if site is not None:
        kept = table.without_site(site)
    _save(store, kept)
    return len(table.hosts) - len(kept.hosts)


def apply_repeats(
    store: Store, settings: Settings, site: str | None = None, *, progress: Progress = _none
) -> list[Applied]:
    """Re-extract the stored article pages of ``site`` (None: every site) from their stored raw
    HTML with the store's table, as a re-crawl of the same bytes would: a document whose fields
    differ gets a new version (its old versions and the raw pages stay as they were)."""
    table = stored_repeats(store)
    report = []
    for name, profile in _sites(store, settings, site):
        changed = unchanged = pages = 0
        for url, page in _articles(store, name, profile, table, progress):
            pages += 1
            doc = store.find_document(_document_url(page, url, profile))
            if doc is None or doc.site != name:
                continue
            same = (doc.title, doc.body, doc.published) == (page.title, page.body, page.published)
            if same:
                unchanged += 1
                continue
            outcome = store.save_document(DocumentDraft(
                url=doc.url, site=doc.site, title=page.title, body=page.body, lang=page.lang,
                published=page.published, aliases=doc.aliases, attachments=page.attachments,
                source_url=url,
            ))  # fmt: skip
            changed += outcome.status == "changed"
            unchanged += outcome.status == "unchanged"
        report.append(Applied(name, pages, changed, unchanged))
    return report
