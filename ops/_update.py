"""One update at a time: the lock, the status file, background starts, the schedule file.

Files in the data directory:

- ``update.lock``: held with ``flock`` by the running update; the OS releases it when the process
  dies, so a SIGKILLed run never leaves it stuck.
- ``update-status.json``: what the running (or last) update is doing, for the UI.
- ``schedule.json``: the running schedule's expression and next run time.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from core.errors import CrawlError, UpdateLockedError
from core.settings import Settings

__all__ = [
    "UpdateSummary",
    "read_schedule",
    "read_update_status",
    "run_update",
    "start_update_background",
    "update_lock",
    "update_running",
    "write_schedule",
]

_log = logging.getLogger(__name__)

_LOCK_FILE = "update.lock"
_STATUS_FILE = "update-status.json"
_SCHEDULE_FILE = "schedule.json"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@contextmanager
def update_lock(data_dir: Path) -> Iterator[IO[str]]:
    """Hold the data directory's update lock, or raise ``UpdateLockedError`` at once."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fh = (data_dir / _LOCK_FILE).open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown process"
            raise UpdateLockedError(
                f"another update is running in {data_dir} ({holder}); try again when it ends"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, started {_now()}")
        fh.flush()
        yield fh
    finally:
        fh.close()  # closing the descriptor releases the flock


def update_running(data_dir: Path) -> bool:
    """True when some process holds the update lock of ``data_dir``."""
    path = data_dir / _LOCK_FILE
    if not path.exists():
        return False
    with path.open("a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return False


def read_update_status(data_dir: Path) -> dict[str, Any]:
    """The last written update status; ``state`` is "running" only while the lock is held."""
    status = _read_json(data_dir / _STATUS_FILE) or {"state": "idle"}
    if status.get("state") == "running" and not update_running(data_dir):
        status["state"] = "failed"
        status["message"] = status.get("message") or "the update process ended unexpectedly"
    return status


def read_schedule(data_dir: Path) -> dict[str, Any] | None:
    """The running schedule's ``expr`` and ``next_run`` (ISO), or None when none was written."""
    return _read_json(data_dir / _SCHEDULE_FILE)


def write_schedule(data_dir: Path, expr: str, next_run: str, pid: int | None = None) -> None:
    """Record the schedule's expression and next run time for the UI."""
    data_dir.mkdir(parents=True, exist_ok=True)
    _write_json(
        data_dir / _SCHEDULE_FILE,
        {"expr": expr, "next_run": next_run, "pid": pid or os.getpid(), "written_at": _now()},
    )


def start_update_background(data_dir: Path, config_file: str | None = None) -> bool:
    """Start ``vestnik update`` as a detached process; False when an update already runs."""
    if update_running(data_dir):
        return False
    cmd = [sys.executable, "-m", "vestnik.cli", "--quiet", "update", "--data", str(data_dir)]
    if config_file:
        cmd += ["--config", config_file]
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / "update.log").open("ab") as out:
        subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
    return True


@dataclass(frozen=True)
class UpdateSummary:
    """What one update did."""

    run_id: int
    crawl: dict[str, int] = field(default_factory=dict)
    index: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    def line(self) -> str:
        """A one-line human summary."""
        c, i = self.crawl, self.index
        return (
            f"update #{self.run_id}: fetched {c.get('fetched', 0)}, new {c.get('new', 0)}, "
            f"changed {c.get('changed', 0)}, unchanged {c.get('unchanged', 0)}, "
            f"not modified {c.get('not_modified', 0)}, gone {c.get('gone', 0)}, "
            f"failed {c.get('failed', 0)}; indexed {int(i.get('added', 0) + i.get('updated', 0))}, "
            f"removed {int(i.get('removed', 0))}, facts {int(i.get('facts', 0))} "
            f"in {self.seconds:.1f} s"
        )


class _Status:
    """Writes ``update-status.json`` as the update goes."""

    def __init__(self, data_dir: Path, run_id: int) -> None:
        self.path = data_dir / _STATUS_FILE
        self.data: dict[str, Any] = {
            "state": "running", "phase": "crawl", "run_id": run_id, "pid": os.getpid(),
            "started_at": _now(), "finished_at": "", "counters": {}, "message": "",
        }  # fmt: skip
        self.write()

    def write(self, **changes: Any) -> None:
        self.data.update(changes)
        _write_json(self.path, self.data)


def run_update(settings: Settings, *, progress: bool | None = None) -> UpdateSummary:
    """Incremental crawl of every known site, then index and facts; one at a time per data dir."""
    from corpus import open_store
    from crawler import crawl
    from indexer import derive_steps, run_index
    from ops._watches import after_update

    derive_steps(settings)  # a bad [clusters] value stops here, before the crawl
    data_dir = settings.data_dir
    started = time.monotonic()
    with update_lock(data_dir), open_store(settings.store_url) as store:
        run_id = store.start_run("update", "")
        # we hold the update lock: an older update still "running" was killed
        store.interrupt_stale_runs("update", [""], before=run_id)
        status = _Status(data_dir, run_id)
        try:
            summary = crawl(store, settings, None, incremental=True, progress=progress)
            if summary.reached_nothing:
                raise CrawlError(
                    f"no page could be fetched from any site ({summary.failed} failed); "
                    "is the network or the site down? details: vestnik ui -> Состояние"
                )
            crawl_counts = {k: int(v) for k, v in asdict(summary).items() if isinstance(v, int)}
            crawl_counts.pop("run_id", None)
            status.write(phase="index", counters=crawl_counts)
            indexed = run_index(
                store, data_dir, progress=progress, procs=settings.index.workers,
                backend=settings.search.backend, settings=settings,
            )  # fmt: skip
            index_counts = {k: float(v) for k, v in asdict(indexed).items()}
        except BaseException as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            store.finish_run(run_id, "failed", message=message)
            status.write(state="failed", finished_at=_now(), message=message)
            raise
        result = UpdateSummary(run_id, crawl_counts, index_counts, time.monotonic() - started)
        counters = dict(crawl_counts)
        counters.update({f"index_{k}": int(v) for k, v in index_counts.items() if k != "seconds"})
        # saved searches: record their new items, send the digest (never fails the update)
        counters["watch_items"] = after_update(
            store, data_dir, run_id, settings.smtp, backend=settings.search.backend
        )
        store.finish_run(run_id, "ok", counters, message=result.line())
        status.write(state="idle", phase="done", finished_at=_now(), counters=counters,
                     message=result.line())  # fmt: skip
        return result
