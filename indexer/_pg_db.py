"""The PostgreSQL search backend's tables and connection (psycopg 3), beside the corpus store.

The search index of the ``postgres`` backend lives in the store's own database, in a schema of its
own (``vestnik_search``), so the store's tables, ``vestnik migrate`` and the store's migrations
never see it: like the Whoosh folder ``DATA/index/``, it is derived data that ``vestnik index``
rebuilds from the store.

- ``docs``: one row per indexed document: its filter and facet values (``site``, ``lang``,
  ``published``, arrays of ``regions``, ``region_names``, ``fact_types``, ``persons``, as the
  Whoosh schema's fields turn them into terms) and its ``tsvector`` of vestnik's own analysis
  (``indexer._pg_rows``) in ``tsv`` (in the row, uncompressed) or ``tsv_big`` (too big for a row);
  a GIN index on ``coalesce(tsv, tsv_big)`` (``TSV``);
- ``meta``: the same rows without the tsvector, for queries with no words (filters only, the
  newest documents): narrow rows, so listing and counting every document reads little; a GIN
  index on ``regions``.
- ``terms``: the lexicon (each lexeme with its title/body document and occurrence counts): "did you
  mean" and wildcard patterns read it.
- ``state``: the high-water marks (``seq``, ``dseq``) and the layout version.

psycopg's errors become one-line ``SearchIndexError``s naming the server (never the password).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from core.errors import IndexLockedError, SearchIndexError
from corpus import PgSession, describe, first_line

__all__ = [
    "LAYOUT",
    "SCHEMA",
    "TSV",
    "PgSearchDb",
    "create_indexes",
    "create_tables",
    "is_postgres_url",
    "needs_postgres",
    "pg_search_errors",
]

SCHEMA = "vestnik_search"
# The layout of the tables and of the tsvector (tags, weights, position gaps). A change means a
# rebuild: the index stage compares it with the one the index was built with.
LAYOUT = "2"  # 2: kind, file_type, parent_url
TSV = "coalesce(tsv, tsv_big)"  # the document's tsvector, wherever it is stored
_READS = ("SELECT ", "SELECT\n", "WITH ")  # statements safe to repeat on a new connection
_WRITER_LOCK = 7160320  # pg_try_advisory_lock key of the one index writer


def is_postgres_url(url: str) -> bool:
    """True for ``postgresql://`` and ``postgres://`` URLs."""
    return url.split(":", 1)[0].lower() in ("postgresql", "postgres") if ":" in url else False


def needs_postgres(url: str) -> str:
    """The one-line refusal of a store the PostgreSQL search backend cannot serve."""
    scheme = url.split(":", 1)[0] if ":" in url else url
    return (
        "search.backend = postgres needs a PostgreSQL store (store.url = postgresql://...); "
        f"this store is {scheme}: use search.backend = whoosh, or move the store with "
        "`vestnik migrate --to postgresql://...`"
    )


@contextmanager
def pg_search_errors(what: str, where: str) -> Iterator[None]:
    """psycopg errors as one-line ``SearchIndexError`` naming ``where`` (a redacted URL)."""
    import psycopg
    from psycopg import errors

    try:
        yield
    except errors.UndefinedTable as exc:
        raise SearchIndexError(
            f"no search index yet in {where}: run `vestnik index` (search.backend = postgres)"
        ) from exc
    except errors.QueryCanceled as exc:
        raise SearchIndexError(
            f"{what}: {where}: the query took too long and was cancelled"
        ) from exc
    except psycopg.Error as exc:
        raise SearchIndexError(f"{what}: {where}: {first_line(exc)}") from exc


def create_tables(db: PgSearchDb, suffix: str = "") -> None:
    """The schema, the state table and empty ``docs{suffix}``, ``meta{suffix}`` and
    ``terms{suffix}`` tables (their other indexes come from ``create_indexes``, after a bulk
    load)."""
    db.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    db.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.state (key TEXT PRIMARY KEY, value TEXT)")
    columns = """
            doc_id BIGINT PRIMARY KEY,
            url TEXT NOT NULL,
            site TEXT NOT NULL,
            lang TEXT NOT NULL,
            published TEXT COLLATE "C" NOT NULL,
            kind TEXT NOT NULL,
            file_type TEXT NOT NULL,
            parent_url TEXT NOT NULL,
            regions TEXT[] NOT NULL,
            region_names TEXT[] NOT NULL,
            fact_types TEXT[] NOT NULL,
            persons TEXT[] NOT NULL"""
    db.execute(f"CREATE TABLE {SCHEMA}.meta{suffix} ({columns})")
    db.execute(
        f"CREATE TABLE {SCHEMA}.docs{suffix} ({columns}, tsv TSVECTOR, tsv_big TSVECTOR, "
        "CHECK ((tsv IS NULL) <> (tsv_big IS NULL))) WITH (toast_tuple_target = 8160)"
    )
    db.execute(f"ALTER TABLE {SCHEMA}.docs{suffix} ALTER COLUMN tsv SET STORAGE PLAIN")
    db.execute(
        f"""CREATE TABLE {SCHEMA}.terms{suffix} (
            lexeme TEXT COLLATE "C" PRIMARY KEY,
            title_docs BIGINT NOT NULL,
            body_docs BIGINT NOT NULL,
            title_freq BIGINT NOT NULL,
            body_freq BIGINT NOT NULL
        )"""
    )


def create_indexes(db: PgSearchDb, suffix: str = "") -> None:
    """The GIN indexes (named after their tables, renamed with them on a swap), statistics."""
    db.execute(f"CREATE INDEX docs{suffix}_tsv ON {SCHEMA}.docs{suffix} USING gin (({TSV}))")
    db.execute(f"CREATE INDEX meta{suffix}_regions ON {SCHEMA}.meta{suffix} USING gin (regions)")
    for table in ("docs", "meta", "terms"):
        db.execute(f"ANALYZE {SCHEMA}.{table}{suffix}")


class PgSearchDb:
    """The search backend's connection: a ``PgSession`` (tuple rows, no prepared statements,
    ``SearchIndexError``), shared by threads behind a lock; a connection the server dropped is
    replaced outside transactions."""

    def __init__(self, url: str, setup: Sequence[str] = ()) -> None:
        self.url = url
        self._session = PgSession(
            url, describe(url), errors=pg_search_errors, application_name="vestnik-search",
            prepare=False, connect_what="cannot connect to the search index", setup=setup,
        )  # fmt: skip
        self.where, self.lock = self._session.where, self._session.lock

    def transaction(
        self, what: str = "cannot write the search index"
    ) -> AbstractContextManager[None]:
        """One transaction; nested calls join the outer one."""
        return self._session.transaction(what)

    def execute(
        self, sql: str, params: Sequence[object] = (), what: str = "search index"
    ) -> list[tuple[Any, ...]]:
        """One statement (``%s`` placeholders) and its rows; a read (``SELECT``/``WITH``) is asked
        again, once, on a new connection when the server dropped the old one."""
        args = tuple(params)

        def run(conn: Any) -> list[tuple[Any, ...]]:
            cur = conn.execute(sql, args)
            return list(cur.fetchall()) if cur.description else []

        if sql.lstrip()[:7].upper().startswith(_READS):
            return self._session.read(what, run)
        with self._session.using(what) as conn:
            return run(conn)

    def copy_rows(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
    ) -> None:
        """``COPY`` rows into ``table`` (text format: tsvector literals are parsed by the server)."""
        with (
            self._session.using("cannot write the search index") as conn,
            conn.cursor() as cur,
            cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """One index writer at a time across every host: a session advisory lock (released by the
        server when the holder's connection ends, so a killed run never leaves it held)."""
        got = self.execute("SELECT pg_try_advisory_lock(%s)", (_WRITER_LOCK,))
        if not got or not got[0][0]:
            raise IndexLockedError(
                f"another index run is writing the PostgreSQL search index in {self.where}; "
                "try again when it finishes"
            )
        try:
            yield
        finally:
            if not self._session.dropped:
                self.execute("SELECT pg_advisory_unlock(%s)", (_WRITER_LOCK,))

    def state(self) -> dict[str, str]:
        """The ``state`` table (empty when there is no index yet)."""
        if not self.has_index():
            return {}
        rows = self.execute(f"SELECT key, value FROM {SCHEMA}.state")
        return {str(k): str(v) for k, v in rows}

    def has_index(self) -> bool:
        """True when the ``docs`` table exists."""
        rows = self.execute(
            "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s AND tablename = 'docs'",
            (SCHEMA,),
        )
        return bool(rows)

    def set_state(self, values: dict[str, str]) -> None:
        """Write state keys (inside the caller's transaction, if any)."""
        for key, value in values.items():
            self.execute(
                f"INSERT INTO {SCHEMA}.state (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        """Close the connection."""
        self._session.close()
