"""The corpus store: one SQLite file (WAL) holding pages, documents, facts, crawl runs and the frontier.

>>> store = Store.open(tmp_path)                                # doctest: +SKIP
>>> store.save_document(DocumentDraft(url=..., site="mpt", title="...", body="..."))
SaveOutcome(doc_id=1, version=1, status='new')

Every write is one transaction, so a process killed at any instant leaves a store that opens and has
lost at most the write in flight. ``corpus`` is the only package that touches the database.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from core.enums import DocState, PageState, SaveStatus
from core.errors import StoreError
from core.records import Document, DocumentDraft, Page, PageFetch, SaveOutcome
from corpus._db import RETURNING, Connection, now_iso, translate_errors
from corpus._facts_table import FactsTable
from corpus._frontier import FrontierTable
from corpus._migrations import apply_migrations, schema_version
from corpus._runs import RunsTable

__all__ = ["STORE_FILENAME", "Store", "content_hash"]

STORE_FILENAME = "corpus.sqlite"
_RAW_LEVEL = 3  # zlib level of stored raw pages: ~6% larger than level 6, ~40% less CPU


def content_hash(title: str, body: str) -> str:
    """The hash that decides whether a document changed: title and whitespace-folded body."""
    import hashlib

    text = " ".join(title.split()) + "\n" + " ".join(body.split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _doc(row: Any) -> Document:
    return Document(
        id=row["id"],
        url=row["url"],
        site=row["site"],
        lang=row["lang"],
        title=row["title"],
        published=row["published"],
        body=row["body"],
        content_hash=row["content_hash"],
        version=row["version"],
        state=DocState(row["state"]),
        first_seen=row["first_seen"],
        fetched_at=row["fetched_at"],
        changed_at=row["changed_at"],
        seq=row["seq"],
        regions=tuple(json.loads(row["regions"])),
        aliases=tuple(json.loads(row["aliases"])),
        attachments=tuple(json.loads(row["attachments"])),
    )


def _page(row: Any) -> Page:
    fields = {k: row[k] for k in Page.__dataclass_fields__}
    return Page(**dict(fields, state=PageState(fields["state"])))


class Store(FrontierTable, RunsTable, FactsTable):
    """The corpus store of one data directory.

    Open it with ``Store.open(data_dir)`` (creates the directory and the database, applies pending
    migrations); use it as a context manager or call ``close()``. Safe to share between threads.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = Connection(path)
        with self._conn.lock, translate_errors("cannot migrate the store"):
            apply_migrations(self._conn.db)

    @classmethod
    def open(cls, data_dir: Path | str) -> Store:
        """Open (creating if needed) the store inside ``data_dir``."""
        directory = Path(data_dir).expanduser()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {directory}: {exc}") from exc
        if not os.access(directory, os.W_OK):
            raise StoreError(f"the data directory {directory} is not writable")
        return cls(directory / STORE_FILENAME)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    @property
    def schema_version(self) -> int:
        """How many named migrations this store has applied."""
        with self._conn.lock:
            return schema_version(self._conn.db)

    def integrity_ok(self) -> bool:
        """True when SQLite's integrity check passes."""
        return bool(self._conn.query("PRAGMA integrity_check")[0][0] == "ok")

    @contextmanager
    def batch(self, what: str = "cannot save a page") -> Iterator[None]:
        """Make the writes inside one transaction (a crawled page: its fetch, its document, its
        links and its frontier row): all of them land, or none does."""
        with self._conn.transaction(what):
            yield

    # -- meta ---------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str = "") -> str:
        """A value of the key/value ``meta`` table."""
        rows = self._conn.query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else default

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the key/value ``meta`` table."""
        with self._conn.transaction() as db:
            db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def _next_seq(self) -> int:
        db = self._conn.db
        if RETURNING:  # one statement: bump and read the counter
            row = db.execute(
                "INSERT INTO meta(key, value) VALUES ('seq', '1') ON CONFLICT(key) DO UPDATE "
                "SET value = CAST(value AS INTEGER) + 1 RETURNING value"
            ).fetchall()[0]
            return int(row[0])
        row = db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
        seq = int(row[0]) + 1 if row else 1
        db.execute(
            "INSERT INTO meta(key, value) VALUES ('seq', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(seq),),
        )
        return seq

    def max_seq(self) -> int:
        """The store-wide change counter: bumped by every new, changed, gone or revived document."""
        return int(self.get_meta("seq", "0"))

    # -- pages --------------------------------------------------------------------------------

    def record_fetch(self, fetch: PageFetch) -> None:
        """Record what one fetch of ``fetch.url`` gave (upsert into ``pages``)."""
        now = now_iso()
        with self._conn.transaction("cannot record a fetch") as db:
            old = db.execute(
                "SELECT content_hash, first_seen, changed_at FROM pages WHERE url = ?", (fetch.url,)
            ).fetchone()
            if fetch.state == "not_modified" and old is not None:
                db.execute(
                    "UPDATE pages SET fetched_at = ?, status = ?, error = '', state = 'ok' "
                    "WHERE url = ?",
                    (now, fetch.status, fetch.url),
                )
                return
            first_seen = old["first_seen"] if old else now
            changed = old is None or old["content_hash"] != fetch.content_hash
            changed_at = now if changed else old["changed_at"]
            raw = zlib.compress(fetch.raw_html, _RAW_LEVEL) if fetch.raw_html else None
            keep_raw = fetch.state in ("error", "skipped") and old is not None
            db.execute(
                """INSERT INTO pages(url, site, canonical_url, status, state, etag, last_modified,
                       content_hash, raw_html, encoding, error, first_seen, fetched_at, changed_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(url) DO UPDATE SET
                       site = excluded.site, status = excluded.status, state = excluded.state,
                       error = excluded.error, fetched_at = excluded.fetched_at""",
                (
                    fetch.url, fetch.site, fetch.canonical_url, fetch.status, fetch.state,
                    fetch.etag, fetch.last_modified, fetch.content_hash, raw, fetch.encoding,
                    fetch.error, first_seen, now, changed_at,
                ),
            )  # fmt: skip
            if old is not None and not keep_raw:
                db.execute(
                    """UPDATE pages SET canonical_url = ?, etag = ?, last_modified = ?,
                           content_hash = ?, raw_html = ?, encoding = ?, changed_at = ?
                       WHERE url = ?""",
                    (
                        fetch.canonical_url, fetch.etag, fetch.last_modified, fetch.content_hash,
                        raw, fetch.encoding, changed_at, fetch.url,
                    ),
                )  # fmt: skip

    def get_page(self, url: str) -> Page | None:
        """The ``pages`` row of ``url``, or None."""
        rows = self._conn.query("SELECT * FROM pages WHERE url = ?", (url,))
        return _page(rows[0]) if rows else None

    def page_html(self, url: str) -> bytes:
        """The raw bytes last fetched from ``url`` (empty when none are stored)."""
        rows = self._conn.query("SELECT raw_html FROM pages WHERE url = ?", (url,))
        if not rows or rows[0][0] is None:
            return b""
        return zlib.decompress(rows[0][0])

    def iter_pages(self, site: str | None = None, state: str | None = None) -> Iterator[Page]:
        """Stream ``pages`` rows, optionally of one site and/or state."""
        sql, params = "SELECT * FROM pages WHERE 1=1", list[object]()
        if site:
            sql, params = sql + " AND site = ?", [*params, site]
        if state:
            sql, params = sql + " AND state = ?", [*params, state]
        for row in self._conn.iterate(sql + " ORDER BY url", tuple(params)):
            yield _page(row)

    # -- documents ----------------------------------------------------------------------------

    def _doc_ids(self, urls: list[str]) -> dict[str, int]:
        """The document id each of ``urls`` (distinct, non-empty) is linked to, in one query."""
        if not urls:
            return {}
        marks = ",".join("?" * len(urls))
        rows = self._conn.db.execute(
            f"SELECT url, doc_id FROM document_urls WHERE url IN ({marks})", urls
        ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def _find_doc_id(self, urls: Iterable[str]) -> int | None:
        wanted = [u for u in dict.fromkeys(urls) if u]
        found = self._doc_ids(wanted)
        return next((found[u] for u in wanted if u in found), None)

    def _link_urls(self, doc_id: int, urls: list[str]) -> None:
        db = self._conn.db
        db.executemany(
            "INSERT OR IGNORE INTO document_urls(url, doc_id) VALUES (?, ?)",
            [(url, doc_id) for url in urls],
        )
        rows = db.execute(
            "SELECT d.url AS main, u.url AS alias FROM document_urls u "
            "JOIN documents d ON d.id = u.doc_id WHERE u.doc_id = ? ORDER BY u.url",
            (doc_id,),
        ).fetchall()
        aliases = [r["alias"] for r in rows if r["alias"] != r["main"]]
        db.execute("UPDATE documents SET aliases = ? WHERE id = ?", (json.dumps(aliases), doc_id))

    def save_document(self, draft: DocumentDraft) -> SaveOutcome:
        """Store ``draft`` as a new document, a new version of its document, or no change.

        The document is found by its URL or any alias; failing that, a document of the same site
        with the same content hash is the same document reached under another URL (the URL becomes
        an alias). A gone document that comes back is revived.
        """
        digest = content_hash(draft.title, draft.body)
        urls = [u for u in dict.fromkeys([draft.url, *draft.aliases, draft.source_url]) if u]
        now = now_iso()
        with self._conn.transaction("cannot save a document") as db:
            linked = self._doc_ids(urls)
            doc_id = next((linked[u] for u in urls if u in linked), None)
            if doc_id is None:
                row = db.execute(
                    "SELECT id FROM documents WHERE site = ? AND content_hash = ? LIMIT 1",
                    (draft.site, digest),
                ).fetchone()
                doc_id = int(row[0]) if row else None
            if doc_id is None:
                return self._insert_document(draft, urls, digest, now)
            old = db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if any(linked.get(u) != doc_id for u in urls):  # a URL new to the document
                self._link_urls(doc_id, urls)
            if old["content_hash"] == digest:
                revived = old["state"] != "ok"
                db.execute(
                    "UPDATE documents SET fetched_at = ?, state = 'ok', seq = ? WHERE id = ?",
                    (now, self._next_seq() if revived else old["seq"], doc_id),
                )
                return SaveOutcome(doc_id, old["version"], SaveStatus.UNCHANGED)
            version = int(old["version"]) + 1
            db.execute(
                """UPDATE documents SET lang = ?, title = ?, published = ?, body = ?,
                       content_hash = ?, version = ?, state = 'ok', attachments = ?,
                       fetched_at = ?, changed_at = ?, seq = ?
                   WHERE id = ?""",
                (
                    draft.lang, draft.title, draft.published or old["published"], draft.body,
                    digest, version, json.dumps(list(draft.attachments)), now, now,
                    self._next_seq(), doc_id,
                ),
            )  # fmt: skip
            self._save_version(doc_id, version, draft, digest, now)
            return SaveOutcome(doc_id, version, SaveStatus.CHANGED)

    def _insert_document(
        self, draft: DocumentDraft, urls: list[str], digest: str, now: str
    ) -> SaveOutcome:
        """A new document; none of ``urls`` is linked yet, so all of them become its URLs."""
        db = self._conn.db
        aliases = sorted(u for u in urls if u != draft.url)
        cur = db.execute(
            """INSERT INTO documents(url, site, lang, title, published, body, content_hash,
                   version, state, aliases, attachments, first_seen, fetched_at, changed_at, seq)
               VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'ok', ?, ?, ?, ?, ?, ?)""",
            (
                draft.url, draft.site, draft.lang, draft.title, draft.published, draft.body,
                digest, json.dumps(aliases), json.dumps(list(draft.attachments)), now, now, now,
                self._next_seq(),
            ),
        )  # fmt: skip
        new_id = int(cur.lastrowid or 0)
        self._save_version(new_id, 1, draft, digest, now)
        db.executemany(
            "INSERT INTO document_urls(url, doc_id) VALUES (?, ?)", [(u, new_id) for u in urls]
        )
        return SaveOutcome(new_id, 1, SaveStatus.NEW)

    def _save_version(
        self, doc_id: int, version: int, draft: DocumentDraft, digest: str, now: str
    ) -> None:
        self._conn.db.execute(
            "INSERT OR REPLACE INTO document_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc_id, version, draft.title, draft.published, draft.body, digest, now),
        )

    def mark_gone(self, url: str) -> bool:
        """Mark the document reached at ``url`` gone (kept, out of search); False if none."""
        with self._conn.transaction("cannot mark a document gone") as db:
            doc_id = self._find_doc_id([url])
            if doc_id is None:
                return False
            row = db.execute("SELECT state FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row["state"] == "gone":
                return False
            db.execute(
                "UPDATE documents SET state = 'gone', changed_at = ?, seq = ? WHERE id = ?",
                (now_iso(), self._next_seq(), doc_id),
            )
            return True

    def set_regions(self, doc_id: int, regions: Iterable[str]) -> None:
        """Set the document's region field (filled by fact extraction; not a content change)."""
        with self._conn.transaction("cannot set regions") as db:
            db.execute(
                "UPDATE documents SET regions = ? WHERE id = ?",
                (json.dumps(sorted(set(regions)), ensure_ascii=False), doc_id),
            )

    def get_document(self, doc_id: int) -> Document | None:
        """The document with id ``doc_id``, or None."""
        rows = self._conn.query("SELECT * FROM documents WHERE id = ?", (doc_id,))
        return _doc(rows[0]) if rows else None

    def find_document(self, url: str) -> Document | None:
        """The document reached at ``url`` (its canonical URL or an alias), or None."""
        rows = self._conn.query(
            "SELECT d.* FROM documents d JOIN document_urls u ON u.doc_id = d.id WHERE u.url = ?",
            (url,),
        )
        return _doc(rows[0]) if rows else None

    def document_versions(self, doc_id: int) -> list[dict[str, Any]]:
        """Every stored version of a document, oldest first."""
        rows = self._conn.query(
            "SELECT * FROM document_versions WHERE doc_id = ? ORDER BY version", (doc_id,)
        )
        return [dict(r) for r in rows]

    def iter_documents(
        self,
        *,
        site: str | None = None,
        state: str | None = "ok",
        since_seq: int | None = None,
        newest_first: bool = False,
        limit: int | None = None,
    ) -> Iterator[Document]:
        """Stream documents; ``since_seq`` gives those changed after that counter (gone included
        when ``state`` is None), in change order."""
        sql, params = "SELECT * FROM documents WHERE 1=1", list[object]()
        if site:
            sql, params = sql + " AND site = ?", [*params, site]
        if state:
            sql, params = sql + " AND state = ?", [*params, state]
        if since_seq is not None:
            sql, params = sql + " AND seq > ?", [*params, since_seq]
            sql += " ORDER BY seq"
        elif newest_first:
            sql += " ORDER BY published DESC, id DESC"
        else:
            sql += " ORDER BY id"
        if limit is not None:
            sql, params = sql + " LIMIT ?", [*params, limit]
        for row in self._conn.iterate(sql, tuple(params)):
            yield _doc(row)

    def count_documents(self, site: str | None = None, state: str = "ok") -> int:
        """How many documents (of a site) are in ``state``."""
        if site:
            rows = self._conn.query(
                "SELECT COUNT(*) FROM documents WHERE site = ? AND state = ?", (site, state)
            )
        else:
            rows = self._conn.query("SELECT COUNT(*) FROM documents WHERE state = ?", (state,))
        return int(rows[0][0])

    def site_stats(self) -> list[dict[str, Any]]:
        """Per site: documents in search, gone, newest published date, last fetch time."""
        rows = self._conn.query(
            """SELECT site, SUM(state = 'ok') AS documents, SUM(state = 'gone') AS gone,
                      MAX(CASE WHEN state = 'ok' THEN published END) AS newest,
                      MAX(fetched_at) AS last_fetched
               FROM documents GROUP BY site ORDER BY site"""
        )
        return [dict(r) for r in rows]
