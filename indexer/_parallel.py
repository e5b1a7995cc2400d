"""Parallel index builds: worker processes that each write their own segments.

Whoosh's ``MpWriter`` pickles every document from the parent to its workers and (by default) merges
their segments in the parent at commit. Here each worker reads its own documents (a ``work``
callable given a task, e.g. a range of the store's change counter, opens the store itself), writes
a segment with a writer of its own (a new one after ``segment_docs`` documents, so a worker's memory
stays flat), and hands the finished segments back; the parent,
holding the index's write lock the whole time, commits the segments side by side without merging
(searches read several segments). Tasks are small and taken from a shared queue, so a faster worker
takes more of them.

Usage::

    segments_written = build_segments(ix, tasks, StoreChunks(data_dir), procs=2)
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import queue
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError

from core.errors import IndexLockedError, SearchIndexError
from indexer._writer import IndexWriter

__all__ = ["ChunkWork", "build_segments"]

_POLL_S = 1.0


class ChunkWork(Protocol):
    """Adds one task's documents to a writer; returns (documents added, facts saved).

    Must pickle (it is sent to spawned workers) and open what it reads in the worker."""

    def __call__(self, writer: Any, task: Any) -> tuple[int, int]: ...


def _worker(
    index_path: str,
    limitmb: int,
    segment_docs: int,
    work: ChunkWork,
    tasks: Any,
    results: Any,
) -> None:
    """A worker process: take tasks until the sentinel, write them into new segments (the next
    one once a segment holds ``segment_docs`` documents)."""
    writer = None
    try:
        ix = _WorkerStorage(index_path).open_index()
        writer = IndexWriter(ix, _lk=False, limitmb=limitmb)
        segments: list[Any] = []
        added = facts = 0
        while (task := tasks.get()) is not None:
            a, f = work(writer, task)
            added, facts = added + a, facts + f
            results.put(("progress", a))
            if writer.doc_count() >= segment_docs:
                segments.append(writer._finalize_segment())
                writer._tempstorage.destroy()
                writer = IndexWriter(ix, _lk=False, limitmb=limitmb)
        if writer.doc_count():
            segments.append(writer._finalize_segment())
            writer._tempstorage.destroy()  # the pool's folder of this process (now empty)
        else:
            writer.cancel()
        results.put(("done", (segments, added, facts)))
    except BaseException as exc:
        if writer is not None:
            writer.cancel()
        results.put(("error", f"{type(exc).__name__}: {exc}"))
        raise


class _WorkerStorage(FileStorage):  # type: ignore[misc]
    """The index folder, with temporary files in a folder of this process's own.

    Every Whoosh writer keeps its pool and column temp files in ``<index>.tmp`` and deletes that
    whole folder when it finishes: a worker finishing first would delete the files of the parent's
    writer (and of the other worker) under their feet.
    """

    def temp_storage(self, name: str | None = None) -> Any:
        return super().temp_storage(f"{name or 'worker.tmp'}.{os.getpid()}")


def _append_segments(new: list[Any], writer: Any, segments: list[Any]) -> list[Any]:
    """A merge policy that keeps every segment as it is and adds the workers' segments."""
    return list(segments) + new


def build_segments(
    ix: Any,
    tasks: Sequence[Any],
    work: ChunkWork,
    *,
    procs: int,
    limitmb: int = 128,
    segment_docs: int = 100_000,
    context: str = "spawn",
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Run ``work`` over ``tasks`` in ``procs`` processes and commit their segments to ``ix``
    (each worker's pool holding ``limitmb``; a new segment after ``segment_docs`` documents).

    Returns (documents added, facts saved). The parent holds Whoosh's write lock from start to
    commit; on any failure nothing is committed (the workers' segment files are cleaned up by the
    next commit of the index, or removed with a half-built index directory).
    """
    ctx: Any = multiprocessing.get_context(context)
    try:
        writer = ix.writer()  # the write lock, and the commit of the workers' segments
    except LockError as exc:
        raise IndexLockedError("another index run is writing the index") from exc
    task_q: Any = ctx.Queue()
    result_q: Any = ctx.Queue()
    for task in tasks:
        task_q.put(task)
    for _ in range(procs):
        task_q.put(None)
    workers = [
        ctx.Process(
            target=_worker,
            args=(ix.storage.folder, limitmb, segment_docs, work, task_q, result_q),
            daemon=True,
        )
        for _ in range(procs)
    ]
    try:
        for p in workers:
            p.start()
        done = _collect(workers, result_q, progress)
        segments = [seg for segs, _, _ in done for seg in segs]
        writer.commit(mergetype=functools.partial(_append_segments, segments))
    except BaseException:
        writer.cancel()
        raise
    finally:
        for p in workers:
            if p.is_alive():
                p.terminate()
            p.join()
    return sum(a for _, a, _ in done), sum(f for _, _, f in done)


def _collect(
    workers: list[Any], result_q: Any, progress: Callable[[int], None] | None
) -> list[tuple[Any, int, int]]:
    """Wait for every worker's segment, passing progress on; raise if one fails or dies."""
    done: list[tuple[Any, int, int]] = []
    while len(done) < len(workers):
        try:
            kind, value = result_q.get(timeout=_POLL_S)
        except queue.Empty:
            dead = [p for p in workers if p.exitcode not in (None, 0)]
            if dead:
                raise SearchIndexError(
                    f"an index worker process died (exit code {dead[0].exitcode})"
                ) from None
            continue
        if kind == "progress":
            if progress is not None:
                progress(int(value))
        elif kind == "error":
            raise SearchIndexError(f"an index worker failed: {value}")
        else:
            done.append(value)
    return done
