"""Saved searches at work: saving one, and recording each one's new items after an update.

``save_search`` checks the query with the search API (a malformed query is refused when saved, not
at the next update) and saves it with the index's change counter, so only documents indexed later
are new for it. ``check_watches`` runs after an update's index stage: for every saved search the
documents indexed since it last looked that match it become items of the run (``new`` for a first
version, ``changed`` for a later one), with how many facts that version has. ``after_update`` does
that and sends the e-mail digest; it never fails the update (problems are logged, and the next
update looks at everything indexed since the search last looked).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from core.enums import ItemChange
from core.errors import QueryError, SearchIndexError, VestnikError
from core.records import NewItem, SavedSearch, WatchItem
from corpus import check_watch_name

if TYPE_CHECKING:
    from core.settings import SmtpSettings
    from corpus import Store
    from indexer import SearchBackend

__all__ = [
    "DIGEST_ITEMS",
    "MAX_QUERY_CHARS",
    "Found",
    "WatchEntry",
    "after_update",
    "check_watches",
    "http_url",
    "indexed_seq",
    "normalize_search",
    "save_search",
    "watch_entries",
]

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 1000
DIGEST_ITEMS = 50  # items per saved search in one digest
_LANGS = ("ru", "be", "en")
_CHANGE = {ItemChange.NEW: "Новый документ", ItemChange.CHANGED: "Документ изменён"}


@dataclass(frozen=True)
class Found:
    """What one check found for one saved search."""

    search: SavedSearch
    added: int  # items recorded now (a version recorded before is not counted again)


@dataclass(frozen=True)
class WatchEntry:
    """An item with what the feed, the digest and the UI show for it."""

    item: WatchItem
    summary: str  # "Новый документ · 14.11.2024 · mpt · фактов: 3"
    facts: tuple[str, ...] = ()  # the sentences of the version's facts


def http_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL, else "" (links are never anything else)."""
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def indexed_seq(store: Store) -> int:
    """The store change counter the search index has caught up with (the indexer's ``index_seq``)."""
    value = store.get_meta("index_seq", "0")
    return int(value) if value.isdigit() else 0


def _date(value: str, what: str) -> str:
    if not value.strip():
        return ""
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise QueryError(f"{what}: expected a date YYYY-MM-DD, got {value[:40]!r}") from None


def normalize_search(search: SavedSearch) -> SavedSearch:
    """``search`` with a checked name, a bounded query, ISO dates and a known language.

    ``QueryError`` (``StoreError`` for the name) says what is wrong, in one line.
    """
    query = search.query.strip()
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is longer than {MAX_QUERY_CHARS} characters")
    lang = search.lang.strip()
    if lang and lang not in _LANGS:
        raise QueryError(f"unknown language {lang[:20]!r}: one of {', '.join(_LANGS)}")
    return replace(
        search, name=check_watch_name(search.name), query=query,
        since=_date(search.since, "since"), until=_date(search.until, "until"),
        site=search.site.strip(), lang=lang, region=search.region.strip(),
    )  # fmt: skip


def _matching(index: SearchBackend, search: SavedSearch) -> set[int]:
    return set(
        index.doc_ids(
            search.query,
            since=search.since,
            until=search.until,
            site=search.site,
            lang=search.lang,
            region=search.region,
        )  # fmt: skip
    )


def save_search(store: Store, index: SearchBackend | None, search: SavedSearch) -> SavedSearch:
    """Check and save ``search``; what is indexed now is not new for it.

    With an index the query is parsed (``QueryError`` if malformed); without one (nothing indexed
    yet) it is saved as given, and every document indexed later is new for it.
    """
    clean = normalize_search(search)
    if index is not None:
        _matching(index, clean)
    return store.add_watch(clean, indexed_seq(store))


def check_watches(store: Store, index: SearchBackend, run_id: int | None) -> list[Found]:
    """Record, for each saved search, the matching documents indexed since it last looked.

    A saved search whose query no longer parses is skipped with a warning; the others go on.
    """
    searches = store.list_watches()
    if not searches:
        return []
    upto = indexed_seq(store)
    lowest = min(s.checked_seq for s in searches)
    changed = {
        doc.id: (doc.seq, doc.version)
        for doc in store.iter_documents(since_seq=lowest)
        if doc.seq <= upto
    }
    found = []
    for search in searches:
        fresh = {i for i, (seq, _) in changed.items() if seq > search.checked_seq}
        try:
            hits = sorted(_matching(index, search) & fresh) if fresh else []
        except (QueryError, SearchIndexError) as exc:
            log.warning("saved search %r skipped: %s", search.name, exc)
            continue
        items = [
            NewItem(
                doc_id=doc_id,
                version=changed[doc_id][1],
                change=ItemChange.NEW if changed[doc_id][1] == 1 else ItemChange.CHANGED,
                facts=len(store.facts_for_document(doc_id, changed[doc_id][1])),
            )
            for doc_id in hits
        ]
        added = store.record_watch_items(search.id, run_id, items, upto)
        found.append(Found(search=search, added=added))
    return found


def _day(published: str) -> str:
    value = published[:10]
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}.{value[5:7]}.{value[:4]}"
    return value


def watch_entries(store: Store, items: list[WatchItem]) -> list[WatchEntry]:
    """``items`` with their summaries and the sentences of their versions' facts."""
    entries = []
    for item in items:
        parts = [_CHANGE.get(item.change, str(item.change)), _day(item.published) or "без даты"]
        parts += [item.site, f"фактов: {item.facts}" if item.facts else ""]
        facts = store.facts_for_document(item.doc_id, item.version)
        entries.append(
            WatchEntry(
                item=item,
                summary=" · ".join(p for p in parts if p),
                facts=tuple(dict.fromkeys(f.sentence for f in facts if f.sentence)),
            )
        )
    return entries


def after_update(
    store: Store,
    data_dir: Path,
    run_id: int | None,
    smtp: SmtpSettings | None = None,
    *,
    backend: str = "whoosh",
) -> int:
    """Record the new items of every saved search, send the digest; return how many were added
    (``backend``: the search backend, ``search.backend``)."""
    from indexer import open_backend
    from ops._digest import DigestSection, send_digest

    try:
        if not store.list_watches():
            return 0
        with open_backend(backend, data_dir, store.url) as index:
            found = check_watches(store, index, run_id)
        sections = [
            DigestSection(
                name=f.search.name,
                query=f.search.query,
                entries=tuple(
                    watch_entries(
                        store, store.watch_items(f.search.id, run_id=run_id, limit=DIGEST_ITEMS)
                    )
                ),
            )
            for f in found
            if f.added
        ]
    except VestnikError as exc:
        log.warning("saved searches were not checked after update #%s: %s", run_id, exc)
        return 0
    added = sum(f.added for f in found)
    if added:
        log.info("saved searches: %d new items in %d of them", added, len(sections))
    if smtp is not None and sections:
        send_digest(smtp, sections, run_id)
    return added
