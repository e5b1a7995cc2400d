"""Domain states and kinds shared by every package, as string enums.

They are ``StrEnum``s: a member equals its value (``PageState.OK == "ok"``), is stored in the
store as that value, and prints as it, so records and SQL rows round-trip without conversion.

>>> PageState("gone") is PageState.GONE
True
>>> str(FactType.TRADE_CHANGE)
'trade_change'
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "DocKind",
    "DocState",
    "FactType",
    "FrontierKind",
    "ItemChange",
    "PageState",
    "RunKind",
    "RunStatus",
    "SaveStatus",
]


class PageState(StrEnum):
    """What the last fetch of a URL gave (``pages.state``)."""

    OK = "ok"
    GONE = "gone"  # 404/410: kept, out of search
    ERROR = "error"
    NOT_MODIFIED = "not_modified"
    SKIPPED = "skipped"  # not an article, wrong type, robots, out of budget
    REDIRECT = "redirect"


class DocState(StrEnum):
    """Whether a document is live (searchable) or gone from its site."""

    OK = "ok"
    GONE = "gone"


class DocKind(StrEnum):
    """What a document is: a news page, or a file attached to one."""

    PAGE = "page"
    ATTACHMENT = "attachment"


class SaveStatus(StrEnum):
    """What saving a document draft did."""

    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


class FactType(StrEnum):
    """The fact types of docs/facts.md, in CSV order of importance."""

    AGREEMENT_COUNT = "agreement_count"
    TRADE_CHANGE = "trade_change"
    PARTNER_COUNT = "partner_count"
    SIGNED_DOCUMENT = "signed_document"
    PERSON_ROLE = "person_role"


class FrontierKind(StrEnum):
    """Why a URL is in the crawl frontier."""

    LISTING = "listing"
    ARTICLE = "article"
    SITEMAP = "sitemap"
    PAGE = "page"
    FEED = "feed"
    ATTACHMENT = "attachment"


class RunKind(StrEnum):
    """What a run row records."""

    CRAWL = "crawl"
    UPDATE = "update"
    INDEX = "index"
    DERIVE = "derive"
    INGEST = "ingest"
    MIGRATE = "migrate"


class RunStatus(StrEnum):
    """How a run ended (or that it is still running)."""

    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class ItemChange(StrEnum):
    """Why a document version is a saved search's new item (``saved_search_items.change``)."""

    NEW = "new"  # the document's first version
    CHANGED = "changed"  # a later version
