"""``vestnik schedule``: run ``update`` on a cron expression or an interval, in the foreground.

APScheduler's ``BlockingScheduler`` runs the job; one instance at a time (``max_instances=1``,
missed runs coalesced), a failed run is logged and the schedule goes on, SIGTERM and Ctrl-C stop it
cleanly. The next run time is logged and written to ``schedule.json`` for the UI.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from datetime import UTC, datetime
from types import FrameType
from typing import Any

from vestnik._config import Settings
from vestnik._errors import ConfigError, VestnikError
from vestnik.operations import parse_every, run_update, write_schedule

__all__ = ["build_trigger", "run"]

log = logging.getLogger("vestnik.schedule")


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


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run updates on the schedule until Ctrl-C or SIGTERM."""
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
    from apscheduler.schedulers.background import BackgroundScheduler

    cron = args.cron or (None if args.every else settings.get("schedule.cron")) or None
    every = args.every or (None if cron else settings.get("schedule.every")) or None
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
