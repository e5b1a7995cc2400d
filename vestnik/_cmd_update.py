"""``vestnik update``: incremental crawl + index + facts, one at a time."""

from __future__ import annotations

import argparse

from core.settings import Settings
from ops import run_update

__all__ = ["run"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run one update and print its summary line."""
    summary = run_update(settings)
    print(summary.line())
    return 0
