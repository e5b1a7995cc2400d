"""The index stage of the PostgreSQL search backend: ``vestnik_search.docs`` up to date with the store.

The same rules as the Whoosh index (``indexer._index``): a high-water mark of the store change
counter (``state.seq``) and of the derive stage's (``state.dseq``); each run takes the documents
changed since, in change order, ``BATCH`` at a time, and removes the gone ones. Here a batch, its
lexicon counts and the new mark are one transaction, so a killed run loses nothing and re-does
nothing. A full build (first run, ``rebuild=True``, another layout) loads ``docs_new`` with
``COPY`` (in ``procs`` worker processes from ``PARALLEL_MIN_DOCS`` documents on), builds its GIN
indexes and lexicon, then swaps the tables in one transaction: searches see the old index until
then. One writer at a time across hosts (a PostgreSQL advisory lock).
"""

from __future__ import annotations

import functools
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

from core.errors import SearchIndexError
from core.records import Document
from corpus import IndexStore, open_store
from indexer._index import _Counts, _rederived
from indexer._pg_db import (
    LAYOUT,
    SCHEMA,
    PgSearchDb,
    create_indexes,
    create_tables,
    is_postgres_url,
    needs_postgres,
)
from indexer._pg_rows import COLUMNS, META_COLUMNS, doc_row
from indexer._schema import SCHEMA_VERSION
from indexer._stream import BATCH, Progress, batches, seq_ranges

__all__ = ["PARALLEL_MIN_DOCS", "check_store", "layout", "update_pg_index"]

PARALLEL_MIN_DOCS = 4000
TASKS_PER_PROC = 8

# per-lexeme counts of a set of rows: documents with it in a title / a body, occurrences in each
_TERM_COUNTS = """
    SELECT u.lexeme,
           count(*) FILTER (WHERE 'A' = ANY(u.weights)) AS title_docs,
           count(*) FILTER (WHERE 'D' = ANY(u.weights)) AS body_docs,
           coalesce(sum(cardinality(array_positions(u.weights, 'A'))), 0) AS title_freq,
           coalesce(sum(cardinality(array_positions(u.weights, 'D'))), 0) AS body_freq
    FROM {docs} d, unnest(coalesce(d.tsv, d.tsv_big)) AS u(lexeme, positions, weights) {where}
    GROUP BY u.lexeme
"""


def layout() -> str:
    """What the index was built with: the table layout and the Whoosh schema's analysis."""
    return f"{LAYOUT}/{SCHEMA_VERSION}"


def _copy(store: IndexStore, db: PgSearchDb, docs: Sequence[Document], suffix: str = "") -> None:
    """Analyze ``docs`` and ``COPY`` their rows into ``docs{suffix}`` and ``meta{suffix}``."""
    derived = store.derived_fields([d.id for d in docs])
    rows = [doc_row(d, derived.get(d.id)) for d in docs]
    db.copy_rows(f"{SCHEMA}.docs{suffix}", COLUMNS, rows)
    n = len(META_COLUMNS)
    db.copy_rows(f"{SCHEMA}.meta{suffix}", META_COLUMNS, [r[:n] for r in rows])


@functools.cache
def _worker(url: str) -> tuple[IndexStore, PgSearchDb]:
    """The store and the search connection of a worker process (opened once per process)."""
    return open_store(url), PgSearchDb(url)


def _load_range(url: str, lo: int, hi: int) -> int:
    """Worker: copy the ok documents with lo < seq <= hi into the new tables."""
    store, db = _worker(url)
    done = 0
    for batch in batches(store, lo, hi, "ok", BATCH):
        _copy(store, db, batch, "_new")
        done += len(batch)
    return done


def _fill(store: IndexStore, db: PgSearchDb, high: int, procs: int, bar: Progress) -> int:
    if procs > 1 and bar.total >= PARALLEL_MIN_DOCS:
        done = 0
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=procs, mp_context=spawn) as pool:
            futures = [
                pool.submit(_load_range, store.url, lo, hi)
                for lo, hi in seq_ranges(high, procs * TASKS_PER_PROC)
            ]
            for future in as_completed(futures):
                n = future.result()
                done += n
                bar.advance(n)
        return done
    done = 0
    for batch in batches(store, 0, high, "ok", BATCH):
        _copy(store, db, batch, "_new")
        done += len(batch)
        bar.advance(len(batch))
    return done


def _full_build(store: IndexStore, db: PgSearchDb, procs: int, progress: bool | None) -> _Counts:
    """Build ``docs_new``, ``meta_new``, ``terms_new`` beside the live tables, then swap them in."""
    high, dhigh = store.max_seq(), store.max_dseq()  # read first: later changes go to the next run
    db.execute(f"DROP TABLE IF EXISTS {SCHEMA}.docs_new, {SCHEMA}.meta_new, {SCHEMA}.terms_new")
    create_tables(db, "_new")
    bar = Progress(progress, store.count_documents(), "indexing")
    try:
        added = _fill(store, db, high, procs, bar)
    finally:
        bar.close()
    db.execute(
        f"INSERT INTO {SCHEMA}.terms_new "
        + _TERM_COUNTS.format(docs=f"{SCHEMA}.docs_new", where=""),
        what="cannot build the search lexicon",
    )
    create_indexes(db, "_new")
    with db.transaction("cannot swap in the new search index"):
        db.execute(f"DROP TABLE IF EXISTS {SCHEMA}.docs, {SCHEMA}.meta, {SCHEMA}.terms")
        for old, new in (
            ("TABLE docs_new", "docs"), ("TABLE meta_new", "meta"), ("TABLE terms_new", "terms"),
            ("INDEX docs_new_pkey", "docs_pkey"), ("INDEX meta_new_pkey", "meta_pkey"),
            ("INDEX terms_new_pkey", "terms_pkey"), ("INDEX docs_new_tsv", "docs_tsv"),
            ("INDEX meta_new_regions", "meta_regions"),
        ):  # fmt: skip
            kind, name = old.split()
            db.execute(f"ALTER {kind} {SCHEMA}.{name} RENAME TO {new}")
        db.set_state({"seq": str(high), "dseq": str(dhigh), "layout": layout()})
    store.set_meta("index_seq", str(high))
    return _Counts(added=added)


def _terms_add(db: PgSearchDb, ids: list[int]) -> None:
    counts = _TERM_COUNTS.format(docs=f"{SCHEMA}.docs", where="WHERE d.doc_id = ANY(%s)")
    db.execute(
        f"INSERT INTO {SCHEMA}.terms {counts} ON CONFLICT (lexeme) DO UPDATE SET "
        "title_docs = terms.title_docs + excluded.title_docs, "
        "body_docs = terms.body_docs + excluded.body_docs, "
        "title_freq = terms.title_freq + excluded.title_freq, "
        "body_freq = terms.body_freq + excluded.body_freq",
        (ids,),
    )


def _terms_subtract(db: PgSearchDb, ids: list[int]) -> None:
    counts = _TERM_COUNTS.format(docs=f"{SCHEMA}.docs", where="WHERE d.doc_id = ANY(%s)")
    rows = db.execute(
        f"UPDATE {SCHEMA}.terms t SET title_docs = t.title_docs - c.title_docs, "
        "body_docs = t.body_docs - c.body_docs, title_freq = t.title_freq - c.title_freq, "
        f"body_freq = t.body_freq - c.body_freq FROM ({counts}) c WHERE t.lexeme = c.lexeme "
        "RETURNING t.lexeme, t.title_docs, t.body_docs",
        (ids,),
    )
    gone = [str(r[0]) for r in rows if int(r[1]) <= 0 and int(r[2]) <= 0]
    if gone:
        db.execute(f"DELETE FROM {SCHEMA}.terms WHERE lexeme = ANY(%s)", (gone,))


def _apply(store: IndexStore, db: PgSearchDb, docs: Sequence[Document], counts: _Counts) -> None:
    """Update, add or remove each of ``docs`` (inside the caller's transaction)."""
    if not docs:
        return
    rows = db.execute(
        f"SELECT doc_id FROM {SCHEMA}.docs WHERE doc_id = ANY(%s)", ([d.id for d in docs],)
    )
    present = {int(r[0]) for r in rows}
    ok = [d for d in docs if d.state == "ok"]
    counts.removed += sum(d.state != "ok" and d.id in present for d in docs)
    counts.updated += sum(d.id in present for d in ok)
    counts.added += sum(d.id not in present for d in ok)
    if present:
        old = sorted(present)
        _terms_subtract(db, old)
        db.execute(f"DELETE FROM {SCHEMA}.docs WHERE doc_id = ANY(%s)", (old,))
        db.execute(f"DELETE FROM {SCHEMA}.meta WHERE doc_id = ANY(%s)", (old,))
    if ok:
        _copy(store, db, ok)
        _terms_add(db, [d.id for d in ok])


def _incremental(
    store: IndexStore, db: PgSearchDb, state: dict[str, str], progress: bool | None
) -> _Counts:
    since, dsince = int(state["seq"]), int(state.get("dseq", "0"))
    high, dhigh = store.max_seq(), store.max_dseq()
    counts = _Counts()
    bar = Progress(progress, max(high - since, 0), "indexing")
    try:
        for batch in batches(store, since, high, None, BATCH):
            with db.transaction():
                _apply(store, db, batch, counts)
                db.set_state({"seq": str(batch[-1].seq)})
            store.set_meta("index_seq", str(batch[-1].seq))
            bar.advance(len(batch))
        for docs, dseq in _rederived(store, dsince, dhigh):
            # documents changed in (since, high] were just indexed with their current fields
            with db.transaction():
                _apply(store, db, [d for d in docs if d.seq <= since], counts)
                db.set_state({"seq": str(high), "dseq": str(dseq)})
        db.set_state({"seq": str(high), "dseq": str(dhigh)})
        store.set_meta("index_seq", str(high))
    finally:
        bar.close()
    return counts


def check_store(url: str) -> None:
    """``SearchIndexError`` (one line) unless ``url`` is a PostgreSQL store."""
    if not is_postgres_url(url):
        raise SearchIndexError(needs_postgres(url))


def update_pg_index(
    store: IndexStore, *, rebuild: bool = False, procs: int = 1, progress: bool | None = None
) -> _Counts:
    """Bring the PostgreSQL search index of ``store`` up to date (``rebuild``: from scratch);
    ``SearchIndexError`` with one line when the store is not PostgreSQL."""
    check_store(store.url)
    db = PgSearchDb(store.url)
    try:
        with db.writer_lock():
            state = db.state()
            if rebuild or "seq" not in state or state.get("layout") != layout():
                return _full_build(store, db, procs, progress)
            return _incremental(store, db, state, progress)
    finally:
        db.close()
