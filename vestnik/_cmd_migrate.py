"""``vestnik migrate --to URL``: copy every table of the store into another store, resumably."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core.settings import Settings

__all__ = ["run"]


class _Bar:
    """A rich bar per table when stderr is a terminal, else nothing (the summary line says it)."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}
        if sys.stderr.isatty():
            from rich.progress import Progress

            self._progress = Progress(transient=True)
            self._progress.start()

    def __call__(self, table: str, done: int, total: int) -> None:
        if self._progress is None:
            return
        if table not in self._tasks:
            self._tasks[table] = self._progress.add_task(table, total=max(total, 1))
        self._progress.update(self._tasks[table], completed=done)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Copy, then print one line per table and a summary."""
    from corpus import migrate_store

    bar = _Bar()
    try:
        summary = migrate_store(args.source or settings.store_url, args.to, progress=bar)
    finally:
        bar.close()
    for table, rows in summary.rows.items():
        print(f"  {table}: {rows}")
    total = sum(summary.rows.values())
    print(
        f"migrated {summary.source} -> {summary.target}: {total} rows in {len(summary.rows)} "
        f"tables ({summary.copied} copied now), counts checked, {summary.seconds:.1f} s"
    )
    return 0
