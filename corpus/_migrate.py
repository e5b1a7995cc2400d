"""Copy a whole store to another (SQLite -> PostgreSQL and back): ``migrate_store(from, to)``.

Every table the source has is copied (documents, versions, URLs, pages, facts, runs, errors,
frontier, meta, and any table a later migration added), parents before children, in batches, each
batch one transaction with ``ON CONFLICT DO NOTHING``: a killed copy run again goes on where it
stopped (tables already complete are skipped) and never duplicates a row. At the end the row
counts of every table must match, else a ``StoreError`` says which differ. The target's id
counters are moved past the copied ids, so new rows get fresh ids.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from core.errors import StoreError
from corpus._open import describe, open_store
from corpus._store import SqlStore

__all__ = ["MigrateSummary", "migrate_store"]

# the usual order; foreign keys (read from the schema) put any parent before its children
_ORDER = (
    "meta", "documents", "document_urls", "document_versions", "facts", "pages", "crawl_runs",
    "crawl_errors", "frontier", "host_slots", "host_leases",
)  # fmt: skip
_SKIP = {"_migrations", "_migrate_source", "sqlite_sequence"}
BATCH = 1000

Progress = Callable[[str, int, int], None]  # (table, rows copied so far, rows in the table)


@dataclass(frozen=True)
class MigrateSummary:
    """What a copy did: rows per table (all of them, copied now or before) and the time taken."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    copied: int = 0  # rows written by this run
    seconds: float = 0.0


def _count(store: SqlStore, table: str) -> int:
    return int(store._conn.query(f'SELECT COUNT(*) AS n FROM "{table}"')[0]["n"])


def _columns(store: SqlStore, table: str) -> list[str]:
    rows = store._conn.query(
        "SELECT name FROM pragma_table_info(?)"
        if store._conn.dialect.name == "sqlite"
        else "SELECT column_name AS name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
        (table,),
    )
    return [str(r["name"]) for r in rows]


def _copy_table(
    source: SqlStore, target: SqlStore, table: str, total: int, progress: Progress | None
) -> int:
    wanted = _columns(target, table)
    columns = [c for c in _columns(source, table) if c in wanted]
    names = ", ".join(f'"{c}"' for c in columns)
    insert = (
        f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))}) '
        "ON CONFLICT DO NOTHING"
    )
    done = written = 0
    batch: list[tuple[object, ...]] = []
    for row in source._conn.iterate(f'SELECT {names} FROM "{table}"', (), batch=BATCH):
        batch.append(tuple(row[c] for c in columns))
        if len(batch) >= BATCH:
            written += _write(target, insert, batch, table)
            done += len(batch)
            batch = []
            if progress:
                progress(table, done, total)
    if batch:
        written += _write(target, insert, batch, table)
        done += len(batch)
    if progress:
        progress(table, done, total)
    if "id" in columns and target._conn.dialect.name == "postgresql":
        target._conn.write(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)',
            (), f"cannot move the id counter of {table}",
        )  # fmt: skip
    return written


def _write(target: SqlStore, insert: str, rows: list[tuple[object, ...]], table: str) -> int:
    with target._conn.transaction(f"cannot copy rows of {table}"):
        return target._conn.execute_many(insert, rows)


def _claim_target(source: SqlStore, target: SqlStore, tables: list[str], where: str) -> None:
    """Mark the target as a copy of this source; refuse a target that holds other data."""
    import uuid

    source_id = source.get_meta("store_id")
    if not source_id:
        source_id = uuid.uuid4().hex
        source.set_meta("store_id", source_id)
    conn = target._conn
    with conn.transaction("cannot prepare the target store"):
        conn.execute("CREATE TABLE IF NOT EXISTS _migrate_source (source TEXT PRIMARY KEY)")
        marks = {str(r["source"]) for r in conn.execute("SELECT source FROM _migrate_source")}
        empty = all(_count(target, t) == 0 for t in tables)
        if not empty and source_id not in marks:
            raise StoreError(
                f"the target {where} already holds other data: migrate into an empty store"
            )
        if source_id not in marks:
            conn.execute("INSERT INTO _migrate_source(source) VALUES (?)", (source_id,))


def _parents(store: SqlStore, table: str) -> set[str]:
    """The tables ``table``'s foreign keys point to."""
    if store._conn.dialect.name == "sqlite":
        sql = 'SELECT "table" AS parent FROM pragma_foreign_key_list(?)'
    else:
        sql = (
            "SELECT DISTINCT ccu.table_name AS parent FROM information_schema.table_constraints tc "
            "JOIN information_schema.constraint_column_usage ccu "
            "ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema "
            "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() "
            "AND tc.table_name = ?"
        )
    return {str(r["parent"]) for r in store._conn.query(sql, (table,))} - {table}


def _ordered(store: SqlStore, tables: list[str]) -> list[str]:
    """``tables`` with every parent before its children (``_ORDER``, then name order, otherwise)."""
    wanted = [t for t in _ORDER if t in tables] + sorted(
        t for t in tables if t not in _ORDER and t not in _SKIP
    )
    parents = {t: _parents(store, t) & set(wanted) for t in wanted}
    ordered: list[str] = []
    while len(ordered) < len(wanted):
        ready = [t for t in wanted if t not in ordered and parents[t] <= set(ordered)]
        if not ready:  # a cycle: keep the usual order for the rest
            ready = [t for t in wanted if t not in ordered]
        ordered.append(ready[0])
    return ordered


def migrate_store(
    source_url: str, target_url: str, *, progress: Progress | None = None
) -> MigrateSummary:
    """Copy every table of the store at ``source_url`` into the store at ``target_url``
    (created if needed; empty, or a partial copy of the same source)."""
    if source_url == target_url:
        raise StoreError(f"the source and the target are the same store: {describe(source_url)}")
    started = time.perf_counter()
    with open_store(source_url) as source, open_store(target_url) as target:
        assert isinstance(source, SqlStore) and isinstance(target, SqlStore)
        present = set(target.tables())
        tables = _ordered(source, source.tables())
        unknown = [t for t in tables if t not in present]
        if unknown:
            raise StoreError(
                f"the target {describe(target_url)} has no table {', '.join(unknown)}: "
                "upgrade vestnik where the target is opened, then migrate again"
            )
        _claim_target(source, target, tables, describe(target_url))
        rows: dict[str, int] = {}
        copied = 0
        for table in tables:
            total = _count(source, table)
            if _count(target, table) != total:
                copied += _copy_table(source, target, table, total, progress)
            elif progress:
                progress(table, total, total)
            rows[table] = total
        differ = [f"{t} ({rows[t]} -> {_count(target, t)})" for t in tables
                  if _count(target, t) != rows[t]]  # fmt: skip
        if differ:
            raise StoreError(
                f"the copy into {describe(target_url)} is not complete: rows differ in "
                f"{', '.join(differ)}; was the target a store of other data?"
            )
    return MigrateSummary(
        describe(source_url), describe(target_url), rows, copied,
        round(time.perf_counter() - started, 3),
    )  # fmt: skip
