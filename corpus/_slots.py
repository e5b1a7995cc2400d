"""Per-host politeness shared by every crawler process of one store (the ``host_slots`` and
``host_leases`` tables).

``reserve(host, interval)`` books the host's next request time atomically: it answers when the
caller may send (now, or later when another worker booked the host recently) and moves the host's
next time ``interval`` past that, so N workers together keep one request per ``interval`` (delay
or Crawl-delay). ``acquire(host, limit, lease)`` takes one of ``limit`` concurrency slots of the
host (None when all are held); ``release`` gives it back, and a slot of a killed worker frees
itself when its lease runs out.
"""

from __future__ import annotations

import time

from corpus._sql import Connection

__all__ = ["SqlHostSlots"]


class SqlHostSlots:
    """Host politeness state of one store."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def reserve(self, host: str, interval: float, now: float | None = None) -> float:
        """Book the host's next request: the epoch time the caller may send it (>= ``now``)."""
        now = time.time() if now is None else now
        interval = max(float(interval), 0.0)
        rows = self._conn.write(
            "INSERT INTO host_slots(host, next_at) VALUES (?, ?) ON CONFLICT (host) DO UPDATE "
            "SET next_at = CASE WHEN host_slots.next_at > ? THEN host_slots.next_at ELSE ? END + ? "
            "RETURNING next_at",
            (host, now + interval, now, now, interval), "cannot book a host slot",
        )  # fmt: skip
        return float(rows[0]["next_at"]) - interval

    def acquire(
        self, host: str, limit: int, lease: float = 300.0, now: float | None = None
    ) -> int | None:
        """Take a free one of the host's ``limit`` concurrency slots for ``lease`` seconds; its
        number, or None when every slot is held."""
        now = time.time() if now is None else now
        for slot in range(max(limit, 1)):
            rows = self._conn.write(
                "INSERT INTO host_leases(host, slot, lease_until) VALUES (?, ?, ?) "
                "ON CONFLICT (host, slot) DO UPDATE SET lease_until = excluded.lease_until "
                "WHERE host_leases.lease_until <= ? RETURNING slot",
                (host, slot, now + lease, now), "cannot take a host slot",
            )  # fmt: skip
            if rows:
                return slot
        return None

    def release(self, host: str, slot: int) -> None:
        """Give a concurrency slot back."""
        self._conn.write(
            "UPDATE host_leases SET lease_until = 0 WHERE host = ? AND slot = ?",
            (host, slot), "cannot release a host slot",
        )  # fmt: skip

    def forget(self) -> None:
        """Free every slot at once (the caller knows no other worker runs)."""
        self._conn.write("UPDATE host_leases SET lease_until = 0", (), "cannot free host slots")
