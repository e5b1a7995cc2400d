"""Operating vestnik: the update that a schedule runs, its lock and status files, the schedule,
and the bundled demo. Above the packages it drives (crawler, indexer, corpus), below the front ends
(the ``vestnik`` command, the UI, the HTTP API).

Files in the data directory:

- ``update.lock``: held with ``flock`` by the running update; the OS releases it when the process
  dies, so a SIGKILLed run never leaves it stuck.
- ``update-status.json``: what the running (or last) update is doing, for the UI.
- ``schedule.json``: the running schedule's expression and next run time.
- ``demo.json``: the demo server's ports.
"""

from __future__ import annotations

from ops._demo import DEMO_SITES, DemoRun, build_demo, demo_settings, start_demo_server
from ops._schedule import build_trigger, parse_every, run_schedule
from ops._update import (
    UpdateSummary,
    read_schedule,
    read_update_status,
    run_update,
    start_update_background,
    update_lock,
    update_running,
    write_schedule,
)

__all__ = [
    "DEMO_SITES",
    "DemoRun",
    "UpdateSummary",
    "build_demo",
    "build_trigger",
    "demo_settings",
    "parse_every",
    "read_schedule",
    "read_update_status",
    "run_schedule",
    "run_update",
    "start_demo_server",
    "start_update_background",
    "update_lock",
    "update_running",
    "write_schedule",
]
