"""``vestnik ingest``: local .html/.htm/.txt files or folders become documents of site "local"."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings

__all__ = ["run"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Ingest the paths, print one summary line; exit 1 when no file could be read."""
    from corpus import open_store
    from crawler import ingest

    with open_store(settings.store_url) as store:
        summary = ingest(store, args.paths)
    print(
        f"ingest run {summary.run_id}: files {summary.files}, new {summary.new}, "
        f"changed {summary.changed}, unchanged {summary.unchanged}, failed {summary.failed}",
        flush=True,
    )
    if summary.files == 0:
        print("vestnik: error: no .html, .htm or .txt files found", file=sys.stderr)
        return 1
    if summary.failed == summary.files:
        print("vestnik: error: no file could be read", file=sys.stderr)
        return 1
    return 0
