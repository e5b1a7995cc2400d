"""Side postings: each frequent term's document numbers and weights as raw arrays, a file per segment.

Whoosh keeps a term's postings as zlib-compressed pickles of blocks holding ids, weights and
positions together, so reading the ids of a term means decompressing and unpickling its positions
too: that was most of a first-seen query's time at 100,000 documents. When ``IndexWriter`` writes a
segment it also writes ``<segment>.vpl``: for every term in at least ``MIN_DOCS`` documents, its
document numbers (a bitmap when the term is in more than one document in 32, else ``uint32``) and
weights (``uint8`` when they are whole numbers under 256, else ``float32``) and, for a field with
positions, each posting's number of positions and the positions themselves (``uint8``/``uint16``
counts, ``uint16``/``uint32`` positions, the smallest that holds them), back to back, with a
directory at the end. ``Segment.postings`` and ``Segment.positions`` read a term from it with
``np.frombuffer`` over a memory map; rare terms and segments without a valid file (an index written
before, a file cut short by a killed process) are read from Whoosh's postings as before. The file is
named after its segment, so Whoosh's own clean-up removes it with the segment.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "MAIN_x.vpl")
    >>> w = PostFileWriter(path, doc_count=100)
    >>> w.add("body", b"mir", list(range(0, 100, 2)), [1.0] * 50)  # dense: a bitmap
    >>> w.add("body", b"rare", [7], [3.0])  # under MIN_DOCS: left to Whoosh's postings
    >>> w.close()
    >>> f = PostFile.open(path, doc_count=100)
    >>> ids, weights = f.get("body", b"mir")
    >>> ids[:3].tolist(), weights.dtype.name, f.get("body", b"rare")
    ([0, 2, 4], 'float32', None)
"""

from __future__ import annotations

import itertools
import mmap
import operator
import os
import pickle
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["EXT", "MIN_DOCS", "PostFile", "PostFileWriter", "decode_positions", "side_path"]

EXT = ".vpl"
MIN_DOCS = 48  # rarer terms fit in one Whoosh block: cheap enough to read from it
_MAGIC = b"VPL1"
_TAIL = struct.Struct("<QQ4s")  # directory offset, document count, magic
# Entry flags: ids as a bitmap; weights as uint8; positions stored; their counts as uint16 (else
# uint8) or uint32; the positions as uint32 (else uint16).
_BITMAP, _WEIGHTS_U8, _POSITIONS, _COUNTS_U2, _COUNTS_U4, _POS_U4 = 1, 2, 4, 8, 16, 32
_DENSE = 32  # a bitmap when a term is in more than one document in this many

_BODY = operator.itemgetter(slice(6, -1))  # a value without its count, header and STOP


def _unpickle(values: Sequence[bytes]) -> list[list[int]]:
    try:  # every value as Whoosh writes it, ending with STOP: one C-level pass
        lists = pickle.loads(b"\x80\x02](" + b"".join(map(_BODY, values)) + b"e.")
        if len(lists) == len(values):
            return lists  # type: ignore[no-any-return]
    except pickle.UnpicklingError:
        pass
    return [pickle.loads(v[4:] if v.endswith(b".") else v[4:] + b".") for v in values]


def decode_positions(values: Sequence[bytes]) -> tuple[Any, Any]:
    """Positions of several postings: (flat positions, how many each posting has).

    A value is Whoosh's ``Positions`` encoding: a 4-byte count, then a protocol-2 pickle of the
    position deltas. The pickles' bodies are joined into one pickle of a list of lists, so a whole
    set is unpickled in one call.

    >>> from whoosh.formats import Positions
    >>> enc = Positions().encode
    >>> flat, lens = decode_positions([enc([3, 5]), enc([0])])
    >>> flat.tolist(), lens.tolist()
    ([3, 5, 0], [2, 1])
    """
    lists = _unpickle(values)
    lens = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=int(lens.sum()))
    positions = np.cumsum(flat)
    if len(lens):
        starts = np.cumsum(lens) - lens
        before = np.where(starts > 0, positions[np.maximum(starts - 1, 0)], 0)
        positions -= np.repeat(before, lens)
    return positions, lens


def side_path(storage: Any, segment: Any) -> str | None:
    """Where the side postings of ``segment`` live in ``storage`` (named after the segment, so
    Whoosh's clean-up removes them with it), or None for a storage that is not a folder."""
    folder = getattr(storage, "folder", None)
    return os.path.join(folder, segment.make_filename(EXT)) if folder else None


def _smallest(values: Any, choices: tuple[tuple[str, int], ...]) -> tuple[bytes, int]:
    """``values`` as the first of ``choices`` (dtype, flag) that holds its largest value."""
    top = int(values.max()) if len(values) else 0
    for dtype, flag in choices:
        if top <= np.iinfo(dtype).max:
            return values.astype(dtype).tobytes(), flag
    raise ValueError(top)  # pragma: no cover -- uint32 holds every position Whoosh writes


class PostFileWriter:
    """Writes one segment's side postings; ``add`` each term once (all of its postings), then
    ``close`` (the file appears complete or not at all: written under a temporary name)."""

    def __init__(self, path: str, doc_count: int) -> None:
        self.path = path
        self.doc_count = doc_count
        self._tmp = path + ".tmp"
        self._f = open(self._tmp, "wb")  # noqa: SIM115 -- closed by close() / cancel()
        self._f.write(_MAGIC)
        self._at = len(_MAGIC)
        self._directory: dict[str, dict[bytes, tuple[int, int, int]]] = {}

    def add(
        self,
        fieldname: str,
        tbytes: bytes,
        ids: list[int],
        weights: list[float],
        values: list[bytes] | None = None,
    ) -> None:
        """One term's postings (ids ascending, one weight each; ``values``: their encoded
        positions, when the field has them)."""
        count = len(ids)
        if count < MIN_DOCS:
            return
        parts: list[bytes] = []
        flags = 0
        if count * _DENSE > self.doc_count:
            bits = np.zeros(-(-self.doc_count // 8) * 8, dtype=bool)
            bits[ids] = True
            parts.append(np.packbits(bits, bitorder="little").tobytes())
            flags |= _BITMAP
        else:
            parts.append(np.array(ids, dtype="<u4").tobytes())
        w = np.array(weights, dtype="<f4")
        small = w.astype(np.uint8)
        if np.array_equal(small, w):
            parts.append(small.tobytes())
            flags |= _WEIGHTS_U8
        else:
            parts.append(w.tobytes())
        if values is not None and len(values) == count:
            positions, lens = decode_positions(values)
            data, flag = _smallest(lens, (("<u1", 0), ("<u2", _COUNTS_U2), ("<u4", _COUNTS_U4)))
            parts.append(data)
            data, pflag = _smallest(positions, (("<u2", 0), ("<u4", _POS_U4)))
            parts.append(data)
            flags |= _POSITIONS | flag | pflag
        size = sum(map(len, parts))
        pad = -(self._at + size) % 4  # the next term's arrays start 4-byte aligned
        self._directory.setdefault(fieldname, {})[tbytes] = (self._at, count, flags)
        self._f.write(b"".join(parts) + b"\0" * pad)
        self._at += size + pad

    def close(self) -> None:
        """Write the directory and move the file into place."""
        self._f.write(pickle.dumps(self._directory, protocol=pickle.HIGHEST_PROTOCOL))
        self._f.write(_TAIL.pack(self._at, self.doc_count, _MAGIC))
        self._f.close()
        os.replace(self._tmp, self.path)

    def cancel(self) -> None:
        """Drop the file being written."""
        self._f.close()
        try:
            os.unlink(self._tmp)
        except OSError:
            pass


class PostFile:
    """One segment's side postings, memory-mapped."""

    def __init__(
        self, buf: Any, directory: dict[str, dict[bytes, tuple[int, int, int]]], doc_count: int
    ) -> None:
        self._buf = buf
        self._directory = directory
        self._doc_count = doc_count

    @classmethod
    def open(cls, path: str, doc_count: int) -> PostFile | None:
        """The file at ``path`` for a segment of ``doc_count`` documents, or None when it is
        missing, cut short or of another segment size (then Whoosh's postings are read)."""
        try:
            with open(path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                if size < len(_MAGIC) + _TAIL.size:
                    return None
                buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return None
        try:
            at, count, magic = _TAIL.unpack_from(buf, size - _TAIL.size)
            if buf[: len(_MAGIC)] != _MAGIC or magic != _MAGIC or count != doc_count:
                return None
            directory = pickle.loads(buf[at : size - _TAIL.size])
        except (struct.error, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None
        if not isinstance(directory, dict):
            return None
        return cls(buf, directory, doc_count)

    def _ids(self, fieldname: str, tbytes: bytes) -> tuple[Any, int, int, int] | None:
        """A term's ids (int64), its posting count and flags, and where its weights begin."""
        entry = self._directory.get(fieldname, {}).get(tbytes)
        if entry is None:
            return None
        at, count, flags = entry
        if flags & _BITMAP:
            nbytes = -(-self._doc_count // 8)
            bits = np.frombuffer(self._buf, dtype=np.uint8, count=nbytes, offset=at)
            ids = np.flatnonzero(np.unpackbits(bits, bitorder="little"))
            if len(ids) != count:
                return None  # damaged: the caller reads Whoosh's postings
            return ids, count, flags, at + nbytes
        ids = np.frombuffer(self._buf, dtype="<u4", count=count, offset=at).astype(np.int64)
        return ids, count, flags, at + 4 * count

    def get(self, fieldname: str, tbytes: bytes) -> tuple[Any, Any] | None:
        """(ids as int64, weights as float32) of a term, or None when the file does not hold it."""
        found = self._ids(fieldname, tbytes)
        if found is None:
            return None
        ids, count, flags, at = found
        wtype = np.uint8 if flags & _WEIGHTS_U8 else np.dtype("<f4")
        weights = np.frombuffer(self._buf, dtype=wtype, count=count, offset=at)
        return ids, weights.astype(np.float32)

    def positions(self, fieldname: str, tbytes: bytes, cand: Any) -> tuple[Any, Any, Any] | None:
        """For the term's postings in the candidate documents (``cand``: a boolean array over
        the segment): (their document numbers, their positions' counts, the positions, flat);
        None when the file does not hold the term's positions."""
        found = self._ids(fieldname, tbytes)
        if found is None or not found[2] & _POSITIONS:
            return None
        ids, count, flags, at = found
        at += count * (1 if flags & _WEIGHTS_U8 else 4)  # past the weights
        ctype = "<u4" if flags & _COUNTS_U4 else "<u2" if flags & _COUNTS_U2 else "<u1"
        lens = np.frombuffer(self._buf, dtype=ctype, count=count, offset=at).astype(np.int64)
        at += count * np.dtype(ctype).itemsize
        ptype = "<u4" if flags & _POS_U4 else "<u2"
        flat = np.frombuffer(self._buf, dtype=ptype, count=int(lens.sum()), offset=at)
        pick = np.flatnonzero(cand[ids])
        counts = lens[pick]
        starts = (np.cumsum(lens) - lens)[pick]
        # the positions of the picked postings: each start repeated over its count, plus 0..n-1
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        return ids[pick], counts, flat[np.repeat(starts, counts) + offsets].astype(np.int64)
