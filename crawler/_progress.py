"""Crawl progress: a rich progress bar on a terminal, plain periodic log lines otherwise."""

from __future__ import annotations

import logging
import sys
import time
from types import TracebackType
from typing import Any

__all__ = ["Progress"]

log = logging.getLogger("crawler")

_LINE_EVERY = 10.0  # seconds between plain log lines


class Progress:
    """Show counters: ``with Progress(enabled) as p: p.show(counters)``."""

    def __init__(self, enabled: bool | None) -> None:
        self.live = sys.stderr.isatty() if enabled is None else enabled
        self._bar: Any = None
        self._task: Any = None
        self._last = time.monotonic()

    def __enter__(self) -> Progress:
        if self.live:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("crawl"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                TextColumn("{task.fields[counts]}"), transient=False,
            )  # fmt: skip
            self._bar.start()
            self._task = self._bar.add_task("crawl", total=None, counts="")
        return self

    def show(self, counters: dict[str, int], final: bool = False) -> None:
        """Report the counters (rate-limited to one log line per 10 s without a terminal)."""
        text = " ".join(f"{k}={v}" for k, v in counters.items())
        if self._bar is not None:
            done = counters.get("fetched", 0)
            total = done + counters.get("queued", 0)
            self._bar.update(self._task, completed=done, total=total, counts=text)
        elif final or time.monotonic() - self._last >= _LINE_EVERY:
            self._last = time.monotonic()
            log.info("crawl progress: %s", text)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        if self._bar is not None:
            self._bar.stop()
