"""Politeness as state per host: a slot (delay, concurrency, last request) and its robots.txt.

Scrapy's downloader keeps one ``Slot`` per domain; so does vestnik. A request to a host waits
until the host has a free place (``concurrency``) and ``delay`` seconds have passed since the last
request to it started. ``delay`` is the larger of the configured delay and robots' Crawl-delay.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from types import TracebackType

from protego import Protego

__all__ = ["HostSlot", "parse_robots"]

log = logging.getLogger(__name__)


@dataclass
class HostSlot:
    """Per-host politeness state; use as ``async with slot:`` around one request."""

    host: str
    delay: float
    concurrency: int
    robots: Protego | None = None
    last_start: float = 0.0
    _sem: asyncio.Semaphore = field(init=False, repr=False)
    _lock: asyncio.Lock = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sem = asyncio.Semaphore(max(1, self.concurrency))
        self._lock = asyncio.Lock()

    def allowed(self, url: str, agent: str) -> bool:
        """robots.txt's verdict for ``url`` (True when there are no rules)."""
        return self.robots is None or bool(self.robots.can_fetch(url, agent))

    async def __aenter__(self) -> HostSlot:
        await self._sem.acquire()
        try:
            async with self._lock:
                wait = self.last_start + self.delay - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self.last_start = time.monotonic()
        except BaseException:
            self._sem.release()
            raise
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        self._sem.release()


def parse_robots(status: int, text: str) -> Protego | None:
    """Rules from a robots.txt answer: None (allow all) unless it came with status 200."""
    if status != 200:
        return None
    try:
        return Protego.parse(text)
    except (ValueError, TypeError) as exc:
        log.warning("unreadable robots.txt ignored: %s", exc)
        return None
