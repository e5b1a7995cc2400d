"""Local files into the store: .html/.htm pages through the extractor, .txt as "title line, then
body". Site "local"; the URL of a file is its absolute ``file://`` URL.

Usage::

    ingest(store, [Path("~/Downloads/news")])
    # -> IngestSummary(run_id=3, files=12, new=12, changed=0, unchanged=0, failed=0)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import CrawlError, ExtractError
from core.records import DocumentDraft
from corpus import Store
from crawler._extract import extract_page
from crawler._local import read_local_file

__all__ = ["INGEST_SUFFIXES", "IngestSummary", "ingest"]

log = logging.getLogger(__name__)

INGEST_SUFFIXES = (".html", ".htm", ".txt")
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


def _draft(path: Path) -> DocumentDraft:
    url = path.resolve().as_uri()
    raw = read_local_file(path)
    kind = "text/plain" if path.suffix.lower() == ".txt" else "text/html"
    page = extract_page(raw, url, kind)
    return DocumentDraft(
        url=url, site=LOCAL_SITE, title=page.title, body=page.body, lang=page.lang,
        published=page.published, attachments=page.attachments, source_url=url,
    )  # fmt: skip


def ingest(store: Store, paths: Iterable[Path | str]) -> IngestSummary:
    """Store each .html/.htm/.txt file (folders are walked) as a document of site "local"; a
    file that cannot be read is recorded as an error and the rest go on."""
    files = list(_files(paths))
    run_id = store.start_run("ingest", LOCAL_SITE)
    counts = {"files": 0, "new": 0, "changed": 0, "unchanged": 0, "failed": 0}
    status = "interrupted"
    try:
        for path in files:
            counts["files"] += 1
            try:
                draft = _draft(path)
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
        store.finish_run(run_id, status, counts)
    return IngestSummary(run_id=run_id, **counts)
