"""``run_index``: bring ``<data_dir>/index/`` up to date with the corpus store.

Incremental: the index keeps a high-water mark of the store's change counter (``Store.max_seq``) in
``index/vestnik-index.json``, written after each Whoosh commit (and copied to the store meta
``index_seq``). A run takes the documents changed since, in change order, in batches of
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
import importlib
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.util.filelock import FileLock

from core.errors import IndexLockedError, SearchIndexError
from core.records import Document
from corpus import IndexStore, open_store
from indexer._parallel import build_segments
from indexer._schema import SCHEMA_VERSION, build_schema, document_fields
from indexer._writer import IndexWriter

__all__ = ["BATCH", "INDEX_DIRNAME", "IndexSummary", "index_dir", "read_state", "run_index"]

log = logging.getLogger(__name__)

INDEX_DIRNAME = "index"
STATE_FILENAME = "vestnik-index.json"
LOCK_FILENAME = "index.lock"
BATCH = 2000
# A full build with ``procs > 1`` runs worker processes only from this many documents on (starting
# them costs a second or two); tasks are ranges of the change counter, several per process.
PARALLEL_MIN_DOCS = 4000
TASKS_PER_PROC = 8


@dataclass(frozen=True)
class IndexSummary:
    """What one index run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    facts: int = 0
    seconds: float = 0.0


@dataclass
class _Counts:
    added: int = 0
    updated: int = 0
    removed: int = 0
    facts: int = 0


def index_dir(data_dir: Path) -> Path:
    """Where the index of a data directory lives."""
    return Path(data_dir) / INDEX_DIRNAME


def read_state(directory: Path) -> dict[str, int] | None:
    """The index's own record (``seq``, ``schema``), or None when absent or unreadable."""
    try:
        data = json.loads((directory / STATE_FILENAME).read_text("utf-8"))
        return {"seq": int(data["seq"]), "schema": int(data["schema"])}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_state(directory: Path, seq: int) -> None:
    tmp = directory / (STATE_FILENAME + ".tmp")
    tmp.write_text(json.dumps({"seq": seq, "schema": SCHEMA_VERSION}), "utf-8")
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


def _load_extractor() -> Callable[..., Any] | None:
    # TODO(facts): indexer.facts lands in parallel; until it is importable, facts are skipped.
    try:
        module = importlib.import_module("indexer.facts")
    except ImportError:
        return None
    fn = getattr(module, "extract_facts", None)
    return fn if callable(fn) else None


def _fields_with_facts(
    store: IndexStore, doc: Document, extract: Callable[..., Any] | None, counts: _Counts
) -> dict[str, Any]:
    if extract is None:
        return document_fields(doc)
    result = extract(doc.title, doc.body, doc.lang or "ru")
    counts.facts += store.replace_facts(doc.id, doc.version, result.facts)
    regions = tuple(result.regions)
    store.set_regions(doc.id, regions)
    fact_types = tuple(f.fact_type for f in result.facts)
    persons = tuple(p.name for p in getattr(result, "persons", ()))
    return document_fields(doc, regions, fact_types, persons)


class _Progress:
    """A rich bar when stderr is a terminal, else a log line every few thousand documents."""

    def __init__(self, enabled: bool | None, total: int, what: str) -> None:
        self.total, self.what, self.done, self._bar, self._task = total, what, 0, None, None
        self._next_log = 5000
        if enabled is None:
            enabled = sys.stderr.isatty()
        if enabled and total:
            from rich.progress import Progress

            self._bar = Progress(transient=True)
            self._bar.start()
            self._task = self._bar.add_task(what, total=total)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, advance=n)
        elif self.done >= self._next_log:
            log.info("%s: %d of ~%d documents", self.what, self.done, self.total)
            self._next_log += 5000

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def _batches(
    store: IndexStore, since: int, until: int, state: str | None
) -> Iterator[list[Document]]:
    """Documents with since < seq <= until, in change order, a batch at a time (cursor closed)."""
    while True:
        batch = [
            d
            for d in store.iter_documents(since_seq=since, state=state, limit=BATCH)
            if d.seq <= until
        ]
        if not batch:
            return
        yield batch
        since = batch[-1].seq


def _writer(ix: Any, limitmb: int) -> Any:
    try:
        return IndexWriter(ix, limitmb=limitmb)
    except LockError as exc:
        raise IndexLockedError("another index run is writing the index") from exc
    except OSError as exc:
        raise SearchIndexError(f"cannot write the index: {exc}") from exc


@functools.cache
def _worker_store(url: str, facts: bool) -> tuple[IndexStore, Callable[..., Any] | None]:
    """The store and fact extractor of a worker process (opened once per process)."""
    return open_store(url), _load_extractor() if facts else None


@dataclass(frozen=True)
class _StoreChunk:
    """The work of a parallel build's worker: the documents of one change-counter range."""

    store_url: str
    facts: bool

    def __call__(self, writer: Any, task: tuple[int, int]) -> tuple[int, int]:
        store, extract = _worker_store(self.store_url, self.facts)
        counts = _Counts()
        for batch in _batches(store, task[0], task[1], "ok"):
            for doc in batch:
                writer.add_document(**_fields_with_facts(store, doc, extract, counts))
            counts.added += len(batch)
        return counts.added, counts.facts


def _seq_ranges(high: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` ranges (lo, hi] covering (0, high] of the change counter."""
    step = max(-(-high // parts), 1)
    return [(lo, min(lo + step, high)) for lo in range(0, high, step)]


def _fill(
    store: IndexStore,
    ix: Any,
    high: int,
    procs: int,
    bar: _Progress,
    extract: Callable[..., Any] | None,
) -> _Counts:
    """Add every document up to ``high``: in worker processes when asked and worth it."""
    counts = _Counts()
    if procs > 1 and bar.total >= PARALLEL_MIN_DOCS:
        counts.added, counts.facts = build_segments(
            ix,
            _seq_ranges(high, procs * TASKS_PER_PROC),
            _StoreChunk(store.url, extract is not None),
            procs=procs,
            limitmb=max(256 // procs, 64),
            progress=bar.advance,
        )
        return counts
    writer = _writer(ix, 256)
    try:
        for batch in _batches(store, 0, high, "ok"):
            for doc in batch:
                writer.add_document(**_fields_with_facts(store, doc, extract, counts))
            counts.added += len(batch)
            bar.advance(len(batch))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return counts


def _full_build(
    store: IndexStore, data_dir: Path, procs: int, progress: bool | None, facts: bool
) -> tuple[_Counts, int]:
    """Build a complete index beside the live one, then swap it in."""
    live = index_dir(data_dir)
    fresh = data_dir / f"{INDEX_DIRNAME}.new-{os.getpid()}"
    fresh.mkdir()
    high = store.max_seq()
    extract = _load_extractor() if facts else None
    bar = _Progress(progress, store.count_documents(), "indexing")
    try:
        ix = whoosh_index.create_in(str(fresh), build_schema())
        counts = _fill(store, ix, high, procs, bar, extract)
        ix.close()
        _write_state(fresh, high)
    finally:
        bar.close()
    old = data_dir / f"{INDEX_DIRNAME}.old-{os.getpid()}"
    if live.exists():
        os.rename(live, old)
    os.rename(fresh, live)
    shutil.rmtree(old, ignore_errors=True)
    return counts, high


def _incremental(
    store: IndexStore, data_dir: Path, since: int, progress: bool | None, facts: bool
) -> tuple[_Counts, int]:
    """Apply the store's changes after ``since`` to the live index, one commit per batch."""
    live = index_dir(data_dir)
    ix = whoosh_index.open_dir(str(live))
    high = store.max_seq()
    counts, extract = _Counts(), _load_extractor() if facts else None
    bar = _Progress(progress, max(high - since, 0), "indexing")
    try:
        for batch in _batches(store, since, high, None):
            writer = _writer(ix, 128)
            try:
                known = writer.searcher()
                for doc in batch:
                    present = known.document_number(doc_id=str(doc.id)) is not None
                    if doc.state != "ok":
                        if present:
                            writer.delete_by_term("doc_id", str(doc.id))
                            counts.removed += 1
                        continue
                    writer.update_document(**_fields_with_facts(store, doc, extract, counts))
                    if present:
                        counts.updated += 1
                    else:
                        counts.added += 1
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            _write_state(live, batch[-1].seq)
            store.set_meta("index_seq", str(batch[-1].seq))
            bar.advance(len(batch))
        _write_state(live, high)
    finally:
        bar.close()
        ix.close()
    return counts, high


def run_index(
    store: IndexStore,
    data_dir: Path,
    *,
    rebuild: bool = False,
    progress: bool | None = None,
    procs: int = 1,
    facts: bool = True,
) -> IndexSummary:
    """Index the store's new and changed documents, remove gone ones, extract facts.

    ``rebuild=True`` (or a missing index or an older schema) builds the whole index afresh from the
    store, using ``procs`` writer processes (from ``PARALLEL_MIN_DOCS`` documents on; they are
    spawned, so a script calling this needs the usual ``if __name__ == "__main__":`` guard).
    ``facts=False`` skips fact extraction (benchmarks).

    >>> run_index(open_store(sqlite_url(data)), data)                     # doctest: +SKIP
    IndexSummary(added=120, updated=0, removed=0, facts=85, seconds=4.2)
    """
    started = time.perf_counter()
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with _run_lock(data_dir):
        _recover(data_dir)
        live = index_dir(data_dir)
        state = read_state(live)
        full = (
            rebuild
            or state is None
            or state["schema"] != SCHEMA_VERSION
            or not whoosh_index.exists_in(str(live))
        )
        try:
            if full:
                counts, high = _full_build(store, data_dir, max(procs, 1), progress, facts)
            else:
                assert state is not None
                counts, high = _incremental(store, data_dir, state["seq"], progress, facts)
        except OSError as exc:
            raise SearchIndexError(f"cannot write the index in {live}: {exc}") from exc
        store.set_meta("index_seq", str(high))
    return IndexSummary(
        added=counts.added,
        updated=counts.updated,
        removed=counts.removed,
        facts=counts.facts,
        seconds=round(time.perf_counter() - started, 3),
    )
