"""Named schema migrations of the corpus store.

Each migration is a function registered with ``@migration``; applied ones are recorded in the
``_migrations`` table and each runs in its own transaction, so a store made by one release opens in
the next: ``apply_migrations`` runs only what is pending, in order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

__all__ = ["MIGRATIONS", "apply_migrations", "pending_migrations", "schema_version"]

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration, named after the function."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    """Pages, documents with versions, facts, crawl runs, errors, frontier, key/value meta."""
    _run_script(
        db,
        """
        CREATE TABLE pages (
            url TEXT PRIMARY KEY,
            site TEXT NOT NULL,
            canonical_url TEXT NOT NULL DEFAULT '',
            status INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'ok',
            etag TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL DEFAULT '',
            raw_html BLOB,
            encoding TEXT NOT NULL DEFAULT '',
            error TEXT NOT NULL DEFAULT '',
            first_seen TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );
        CREATE INDEX pages_site ON pages(site, state);
        CREATE INDEX pages_canonical ON pages(canonical_url);

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            site TEXT NOT NULL,
            lang TEXT NOT NULL DEFAULT 'ru',
            title TEXT NOT NULL DEFAULT '',
            published TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1,
            state TEXT NOT NULL DEFAULT 'ok',
            regions TEXT NOT NULL DEFAULT '[]',
            aliases TEXT NOT NULL DEFAULT '[]',
            attachments TEXT NOT NULL DEFAULT '[]',
            first_seen TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            seq INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX documents_seq ON documents(seq);
        CREATE INDEX documents_site_published ON documents(site, published);
        CREATE INDEX documents_hash ON documents(content_hash);

        CREATE TABLE document_urls (
            url TEXT PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id)
        );
        CREATE INDEX document_urls_doc ON document_urls(doc_id);

        CREATE TABLE document_versions (
            doc_id INTEGER NOT NULL REFERENCES documents(id),
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            published TEXT NOT NULL,
            body TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            PRIMARY KEY (doc_id, version)
        );

        CREATE TABLE facts (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id),
            version INTEGER NOT NULL,
            fact_type TEXT NOT NULL,
            value TEXT NOT NULL DEFAULT '',
            qualifier TEXT NOT NULL DEFAULT '',
            object TEXT NOT NULL DEFAULT '',
            counterpart_value TEXT NOT NULL DEFAULT '',
            counterpart_object TEXT NOT NULL DEFAULT '',
            regions TEXT NOT NULL DEFAULT '[]',
            persons TEXT NOT NULL DEFAULT '[]',
            date TEXT NOT NULL DEFAULT '',
            sentence TEXT NOT NULL DEFAULT '',
            start INTEGER NOT NULL DEFAULT 0,
            stop INTEGER NOT NULL DEFAULT 0,
            rule TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX facts_doc ON facts(doc_id, version);
        CREATE INDEX facts_type ON facts(fact_type);

        CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            sites TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'running',
            counters TEXT NOT NULL DEFAULT '{}',
            errors INTEGER NOT NULL DEFAULT 0,
            message TEXT NOT NULL DEFAULT ''
        );

        CREATE TABLE crawl_errors (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES crawl_runs(id),
            url TEXT NOT NULL,
            error TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX crawl_errors_run ON crawl_errors(run_id);

        CREATE TABLE frontier (
            id INTEGER PRIMARY KEY,
            site TEXT NOT NULL,
            url TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'page',
            depth INTEGER NOT NULL DEFAULT 0,
            priority INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'queued',
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before REAL NOT NULL DEFAULT 0,
            referrer TEXT NOT NULL DEFAULT '',
            UNIQUE (site, url)
        );
        CREATE INDEX frontier_next ON frontier(site, state, priority, id);

        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
    )


def _run_script(db: sqlite3.Connection, sql: str) -> None:
    """Run ``;``-separated DDL inside the caller's transaction (``executescript`` would commit)."""
    for statement in sql.split(";"):
        if statement.strip():
            db.execute(statement)


def _ensure_table(db: sqlite3.Connection) -> None:
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )


def pending_migrations(db: sqlite3.Connection) -> list[str]:
    """Names of the migrations not yet applied to ``db`` (read-only)."""
    has = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='_migrations'"
    ).fetchone()
    done = {r[0] for r in db.execute("SELECT name FROM _migrations")} if has else set()
    return [name for name, _ in MIGRATIONS if name not in done]


def schema_version(db: sqlite3.Connection) -> int:
    """How many migrations ``db`` has applied."""
    return len(MIGRATIONS) - len(pending_migrations(db))


def apply_migrations(db: sqlite3.Connection) -> list[str]:
    """Apply pending migrations in order, each in its own transaction; return their names."""
    _ensure_table(db)
    applied = []
    for name, fn in MIGRATIONS:
        if name not in pending_migrations(db):
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # A concurrent opener may have applied it while we waited for the lock.
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                db.execute("COMMIT")
                continue
            fn(db)
            db.execute(
                "INSERT INTO _migrations(name, applied_at) VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
