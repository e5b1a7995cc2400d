"""``vestnik index``: derive (facts) and index new and changed documents, remove gone ones."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from core.errors import VestnikError
from core.settings import Settings

__all__ = ["run"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Bring ``<data>/index/`` up to date with the store (``--rebuild``: from scratch)."""
    from corpus import open_store
    from indexer import run_index

    data_dir = settings.data_dir
    with open_store(settings.store_url) as store:
        run_id = store.start_run("index")
        try:
            summary = run_index(
                store,
                data_dir,
                rebuild=bool(getattr(args, "rebuild", False)),
                procs=settings.index.workers,
                backend=settings.search.backend,
                settings=settings,
            )
        except VestnikError as exc:
            store.finish_run(run_id, "failed", message=str(exc))
            raise
        except KeyboardInterrupt:
            store.finish_run(run_id, "interrupted")
            raise
        counters = {k: int(v) for k, v in asdict(summary).items() if not k.endswith("seconds")}
        store.finish_run(run_id, "ok", counters=counters)
    print(
        f"indexed: {summary.added} added, {summary.updated} updated, {summary.removed} removed, "
        f"{summary.derived} derived with {summary.facts} facts in {summary.seconds:.1f} s "
        f"(derive {summary.derive_seconds:.1f} s)"
    )
    return 0
