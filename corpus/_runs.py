"""Crawl, update and index runs, and the errors they met (the ``crawl_runs`` table)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from core.enums import RunKind, RunStatus
from core.records import CrawlRun
from corpus._db import now_iso
from corpus._owner import gone_here, owner

if TYPE_CHECKING:
    from corpus._sql import Connection

__all__ = ["STALE_AFTER_S", "RunsTable"]

STALE_AFTER_S = 3600.0  # a run of another host silent this long is taken for dead


def _gone(owner_id: str, heartbeat: float) -> bool:
    """Whether the process that owns a run is no longer running it."""
    if not owner_id:
        return True  # a run from before owners were recorded
    here = gone_here(owner_id)
    if here is None:  # another host's: silent too long
        return heartbeat < time.time() - STALE_AFTER_S
    return here


def _run(row: Any) -> CrawlRun:
    return CrawlRun(
        id=row["id"], kind=RunKind(row["kind"]), sites=row["sites"], started_at=row["started_at"],
        finished_at=row["finished_at"], status=RunStatus(row["status"]),
        counters=json.loads(row["counters"]), errors=row["errors"], message=row["message"],
    )  # fmt: skip


class RunsTable:
    """Run bookkeeping methods of ``Store`` (mixin; uses ``self._conn``)."""

    _conn: Connection

    def start_run(self, kind: str, sites: str = "") -> int:
        """Open a run row with status ``running``, owned by this process; return its id."""
        rows = self._conn.write(
            "INSERT INTO crawl_runs(kind, sites, started_at, owner, heartbeat) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            (str(kind), sites, now_iso(), owner(), time.time()), "cannot start a run",
        )  # fmt: skip
        return int(rows[0]["id"])

    def update_run(self, run_id: int, counters: dict[str, int]) -> None:
        """Save the run's current counters (so a killed run still shows how far it got)."""
        self._conn.write(
            "UPDATE crawl_runs SET counters = ?, heartbeat = ? WHERE id = ?",
            (json.dumps(counters), time.time(), run_id), "cannot update a run",
        )  # fmt: skip

    def finish_run(
        self, run_id: int, status: str, counters: dict[str, int] | None = None, message: str = ""
    ) -> None:
        """Close a run with ``ok``, ``failed`` or ``interrupted``."""
        with self._conn.transaction("cannot finish a run"):
            self._conn.execute(
                "UPDATE crawl_runs SET finished_at = ?, status = ?, message = ?, "
                "counters = COALESCE(?, counters), "
                "errors = (SELECT COUNT(*) FROM crawl_errors WHERE run_id = ?) WHERE id = ?",
                (
                    now_iso(), str(status), message,
                    json.dumps(counters) if counters is not None else None, run_id, run_id,
                ),
            )  # fmt: skip

    def interrupt_stale_runs(self, kind: str, sites: Iterable[str], before: int) -> list[int]:
        """Mark runs of ``kind`` older than run ``before`` that are still ``running``, share a
        site with ``sites`` and whose process is gone as ``interrupted``; return their ids.

        A run of this host is gone when its pid is; a run of another host (a shared store) when it
        has not reported for ``STALE_AFTER_S``. Runs of live processes — other workers crawling
        the same sites — are left alone."""
        wanted = set(sites)
        with self._conn.transaction("cannot close stale runs"):
            rows = self._conn.execute(
                "SELECT id, sites, owner, heartbeat FROM crawl_runs "
                "WHERE kind = ? AND status = 'running' AND id < ?",
                (str(kind), before),
            )
            stale = [
                int(r["id"]) for r in rows
                if wanted & set(str(r["sites"]).split(","))
                and _gone(str(r["owner"]), float(r["heartbeat"]))
            ]  # fmt: skip
            if not stale:
                return []
            self._conn.execute_many(
                "UPDATE crawl_runs SET status = 'interrupted', finished_at = ?, "
                "message = 'the process ended without closing the run', "
                "errors = (SELECT COUNT(*) FROM crawl_errors WHERE run_id = crawl_runs.id) "
                "WHERE id = ?",
                [(now_iso(), run_id) for run_id in stale],
            )
            return stale

    def record_error(self, run_id: int | None, url: str, error: str) -> None:
        """Record that ``url`` failed during a run, with a one-line reason."""
        self._conn.write(
            "INSERT INTO crawl_errors(run_id, url, error, at) VALUES (?, ?, ?, ?)",
            (run_id, url, error.splitlines()[0] if error else "", now_iso()),
            "cannot record an error",
        )

    def get_run(self, run_id: int) -> CrawlRun | None:
        """One run by id."""
        rows = self._conn.query("SELECT * FROM crawl_runs WHERE id = ?", (run_id,))
        return _run(rows[0]) if rows else None

    def recent_runs(self, limit: int = 20, kind: str | None = None) -> list[CrawlRun]:
        """The newest runs first."""
        if kind:
            rows = self._conn.query(
                "SELECT * FROM crawl_runs WHERE kind = ? ORDER BY id DESC LIMIT ?",
                (str(kind), limit),
            )
        else:
            rows = self._conn.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", (limit,))
        return [_run(r) for r in rows]

    def recent_errors(self, limit: int = 50, run_id: int | None = None) -> list[dict[str, Any]]:
        """The newest recorded errors: run_id, url, error, at."""
        if run_id is not None:
            rows = self._conn.query(
                "SELECT run_id, url, error, at FROM crawl_errors WHERE run_id = ? "
                "ORDER BY id DESC LIMIT ?",
                (run_id, limit),
            )
        else:
            rows = self._conn.query(
                "SELECT run_id, url, error, at FROM crawl_errors ORDER BY id DESC LIMIT ?",
                (limit,),
            )
        return [dict(r) for r in rows]
