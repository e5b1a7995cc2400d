"""Attachments: the files an article links (PDF, DOCX, ODT, RTF, DOC), fetched with the same
politeness as pages and stored as documents of their own (``kind = attachment``, the parent
article's URL, the file's name and type).

An attachment may sit outside the crawl's path scope (``/sites/default/files/...`` for a
``/ru/news`` crawl) but never off the site's hosts, and robots.txt rules it like any URL. Its text
comes from ``crawler._files.FileReader`` (a worker process with a time limit and a memory cap);
a file that cannot be read is one recorded error and the crawl goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from core.enums import DocKind, FrontierKind, PageState
from core.errors import ExtractError
from core.records import DocumentDraft, FrontierItem, PageFetch
from corpus import DONE, FAILED, CrawlStore, FrontierEntry, content_hash
from crawler._fetch import FetchResult
from crawler._files import FILE_KINDS, FileReader, FileText, file_name_of
from crawler._lang import detect_lang
from crawler._urls import host_key

__all__ = ["ATTACHMENT_PRIORITY", "attachment_items", "attachment_title", "store_attachment"]

log = logging.getLogger(__name__)

ATTACHMENT_PRIORITY = 1  # fetched beside articles
# Linked files vestnik does not read (their links stay on the article as ``attachments``).
UNREAD_EXTENSIONS = (".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".zip", ".rar", ".7z")
_TITLE_CHARS = 200


def attachment_items(
    hosts: tuple[str, ...], parent_url: str, links: tuple[str, ...], depth: int,
    known: Callable[[str], bool],
) -> list[FrontierEntry]:  # fmt: skip
    """Frontier rows for an article's attachment links worth fetching: on one of the site's
    ``hosts``, not of a kind vestnik does not read, and not ``known`` already."""
    items: list[FrontierEntry] = []
    for url in links:
        path = urlsplit(url).path.lower()
        if host_key(url) not in hosts or path.endswith(UNREAD_EXTENSIONS) or known(url):
            continue
        items.append(
            FrontierEntry(url, FrontierKind.ATTACHMENT, depth + 1, ATTACHMENT_PRIORITY, parent_url)
        )
    return items


def attachment_title(text: FileText, file_name: str) -> str:
    """The file's own title (document properties), else its first short paragraph, else its name."""
    if text.title and len(text.title) <= _TITLE_CHARS:
        return text.title
    first = text.text.split("\n\n", 1)[0].strip()
    return first if 0 < len(first) <= _TITLE_CHARS else file_name


def _name(url: str, result: FetchResult) -> str:
    return file_name_of(result.final_url or url) or file_name_of(url) or "file"


async def store_attachment(
    store: CrawlStore, reader: FileReader, site: str, item: FrontierItem, result: FetchResult,
    run_id: int,
) -> str:  # fmt: skip
    """Read and store one fetched attachment (a 200 answer); its frontier row is settled here.

    Returns the save status ("new", "changed", "unchanged") or "error" when the file could not be
    read (recorded in the run's errors with its name, the crawl goes on).
    """
    url, name = item.url, _name(item.url, result)
    try:
        text = await reader.read(result.body, name, result.content_type)
    except ExtractError as exc:
        message = f"attachment {name}: {exc}"
        log.warning("%s: %s", url, message)
        with store.batch():
            store.record_fetch(PageFetch(url, site, 200, PageState.ERROR, etag=result.etag,
                                         error=message))  # fmt: skip
            store.record_error(run_id, url, message)
            store.frontier.settle(item, FAILED)
        return "error"
    parent = store.find_document(item.referrer) if item.referrer else None
    title = attachment_title(text, name)
    draft = DocumentDraft(
        url=url, site=site, title=title, body=text.text, lang=detect_lang(text.text[:20000]),
        published=parent.published if parent is not None else "", source_url=result.final_url,
        kind=DocKind.ATTACHMENT, parent_url=parent.url if parent is not None else item.referrer,
        file_name=name, file_type=text.kind,
    )  # fmt: skip
    with store.batch():
        outcome = store.save_document(draft)
        store.record_fetch(PageFetch(
            url, site, 200, PageState.OK, canonical_url=url, etag=result.etag,
            last_modified=result.last_modified, content_hash=content_hash(title, text.text),
        ))  # fmt: skip
        if text.note:
            store.record_error(run_id, url, f"attachment {name}: {text.note}")
        store.frontier.settle(item, DONE)
    if text.note:
        log.warning("%s: %s", url, text.note)
    return str(outcome.status)


def is_file_url(url: str) -> bool:
    """True when the URL's path names a kind of file vestnik reads (``.pdf``, ``.docx`` ...)."""
    return urlsplit(url).path.lower().endswith(tuple(FILE_KINDS))
