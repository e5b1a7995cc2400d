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
from ops._digest import DigestSection, digest_message, send_digest
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
from ops._watches import (
    Found,
    WatchEntry,
    after_update,
    check_watches,
    http_url,
    indexed_seq,
    normalize_search,
    save_search,
    watch_entries,
)

__all__ = [
    "DEMO_SITES",
    "DemoRun",
    "DigestSection",
    "Found",
    "UpdateSummary",
    "WatchEntry",
    "after_update",
    "build_demo",
    "build_trigger",
    "check_watches",
    "demo_settings",
    "digest_message",
    "http_url",
    "indexed_seq",
    "normalize_search",
    "parse_every",
    "read_schedule",
    "read_update_status",
    "run_schedule",
    "run_update",
    "save_search",
    "send_digest",
    "start_demo_server",
    "start_update_background",
    "update_lock",
    "update_running",
    "watch_entries",
    "write_schedule",
]
