"""``vestnik migrate --to URL``: copy every table of the store into another store, resumably."""

from __future__ import annotations

import argparse

from core.settings import Settings
from vestnik._progress import KeyedBar

__all__ = ["run"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Copy, then print one line per table and a summary."""
    from corpus import migrate_store

    with KeyedBar() as bar:
        summary = migrate_store(args.source or settings.store_url, args.to, progress=bar)
    for table, rows in summary.rows.items():
        print(f"  {table}: {rows}")
    total = sum(summary.rows.values())
    print(
        f"migrated {summary.source} -> {summary.target}: {total} rows in {len(summary.rows)} "
        f"tables ({summary.copied} copied now), counts checked, {summary.seconds:.1f} s"
    )
    return 0
