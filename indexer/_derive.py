"""``run_derive``: the derive stage between the store and the index (facts, regions, persons...).

Each document is run through ``DERIVE_STEPS`` once per content hash and derive version: the result
(its facts and index fields) is saved in the store's ``derived`` table with both, so a document whose
text did not change is never derived again, and an index rebuild reads fields instead of
re-extracting. The stage keeps its own high-water mark of the store's change counter
(``meta.derive_seq``, written after each batch's transaction) and the derive version it is at
(``meta.derive_version``): when a step's version changes (a fact rule was edited), the next run
walks every document and re-derives those still at the old version; a killed run resumes there.
``rebuild=True`` starts a new epoch (part of the version), so every document is derived afresh.

Large batches run in ``procs`` worker processes, each taking ranges of the change counter and
writing its own batches (one transaction each). One run at a time (``<data_dir>/derive.lock``,
released by the OS when a process dies).
"""

from __future__ import annotations

import functools
import multiprocessing
import secrets
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import IndexLockedError, SearchIndexError
from core.records import Document
from core.settings import Settings
from corpus import DerivedRow, IndexStore, open_store
from indexer._steps import DERIVE_STEPS, Derivation, DeriveStep, derive_steps, derive_version
from indexer._stream import Progress, batches, resolve_procs, seq_ranges

__all__ = ["DeriveSummary", "run_derive"]

LOCK_FILENAME = "derive.lock"
BATCH = 250  # documents per transaction
PARALLEL_MIN_DOCS = 2000  # fewer: one process (starting workers costs a second or two)
TASKS_PER_PROC = 8


@dataclass(frozen=True)
class DeriveSummary:
    """What one derive run did: documents derived, documents already current, facts saved."""

    derived: int = 0
    current: int = 0
    facts: int = 0
    seconds: float = 0.0


@contextmanager
def _lock(data_dir: Path) -> Iterator[None]:
    from whoosh.util.filelock import FileLock

    lock = FileLock(str(data_dir / LOCK_FILENAME))
    try:
        acquired = lock.acquire(blocking=False)
    except OSError as exc:
        raise SearchIndexError(f"cannot lock the derive stage in {data_dir}: {exc}") from exc
    if not acquired:
        raise IndexLockedError(
            f"another derive run is working in {data_dir}; try again when it finishes"
        )
    try:
        yield
    finally:
        lock.release()


def derive_batch(
    store: IndexStore, docs: Sequence[Document], version: str, steps: Sequence[DeriveStep]
) -> tuple[int, int, int]:
    """Derive the documents of ``docs`` not yet at ``version``; (derived, current, facts)."""
    known = store.derived_versions([d.id for d in docs])
    todo = [Derivation(d) for d in docs if known.get(d.id) != (d.content_hash, version)]
    if not todo:
        return 0, len(docs), 0
    for step in steps:
        step.run(todo, store)
    facts = store.save_derived(
        DerivedRow(
            doc_id=item.doc.id,
            version=item.doc.version,
            content_hash=item.doc.content_hash,
            derive_version=version,
            facts=tuple(item.facts),
            fields=item.fields,
        )
        for item in todo
    )
    return len(todo), len(docs) - len(todo), facts


@functools.cache
def _worker_store(url: str) -> IndexStore:
    return open_store(url)


def _derive_range(task: tuple[str, str, int, int]) -> tuple[int, int, int]:
    """A worker's task: derive the documents of one change-counter range."""
    url, version, lo, hi = task
    store = _worker_store(url)
    done = [0, 0, 0]
    for batch in batches(store, lo, hi, "ok", BATCH):
        for i, n in enumerate(derive_batch(store, batch, version, DERIVE_STEPS)):
            done[i] += n
    return done[0], done[1], done[2]


def _parallel(
    store: IndexStore, version: str, since: int, high: int, procs: int, bar: Progress
) -> list[int]:
    ctx: Any = multiprocessing.get_context("spawn")
    ranges = [
        (since + lo, since + hi) for lo, hi in seq_ranges(high - since, procs * TASKS_PER_PROC)
    ]
    tasks = [(store.url, version, lo, hi) for lo, hi in ranges]
    done = [0, 0, 0]
    with ctx.Pool(procs) as pool:
        for result in pool.imap_unordered(_derive_range, tasks):
            for i, n in enumerate(result):
                done[i] += n
            bar.advance(result[0] + result[1])
    return done


def run_derive(
    store: IndexStore,
    data_dir: Path,
    *,
    rebuild: bool = False,
    procs: int = 1,
    progress: bool | None = None,
    settings: Settings | None = None,
) -> DeriveSummary:
    """Derive the documents changed since the last run (all of them when a step changed).

    ``settings`` give the steps theirs (``derive_steps``; None: the defaults).

    ``procs`` worker processes for large batches (0: the machine's cores; they are spawned, so a
    script calling this needs the usual ``if __name__ == "__main__":`` guard).
    """
    started = time.perf_counter()
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    steps = derive_steps(settings, DERIVE_STEPS)
    with _lock(data_dir):
        if rebuild:
            store.set_meta("derive_epoch", secrets.token_hex(4))
        version = f"{derive_version(steps)}:{store.get_meta('derive_epoch', '0')}"
        walk_all = store.get_meta("derive_version") != version
        since = 0 if walk_all else int(store.get_meta("derive_seq", "0") or 0)
        high = store.max_seq()
        total = store.count_documents() if walk_all else max(high - since, 0)
        bar = Progress(progress, total, "deriving")
        try:
            procs = resolve_procs(procs)
            if procs > 1 and total >= PARALLEL_MIN_DOCS:
                derived, current, facts = _parallel(store, version, since, high, procs, bar)
            else:
                derived = current = facts = 0
                for batch in batches(store, since, high, "ok", BATCH):
                    d, c, f = derive_batch(store, batch, version, steps)
                    derived, current, facts = derived + d, current + c, facts + f
                    if not walk_all:
                        store.set_meta("derive_seq", str(batch[-1].seq))
                    bar.advance(len(batch))
        finally:
            bar.close()
        for step in steps:
            step.finish(store)
        store.set_meta("derive_seq", str(high))
        store.set_meta("derive_version", version)
    return DeriveSummary(derived, current, facts, round(time.perf_counter() - started, 3))
