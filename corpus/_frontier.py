"""The crawl frontier, kept in the store so a killed crawl resumes where it stopped.

Contract (Scrapy's scheduler, narrowed): ``frontier_push`` returns False for a URL already known to
the site's frontier; ``frontier_pop`` hands out the next due URL and marks it in flight;
``frontier_done`` / ``frontier_retry`` settle it. Memory stays flat: nothing is held in Python.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from core.enums import FrontierKind
from core.records import FrontierItem
from corpus._db import RETURNING

if TYPE_CHECKING:
    from corpus._db import Connection

__all__ = ["FrontierTable"]


class FrontierTable:
    """Frontier methods of ``Store`` (mixin; uses ``self._conn``)."""

    _conn: Connection

    def frontier_push(
        self, site: str, url: str, kind: str = "page", depth: int = 0, priority: int = 0,
        referrer: str = "",
    ) -> bool:  # fmt: skip
        """Queue ``url`` for ``site``; False when the site's frontier already knows it."""
        return self.frontier_push_many(site, [(url, kind, depth, priority, referrer)]) == 1

    def frontier_push_many(self, site: str, items: Iterable[tuple[str, str, int, int, str]]) -> int:
        """Queue many ``(url, kind, depth, priority, referrer)``; return how many were new."""
        with self._conn.transaction("cannot queue URLs") as db:
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO frontier(site, url, kind, depth, priority, referrer) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(site, u, k, d, p, r) for u, k, d, p, r in items],
            )
            return db.total_changes - before

    def frontier_pop(self, site: str, now: float | None = None) -> FrontierItem | None:
        """Take the next due queued URL of ``site`` (lowest priority, then oldest), or None."""
        now = time.time() if now is None else now
        if RETURNING:  # one statement (atomic by itself): mark the next due URL in flight
            rows = self._conn.write(
                "UPDATE frontier SET state = 'in_flight' WHERE id = ("
                "SELECT id FROM frontier WHERE site = ? AND state = 'queued' "
                "AND not_before <= ? ORDER BY priority, id LIMIT 1) RETURNING *",
                (site, now), "cannot take from the frontier",
            )  # fmt: skip
            row = rows[0] if rows else None
        else:
            with self._conn.transaction("cannot take from the frontier") as db:
                row = db.execute(
                    "SELECT * FROM frontier WHERE site = ? AND state = 'queued' "
                    "AND not_before <= ? ORDER BY priority, id LIMIT 1",
                    (site, now),
                ).fetchone()
                if row is not None:
                    db.execute("UPDATE frontier SET state = 'in_flight' WHERE id = ?", (row["id"],))
        if row is None:
            return None
        return FrontierItem(
            id=row["id"], site=row["site"], url=row["url"], kind=FrontierKind(row["kind"]),
            depth=row["depth"], attempts=row["attempts"], referrer=row["referrer"],
        )  # fmt: skip

    def frontier_done(self, item_id: int, state: str = "done") -> None:
        """Settle a popped URL as ``done`` or ``failed``."""
        with self._conn.transaction("cannot settle a frontier URL") as db:
            db.execute("UPDATE frontier SET state = ? WHERE id = ?", (state, item_id))

    def frontier_retry(self, item_id: int, not_before: float) -> None:
        """Put a popped URL back, due at ``not_before`` (epoch seconds), one more attempt counted."""
        with self._conn.transaction("cannot requeue a frontier URL") as db:
            db.execute(
                "UPDATE frontier SET state = 'queued', attempts = attempts + 1, not_before = ? "
                "WHERE id = ?",
                (not_before, item_id),
            )

    def frontier_resume(self, site: str) -> int:
        """Requeue URLs left in flight by a killed crawl; return how many."""
        with self._conn.transaction("cannot resume the frontier") as db:
            cur = db.execute(
                "UPDATE frontier SET state = 'queued' WHERE site = ? AND state = 'in_flight'",
                (site,),
            )
            return cur.rowcount

    def frontier_clear(self, site: str) -> None:
        """Forget the site's frontier (a new crawl starts from its start URLs)."""
        with self._conn.transaction("cannot clear the frontier") as db:
            db.execute("DELETE FROM frontier WHERE site = ?", (site,))

    def frontier_counts(self, site: str) -> dict[str, int]:
        """How many URLs of the site are queued, in flight, done and failed."""
        rows = self._conn.query(
            "SELECT state, COUNT(*) FROM frontier WHERE site = ? GROUP BY state", (site,)
        )
        counts = {"queued": 0, "in_flight": 0, "done": 0, "failed": 0}
        counts.update({r[0]: int(r[1]) for r in rows})
        return counts

    def frontier_next_due(self, site: str) -> float | None:
        """When the earliest queued URL of the site becomes due (epoch seconds), or None."""
        rows = self._conn.query(
            "SELECT MIN(not_before) FROM frontier WHERE site = ? AND state = 'queued'", (site,)
        )
        value = rows[0][0]
        return None if value is None else float(value)
