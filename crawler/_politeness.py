"""Politeness as state per host: a slot (delay, concurrency, last request) and its robots.txt.

Scrapy's downloader keeps one ``Slot`` per domain; so does vestnik. A request to a host waits
until the host has a free place (``concurrency``) and ``delay`` seconds have passed since the last
request to it started. ``delay`` is the larger of the configured delay and robots' Crawl-delay.

With a shared store (PostgreSQL) the place and the start time are the store's (``HostSlots``):
a worker takes one of the host's ``concurrency`` places for all processes together and books
its start time ``delay`` after the last one any process booked (both in one statement,
``HostSlots.enter``), so N workers on one site keep the politeness of one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from types import TracebackType

from protego import Protego

from corpus import HostSlots

__all__ = ["HostSlot", "parse_robots", "wait_turn"]

log = logging.getLogger(__name__)


@dataclass
class HostSlot:
    """Per-host politeness state; use as ``async with slot:`` around one request."""

    host: str
    delay: float
    concurrency: int
    robots: Protego | None = None
    last_start: float = 0.0
    shared: HostSlots | None = None  # the store's slots, shared by every worker process
    lease: float = 120.0  # how long a shared place is held at most (a killed worker's frees)
    _sem: asyncio.Semaphore = field(init=False, repr=False)
    _lock: asyncio.Lock = field(init=False, repr=False)
    _held: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sem = asyncio.Semaphore(max(1, self.concurrency))
        self._lock = asyncio.Lock()
        self._held = []

    def allowed(self, url: str, agent: str) -> bool:
        """robots.txt's verdict for ``url`` (True when there are no rules)."""
        return self.robots is None or bool(self.robots.can_fetch(url, agent))

    async def __aenter__(self) -> HostSlot:
        await self._sem.acquire()
        try:
            if self.shared is not None:
                await self._enter_shared(self.shared)
            else:
                async with self._lock:
                    wait = self.last_start + self.delay - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self.last_start = time.monotonic()
        except BaseException:
            self._sem.release()
            raise
        return self

    async def _enter_shared(self, shared: HostSlots) -> None:
        pause = 0.02
        while (
            entered := shared.enter(self.host, self.concurrency, self.delay, self.lease)
        ) is None:
            await asyncio.sleep(pause)  # every place of the host is taken, by some worker
            pause = min(pause * 2, 0.5)
        place, start = entered  # one statement: a place taken and the start time booked
        try:
            wait = start - time.time()
            if wait > 0:
                await asyncio.sleep(wait)
        except BaseException:
            shared.release(self.host, place)
            raise
        self._held.append(place)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        try:
            if self.shared is not None and self._held:
                self.shared.release(self.host, self._held.pop())
        finally:
            self._sem.release()


async def wait_turn(shared: HostSlots, host: str, delay: float) -> None:
    """Book the host's next request time in the shared store and sleep until it comes."""
    wait = shared.reserve(host, delay) - time.time()
    if wait > 0:
        await asyncio.sleep(wait)


def parse_robots(status: int, text: str) -> Protego | None:
    """Rules from a robots.txt answer: None (allow all) unless it came with status 200."""
    if status != 200:
        return None
    try:
        return Protego.parse(text)
    except (ValueError, TypeError) as exc:
        log.warning("unreadable robots.txt ignored: %s", exc)
        return None
