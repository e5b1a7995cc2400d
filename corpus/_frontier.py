"""The crawl frontier, kept in the store so a killed crawl resumes and many workers share one.

Contract (Scrapy's scheduler, narrowed, with leases): ``push`` queues ``FrontierEntry`` records and
says how many were new to the site; ``claim`` hands out the next due URL as a ``FrontierItem``
held until its lease runs out (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so workers never get the
same row); ``settle`` records ``DONE``, ``FAILED`` or ``retry_at(t)`` for that claim (False when
the lease had run out and the URL was claimed again); ``pending`` counts. A claim whose lease ran
out — its worker was killed — is claimable again. Memory stays flat: nothing is held in Python.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.enums import FrontierKind
from core.records import FrontierItem
from corpus._owner import gone_here, owner
from corpus._sql import Connection

__all__ = [
    "DEFAULT_LEASE",
    "DONE",
    "FAILED",
    "FrontierCounts",
    "FrontierEntry",
    "FrontierState",
    "Settlement",
    "SqlFrontier",
    "retry_at",
]

DEFAULT_LEASE = 300.0  # seconds a claim is held before another worker may take the URL


class FrontierState(StrEnum):
    """Where a URL is in the frontier (``frontier.state``)."""

    QUEUED = "queued"
    IN_FLIGHT = "in_flight"  # claimed, lease running
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class FrontierEntry:
    """A URL to queue for a site."""

    url: str
    kind: str = "page"  # "listing" | "article" | "sitemap" | "page" | ...
    depth: int = 0
    priority: int = 0  # lower first
    referrer: str = ""


@dataclass(frozen=True)
class Settlement:
    """How a claim ends: done, failed, or queued again, due at ``not_before`` (epoch seconds)."""

    state: FrontierState
    not_before: float = 0.0


DONE = Settlement(FrontierState.DONE)
FAILED = Settlement(FrontierState.FAILED)


def retry_at(when: float) -> Settlement:
    """Queue the URL again, due at ``when`` (epoch seconds), one more attempt counted."""
    return Settlement(FrontierState.QUEUED, when)


@dataclass(frozen=True)
class FrontierCounts:
    """How many URLs of a site are in each state."""

    queued: int = 0
    in_flight: int = 0
    done: int = 0
    failed: int = 0

    @property
    def pending(self) -> int:
        """Queued or claimed: work left."""
        return self.queued + self.in_flight


def _item(row: Any) -> FrontierItem:
    return FrontierItem(
        id=row["id"], site=row["site"], url=row["url"], kind=FrontierKind(row["kind"]), depth=row["depth"],
        attempts=row["attempts"], referrer=row["referrer"], lease_until=row["lease_until"],
        token=row["claims"],
    )  # fmt: skip


_CLAIMABLE = (
    "state = 'queued' AND not_before <= ?",
    "state = 'in_flight' AND lease_until <= ?",  # its worker died: the lease ran out
)


class SqlFrontier:
    """The frontier of one store (shares the store's connection, so ``store.batch()`` covers it)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def push(self, site: str, entries: Iterable[FrontierEntry]) -> int:
        """Queue ``entries`` for ``site``; return how many the site's frontier did not know."""
        rows = [(site, e.url, str(e.kind), e.depth, e.priority, e.referrer) for e in entries]
        if not rows:
            return 0
        with self._conn.transaction("cannot queue URLs"):
            return self._conn.execute_many(
                "INSERT INTO frontier(site, url, kind, depth, priority, referrer) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, url) DO NOTHING",
                rows,
            )

    def seed(self, site: str, entries: Iterable[FrontierEntry]) -> bool:
        """Start a fresh crawl of ``site``: when nothing of it is queued or claimed, forget its old
        rows and queue ``entries`` (True); else leave it (False: a crawl of it is under way)."""
        rows = list(entries)
        with self._conn.transaction("cannot seed the frontier"):
            if self._conn.dialect.lock_documents:  # one seeder at a time across processes
                self._conn.execute(self._conn.dialect.lock_documents)
            if self.pending(site).pending:
                return False
            self._conn.execute("DELETE FROM frontier WHERE site = ?", (site,))
            self.push(site, rows)
        return True

    def claim(
        self, site: str, *, lease: float = DEFAULT_LEASE, now: float | None = None
    ) -> FrontierItem | None:
        """Take the next due URL of ``site`` (lowest priority, then oldest; then a claim whose
        lease ran out) and hold it for ``lease`` seconds; None when nothing is due."""
        items = self.claim_many(site, 1, lease=lease, now=now)
        return items[0] if items else None

    def claim_many(
        self, site: str, limit: int, *, lease: float = DEFAULT_LEASE, now: float | None = None
    ) -> list[FrontierItem]:
        """Take up to ``limit`` due URLs of ``site`` at once, in ``claim`` order (one statement
        when that many are queued): a worker of many requests asks the store once per batch."""
        now = time.time() if now is None else now
        found: list[Any] = []
        for attempt in range(2):
            for condition in _CLAIMABLE:
                if len(found) >= limit:
                    break
                rows = self._conn.write(
                    "UPDATE frontier SET state = 'in_flight', lease_until = ?, claims = claims + 1, "
                    "owner = ? WHERE id IN (SELECT id FROM frontier WHERE site = ? AND " + condition +
                    " ORDER BY priority, id LIMIT ?" + self._conn.dialect.skip_locked + ") "
                    "RETURNING *",
                    (now + lease, owner(), site, now, limit - len(found)),
                    "cannot take from the frontier",
                )  # fmt: skip
                found += sorted(rows, key=lambda r: (r["priority"], r["id"]))
            if found or attempt or not self._requeue_dead(site):
                break
        return [_item(r) for r in found]

    def unclaim(self, items: Iterable[FrontierItem]) -> int:
        """Give claims back unspent (queued again at once, no attempt counted); how many were
        still held."""
        rows = [(item.id, item.token) for item in items]
        if not rows:
            return 0
        with self._conn.transaction("cannot give frontier claims back"):
            return self._conn.execute_many(
                "UPDATE frontier SET state = 'queued', lease_until = 0 WHERE id = ? AND "
                "claims = ? AND state = 'in_flight'",
                rows,
            )

    def _requeue_dead(self, site: str) -> int:
        """Requeue the claims of workers of this host that have exited (a SIGKILLed crawl):
        they need not wait for their lease."""
        rows = self._conn.query(
            "SELECT DISTINCT owner FROM frontier WHERE site = ? AND state = 'in_flight'", (site,)
        )
        dead = [str(r["owner"]) for r in rows if gone_here(str(r["owner"]))]
        if not dead:
            return 0
        with self._conn.transaction("cannot requeue a dead worker's claims"):
            return self._conn.changed(
                "UPDATE frontier SET state = 'queued', lease_until = 0 WHERE site = ? AND "
                f"state = 'in_flight' AND owner IN ({', '.join('?' * len(dead))})",
                (site, *dead),
            )

    def renew(self, item: FrontierItem, lease: float = DEFAULT_LEASE) -> FrontierItem | None:
        """Hold a claim ``lease`` more seconds from now; None when it was lost (run out, retaken)."""
        until = time.time() + lease
        rows = self._conn.write(
            "UPDATE frontier SET lease_until = ? WHERE id = ? AND claims = ? "
            "AND state = 'in_flight' RETURNING *",
            (until, item.id, item.token), "cannot renew a frontier claim",
        )  # fmt: skip
        return _item(rows[0]) if rows else None

    def settle(self, item: FrontierItem, outcome: Settlement) -> bool:
        """Record how the claim ended; False (nothing changed) when the claim is no longer held."""
        retry = outcome.state == FrontierState.QUEUED
        with self._conn.transaction("cannot settle a frontier URL"):
            changed = self._conn.changed(
                "UPDATE frontier SET state = ?, not_before = ?, attempts = attempts + ?, "
                "lease_until = 0 WHERE id = ? AND claims = ? AND state = 'in_flight'",
                (str(outcome.state), outcome.not_before if retry else 0.0, 1 if retry else 0,
                 item.id, item.token),
            )  # fmt: skip
        return changed == 1

    def release(self, site: str | None = None) -> int:
        """Requeue every claim (of ``site``) at once; return how many. Only for a caller that
        knows no live worker holds them (SQLite's crawl lock proves it)."""
        sql = "UPDATE frontier SET state = 'queued', lease_until = 0 WHERE state = 'in_flight'"
        with self._conn.transaction("cannot release frontier claims"):
            if site is None:
                return self._conn.changed(sql)
            return self._conn.changed(sql + " AND site = ?", (site,))

    def clear(self, site: str) -> None:
        """Forget the site's frontier (a new crawl starts from its start URLs)."""
        with self._conn.transaction("cannot clear the frontier"):
            self._conn.execute("DELETE FROM frontier WHERE site = ?", (site,))

    def pending(self, site: str) -> FrontierCounts:
        """How many URLs of the site are queued, claimed, done and failed."""
        rows = self._conn.query(
            "SELECT state, COUNT(*) AS n FROM frontier WHERE site = ? GROUP BY state", (site,)
        )
        found = {str(r["state"]): int(r["n"]) for r in rows}
        return FrontierCounts(**{s.name.lower(): found.get(s.value, 0) for s in FrontierState})

    def next_due(self, site: str) -> float | None:
        """When a URL of the site may next be claimable (a queued URL's due time or a claim's
        lease end, epoch seconds); None when nothing is queued or claimed."""
        rows = self._conn.query(
            "SELECT MIN(CASE WHEN state = 'queued' THEN not_before ELSE lease_until END) AS due "
            "FROM frontier WHERE site = ? AND state IN ('queued', 'in_flight')",
            (site,),
        )
        value = rows[0]["due"] if rows else None
        return None if value is None else float(value)
