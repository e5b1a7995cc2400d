"""The clustering step: bring the store's story clusters up to date with new and changed documents.

``update_clusters(store)`` takes the documents changed since its own high-water mark (store meta
``clusters_seq``) in publication order, a batch at a time, so the candidate index holds only the
publication window around the batch (documents older than the window are forgotten): a run's
memory is that of a window of news, not of the corpus. For each batch: gone and changed documents
leave their clusters; new and changed ones get a signature; candidate copies come from LSH banding
(``CandidateIndex``) over the stored signatures published within the time window of the batch; the
affected clusters (the candidates' clusters and those the batch's documents left) are recomputed as
connected components. A neighbour of the same site as the document that found it is compared again
with its whole cluster, so the boilerplate guard (``Boilerplate``) sees a template series together.
A run's place (``clusters_cursor``: the change counter it runs up to and the last publication day
and id done) is written after each batch, so a killed run goes on from the batch it was in; the mark
moves when the run is through.
"""

from __future__ import annotations

import logging
import time
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from indexer.clusters._candidates import CandidateIndex, day_ordinal
from indexer.clusters._params import DEFAULT_PARAMS, ClusterParams
from indexer.clusters._relation import Item, components
from indexer.clusters._shingles import shingles
from indexer.clusters._signature import from_bytes, signature, to_bytes

if TYPE_CHECKING:
    from core.records import Document
    from corpus import SignatureRow, Store

__all__ = [
    "CURSOR_KEY",
    "MARK_KEY",
    "PARAMS_KEY",
    "VERSION_KEY",
    "CandidateIndex",
    "ClusterSummary",
    "cluster_batch",
    "cluster_store_up_to_date",
    "update_clusters",
]

log = logging.getLogger(__name__)

MARK_KEY = "clusters_seq"
CURSOR_KEY = "clusters_cursor"  # "HIGH DAY ID": a run up to change HIGH is done up to (DAY, ID)
VERSION_KEY = "clusters_version"  # changes whenever a run changed clusters (readers' caches)
PARAMS_KEY = "clusters_params"  # the parameters the stored clusters were made with
BATCH = 500
_BEFORE_ALL = (-2, 0)  # a (day, id) before every document's (undated ones have day -1)


@dataclass(frozen=True)
class ClusterSummary:
    """What one clustering run did."""

    documents: int = 0  # documents (re)clustered
    removed: int = 0  # gone documents taken out of their clusters
    reassigned: int = 0  # documents whose cluster id changed
    seconds: float = 0.0


def _item(row: SignatureRow) -> Item:
    return Item(row.doc_id, row.published, row.shingles, from_bytes(row.signature), row.site)


def _new_item(doc: Document, params: ClusterParams) -> Item:
    found = shingles(doc.title, doc.body, words=params.shingle_words, stem=params.stem_chars)
    sig = signature(found, params.num_perm, params.seed)
    return Item(doc.id, doc.published, len(found), sig, doc.site)


def cluster_batch(
    store: Store,
    docs: Sequence[Document],
    params: ClusterParams,
    index: CandidateIndex | None = None,
) -> tuple[int, int]:
    """Re-cluster around these documents: (documents clustered, other documents whose cluster id
    changed)."""
    ids = [d.id for d in docs]
    before = store.signatures(ids)
    live = [d for d in docs if d.state == "ok"]
    items = [_new_item(d, params) for d in live]
    by_id = {it.doc_id: it for it in items}
    broken = {row.cluster_id for row in before.values()}  # clusters a member left or changed in
    index = index or CandidateIndex(store, params)
    index.ensure(items)
    index.discard(ids)
    asked = index.neighbours(items)
    rows = store.signatures(asked)
    neighbours = set(rows)
    found_in = store.cluster_ids(neighbours)
    # a neighbour of the same site is compared again with its cluster: the guard sees them together
    broken |= {found_in[n] for n in neighbours if any(it.site == rows[n].site for it in asked[n])}
    intact = set(found_in.values()) - broken
    store.drop_signatures(ids)
    groups = store.cluster_doc_ids(intact | broken)
    members = {m for group in groups.values() for m in group}
    stored = store.signatures((members | neighbours) - set(by_id))
    pool = [*items, *(_item(r) for r in stored.values())]
    joined = [groups[c] for c in intact if c in groups]
    assignment = components(pool, params, joined, {m for g in joined for m in g})
    old = {row.doc_id: row.cluster_id for row in stored.values()}
    from corpus import SignatureRow

    store.save_signatures(
        [
            SignatureRow(
                doc_id=it.doc_id,
                version=d.version,
                cluster_id=assignment[it.doc_id],
                published=d.published,
                shingles=it.shingles,
                signature=to_bytes(it.sig),
            )  # fmt: skip
            for d, it in zip(live, items, strict=True)
        ]
    )
    index.add(items)
    moved = {k: v for k, v in assignment.items() if k in old and old[k] != v}
    if moved:
        store.set_cluster_ids(moved)
    return len(items), len(moved)


def _batches(
    store: Store, since: int, until: int, after: tuple[int, int]
) -> Iterator[tuple[list[Document], int, tuple[int, int]]]:
    """The documents changed in (since, until], in (publication day, id) order after ``after``
    (undated ones, day -1, first), a batch at a time with its first known day (0: none) and the
    (day, id) of its last document."""
    ids, days = array("q"), array("q")
    for doc_id, published in store.document_dates(since, until):
        ids.append(doc_id)
        days.append(day_ordinal(published))
    id_arr, day_arr = np.frombuffer(ids, dtype=np.int64), np.frombuffer(days, dtype=np.int64)
    later = (day_arr > after[0]) | ((day_arr == after[0]) & (id_arr > after[1]))
    id_arr, day_arr = id_arr[later], day_arr[later]
    order = np.lexsort((id_arr, day_arr))
    id_arr, day_arr = id_arr[order], day_arr[order]
    for start in range(0, len(id_arr), BATCH):
        chunk, chunk_days = id_arr[start : start + BATCH].tolist(), day_arr[start : start + BATCH]
        known = chunk_days[chunk_days > 0]
        first = int(known[0]) if known.size else 0
        yield store.documents_by_id(chunk), first, (int(chunk_days[-1]), chunk[-1])


def _cursor(store: Store) -> tuple[int, tuple[int, int]] | None:
    """The unfinished run's (high, (day, id)), or None."""
    parts = store.get_meta(CURSOR_KEY, "").split()
    if len(parts) != 3:
        return None
    high, day, doc_id = (int(p) for p in parts)
    return high, (day, doc_id)


def update_clusters(
    store: Store, params: ClusterParams = DEFAULT_PARAMS, *, rebuild: bool = False
) -> ClusterSummary:
    """Cluster the documents changed since the last run (``rebuild``: every document afresh).

    Usage::

        update_clusters(open_store(url))
        # -> ClusterSummary(documents=66, removed=0, reassigned=12, seconds=0.4)
    """
    started = time.perf_counter()
    if rebuild:
        store.clear_clusters()
        store.set_meta(MARK_KEY, "0")
        store.set_meta(CURSOR_KEY, "")
    done = removed = changed = 0
    index = CandidateIndex(store, params)
    while True:
        since = int(store.get_meta(MARK_KEY, "0") or 0)
        high, after = _cursor(store) or (store.max_seq(), _BEFORE_ALL)
        if high <= since:
            break
        for batch, first, last in _batches(store, since, high, after):
            if first:  # the batch's window starts window_days before its first known day
                index.forget_before(first - params.window_days)
            n, c = cluster_batch(store, batch, params, index)
            done, changed = done + n, changed + c
            removed += sum(1 for d in batch if d.state != "ok")
            store.set_meta(CURSOR_KEY, f"{high} {last[0]} {last[1]}")
        store.set_meta(MARK_KEY, str(high))
        store.set_meta(CURSOR_KEY, "")
    if done or removed or rebuild:
        store.set_meta(VERSION_KEY, f"{time.time_ns():x}")
    seconds = round(time.perf_counter() - started, 3)
    log.debug("clusters: %d documents, %d removed, %d reassigned", done, removed, changed)
    return ClusterSummary(documents=done, removed=removed, reassigned=changed, seconds=seconds)


def cluster_store_up_to_date(
    store: object, params: ClusterParams = DEFAULT_PARAMS
) -> ClusterSummary:
    """The derive stage's clustering step (``ClusterStep.finish``, with the ``[clusters]``
    settings): ``update_clusters``, from scratch when the stored clusters were made with other
    parameters (``store`` is any store with ``Clusters``)."""
    from typing import cast

    full = cast("Store", store)
    stamp = repr(params)
    rebuild = full.get_meta(PARAMS_KEY, "") != stamp
    summary = update_clusters(full, params, rebuild=rebuild)
    if rebuild:
        full.set_meta(PARAMS_KEY, stamp)
    return summary
