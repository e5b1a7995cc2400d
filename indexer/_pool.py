"""The writer's posting pool and the bulk flush of its postings into a segment.

``Pool`` is Whoosh's ``PostingPool`` (an external merge sort of ``(fieldname, tbytes, docnum,
weight, vbytes)`` postings) taking a document's postings as one list, counting a posting's memory
as what its tuple costs (so ``limitmb`` bounds what the pool really holds), spilling sorted runs in
chunks of ``RUN_CHUNK`` postings grouped by term (one ``marshal`` call per chunk) and merging them
a term group at a time. ``write_term_groups`` writes those groups to Whoosh's W3 field writer a
block of postings at a time: the same blocks, statistics and term infos ``FieldWriter.add_postings``
writes posting by posting.
"""

from __future__ import annotations

import heapq
import itertools
import marshal
import operator
import struct
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.formats import Positions
from whoosh.writing import PostingPool

from indexer._postfile import PostFileWriter

__all__ = ["RUN_CHUNK", "Pool", "write_term_groups"]

# Postings per chunk of the pool's sorted runs (one marshal call; what a merge holds per run).
RUN_CHUNK = 16384
_MAX_RUNS = 128  # runs merged at once (more are first merged down to this many)
_SIZE = struct.Struct("<I")
_TERM_KEY = operator.itemgetter(0, 1)
_GROUP_KEY = operator.itemgetter(0)
_GROUP_POSTINGS = operator.itemgetter(1)
# What one posting held in the pool costs: its tuple (72 bytes) and the list slot (8), plus a
# share of the objects it points to that are not shared (the document number, the weight).
POSTING_BYTES = 112


Group = tuple[tuple[str, bytes], list[tuple[Any, ...]]]


class Pool(PostingPool):  # type: ignore[misc]
    """Whoosh's posting pool, adding a document's postings at once and spilling in chunks."""

    current: list[tuple[Any, ...]]
    runs: list[str]
    currentsize: int
    limit: int

    def add(self, item: tuple[Any, ...]) -> None:
        """One posting (``(fieldname, tbytes, docnum, weight, vbytes)``), as Whoosh adds them."""
        self.currentsize += POSTING_BYTES + len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def add_items(self, items: list[tuple[Any, ...]], size: int) -> None:
        """Postings of one document and field, ``size`` bytes of them not shared with others."""
        self.currentsize += POSTING_BYTES * len(items) + size
        self.current.extend(items)
        if self.currentsize > self.limit:
            self.save()

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        """A sorted run as chunks of ``RUN_CHUNK`` postings, each a list of ``(key, postings)``
        groups by field and term (a term crossing a chunk's end continues in the next group)."""
        it = iter(items)
        while chunk := list(itertools.islice(it, RUN_CHUNK)):
            groups = [(key, list(found)) for key, found in itertools.groupby(chunk, _TERM_KEY)]
            data = marshal.dumps(groups, 2)
            f.write(_SIZE.pack(len(data)))
            f.write(data)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        """The ``(key, postings)`` groups of a run, in order."""
        f = self._open_run(path)
        try:
            # one read and one ``marshal.loads`` per chunk (``marshal.load`` on a file reads
            # object by object, a method call each)
            while head := f.read(_SIZE.size):
                yield from marshal.loads(f.read(_SIZE.unpack(head)[0]))
        finally:
            f.close()
            self._remove_run(path)

    def _merge_runs(self, paths: list[str]) -> Iterator[Any]:
        """The postings of ``paths`` (oldest run first) in order, merged a term at a time: a run
        holds only documents added after those of every older run, so a term's postings are its
        groups in run order (``heapq.merge`` keeps the input order of equal keys)."""
        merged = heapq.merge(*(self._read_run(p) for p in paths), key=_GROUP_KEY)
        return itertools.chain.from_iterable(map(_GROUP_POSTINGS, merged))

    def reduce_to(self, target: int, k: int) -> None:
        """Merge the oldest runs ``k`` at a time until at most ``target`` are left (Whoosh merges
        the newest and puts the result first, which would break the run order above)."""
        while len(self.runs) > target:
            head, self.runs = self.runs[:k], self.runs[k:]
            path, f = self._new_run()
            self._write_run(f, self._merge_runs(head))
            self.runs.insert(0, path)

    def term_groups(self) -> Iterator[Group]:
        """Every posting in order, as ``((fieldname, tbytes), postings)`` groups (a term may come
        as several consecutive groups)."""
        if not self.runs:
            ordered, self.current = self.current, []
            ordered.sort()
            return ((key, list(found)) for key, found in itertools.groupby(ordered, _TERM_KEY))
        self.save()
        if len(self.runs) > _MAX_RUNS:
            self.reduce_to(_MAX_RUNS, _MAX_RUNS)
        runs, self.runs = self.runs, []
        return heapq.merge(*(self._read_run(p) for p in runs), key=_GROUP_KEY)


def write_term_groups(
    fieldwriter: Any,
    schema: Any,
    lengths: Any,
    groups: Iterable[Group],
    side: PostFileWriter | None = None,
) -> None:
    """``FieldWriter.add_postings`` for term groups; ``lengths``: the segment's per-document
    reader (``IndexWriter``'s, whose ``table`` gives a field's lengths) or None; ``side``: the
    segment's side postings (each term's ids, weights and positions, ``indexer._postfile``) or
    None."""
    lastfn: str | None = None
    lastterm: bytes | None = None
    table: list[int | None] | None = None
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    positional = False

    def finish_term() -> None:
        fieldwriter.finish_term()
        if side is not None and lastfn is not None and lastterm is not None:
            side.add(lastfn, lastterm, ids, weights, values if positional else None)
        ids.clear()
        weights.clear()
        values.clear()

    for (fieldname, btext), postings in groups:
        if fieldname != lastfn:
            if lastterm is not None:
                finish_term()
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfn, lastterm = fieldname, None
            table = lengths.table(fieldname) if lengths is not None else None
            positional = isinstance(schema[fieldname].format, Positions)
        if btext != lastterm:
            if lastterm is not None:
                finish_term()
            fieldwriter.start_term(btext)
            lastterm = btext
        collect = (ids, weights, values) if side is not None else None
        _add_block(fieldwriter._postwriter, postings, table, collect)
    if lastterm is not None:
        finish_term()
    if lastfn is not None:
        fieldwriter.finish_field()


def _add_block(
    writer: Any,
    postings: list[tuple[Any, ...]],
    table: list[int | None] | None,
    collect: tuple[list[int], list[float], list[bytes]] | None = None,
) -> None:
    """``W3PostingsWriter.add_posting`` for each of ``postings``, a block's worth at a time
    (their ids, weights and values also appended to ``collect``'s three lists)."""
    limit, i, n = writer._blocklimit, 0, len(postings)
    while i < n:
        room = limit - len(writer._ids)
        if room <= 0:
            writer._write_block()
            room = limit
        block = postings[i : i + room]
        i += room
        ids = [p[2] for p in block]
        weights = [p[3] for p in block]
        writer._ids.extend(ids)
        writer._weights.extend(weights)
        block_values = [p[4] for p in block if p[4]]
        writer._values.extend(block_values)
        if collect is not None:
            collect[0].extend(ids)
            collect[1].extend(weights)
            collect[2].extend(block_values)
        top = max(weights)
        if top > writer._maxweight:
            writer._maxweight = top
        if table is not None:
            found = [x for x in (table[d] for d in ids) if x]
            if found:
                low, high = min(found), max(found)
                if writer._minlength is None or low < writer._minlength:
                    writer._minlength = low
                if high > writer._maxlength:
                    writer._maxlength = high
