"""Local files into the store: .html/.htm pages through the extractor, .txt as "title line, then
body", and document files (.pdf, .docx, .odt, .rtf, .doc) through the bounded file reader (one
worker process for the whole run). Site "local"; the URL of a file is its absolute ``file://``
URL; a document file is a document of kind "attachment" with its file name and type and no parent.

Usage::

    ingest(store, [Path("~/Downloads/news")])
    # -> IngestSummary(run_id=3, files=12, new=12, changed=0, unchanged=0, failed=0)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.enums import DocKind
from core.errors import CrawlError, ExtractError
from core.records import DocumentDraft
from corpus import Store
from crawler._attachments import attachment_title
from crawler._extract import extract_page
from crawler._files import FILE_KINDS, FileLimits, FileReader, FileText, read_file
from crawler._lang import detect_lang
from crawler._local import read_local_file

__all__ = ["FILE_SUFFIXES", "INGEST_SUFFIXES", "IngestSummary", "ingest", "read_document_file"]

log = logging.getLogger(__name__)

FILE_SUFFIXES = tuple(FILE_KINDS)  # .pdf .docx .odt .rtf .doc: read by crawler._files
INGEST_SUFFIXES = (".html", ".htm", ".txt", *FILE_SUFFIXES)
LOCAL_SITE = "local"


@dataclass(frozen=True)
class IngestSummary:
    """What one ingest run did."""

    run_id: int
    files: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0


def _files(paths: Iterable[Path | str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in INGEST_SUFFIXES
                              and p.is_file())  # fmt: skip
        elif path.is_file():
            yield path
        else:
            raise CrawlError(f"no such file or folder: {path}")


def _page_draft(path: Path) -> DocumentDraft:
    url = path.resolve().as_uri()
    raw = read_local_file(path)
    kind = "text/plain" if path.suffix.lower() == ".txt" else "text/html"
    page = extract_page(raw, url, kind)
    return DocumentDraft(
        url=url, site=LOCAL_SITE, title=page.title, body=page.body, lang=page.lang,
        published=page.published, attachments=page.attachments, source_url=url,
    )  # fmt: skip


def _file_draft(path: Path, text: FileText) -> DocumentDraft:
    url = path.resolve().as_uri()
    return DocumentDraft(
        url=url, site=LOCAL_SITE, title=attachment_title(text, path.name), body=text.text,
        lang=detect_lang(text.text[:20000]), source_url=url, kind=DocKind.ATTACHMENT,
        file_name=path.name, file_type=text.kind,
    )  # fmt: skip


def read_document_file(path: Path, limits: FileLimits | None = None) -> tuple[DocumentDraft, str]:
    """One .pdf/.docx/.odt/.rtf/.doc file as a document draft, with what was not read ("" when
    all was); an ``ExtractError`` of one line naming the file when it cannot be read."""
    raw = read_local_file(path)
    try:
        text = read_file(raw, path.name, limits=limits)
    except ExtractError as exc:
        raise ExtractError(f"{path}: {exc}") from exc
    return _file_draft(path, text), text.note


def _is_file(path: Path) -> bool:
    return path.suffix.lower() in FILE_SUFFIXES


def ingest(
    store: Store, paths: Iterable[Path | str], limits: FileLimits | None = None
) -> IngestSummary:
    """Store each .html/.htm/.txt/.pdf/.docx/.odt/.rtf/.doc file (folders are walked) as a
    document of site "local"; a file that cannot be read is recorded as an error and the rest go
    on. Document files are read in one bounded worker (``limits``: ``[attachments]``)."""
    files = list(_files(paths))
    run_id = store.start_run("ingest", LOCAL_SITE)
    counts = {"files": 0, "new": 0, "changed": 0, "unchanged": 0, "failed": 0}
    status = "interrupted"
    with asyncio.Runner() as runner:
        reader = FileReader(limits or FileLimits())
        try:
            for path in files:
                counts["files"] += 1
                try:
                    if _is_file(path):
                        text = runner.run(reader.read(read_local_file(path), path.name))
                        draft = _file_draft(path, text)
                        if text.note:
                            store.record_error(run_id, draft.url, f"{path.name}: {text.note}")
                    else:
                        draft = _page_draft(path)
                    if not draft.title and not draft.body:
                        raise ExtractError("no text found")
                except (OSError, ExtractError) as exc:
                    log.warning("%s: %s", path, exc)
                    store.record_error(run_id, path.resolve().as_uri(), str(exc))
                    counts["failed"] += 1
                    continue
                outcome = store.save_document(draft)
                counts[outcome.status] += 1
            status = "ok"
        finally:
            runner.run(reader.aclose())
            store.finish_run(run_id, status, counts)
    return IngestSummary(run_id=run_id, **counts)
