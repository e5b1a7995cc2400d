"""Named schema migrations of the corpus store, one list for both databases.

Each migration is a function registered with ``@migration``; it gets the store's ``Connection``
inside a transaction and writes DDL in SQLite's words, which ``ddl()`` turns into the connection's
dialect (``INTEGER PRIMARY KEY`` becomes an identity column on PostgreSQL, ``BLOB`` ``BYTEA``,
``REAL`` ``DOUBLE PRECISION``; ``conn.dialect.name`` is there for what words cannot say). Applied
migrations are recorded in the ``_migrations`` table, so a store made by one release opens in the
next: ``apply_migrations`` runs only what is pending, in order, each in its own transaction.

To add a table (both backends at once)::

    @migration
    def m010_saved_searches(conn: Connection) -> None:
        'Saved searches of the UI.'
        ddl(conn, "CREATE TABLE saved_searches (id INTEGER PRIMARY KEY, query TEXT NOT NULL)")

Name it ``mNNN_<what>`` with the next free number; never edit a migration that has landed.
"""

from __future__ import annotations

from collections.abc import Callable

from corpus._db import now_iso
from corpus._sql import Connection, portable_ddl

__all__ = [
    "MIGRATIONS",
    "apply_migrations",
    "ddl",
    "migration",
    "pending_migrations",
    "schema_version",
]

Migration = Callable[[Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register ``fn`` as the next migration, named after the function."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def ddl(conn: Connection, sql: str) -> None:
    """Run ``;``-separated DDL written in SQLite's words, in the connection's dialect."""
    for statement in portable_ddl(sql, conn.dialect).split(";"):
        if statement.strip():
            conn.execute(statement)


@migration
def m001_initial(conn: Connection) -> None:
    """Pages, documents with versions, facts, crawl runs, errors, frontier, key/value meta."""
    ddl(
        conn,
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


@migration
def m002_frontier_leases(conn: Connection) -> None:
    """Frontier claims with a lease (a killed worker's URLs come back), and per-host politeness
    shared by every crawler process: the next allowed request time and concurrency slots."""
    ddl(
        conn,
        """
        ALTER TABLE frontier ADD COLUMN lease_until REAL NOT NULL DEFAULT 0;
        ALTER TABLE frontier ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE host_slots (
            host TEXT PRIMARY KEY,
            next_at REAL NOT NULL DEFAULT 0
        );
        CREATE TABLE host_leases (
            host TEXT NOT NULL,
            slot INTEGER NOT NULL,
            lease_until REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (host, slot)
        )
        """,
    )


@migration
def m003_derived(conn: Connection) -> None:
    """What the derive stage made of each document: the index fields its steps give (regions, fact
    types, persons...), for which content hash and derive version, with a change counter."""
    ddl(
        conn,
        """
        CREATE TABLE derived (
            doc_id INTEGER NOT NULL PRIMARY KEY REFERENCES documents(id),
            content_hash TEXT NOT NULL,
            version TEXT NOT NULL,
            fields TEXT NOT NULL DEFAULT '{}',
            dseq INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX derived_dseq ON derived(dseq);
        """,
    )


@migration
def m004_document_kinds(conn: Connection) -> None:
    """Documents of a kind ("page", "attachment"): an attachment's parent article URL, its file
    name and type (issue 13)."""
    ddl(
        conn,
        """
        ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'page';
        ALTER TABLE documents ADD COLUMN parent_url TEXT NOT NULL DEFAULT '';
        ALTER TABLE documents ADD COLUMN file_name TEXT NOT NULL DEFAULT '';
        ALTER TABLE documents ADD COLUMN file_type TEXT NOT NULL DEFAULT '';
        CREATE INDEX documents_parent ON documents(parent_url)
        """,
    )


@migration
def m005_run_owner(conn: Connection) -> None:
    """Which process runs a run (``host:pid``) and when it last reported: with a shared store, a
    run is stale only when its process is gone, not because a newer run of its sites started."""
    ddl(
        conn,
        """
        ALTER TABLE crawl_runs ADD COLUMN owner TEXT NOT NULL DEFAULT '';
        ALTER TABLE crawl_runs ADD COLUMN heartbeat REAL NOT NULL DEFAULT 0
        """,
    )


@migration
def m006_saved_searches(conn: Connection) -> None:
    """Saved searches and the items (document versions) updates found for them (corpus/_watches)."""
    ddl(
        conn,
        """
        CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            query TEXT NOT NULL DEFAULT '',
            since TEXT NOT NULL DEFAULT '',
            until TEXT NOT NULL DEFAULT '',
            site TEXT NOT NULL DEFAULT '',
            lang TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            checked_seq INTEGER NOT NULL DEFAULT 0,
            seen_item INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE saved_search_items (
            id INTEGER PRIMARY KEY,
            search_id INTEGER NOT NULL REFERENCES saved_searches(id),
            run_id INTEGER REFERENCES crawl_runs(id),
            doc_id INTEGER NOT NULL REFERENCES documents(id),
            version INTEGER NOT NULL,
            change TEXT NOT NULL,
            facts INTEGER NOT NULL DEFAULT 0,
            found_at TEXT NOT NULL,
            UNIQUE (search_id, doc_id, version)
        );
        CREATE INDEX saved_search_items_run ON saved_search_items(search_id, run_id)
        """,
    )


@migration
def m007_frontier_owner(conn: Connection) -> None:
    """Which process holds a frontier claim (``host:pid``): the claims of a worker that died on this
    host come back at once instead of when their lease runs out."""
    ddl(conn, "ALTER TABLE frontier ADD COLUMN owner TEXT NOT NULL DEFAULT ''")


@migration
def m008_story_clusters(conn: Connection) -> None:
    """Story clusters: one row per clustered document (its MinHash signature and its cluster)."""
    ddl(
        conn,
        """
        CREATE TABLE doc_clusters (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id),
            version INTEGER NOT NULL,
            cluster_id INTEGER NOT NULL,
            published TEXT NOT NULL DEFAULT '',
            shingles INTEGER NOT NULL DEFAULT 0,
            signature BLOB NOT NULL
        );
        CREATE INDEX doc_clusters_cluster ON doc_clusters(cluster_id);
        CREATE INDEX doc_clusters_published ON doc_clusters(published)
        """,
    )


def _applied(conn: Connection) -> set[str]:
    tables = {str(r["name"]) for r in conn.query(conn.dialect.tables)}
    if "_migrations" not in tables:
        return set()
    return {str(r["name"]) for r in conn.query("SELECT name FROM _migrations")}


def pending_migrations(conn: Connection) -> list[str]:
    """Names of the migrations not yet applied (read-only)."""
    done = _applied(conn)
    return [name for name, _ in MIGRATIONS if name not in done]


def schema_version(conn: Connection) -> int:
    """How many migrations the store has applied."""
    return len(MIGRATIONS) - len(pending_migrations(conn))


def apply_migrations(conn: Connection) -> list[str]:
    """Apply pending migrations in order, each in its own transaction; return their names."""
    if not pending_migrations(conn):
        return []
    with conn.transaction("cannot migrate the store"):
        if conn.dialect.lock_migrations:
            conn.execute(conn.dialect.lock_migrations)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
    applied = []
    for name, fn in MIGRATIONS:
        with conn.transaction(f"cannot migrate the store ({name})"):
            if conn.dialect.lock_migrations:
                conn.execute(conn.dialect.lock_migrations)
            # a concurrent opener may have applied it while we waited for the lock
            if conn.query("SELECT name FROM _migrations WHERE name = ?", (name,)):
                continue
            fn(conn)
            conn.execute(
                "INSERT INTO _migrations(name, applied_at) VALUES (?, ?)", (name, now_iso())
            )
        applied.append(name)
    return applied
