"""Streaming documents from the store in batches, and the progress both stages show."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator

from core.records import Document
from corpus import IndexStore

__all__ = ["BATCH", "Progress", "batches", "resolve_procs", "seq_ranges"]

log = logging.getLogger(__name__)

BATCH = 2000


def resolve_procs(procs: int) -> int:
    """``procs`` processes; 0 or less: the machine's cores."""
    return procs if procs > 0 else max(os.cpu_count() or 1, 1)


def batches(
    store: IndexStore, since: int, until: int, state: str | None, size: int = 0
) -> Iterator[list[Document]]:
    """Documents with since < seq <= until, in change order, a batch at a time (cursor closed)."""
    size = size or BATCH
    while True:
        batch = [
            d
            for d in store.iter_documents(since_seq=since, state=state, limit=size)
            if d.seq <= until
        ]
        if not batch:
            return
        yield batch
        since = batch[-1].seq


def seq_ranges(high: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` ranges (lo, hi] covering (0, high] of the change counter."""
    step = max(-(-high // parts), 1)
    return [(lo, min(lo + step, high)) for lo in range(0, high, step)]


class Progress:
    """A rich bar when stderr is a terminal, else a log line every few thousand documents."""

    def __init__(self, enabled: bool | None, total: int, what: str) -> None:
        self.total, self.what, self.done, self._bar, self._task = total, what, 0, None, None
        self._next_log = 5000
        if enabled is None:
            enabled = sys.stderr.isatty()
        if enabled and total:
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(transient=True)
            self._bar.start()
            self._task = self._bar.add_task(what, total=total)

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more documents done."""
        self.done += n
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=n)
        elif self.done >= self._next_log:
            log.info("%s: %d of ~%d documents", self.what, self.done, self.total)
            self._next_log += 5000

    def close(self) -> None:
        """Stop the bar."""
        if self._bar is not None:
            self._bar.stop()
