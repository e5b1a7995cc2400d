"""``vestnik facts``: stored facts as CSV (or ``--format json``), filtered like a search.

Rows stream from the store to the output one at a time; ``--output FILE`` is written to a temporary
file next to it and renamed into place, so a failed export leaves no half file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

from core.errors import OutputError
from core.settings import Settings

__all__ = ["run"]


def _doc_ids(args: argparse.Namespace, settings: Settings) -> tuple[int, ...] | None:
    """Ids of the documents matching QUERY through the search index; None without a query."""
    if not (args.query or "").strip():
        return None
    from indexer import open_search

    with open_search(settings) as index:
        ids = index.doc_ids(
            args.query, since=args.since or "", until=args.until or "", site=args.site or "",
            region=args.region or "",
        )  # fmt: skip
    return tuple(ids)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Export the facts matching the filters; print how many to stderr."""
    from core.records import FactFilter
    from corpus import open_store
    from indexer.facts import write_facts

    flt = FactFilter(
        types=tuple(args.types or ()),
        since=args.since or "",
        until=args.until or "",
        site=args.site or "",
        regions=(args.region,) if args.region else (),
        doc_ids=_doc_ids(args, settings),
    )
    with open_store(settings.store_url) as store:
        rows = store.iter_facts(flt)
        if getattr(args, "dedupe", False):
            from indexer.clusters import dedupe_fact_rows

            rows = dedupe_fact_rows(rows, store.shared_clusters())
        if args.output in ("", "-"):
            count = write_facts(rows, sys.stdout.buffer, fmt=args.format, excel=args.excel)
            sys.stdout.flush()
        else:
            count = _write_file(Path(args.output), rows, args.format, args.excel)
    print(f"{count} facts", file=sys.stderr)
    return 0


def _write_file(path: Path, rows: object, fmt: str, excel: bool) -> int:
    """Write to a temporary file in the same folder, then rename it over ``path``; a device or a
    pipe (``/dev/stdout``, a FIFO) is written directly. Failures are one-line ``OutputError``s."""
    from indexer.facts import write_facts

    if path.exists() and path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder; give a file name")
    if path.exists() and not path.is_file():
        try:
            with path.open("wb") as out:
                return write_facts(rows, out, fmt=fmt, excel=excel)  # type: ignore[arg-type]
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: the folder {folder} does not exist")
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as out:
            count = write_facts(rows, out, fmt=fmt, excel=excel)  # type: ignore[arg-type]
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp and os.path.exists(tmp):
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return count
