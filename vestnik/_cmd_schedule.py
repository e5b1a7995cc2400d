"""``vestnik schedule``: run ``update`` on a cron expression or an interval, in the foreground."""

from __future__ import annotations

import argparse

from core.settings import Settings

__all__ = ["run"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run updates on the schedule until Ctrl-C or SIGTERM (see ``ops.run_schedule``)."""
    from ops import run_schedule

    return run_schedule(settings, args.cron, args.every)
