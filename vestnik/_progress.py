"""The commands' per-key progress bars (a table of ``vestnik migrate``, a site of ``vestnik repeats``)."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["KeyedBar"]


class KeyedBar:
    """A rich bar per key when stderr is a terminal, else nothing (the summary line says it).

    Called as ``bar(key, done, total)``: the shape of the library's progress callbacks; a context
    manager that stops the bars on the way out."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}
        if sys.stderr.isatty():
            from rich.progress import Progress

            self._progress = Progress(transient=True)
            self._progress.start()

    def __call__(self, key: str, done: int, total: int) -> None:
        if self._progress is None:
            return
        if key not in self._tasks:
            self._tasks[key] = self._progress.add_task(key, total=max(total, 1))
        self._progress.update(self._tasks[key], completed=done)

    def __enter__(self) -> KeyedBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
