"""One index segment as numpy arrays: postings, live documents, field lengths, facet columns.

Whoosh's matchers walk postings one document at a time in Python. Here a posting list is read a
block at a time (each block is a compressed pickle of delta-coded ids, weights and values) into
numpy arrays, and the per-document columns a search needs (deleted documents, field lengths for
BM25F, site/lang/date codes and region postings for facets) are built once per segment and kept
with the open searcher, so a query costs one pass over its terms' postings plus array arithmetic.
"""

from __future__ import annotations

import functools
import pickle
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.util.numeric import byte_to_length

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


def _read_blocks(m: Any, values: bool) -> Postings:
    """Every block of a ``W3LeafMatcher``, decoded with numpy."""
    ids: list[Any] = []
    weights: list[Any] = []
    vals: list[bytes] = []
    postfile = m._postfile
    while True:
        count = m._blocklength
        raw = postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
        if m._compression:
            raw = zlib.decompress(raw)
        block_ids, block_weights, block_values = pickle.loads(raw)
        ids.append(np.cumsum(np.array(block_ids, dtype=np.int64)))
        if block_weights is None:
            weights.append(np.ones(count, dtype=np.float32))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights, dtype=np.float32))
        else:
            weights.append(np.array(block_weights, dtype=np.float32))
        if values:
            vals.extend(block_values)
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    return Postings(np.concatenate(ids), np.concatenate(weights), tuple(vals) if values else None)


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

    def postings(self, fieldname: str, text: str, values: bool = False) -> Postings:
        """The postings of one term (empty when the segment does not have it)."""
        key = ("p", fieldname, text, values)
        cached = self._cache.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        reader = self.reader
        if (fieldname, text) not in reader:
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
