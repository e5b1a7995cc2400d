"""What the crawl knows about each host: its politeness slot and robots.txt, whether it resolves
to a private address, and whether it is down for this run.

robots.txt is read once per host, at most ``robots_max_bytes`` of it (the rest ignored, as
Google does past 500 KiB), never through a redirect; a ``Crawl-delay`` above ``max_crawl_delay``
is capped, with one log line and one recorded line. A host that refuses connections
``_DOWN_AFTER`` times in a row counts as down for the rest of the run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import httpx

from corpus import HostSlots
from crawler._fetch import FetchPolicy, fetch
from crawler._politeness import HostSlot, parse_robots, wait_turn
from crawler._urls import host_key, is_private_host

__all__ = ["HostPolicy", "Hosts"]

log = logging.getLogger(__name__)

_DOWN_AFTER = 3  # connect errors in a row (any URLs) before a host counts as down

Record = Callable[[str, str], None]  # (url, one-line message) -> a crawl_errors row


@dataclass(frozen=True, kw_only=True)
class HostPolicy:
    """Per-host politeness the engine was configured with."""

    delay: float = 1.0
    concurrency: int = 2
    respect_robots: bool = True
    robots_agent: str = "vestnik"
    max_crawl_delay: float = 60.0
    robots_max_bytes: int = 500_000
    lease: float = 120.0  # a shared host place is held at most this long


async def _no_redirects(_target: str) -> str:
    return "robots.txt redirects are not followed"


class Hosts:
    """Slots, robots rules, private-address verdicts and down hosts of one crawl run."""

    def __init__(
        self, client: httpx.AsyncClient, policy: HostPolicy, fetch_policy: FetchPolicy,
        record: Record, on_request: Callable[[], None], shared: HostSlots | None = None,
    ) -> None:  # fmt: skip
        self._client, self._policy, self._record = client, policy, record
        self._robots_policy = replace(
            fetch_policy, max_bytes=policy.robots_max_bytes, truncate=True
        )
        self._on_request = on_request
        self._shared = shared  # the store's host slots: politeness across worker processes
        self._slots: dict[str, HostSlot] = {}
        self._lock = asyncio.Lock()
        self._private: dict[str, bool] = {}
        self._connect_fails: dict[str, int] = {}
        self._down: dict[str, str] = {}

    async def slot(self, url: str, delay: float | None, concurrency: int | None) -> HostSlot:
        """The slot of ``url``'s host (robots.txt read on first use); ``delay``/``concurrency``
        are a profile's overrides."""
        host = host_key(url)
        async with self._lock:
            slot = self._slots.get(host)
            if slot is None:
                slot = HostSlot(
                    host, self._policy.delay if delay is None else delay,
                    concurrency or self._policy.concurrency, shared=self._shared,
                    lease=self._policy.lease,
                )  # fmt: skip
                if self._policy.respect_robots:
                    await self._read_robots(slot, f"{urlsplit(url).scheme}://{host}/robots.txt")
                self._slots[host] = slot
            return slot

    async def _read_robots(self, slot: HostSlot, robots_url: str) -> None:
        if self._shared is not None:  # robots.txt too waits its turn among the workers
            await wait_turn(self._shared, slot.host, slot.delay)
        result = await fetch(self._client, robots_url, policy=self._robots_policy,
                             gate=_no_redirects)  # fmt: skip
        self._on_request()
        slot.robots = parse_robots(result.status, result.body.decode("utf-8", "replace"))
        if result.error_kind and result.error_kind != "offsite":
            log.warning("%s: robots.txt unavailable (%s); crawling as allowed", slot.host,
                        result.error)  # fmt: skip
        if result.truncated:
            message = (
                f"robots.txt longer than {self._policy.robots_max_bytes} bytes: the rest ignored"
            )
            log.warning("%s: %s", slot.host, message)
            self._record(robots_url, message)
        if slot.robots is None:
            return
        try:
            asked = float(slot.robots.crawl_delay(self._policy.robots_agent) or 0)
        except (TypeError, ValueError):
            asked = 0.0
        if asked != asked or asked < 0:  # NaN or negative: ignored
            asked = 0.0
        cap = self._policy.max_crawl_delay
        if asked > cap:
            message = f"robots.txt asks Crawl-delay {asked:g} s; capped at {cap:g} s"
            log.warning("%s: %s", slot.host, message)
            self._record(robots_url, message)
            asked = cap
        slot.delay = max(slot.delay, asked)

    def allowed(self, slot: HostSlot, url: str) -> bool:
        """robots.txt's verdict (True when robots are not respected)."""
        return not self._policy.respect_robots or slot.allowed(url, self._policy.robots_agent)

    async def private(self, host: str) -> bool:
        """True when ``host`` is, or resolves to, a loopback/private/link-local address."""
        if host in self._private:
            return self._private[host]
        private = is_private_host(host)
        if not private:
            try:
                name = urlsplit(f"//{host}").hostname or host
                infos = await asyncio.get_running_loop().getaddrinfo(name, None)
            except (OSError, ValueError, UnicodeError):
                infos = []
            private = any(is_private_host(str(info[4][0])) for info in infos)
        self._private[host] = private
        return private

    # -- hosts down for the run -------------------------------------------------------------

    def down(self, url: str) -> str:
        """Why ``url``'s host is down for this run ("" when it is not)."""
        return self._down.get(host_key(url), "")

    def reached(self, url: str) -> None:
        """``url``'s host answered."""
        self._connect_fails.pop(host_key(url), None)

    def refused(self, url: str, error: str) -> None:
        """``url``'s host refused a connection; the third in a row makes it down."""
        host = host_key(url)
        fails = self._connect_fails.get(host, 0) + 1
        self._connect_fails[host] = fails
        if fails >= _DOWN_AFTER and host not in self._down:
            message = (
                f"host {host} unreachable ({error}); its other URLs are tried again on the next run"
            )
            self._down[host] = message
            log.error("%s", message)
            self._record(f"http://{host}/", message)
