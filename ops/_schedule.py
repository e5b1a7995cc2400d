"""Updates on a schedule: a cron expression or an interval, in the foreground.

APScheduler's ``BackgroundScheduler`` runs the job; one instance at a time (``max_instances=1``,
missed runs coalesced), a failed run is logged and the schedule goes on, SIGTERM and Ctrl-C stop it
cleanly. The next run time is logged and written to ``schedule.json`` for the UI.

>>> parse_every("1h30m")
5400.0
"""

from __future__ import annotations

import logging
import re
import signal
import threading
from datetime import UTC, datetime
from types import FrameType
from typing import Any

from core.errors import ConfigError, VestnikError
from core.settings import Settings
from ops._update import run_update, write_schedule

__all__ = ["build_trigger", "parse_every", "run_schedule"]

log = logging.getLogger("vestnik.schedule")


def parse_every(text: str) -> float:
    """Seconds in a duration like ``90s``, ``30m``, ``6h``, ``1d`` or ``1h30m``."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", text.strip().lower())
    rebuilt = "".join(f"{n}{u}" for n, u in parts)
    if not parts or rebuilt != re.sub(r"\s+", "", text.strip().lower()):
        raise ConfigError(f"cannot read the interval {text!r}: use e.g. 90s, 30m, 6h, 1d")
    seconds = sum(float(n) * units[u] for n, u in parts)
    if seconds <= 0:
        raise ConfigError(f"the interval {text!r} must be longer than zero")
    return seconds


def build_trigger(cron: str | None, every: str | None) -> tuple[Any, str]:
    """An APScheduler trigger for ``--cron`` or ``--every``, and its description."""
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    if cron:
        try:
            return CronTrigger.from_crontab(cron), f"cron {cron!r}"
        except ValueError as exc:
            raise ConfigError(f"cannot read the cron expression {cron!r}: {exc}") from exc
    seconds = parse_every(every or "")
    return IntervalTrigger(seconds=seconds), f"every {every}"


def run_schedule(settings: Settings, cron: str | None = None, every: str | None = None) -> int:
    """Run updates on ``cron`` or ``every`` (else the configured schedule) until Ctrl-C or SIGTERM."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
    from apscheduler.schedulers.background import BackgroundScheduler

    cron = cron or (None if every else settings.schedule.cron) or None
    every = every or (None if cron else settings.schedule.every) or None
    if not cron and not every:
        raise ConfigError(
            "give --cron EXPR or --every DURATION (or schedule.cron/every in the config)"
        )
    trigger, described = build_trigger(cron, every)
    data_dir = settings.data_dir
    stopping = threading.Event()
    scheduler = BackgroundScheduler(timezone="UTC")

    def job() -> None:
        try:
            log.info("%s", run_update(settings, progress=False).line())
        except VestnikError as exc:
            log.error("update failed: %s", exc)
            raise

    def note_next(_event: JobExecutionEvent | None = None) -> None:
        job_ = scheduler.get_job("update")
        if job_ is not None and job_.next_run_time is not None:
            when = job_.next_run_time.isoformat(timespec="seconds")
            write_schedule(data_dir, described, when)
            log.info("next update at %s (%s)", when, described)

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("stopping the schedule (signal %d)", signum)
        stopping.set()

    first = datetime.now(UTC) if every else None
    scheduler.add_job(
        job, trigger, id="update", max_instances=1, coalesce=True, misfire_grace_time=None,
        **({"next_run_time": first} if first else {}),
    )  # fmt: skip
    scheduler.add_listener(note_next, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("schedule started: %s, data in %s", described, data_dir)
    scheduler.start()
    note_next()
    while not stopping.wait(0.5):
        pass
    scheduler.shutdown(wait=False)
    log.info("schedule stopped")
    return 0
