"""Records shared by every package: what goes in and out of the corpus store.

Plain frozen dataclasses, no behaviour; states and kinds are the enums of ``core.enums``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.enums import (
    DocKind,
    DocState,
    FactType,
    FrontierKind,
    ItemChange,
    PageState,
    RunKind,
    RunStatus,
    SaveStatus,
)

__all__ = [
    "CrawlRun",
    "Document",
    "DocumentDraft",
    "Fact",
    "FactFilter",
    "FactRow",
    "FrontierItem",
    "NewItem",
    "Page",
    "PageFetch",
    "SaveOutcome",
    "SavedSearch",
    "WatchItem",
]


@dataclass(frozen=True)
class PageFetch:
    """What one fetch of a URL gave: written to the ``pages`` table by ``Store.record_fetch``."""

    url: str
    site: str
    status: int
    state: PageState
    canonical_url: str = ""
    etag: str = ""
    last_modified: str = ""
    content_hash: str = ""
    raw_html: bytes = b""
    encoding: str = ""
    error: str = ""


@dataclass(frozen=True)
class Page:
    """A row of the ``pages`` table (raw HTML left out; see ``Store.page_html``)."""

    url: str
    site: str
    canonical_url: str
    status: int
    state: PageState
    etag: str
    last_modified: str
    content_hash: str
    encoding: str
    error: str
    first_seen: str
    fetched_at: str
    changed_at: str


@dataclass(frozen=True)
class DocumentDraft:
    """A document as the crawler or ``ingest`` extracted it, before the store versions it."""

    url: str  # canonical URL (or file:// URL for ingested files)
    site: str
    title: str
    body: str
    lang: str = "ru"
    published: str = ""  # ISO "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM", "" when unknown
    aliases: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    source_url: str = ""  # the URL actually fetched
    kind: DocKind = DocKind.PAGE  # ATTACHMENT: a file linked from the article at parent_url
    parent_url: str = ""
    file_name: str = ""  # attachments: "plan-2023.pdf"
    file_type: str = ""  # attachments: what the bytes are, "pdf" | "docx" | "odt" | "rtf" | "doc"


@dataclass(frozen=True)
class SaveOutcome:
    """What ``Store.save_document`` did."""

    doc_id: int
    version: int
    status: SaveStatus


@dataclass(frozen=True)
class Document:
    """A stored document: the current version of one canonical URL."""

    id: int
    url: str
    site: str
    lang: str
    title: str
    published: str
    body: str
    content_hash: str
    version: int
    state: DocState
    first_seen: str
    fetched_at: str
    changed_at: str
    seq: int  # store-wide change counter; the indexer keeps a high-water mark of it
    regions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    kind: DocKind = DocKind.PAGE
    parent_url: str = ""
    file_name: str = ""
    file_type: str = ""


@dataclass(frozen=True)
class Fact:
    """One extracted fact, as the extractor produces it (columns of docs/facts.md)."""

    fact_type: FactType
    value: str = ""
    qualifier: str = ""
    object: str = ""
    counterpart_value: str = ""
    counterpart_object: str = ""
    regions: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    date: str = ""
    sentence: str = ""
    start: int = 0  # offsets of the sentence in the document body
    stop: int = 0
    rule: str = ""  # the name of the rule that made it


@dataclass(frozen=True)
class FactRow:
    """A fact joined with its document: one CSV row of ``vestnik facts``."""

    fact: Fact
    doc_id: int
    doc_url: str
    doc_title: str
    published: str
    site: str


@dataclass(frozen=True)
class FactFilter:
    """Which facts ``Store.iter_facts`` yields. Empty fields do not filter."""

    types: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    site: str = ""
    regions: tuple[str, ...] = ()
    doc_ids: tuple[int, ...] | None = None  # None: any document; () : none


@dataclass(frozen=True)
class FrontierItem:
    """A URL claimed from the crawl frontier: the worker holds it until ``lease_until`` (epoch
    seconds); ``token`` tells this claim from a later one of the same URL."""

    id: int
    site: str
    url: str
    kind: FrontierKind
    depth: int
    attempts: int
    referrer: str = ""
    lease_until: float = 0.0
    token: int = 0


@dataclass(frozen=True)
class CrawlRun:
    """A row of the ``crawl_runs`` table."""

    id: int
    kind: RunKind
    sites: str
    started_at: str
    finished_at: str
    status: RunStatus
    counters: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    message: str = ""


@dataclass(frozen=True)
class SavedSearch:
    """A named query with filters (empty: no filter) and its bookkeeping (``saved_searches``)."""

    name: str
    query: str = ""
    since: str = ""
    until: str = ""
    site: str = ""
    lang: str = ""
    region: str = ""
    id: int = 0
    created_at: str = ""
    checked_seq: int = 0  # documents up to this store change counter have been checked
    seen_item: int = 0  # items up to this id were seen (the UI's last visit)
    items: int = 0  # how many items are recorded
    unseen: int = 0  # how many of them came after ``seen_item``

    def filters(self) -> dict[str, str]:
        """The non-empty filters by name (``since``, ``until``, ``site``, ``lang``, ``region``)."""
        names = ("since", "until", "site", "lang", "region")
        return {k: getattr(self, k) for k in names if getattr(self, k)}


@dataclass(frozen=True)
class NewItem:
    """A document version an update found for a saved search."""

    doc_id: int
    version: int
    change: ItemChange
    facts: int = 0  # facts of that version


@dataclass(frozen=True)
class WatchItem:
    """A recorded item of a saved search (``saved_search_items``) with its document's metadata."""

    id: int
    search_id: int
    run_id: int | None
    doc_id: int
    version: int
    change: ItemChange
    facts: int
    found_at: str
    url: str
    title: str
    published: str
    site: str
    lang: str
