"""Candidate copies for one clustering run: LSH banding of signatures in sorted numpy arrays.

The bands are those of datasketch's ``MinHashLSH`` for the same threshold and weights (``b`` bands
of ``r`` slots: 56 x 2 for the defaults); a band's key is its ``r`` slot values folded into 44 bits
with the band's number, followed by 20 bits of the publication day (0: undated), and two documents
are candidates when a band agrees and their days are at most ``window_days`` apart (or one is
undated): one range of the sorted keys per band, so a popular band (a phrase every site uses) costs
only its documents of the window. Keys live in a few sorted runs (a log-structured merge: each batch is a new run, runs of similar size merge), and
the signatures, shingle counts and publication days in one growing table, so a document costs
about 1.2 KB (512 bytes of signature, ``b`` x 12 bytes of keys), a tenth of ``MinHashLSH``'s
Python hash tables. Candidates are judged in bulk by the relation's rules (window, Jaccard,
containment; ``judge`` without the boilerplate guard, which ``components`` applies after), so only
the neighbours of a batch are read back from the store.

>>> import numpy as np
>>> keys = band_keys(np.array([[1, 2, 3, 4], [1, 2, 9, 9]], dtype=np.uint32), bands=2, rows=2)
>>> bool(keys[0, 0] == keys[1, 0]), bool(keys[0, 1] == keys[1, 1])
(True, False)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from indexer.clusters._params import ClusterParams
from indexer.clusters._signature import from_bytes

if TYPE_CHECKING:
    from corpus import Store
    from indexer.clusters._relation import Item

__all__ = ["CandidateIndex", "band_keys", "day_ordinal"]

_MIX = np.uint64(0x9E3779B97F4A7C15)
_DAY_BITS = 20  # day ordinals (year 1 = 1) fit in 20 bits until the year 2870
_DAY_MASK = np.uint64((1 << _DAY_BITS) - 1)
_PAIRS = 200_000  # candidate pairs judged at a time
Array = np.ndarray[Any, Any]


def band_keys(sigs: Array, bands: int, rows: int) -> Array:
    """The ``bands`` band keys (uint64) of each signature (row) of ``sigs``."""
    sigs = np.asarray(sigs, dtype=np.uint64)
    out = np.empty((sigs.shape[0], bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            key = np.full(sigs.shape[0], np.uint64(band + 1) * _MIX, dtype=np.uint64)
            for value in sigs[:, band * rows : (band + 1) * rows].T:
                key = (key ^ value) * _MIX
                key ^= key >> np.uint64(29)
            out[:, band] = key
    return out


def _window(items: Sequence[Item], days: int) -> tuple[str, str]:
    """ISO bounds of the publication days of ``items`` widened by ``days`` (all: any undated)."""
    dated = [it.day for it in items]
    known = [d for d in dated if d is not None]
    if not dated or len(known) < len(dated):
        return "0000", "9999"
    lo, hi = min(known) - timedelta(days=days), max(known) + timedelta(days=days)
    return lo.isoformat(), hi.isoformat() + "T99"


def day_ordinal(published: str) -> int:
    """The publication day of an ISO date or date-time as an ordinal, -1 when unknown.

    >>> day_ordinal("2024-03-12T10:15") - day_ordinal("2024-03-11"), day_ordinal("")
    (1, -1)
    """
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return -1


def _day(it: Item) -> int:
    return day_ordinal(it.published)


def _with_days(keys: Array, days: Array) -> Array:
    """Band keys (one row of bands per document) with each document's day in the low bits."""
    code = np.where(days > 0, days, 0).astype(np.uint64)[:, None]
    return (keys & ~_DAY_MASK) | code


class _Table:
    """Signatures, shingle counts, days and ids of the indexed documents (grows by doubling)."""

    def __init__(self, num_perm: int) -> None:
        self.n = 0
        self.sigs = np.empty((1024, num_perm), dtype=np.uint32)
        self.shingles = np.empty(1024, dtype=np.int64)
        self.days = np.empty(1024, dtype=np.int64)
        self.ids = np.empty(1024, dtype=np.int64)
        self.alive = np.zeros(1024, dtype=bool)

    def append(self, ids: Array, sigs: Array, shingles: Array, days: Array) -> Array:
        need = self.n + len(ids)
        if need > len(self.ids):
            cap = max(need, 2 * len(self.ids))
            for name in ("sigs", "shingles", "days", "ids", "alive"):
                old = getattr(self, name)
                new = np.zeros((cap, *old.shape[1:]), dtype=old.dtype)
                new[: self.n] = old[: self.n]
                setattr(self, name, new)
        at = np.arange(self.n, need)
        self.sigs[at], self.shingles[at], self.days[at], self.ids[at] = sigs, shingles, days, ids
        self.alive[at] = True
        self.n = need
        return at

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, k)[: self.n].nbytes for k in ("sigs", "shingles", "days", "ids"))

    def take(self, rows: Array) -> _Table:
        """A new table of these rows only (in this order), all alive."""
        out = _Table(self.sigs.shape[1])
        out.append(self.ids[rows], self.sigs[rows], self.shingles[rows], self.days[rows])
        return out


class CandidateIndex:
    """The stored signatures a clustering run needs, banded: loaded for the publication window of
    each batch (what an earlier batch loaded is kept), updated as batches are clustered, so a run
    reads each stored signature once."""

    def __init__(self, store: Store, params: ClusterParams) -> None:
        from datasketch import MinHashLSH

        lsh = MinHashLSH(
            threshold=params.lsh_threshold, num_perm=params.num_perm, weights=(0.2, 0.8)
        )
        self.store, self.params, self.bands, self.rows = store, params, lsh.b, lsh.r
        self.span: tuple[str, str] | None = None  # the publication range loaded so far
        self._table = _Table(params.num_perm)
        self._row: dict[int, int] = {}  # doc id -> its live row
        self._runs: list[tuple[Array, Array]] = []  # sorted band keys, their rows

    @property
    def keys(self) -> set[int]:
        """The ids of the documents indexed."""
        return set(self._row)

    @property
    def nbytes(self) -> int:
        """The memory of the arrays (table and keys)."""
        return self._table.nbytes + sum(k.nbytes + r.nbytes for k, r in self._runs)

    def _insert(
        self, ids: Sequence[int], sigs: Array, shingles: Sequence[int], days: Sequence[int]
    ) -> None:
        if not ids:
            return
        rows = self._table.append(np.asarray(ids), sigs, np.asarray(shingles), np.asarray(days))
        self._row.update(zip(ids, rows.tolist(), strict=True))
        keys = _with_days(band_keys(sigs, self.bands, self.rows), np.asarray(days)).ravel()
        owners = np.repeat(rows, self.bands)
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order], owners[order]))
        while len(self._runs) > 1 and len(self._runs[-1][0]) * 2 >= len(self._runs[-2][0]):
            (k2, r2), (k1, r1) = self._runs.pop(), self._runs.pop()
            keys, owners = np.concatenate([k1, k2]), np.concatenate([r1, r2])
            keep = self._table.alive[owners]  # entries of discarded rows go at a merge
            keys, owners = keys[keep], owners[keep]
            order = np.argsort(keys, kind="stable")
            self._runs.append((keys[order], owners[order]))

    def _load(self, lo: str, hi: str) -> None:

        ids, sigs, counts, days = [], [], [], []
        for row in self.store.signatures_between(lo, hi):
            if row.doc_id not in self._row:
                ids.append(row.doc_id)
                sigs.append(from_bytes(row.signature))
                counts.append(row.shingles)
                days.append(day_ordinal(row.published))
        if ids:
            self._insert(ids, np.stack(sigs), counts, days)

    def ensure(self, items: Sequence[Item]) -> None:
        """Load the stored signatures published within the window of ``items``."""
        lo, hi = _window(items, self.params.window_days)
        if self.span is None:
            self._load(lo, hi)
            self.span = (lo, hi)
            return
        a, b = self.span
        if lo < a:
            self._load(lo, a)
        if hi > b:
            self._load(b, hi)
        self.span = (min(lo, a), max(hi, b))

    def discard(self, doc_ids: Sequence[int]) -> None:
        """Forget these documents (gone, or about to get a new signature)."""
        for doc_id in doc_ids:
            row = self._row.pop(doc_id, None)
            if row is not None:
                self._table.alive[row] = False

    def forget_before(self, day: int) -> None:
        """Forget the dated documents published before ``day`` (an ordinal): a run that goes
        forward in publication order never needs them again, so its memory stays that of the
        window, not of the corpus. Undated documents stay (they are candidates of every date); a
        later ``ensure`` of earlier days reads them back from the store. The arrays are compacted
        once most of their rows are forgotten."""
        t = self._table
        days, alive = t.days[: t.n], t.alive[: t.n]
        old = alive & (days > 0) & (days < day)
        if self.span is not None and day > 1:
            self.span = (max(self.span[0], date.fromordinal(day).isoformat()), self.span[1])
        if not old.any():
            return
        for doc_id in t.ids[: t.n][old].tolist():
            del self._row[doc_id]
        alive[old] = False
        if 2 * len(self._row) < t.n:
            self._compact()

    def _compact(self) -> None:
        """Drop the dead rows from the table and the key runs (the runs stay sorted)."""
        t = self._table
        keep = np.flatnonzero(t.alive[: t.n])
        where = np.full(max(t.n, 1), -1, dtype=np.int64)
        where[keep] = np.arange(len(keep))
        runs = []
        for keys, owners in self._runs:
            live = t.alive[owners]
            if live.any():
                runs.append((keys[live], where[owners[live]]))
        self._table, self._runs = t.take(keep), runs
        self._row = dict(
            zip(self._table.ids[: self._table.n].tolist(), range(len(keep)), strict=True)
        )

    def add(self, items: Sequence[Item]) -> None:
        """Index freshly clustered documents."""
        new = [it for it in items if it.doc_id not in self._row]
        if new:
            self._insert([it.doc_id for it in new], np.stack([it.sig for it in new]),
                         [it.shingles for it in new], [_day(it) for it in new])  # fmt: skip

    def _candidates(self, items: Sequence[Item]) -> tuple[Array, Array]:
        """(asking item index, row) of every candidate pair, each once, live rows only."""
        base = band_keys(np.stack([it.sig for it in items]), self.bands, self.rows) & ~_DAY_MASK
        days = np.asarray([_day(it) for it in items], dtype=np.int64)[:, None]
        w, top = self.params.window_days, int(_DAY_MASK)
        # per band two ranges of keys: the window's days, and the undated (day 0)
        lo_day = np.where(days > 0, np.maximum(days - w, 1), 0)
        hi_day = np.where(days > 0, np.minimum(days + w, top), top)
        first = (base | lo_day.astype(np.uint64)).ravel(), (base | hi_day.astype(np.uint64)).ravel()
        undated = base.ravel(), np.where(days > 0, base, base - np.uint64(1)).ravel()  # or none
        low, high = np.concatenate([first[0], undated[0]]), np.concatenate([first[1], undated[1]])
        asking = np.tile(np.repeat(np.arange(len(items)), self.bands), 2)
        found = []
        for run_keys, run_rows in self._runs:
            lo = np.searchsorted(run_keys, low, "left")
            counts = np.maximum(np.searchsorted(run_keys, high, "right") - lo, 0)
            total = int(counts.sum())
            if total:
                at = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(total)
                found.append(np.repeat(asking, counts) * (1 << 32) + run_rows[at])
        if not found:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        pairs = np.unique(np.concatenate(found))
        ask, rows = pairs >> 32, pairs & 0xFFFFFFFF
        keep = self._table.alive[rows]
        return ask[keep], rows[keep]

    def neighbours(self, items: Sequence[Item]) -> dict[int, list[Item]]:
        """Indexed document id -> the items that are copies of it by the relation's rules (the
        boilerplate guard aside); the items themselves left out."""
        out: dict[int, list[Item]] = {}
        if not items or not self._runs:
            return out
        ask, rows = self._candidates(items)
        p, t = self.params, self._table
        sigs = np.stack([it.sig for it in items])
        counts = np.asarray([it.shingles for it in items], dtype=np.int64)
        days = np.asarray([_day(it) for it in items], dtype=np.int64)
        own = {it.doc_id for it in items}
        for s in range(0, len(ask), _PAIRS):
            a, r = ask[s : s + _PAIRS], rows[s : s + _PAIRS]
            da, db = days[a], t.days[r]
            near = (da < 0) | (db < 0) | (np.abs(da - db) <= p.window_days)
            a, r = a[near], r[near]
            j = np.count_nonzero(sigs[a] == t.sigs[r], axis=1) / sigs.shape[1]
            na, nb = counts[a], t.shingles[r]
            small = np.minimum(na, nb)
            with np.errstate(divide="ignore", invalid="ignore"):
                c = np.where(small > 0, np.minimum(1.0, j / (1.0 + j) * (na + nb) / small), 0.0)
            same = (j >= p.jaccard) | ((small >= p.min_shingles) & (c >= p.containment))
            for k, doc_id in zip(a[same].tolist(), t.ids[r[same]].tolist(), strict=True):
                if doc_id not in own:
                    out.setdefault(int(doc_id), []).append(items[k])
        return out
