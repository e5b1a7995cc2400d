"""``vestnik crawl``: crawl start URLs or profile names (none: every known site) into the store."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings

__all__ = ["run"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Crawl, print one summary line; exit 1 when every fetched page failed."""
    from corpus import open_store
    from crawler import crawl

    targets = list(args.targets) or None
    with open_store(settings.store_url) as store:
        summary = crawl(store, settings, targets, incremental=True)
    print(
        f"crawl run {summary.run_id} ({', '.join(summary.sites)}): fetched {summary.fetched}, "
        f"new {summary.new}, changed {summary.changed}, unchanged {summary.unchanged}, "
        f"not modified {summary.not_modified}, gone {summary.gone}, failed {summary.failed}, "
        f"skipped {summary.skipped}, files {summary.files}, unreadable files {summary.file_errors}",
        flush=True,
    )
    if summary.reached_nothing:
        print("vestnik: error: no page could be crawled (see the errors above)", file=sys.stderr)
        return 1
    return 0
