"""The API's response bodies as pydantic models: the OpenAPI document's schemas come from here."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = [
    "DocumentOut",
    "ErrorOut",
    "FacetValue",
    "FactOut",
    "HitOut",
    "RegionOut",
    "SearchOut",
    "VersionFull",
    "VersionOut",
    "WatchDetail",
    "WatchItemOut",
    "WatchOut",
]


class ErrorOut(BaseModel):
    """Every error: the HTTP status and one line saying what is wrong."""

    status: int = Field(examples=[400])
    error: str = Field(examples=["page: Input should be greater than or equal to 1"])


class HitOut(BaseModel):
    """One search result: the keys of ``vestnik search --json``, plus ``doc_id`` and ``regions``."""

    url: str
    title: str
    published: str
    site: str
    lang: str
    score: float
    snippet: str = Field(description="HTML: escaped text, matched word forms in <mark>")
    kind: str = Field(description='"page", or "attachment": a file linked from an article')
    file_type: str = Field(
        description='an attachment\'s type ("pdf", "docx", ...); empty for a page'
    )
    parent_url: str = Field(description="an attachment's article; empty for a page")
    doc_id: int
    regions: list[str]


class FacetValue(BaseModel):
    """A value of a facet and how many matching documents have it."""

    value: str
    count: int


class SearchOut(BaseModel):
    """A page of results, the total, facets over every match, a "did you mean" suggestion."""

    total: int
    page: int
    limit: int
    hits: list[HitOut]
    facets: dict[str, list[FacetValue]]
    suggestion: str


class FactOut(BaseModel):
    """One fact of a document version (see docs/facts.md)."""

    fact_type: str
    value: str
    qualifier: str
    object: str
    counterpart_value: str
    counterpart_object: str
    regions: list[str]
    persons: list[str]
    date: str
    sentence: str
    start: int
    stop: int
    rule: str


class VersionOut(BaseModel):
    """A stored version of a document, without its text."""

    version: int
    saved_at: str
    title: str
    published: str
    content_hash: str


class VersionFull(VersionOut):
    """A stored version with its text."""

    doc_id: int
    body: str


class DocumentOut(BaseModel):
    """A document's current version, its metadata, its versions and its facts."""

    id: int
    url: str
    site: str
    lang: str
    title: str
    published: str
    body: str
    version: int
    state: str = Field(description='"ok", or "gone" when the site no longer has it')
    first_seen: str
    fetched_at: str
    changed_at: str
    regions: list[str]
    aliases: list[str]
    attachments: list[str]
    versions: list[VersionOut]
    facts: list[FactOut]


class RegionOut(BaseModel):
    """A region and how many documents (matching the query) are about it."""

    name: str
    documents: int


class WatchOut(BaseModel):
    """A saved search: its query and filters, its item counts, where its feed is."""

    name: str
    query: str
    since: str
    until: str
    site: str
    lang: str
    region: str
    created_at: str
    items: int
    unseen: int = Field(description="items the UI has not shown yet")
    feed: str = Field(description="path of the Atom feed")


class WatchItemOut(BaseModel):
    """A document version an update found for a saved search."""

    id: int
    run_id: int | None
    doc_id: int
    version: int
    change: str = Field(description='"new" (first version) or "changed" (a later version)')
    facts: int
    found_at: str
    url: str
    title: str
    published: str
    site: str
    lang: str


class WatchDetail(WatchOut):
    """A saved search with its items, newest first."""

    entries: list[WatchItemOut]
