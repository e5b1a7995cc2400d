"""Per-host politeness shared by every crawler process of one store (the ``host_slots`` and
``host_leases`` tables).

``reserve(host, interval)`` books the host's next request time atomically: it answers when the
caller may send (now, or later when another worker booked the host recently) and moves the host's
next time ``interval`` past that, so N workers together keep one request per ``interval`` (delay
or Crawl-delay). ``acquire(host, limit, lease)`` takes one of ``limit`` concurrency places of the
host (None when all are held) in one statement (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: the
first free place no other worker is taking); ``enter`` takes a place and books the start time at
once (one statement on PostgreSQL). ``release`` gives a place back, and a place of a killed
worker frees itself when its lease runs out.
"""

from __future__ import annotations

import time

from corpus._sql import Connection

__all__ = ["SqlHostSlots"]

_RESERVE = (
    "INSERT INTO host_slots(host, next_at) {source} ON CONFLICT (host) DO UPDATE "
    "SET next_at = CASE WHEN host_slots.next_at > ? THEN host_slots.next_at ELSE ? END + ? "
    "RETURNING next_at"
)
_TAKE = (
    "UPDATE host_leases SET lease_until = ? WHERE host = ? AND lease_until <= ? AND slot = "
    "(SELECT slot FROM host_leases WHERE host = ? AND slot < ? AND lease_until <= ? "
    "ORDER BY lease_until LIMIT 1{skip_locked}) RETURNING slot"
)
# the host's places 0..limit-1 as rows (made once per host and limit by each store object)
_PLACES = (
    "WITH RECURSIVE n(s) AS (SELECT 0 UNION ALL SELECT s + 1 FROM n WHERE s + 1 < ?) "
    "INSERT INTO host_leases(host, slot, lease_until) SELECT ?, s, 0 FROM n WHERE true "
    "ON CONFLICT (host, slot) DO NOTHING"
)


class SqlHostSlots:
    """Host politeness state of one store."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._places: set[tuple[str, int]] = set()  # (host, limit) whose rows exist

    def reserve(self, host: str, interval: float, now: float | None = None) -> float:
        """Book the host's next request: the epoch time the caller may send it (>= ``now``)."""
        now = time.time() if now is None else now
        interval = max(float(interval), 0.0)
        rows = self._conn.write(
            _RESERVE.format(source="VALUES (?, ?)"),
            (host, now + interval, now, now, interval), "cannot book a host slot",
        )  # fmt: skip
        return float(rows[0]["next_at"]) - interval

    def _ensure_places(self, host: str, limit: int) -> None:
        if (host, limit) not in self._places:
            self._conn.write(_PLACES, (limit, host), "cannot take a host slot")
            self._places.add((host, limit))

    @property
    def _take(self) -> str:
        return _TAKE.format(skip_locked=self._conn.dialect.skip_locked)

    def acquire(
        self, host: str, limit: int, lease: float = 300.0, now: float | None = None
    ) -> int | None:
        """Take a free one of the host's ``limit`` concurrency places for ``lease`` seconds; its
        number, or None when every place is held."""
        now = time.time() if now is None else now
        limit = max(limit, 1)
        self._ensure_places(host, limit)
        rows = self._conn.write(
            self._take, (now + lease, host, now, host, limit, now),
            "cannot take a host slot",
        )  # fmt: skip
        return int(rows[0]["slot"]) if rows else None

    def enter(
        self, host: str, limit: int, interval: float, lease: float = 300.0,
        now: float | None = None,
    ) -> tuple[int, float] | None:  # fmt: skip
        """``acquire`` and, when a place was free, ``reserve``: (the place, the epoch time the
        caller may send), or None when every place is held (nothing booked)."""
        now = time.time() if now is None else now
        limit, interval = max(limit, 1), max(float(interval), 0.0)
        self._ensure_places(host, limit)
        if self._conn.dialect.name != "postgresql":  # SQLite: two statements, one transaction
            with self._conn.transaction("cannot take a host slot"):
                place = self.acquire(host, limit, lease, now)
                return None if place is None else (place, self.reserve(host, interval, now))
        booked = _RESERVE.format(source="SELECT ?, ? FROM place")
        rows = self._conn.write(
            f"WITH place AS ({self._take}), booked AS ({booked}) "
            "SELECT place.slot AS slot, booked.next_at AS next_at FROM place, booked",
            (now + lease, host, now, host, limit, now, host, now + interval, now, now, interval),
            "cannot take a host slot",
        )  # fmt: skip
        if not rows:
            return None
        return int(rows[0]["slot"]), float(rows[0]["next_at"]) - interval

    def release(self, host: str, slot: int) -> None:
        """Give a concurrency place back."""
        self._conn.write(
            "UPDATE host_leases SET lease_until = 0 WHERE host = ? AND slot = ?",
            (host, slot), "cannot release a host slot",
        )  # fmt: skip

    def forget(self) -> None:
        """Free every place at once (the caller knows no other worker runs)."""
        self._conn.write("UPDATE host_leases SET lease_until = 0", (), "cannot free host slots")
