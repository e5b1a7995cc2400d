"""``vestnik derive``: the derive stage alone (facts, regions, persons of new and changed documents)."""

from __future__ import annotations

import argparse

from core.settings import Settings

__all__ = ["run"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Derive what changed since the last run (``--rebuild``: every document afresh)."""
    from corpus import open_store
    from indexer import run_derive

    with open_store(settings.store_url) as store:
        summary = run_derive(
            store,
            settings.data_dir,
            rebuild=bool(getattr(args, "rebuild", False)),
            procs=settings.index.workers,
            settings=settings,
        )
    print(
        f"derived: {summary.derived} documents ({summary.current} already current), "
        f"{summary.facts} facts in {summary.seconds:.1f} s"
    )
    return 0
