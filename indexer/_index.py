"""``run_index``: bring ``<data_dir>/index/`` up to date with the corpus store.

The index stage reads what the derive stage made of each document (``Store.derived_fields``:
regions, fact types, persons...) and never extracts facts itself; ``run_index`` runs the derive
stage first unless ``facts=False``.

Incremental: the index keeps a high-water mark of the store's change counter (``Store.max_seq``) in
``index/vestnik-index.json``, written after each Whoosh commit (and copied to the store meta
``index_seq``), and one of the derive stage's counter (``Store.max_dseq``): documents whose derived
fields changed since (a fact rule changed) are re-indexed without a rebuild. A run takes the documents changed since, in change order, in batches of
``BATCH`` documents, one commit each; ``update_document`` on ``doc_id``/``url`` is idempotent, so a
killed run re-does at most one batch. A full build (first run, ``rebuild=True`` or a schema change)
writes a new index beside the live one and swaps the directories with two renames, so searches see
the old index until the new one is complete.

One run at a time: the run holds an fcntl lock on ``<data_dir>/index.lock`` (Whoosh's ``FileLock``,
released by the OS when a process dies, so a SIGKILLed run never leaves a stale lock); a second run
gets ``IndexLockedError`` at once.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.util.filelock import FileLock

from core.errors import IndexLockedError, SearchIndexError
from core.records import Document
from core.settings import Settings
from corpus import IndexStore, open_store
from indexer._parallel import build_segments
from indexer._paths import INDEX_DIRNAME, index_dir
from indexer._schema import SCHEMA_VERSION, build_schema, document_fields
from indexer._stream import Progress, batches, resolve_procs, seq_ranges
from indexer._writer import IndexWriter

__all__ = ["BATCH", "INDEX_DIRNAME", "IndexSummary", "index_dir", "read_state", "run_index"]

STATE_FILENAME = "vestnik-index.json"
LOCK_FILENAME = "index.lock"
BATCH = 2000
# A full build with ``procs > 1`` runs worker processes only from this many documents on (starting
# them costs a second or two); tasks are ranges of the change counter, several per process and at
# most ``TASK_DOCS`` documents each.
PARALLEL_MIN_DOCS = 4000
TASKS_PER_PROC = 8
TASK_DOCS = 25_000
# Memory of a full build stays flat in corpus size: the posting pools of its writers hold at most
# ``POOL_MB`` together (then spill sorted runs to disk), and a writer closes its segment and starts
# another after ``SEGMENT_DOCS`` documents (a segment's term table and length columns grow with it).
POOL_MB = 128
SEGMENT_DOCS = 100_000


@dataclass(frozen=True)
class IndexSummary:
    """What one index run did (``derived``/``facts``: its derive stage)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    derived: int = 0
    facts: int = 0
    seconds: float = 0.0
    derive_seconds: float = 0.0


@dataclass
class _Counts:
    added: int = 0
    updated: int = 0
    removed: int = 0


def read_state(directory: Path) -> dict[str, int] | None:
    """The index's own record (``seq``, ``dseq``, ``schema``), or None when absent or unreadable."""
    try:
        data = json.loads((directory / STATE_FILENAME).read_text("utf-8"))
        return {
            "seq": int(data["seq"]),
            "dseq": int(data.get("dseq", 0)),
            "schema": int(data["schema"]),
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_state(directory: Path, seq: int, dseq: int) -> None:
    tmp = directory / (STATE_FILENAME + ".tmp")
    tmp.write_text(json.dumps({"seq": seq, "dseq": dseq, "schema": SCHEMA_VERSION}), "utf-8")
    os.replace(tmp, directory / STATE_FILENAME)


@contextmanager
def _run_lock(data_dir: Path) -> Iterator[None]:
    lock = FileLock(str(data_dir / LOCK_FILENAME))
    try:
        acquired = lock.acquire(blocking=False)
    except OSError as exc:
        raise SearchIndexError(f"cannot lock the index in {data_dir}: {exc}") from exc
    if not acquired:
        raise IndexLockedError(
            f"another index run is writing the index in {data_dir}; try again when it finishes"
        )
    try:
        yield
    finally:
        lock.release()


def _recover(data_dir: Path) -> None:
    """Undo what a killed run left: half-built indexes, a swap cut between its two renames."""
    live = index_dir(data_dir)
    for path in sorted(data_dir.glob(INDEX_DIRNAME + ".new-*")):
        shutil.rmtree(path, ignore_errors=True)
    olds = sorted(data_dir.glob(INDEX_DIRNAME + ".old-*"))
    if olds and not live.exists():
        os.rename(olds.pop(), live)
    for path in olds:
        shutil.rmtree(path, ignore_errors=True)


def _fields(store: IndexStore, docs: list[Document]) -> Iterator[dict[str, Any]]:
    """Index fields of each document with what the derive stage made of it."""
    derived = store.derived_fields([d.id for d in docs])
    for doc in docs:
        yield document_fields(doc, derived.get(doc.id))


def _writer(ix: Any, limitmb: int) -> Any:
    try:
        return IndexWriter(ix, limitmb=limitmb)
    except LockError as exc:
        raise IndexLockedError("another index run is writing the index") from exc
    except OSError as exc:
        raise SearchIndexError(f"cannot write the index: {exc}") from exc


@functools.cache
def _worker_store(url: str) -> IndexStore:
    """The store of a worker process (opened once per process)."""
    return open_store(url)


@dataclass(frozen=True)
class _StoreChunk:
    """The work of a parallel build's worker: the documents of one change-counter range."""

    store_url: str

    def __call__(self, writer: Any, task: tuple[int, int]) -> tuple[int, int]:
        store = _worker_store(self.store_url)
        added = 0
        for batch in batches(store, task[0], task[1], "ok", BATCH):
            for fields in _fields(store, batch):
                writer.add_document(**fields)
            added += len(batch)
        return added, 0


def _fill(store: IndexStore, ix: Any, high: int, procs: int, bar: Progress) -> int:
    """Add every document up to ``high``: in worker processes when asked and worth it."""
    if procs > 1 and bar.total >= PARALLEL_MIN_DOCS:
        added, _ = build_segments(
            ix,
            seq_ranges(high, max(procs * TASKS_PER_PROC, -(-high // TASK_DOCS))),
            _StoreChunk(store.url),
            procs=procs,
            limitmb=POOL_MB // procs,
            segment_docs=SEGMENT_DOCS,
            progress=bar.advance,
        )
        return added
    added = in_segment = 0
    writer = _writer(ix, POOL_MB)
    try:
        for batch in batches(store, 0, high, "ok", BATCH):
            for fields in _fields(store, batch):
                writer.add_document(**fields)
            added += len(batch)
            in_segment += len(batch)
            bar.advance(len(batch))
            if in_segment >= SEGMENT_DOCS:  # a new index: no reader sees it before the swap
                writer.commit(merge=False)
                writer, in_segment = _writer(ix, POOL_MB), 0
        writer.commit(merge=False)
    except BaseException:
        writer.cancel()
        raise
    return added


def _full_build(store: IndexStore, data_dir: Path, procs: int, progress: bool | None) -> _Counts:
    """Build a complete index beside the live one, then swap it in."""
    live = index_dir(data_dir)
    fresh = data_dir / f"{INDEX_DIRNAME}.new-{os.getpid()}"
    fresh.mkdir()
    high, dhigh = store.max_seq(), store.max_dseq()  # read first: later changes go to the next run
    bar = Progress(progress, store.count_documents(), "indexing")
    try:
        ix = whoosh_index.create_in(str(fresh), build_schema())
        counts = _Counts(added=_fill(store, ix, high, procs, bar))
        ix.close()
        _write_state(fresh, high, dhigh)
    finally:
        bar.close()
    old = data_dir / f"{INDEX_DIRNAME}.old-{os.getpid()}"
    if live.exists():
        os.rename(live, old)
    os.rename(fresh, live)
    shutil.rmtree(old, ignore_errors=True)
    store.set_meta("index_seq", str(high))
    return counts


def _apply(writer: Any, store: IndexStore, docs: list[Document], counts: _Counts) -> None:
    """Update, add or remove each of ``docs`` in the index."""
    known = writer.searcher()
    ok = [d for d in docs if d.state == "ok"]
    for doc in docs:
        if doc.state != "ok" and known.document_number(doc_id=str(doc.id)) is not None:
            writer.delete_by_term("doc_id", str(doc.id))
            counts.removed += 1
    for doc, fields in zip(ok, _fields(store, ok), strict=True):
        present = known.document_number(doc_id=str(doc.id)) is not None
        writer.update_document(**fields)
        if present:
            counts.updated += 1
        else:
            counts.added += 1


def _commit_batch(ix: Any, store: IndexStore, docs: list[Document], counts: _Counts) -> None:
    writer = _writer(ix, 128)
    try:
        _apply(writer, store, docs, counts)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def _rederived(store: IndexStore, since: int, until: int) -> Iterator[tuple[list[Document], int]]:
    """Batches of documents whose derived fields changed in (since, until], with their last dseq."""
    while rows := [r for r in store.rederived_since(since, BATCH) if r[1] <= until]:
        since = rows[-1][1]
        yield store.documents_by_id([doc_id for doc_id, _ in rows]), since


def _incremental(
    store: IndexStore, data_dir: Path, state: dict[str, int], progress: bool | None
) -> _Counts:
    """Apply the store's changes after the index's marks to the live index, a commit per batch."""
    live = index_dir(data_dir)
    ix = whoosh_index.open_dir(str(live))
    since, dsince = state["seq"], state["dseq"]
    high, dhigh = store.max_seq(), store.max_dseq()
    counts = _Counts()
    bar = Progress(progress, max(high - since, 0), "indexing")
    try:
        for batch in batches(store, since, high, None, BATCH):
            _commit_batch(ix, store, batch, counts)
            _write_state(live, batch[-1].seq, dsince)
            store.set_meta("index_seq", str(batch[-1].seq))
            bar.advance(len(batch))
        for docs, dseq in _rederived(store, dsince, dhigh):
            # documents changed in (since, high] were just indexed with their current fields
            _commit_batch(ix, store, [d for d in docs if d.seq <= since], counts)
            _write_state(live, high, dseq)
        _write_state(live, high, dhigh)
        store.set_meta("index_seq", str(high))
    finally:
        bar.close()
        ix.close()
    return counts


def _whoosh_run(
    store: IndexStore, data_dir: Path, rebuild: bool, procs: int, progress: bool | None
) -> _Counts:
    with _run_lock(data_dir):
        _recover(data_dir)
        live = index_dir(data_dir)
        state = read_state(live)
        try:
            if (
                rebuild
                or state is None
                or state["schema"] != SCHEMA_VERSION
                or not whoosh_index.exists_in(str(live))
            ):
                return _full_build(store, data_dir, procs, progress)
            return _incremental(store, data_dir, state, progress)
        except OSError as exc:
            raise SearchIndexError(f"cannot write the index in {live}: {exc}") from exc


def run_index(
    store: IndexStore,
    data_dir: Path,
    *,
    rebuild: bool = False,
    progress: bool | None = None,
    procs: int = 1,
    facts: bool = True,
    backend: str = "whoosh",
    settings: Settings | None = None,
) -> IndexSummary:
    """Derive (``facts=True``), then index the store's new and changed documents, remove gone ones.

    ``rebuild=True`` (or a missing index or an older schema) builds the whole index afresh from the
    store and the derived fields (re-deriving nothing), using ``procs`` writer processes (0: the
    machine's cores; from ``PARALLEL_MIN_DOCS`` documents on; they are spawned, so a script calling
    this needs the usual ``if __name__ == "__main__":`` guard). ``facts=False`` skips the derive
    stage (the index then uses whatever was derived before). ``backend="postgres"`` writes the
    PostgreSQL search index in the store's database instead (``indexer._pg_index``). ``settings``
    go to the derive steps (the ``[clusters]`` section; None: the defaults).

    Usage::

        run_index(open_store(sqlite_url(data)), data)
        # -> IndexSummary(added=120, updated=0, removed=0, derived=120, facts=85, seconds=4.2, ...)
    """
    started = time.perf_counter()
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    procs = resolve_procs(procs)
    if backend == "postgres":  # a store it cannot serve is refused before any work
        from indexer._pg_index import check_store

        check_store(store.url)
    derived = None
    if facts:
        from indexer._derive import run_derive

        derived = run_derive(store, data_dir, procs=procs, progress=progress, settings=settings)
    if backend == "postgres":
        from indexer._pg_index import update_pg_index

        counts = update_pg_index(store, rebuild=rebuild, procs=procs, progress=progress)
    else:
        counts = _whoosh_run(store, data_dir, rebuild, procs, progress)
    return IndexSummary(
        added=counts.added,
        updated=counts.updated,
        removed=counts.removed,
        derived=derived.derived if derived else 0,
        facts=derived.facts if derived else 0,
        seconds=round(time.perf_counter() - started, 3),
        derive_seconds=derived.seconds if derived else 0.0,
    )
