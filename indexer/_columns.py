"""One index segment as numpy arrays: postings, live documents, field lengths, facet columns.

Whoosh's matchers walk postings one document at a time in Python. Here a term's posting list is
read with one file read of its extent and decoded into numpy arrays block by block (each block is a
compressed pickle of delta-coded ids, weights and values; when the values are not asked for, the
pickle is cut before them, since unpickling a block's position values costs several times its ids
and weights), and the per-document columns a search needs (deleted documents, field lengths for
BM25F, site/lang/date codes and region postings for facets) are built once per segment and kept
with the open searcher, so a query costs one pass over its terms' postings plus array arithmetic.
A frequent term's ids and weights come from the segment's side postings file when it has one
(``indexer._postfile``: raw arrays, no decompressing or unpickling).
"""

from __future__ import annotations

import functools
import io
import itertools
import operator
import pickle
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.util.numeric import byte_to_length

from indexer._postfile import PostFile, decode_positions, side_path

__all__ = ["Postings", "Segment"]

_MEMO_BYTES = 32_000_000  # postings kept per segment between queries
_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_WEIGHTS = np.zeros(0, dtype=np.float32)


@functools.cache
def _length_table() -> Any:
    return np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


@dataclass(frozen=True)
class Postings:
    """One term's postings in a segment: sorted document numbers, weights, raw values."""

    ids: Any  # np.ndarray[int64]
    weights: Any  # np.ndarray[float32]
    values: tuple[bytes, ...] | None = None  # encoded positions, when asked for


# Python 3 pickles a ``bytes`` value under protocol 2 as a call of ``_codecs.encode``: the first one
# of a block's values tuple begins with this global (the tuple's MARK just before it).
_VALUES_GLOBAL = b"c_codecs\nencode\n"
# Unpickled with ``bytes(text, "latin1")`` in its place, the same values come a third cheaper or so
# than through ``_codecs.encode`` (a codec registry lookup and a result tuple per value).
_BYTES_GLOBAL = b"cbuiltins\nbytes\n"
_MARK = 0x28  # "("
_TUPLE2_STOP = b"\x86."
_HEADER = 4  # the posting list's magic bytes


def _ids_and_weights(raw: bytes, count: int) -> tuple[Any, Any] | None:
    """A block pickle's ids and weights without unpickling its values (which cost most of it:
    one str decode and one encode call per posting): the pickle cut before the values tuple and
    closed as a pair. None when the block has no such tuple or the cut does not parse."""
    if count <= 3:  # a short tuple has no MARK: unpickled whole, it is cheap anyway
        return None
    at = raw.find(_VALUES_GLOBAL)
    if at <= 0 or raw[at - 1] != _MARK:
        return None
    try:
        ids, weights = pickle.loads(raw[: at - 1] + _TUPLE2_STOP)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, IndexError):
        return None
    if not isinstance(ids, tuple) or len(ids) != count:
        return None
    return ids, weights


def _read_blocks(m: Any, values: bool) -> Postings:
    """Every block of a ``W3LeafMatcher``, from one read of the term's extent, decoded with numpy.

    A block is a 4-byte length (negative for the last), a pickled info tuple (count, last id, max
    weight, compression, min and max length bytes) and the (compressed) pickle of its delta-coded
    ids, weights and values."""
    length = m._length[0] if isinstance(m._length, tuple) else m._length  # Whoosh reads a 1-tuple
    buf = m._postfile.get(m._startoffset, length)
    stream = io.BytesIO(buf)
    ids: list[tuple[int, ...]] = []
    weights: list[Any] = []
    counts: list[int] = []
    vals: list[bytes] = []
    pos = _HEADER
    while True:
        size = int.from_bytes(buf[pos : pos + 4], "big", signed=True)
        stream.seek(pos + 4)
        count, _, _, compression, _, _ = pickle.load(stream)
        pos += 4 + abs(size)
        raw = buf[stream.tell() : pos]
        if compression:
            raw = zlib.decompress(raw)
        pair = None if values else _ids_and_weights(raw, count)
        if pair is None:
            block_ids, block_weights, block_values = pickle.loads(
                raw.replace(_VALUES_GLOBAL, _BYTES_GLOBAL, 1)
            )
            if values:
                vals.extend(block_values)
        else:
            block_ids, block_weights = pair
        ids.append(block_ids)
        counts.append(count)
        if block_weights is None:
            weights.append(itertools.repeat(1.0, count))
        elif isinstance(block_weights, float):
            weights.append(itertools.repeat(block_weights, count))
        else:
            weights.append(block_weights)
        if size < 0:
            break
    return Postings(
        _undelta(ids, counts),
        np.fromiter(itertools.chain.from_iterable(weights), dtype=np.float32, count=sum(counts)),
        tuple(vals) if values else None,
    )


def _undelta(blocks: list[tuple[int, ...]], counts: list[int]) -> Any:
    """Document numbers from per-block delta-coded ids (each block's first id is absolute)."""
    lens = np.array(counts, dtype=np.int64)
    flat = np.fromiter(itertools.chain.from_iterable(blocks), dtype=np.int64, count=int(lens.sum()))
    ids = np.cumsum(flat)
    if len(lens) > 1:
        ends = np.cumsum(lens)
        before = np.concatenate(([0], ids[ends[:-1] - 1]))
        ids -= np.repeat(before, lens)
    return ids


def _read_matcher(m: Any, values: bool) -> Postings:
    """Any other matcher (inline postings of rare terms), one posting at a time."""
    ids, weights, vals = [], [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        if values:
            vals.append(m.value())
        m.next()
    return Postings(
        np.array(ids, dtype=np.int64),
        np.array(weights, dtype=np.float32),
        tuple(vals) if values else None,
    )


@dataclass
class Segment:
    """A leaf reader of the searcher, with lazily built arrays; ``base`` is its first docnum."""

    reader: Any
    base: int
    size: int = 0
    _cache: dict[Any, Any] = field(default_factory=dict)
    _memo_bytes: int = 0

    def __post_init__(self) -> None:
        self.size = int(self.reader.doc_count_all())

    def _side(self) -> PostFile | None:
        """The segment's side postings file (``indexer._postfile``), or None without one."""
        if "side" not in self._cache:
            segment = getattr(self.reader, "_segment", None)
            path = side_path(getattr(self.reader, "_storage", None), segment) if segment else None
            self._cache["side"] = PostFile.open(path, self.size) if path else None
        return self._cache["side"]  # type: ignore[no-any-return]

    def postings(self, fieldname: str, text: str, values: bool = False) -> Postings:
        """The postings of one term (empty when the segment does not have it)."""
        key = ("p", fieldname, text, values)
        cached = self._cache.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        reader = self.reader
        side = None if values else self._side()
        pair = side.get(fieldname, text.encode("utf-8")) if side is not None else None
        if pair is not None:
            found = Postings(*pair)
        elif (fieldname, text) not in reader:
            found = Postings(_NO_IDS, _NO_WEIGHTS, () if values else None)
        else:
            fmt = reader.schema[fieldname].format
            tbytes = reader._text_to_bytes(fieldname, text)
            m = reader._terms.matcher(fieldname, tbytes, fmt)
            if isinstance(m, W3LeafMatcher):
                found = _read_blocks(m, values)
            else:
                found = _read_matcher(m, values)
        self._memo_bytes += found.ids.nbytes + found.weights.nbytes
        if self._memo_bytes > _MEMO_BYTES:  # a bounded memo of recent terms (UI keystrokes)
            self._cache = {k: v for k, v in self._cache.items() if k[0] != "p"}
            self._memo_bytes = 0
        self._cache[key] = found
        return found

    def positions(self, fieldname: str, text: str, cand: Any) -> tuple[Any, Any, Any]:
        """A term's postings in the candidate documents (``cand``: a boolean array over the
        segment): their document numbers, how many positions each has, the positions (flat)."""
        side = self._side()
        found = side.positions(fieldname, text.encode("utf-8"), cand) if side else None
        if found is not None:
            return found
        p = self.postings(fieldname, text, values=True)
        pick = np.flatnonzero(cand[p.ids])
        if not len(pick):
            return _NO_IDS, _NO_IDS, _NO_IDS
        assert p.values is not None
        picked = operator.itemgetter(*pick)(p.values) if len(pick) > 1 else (p.values[pick[0]],)
        positions, lens = decode_positions(picked)
        return p.ids[pick], lens, positions

    def live(self) -> Any:
        """A boolean array: True for documents not deleted."""
        if "live" not in self._cache:
            mask = np.ones(self.size, dtype=bool)
            if self.reader.has_deletions():
                deleted = np.fromiter(self.reader.deleted_docs_set, dtype=np.int64)
                mask[deleted] = False
            self._cache["live"] = mask
        return self._cache["live"]

    def lengths(self, fieldname: str) -> Any:
        """Each document's length of ``fieldname`` (as Whoosh stores it, one byte), float32."""
        key = ("len", fieldname)
        if key not in self._cache:
            perdoc = self.reader._perdoc
            column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            codes = np.zeros(self.size, dtype=np.uint8)
            if column is not None:
                raw = column._dbfile.get(column._basepos, column._count)
                codes[: len(raw)] = np.frombuffer(raw, dtype=np.uint8)
            self._cache[key] = _length_table()[codes]
        return self._cache[key]

    def terms(self, fieldname: str) -> list[str]:
        """The field's terms in this segment, sorted."""
        key = ("terms", fieldname)
        if key not in self._cache:
            if fieldname in self.reader.schema:
                self._cache[key] = list(self.reader.field_terms(fieldname))
            else:
                self._cache[key] = []
        return self._cache[key]  # type: ignore[no-any-return]

    def _column_bytes(self, fieldname: str) -> list[bytes] | None:
        """Each document's raw value of a sortable keyword field (Whoosh's variable-bytes column:
        the values back to back, then their lengths), or None when the field has no column."""
        if not self.reader.has_column(fieldname):
            return None
        column = self.reader.column_reader(fieldname, translate=False)
        lengths = getattr(column, "_lengths", None)
        offsets = getattr(column, "_offsets", None)
        if lengths is None or offsets is None:
            return None
        raw = column._dbfile.get(column._basepos, int(sum(lengths)))
        return [raw[o : o + n] for o, n in zip(offsets, lengths, strict=True)]

    def codes(self, fieldname: str, labels: list[str], cut: int = 0) -> Any:
        """Per document, the index in ``labels`` of its (single) value of ``fieldname`` (its
        first ``cut`` characters when ``cut``), or -1 when it has none."""
        key = ("codes", fieldname, cut, len(labels))
        if key not in self._cache:
            where = {label: i for i, label in enumerate(labels)}
            values = self._column_bytes(fieldname)
            if values is not None:  # a sortable field: one read of its column
                coded = {label.encode("utf-8"): i for label, i in where.items()}
                get = coded.get
                if cut:
                    out = np.array([get(v[:cut], -1) for v in values], dtype=np.int32)
                else:
                    out = np.array([get(v, -1) for v in values], dtype=np.int32)
            else:  # one postings read per value
                out = np.full(self.size, -1, dtype=np.int32)
                for term in self.terms(fieldname):
                    ids = self.postings(fieldname, term).ids
                    out[ids] = where[term[:cut] if cut else term]
            self._cache[key] = out
        return self._cache[key]
