"""Documents (``documents``, ``document_urls``, ``document_versions``): one row per canonical
URL with its aliases, every version kept, and the store-wide change counter ``seq``.

A new, changed, gone or revived document takes the next ``seq`` inside its own write; the counter
row stays locked until that write commits, so ``seq`` order is commit order and an indexer reading
"everything above my mark" never skips a document that commits late.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from core.enums import DocKind, DocState, SaveStatus
from core.records import Document, DocumentDraft, SaveOutcome
from corpus._db import now_iso

if TYPE_CHECKING:
    from corpus._sql import Connection

__all__ = ["DocumentsTable", "content_hash"]


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
        kind=DocKind(row["kind"]),
        parent_url=row["parent_url"],
        file_name=row["file_name"],
        file_type=row["file_type"],
    )


class DocumentsTable:
    """Document methods of the store (mixin; uses ``self._conn``)."""

    _conn: Connection

    def _lock_documents(self) -> None:
        """Serialize document writers across processes (PostgreSQL; SQLite's write lock does)."""
        if self._conn.dialect.lock_documents:
            self._conn.execute(self._conn.dialect.lock_documents)

    def _next_seq(self) -> int:
        """Bump and read the change counter (its row stays locked until the write commits)."""
        rows = self._conn.execute(
            "INSERT INTO meta(key, value) VALUES ('seq', '1') ON CONFLICT (key) DO UPDATE "
            "SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT) RETURNING value"
        )
        return int(rows[0]["value"])

    def max_seq(self) -> int:
        """The store-wide change counter: bumped by every new, changed, gone or revived document."""
        rows = self._conn.query("SELECT value FROM meta WHERE key = 'seq'")
        return int(rows[0]["value"]) if rows else 0

    def _doc_ids(self, urls: list[str]) -> dict[str, int]:
        """The document id each of ``urls`` (distinct, non-empty) is linked to, in one query."""
        if not urls:
            return {}
        marks = ",".join("?" * len(urls))
        rows = self._conn.execute(
            f"SELECT url, doc_id FROM document_urls WHERE url IN ({marks})", urls
        )
        return {str(r["url"]): int(r["doc_id"]) for r in rows}

    def _find_doc_id(self, urls: Iterable[str]) -> int | None:
        wanted = [u for u in dict.fromkeys(urls) if u]
        found = self._doc_ids(wanted)
        return next((found[u] for u in wanted if u in found), None)

    def _link_urls(self, doc_id: int, urls: list[str]) -> None:
        conn = self._conn
        conn.execute_many(
            "INSERT INTO document_urls(url, doc_id) VALUES (?, ?) ON CONFLICT (url) DO NOTHING",
            [(url, doc_id) for url in urls],
        )
        rows = conn.execute(
            "SELECT d.url AS main, u.url AS alias FROM document_urls u "
            "JOIN documents d ON d.id = u.doc_id WHERE u.doc_id = ? ORDER BY u.url",
            (doc_id,),
        )
        aliases = [r["alias"] for r in rows if r["alias"] != r["main"]]
        conn.execute("UPDATE documents SET aliases = ? WHERE id = ?", (json.dumps(aliases), doc_id))

    def save_document(self, draft: DocumentDraft) -> SaveOutcome:
        """Store ``draft`` as a new document, a new version of its document, or no change.

        The document is found by its URL or any alias; failing that, a document of the same site
        with the same content hash is the same document reached under another URL (the URL becomes
        an alias). A gone document that comes back is revived.
        """
        digest = content_hash(draft.title, draft.body)
        urls = [u for u in dict.fromkeys([draft.url, *draft.aliases, draft.source_url]) if u]
        now = now_iso()
        conn = self._conn
        with conn.transaction("cannot save a document"):
            self._lock_documents()
            linked = self._doc_ids(urls)
            doc_id = next((linked[u] for u in urls if u in linked), None)
            if doc_id is None:
                same = conn.execute(
                    "SELECT id FROM documents WHERE site = ? AND content_hash = ? AND kind = ? "
                    "LIMIT 1",
                    (draft.site, digest, str(draft.kind)),
                )
                doc_id = int(same[0]["id"]) if same else None
            if doc_id is None:
                return self._insert_document(draft, urls, digest, now)
            old = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,))[0]
            if any(linked.get(u) != doc_id for u in urls):  # a URL new to the document
                self._link_urls(doc_id, urls)
            if old["content_hash"] == digest:
                revived = old["state"] != "ok"
                conn.execute(
                    "UPDATE documents SET fetched_at = ?, state = 'ok', seq = ? WHERE id = ?",
                    (now, self._next_seq() if revived else old["seq"], doc_id),
                )
                return SaveOutcome(doc_id, old["version"], SaveStatus.UNCHANGED)
            version = int(old["version"]) + 1
            conn.execute(
                """UPDATE documents SET lang = ?, title = ?, published = ?, body = ?,
                       content_hash = ?, version = ?, state = 'ok', attachments = ?,
                       fetched_at = ?, changed_at = ?, seq = ?, parent_url = ?, file_name = ?,
                       file_type = ?
                   WHERE id = ?""",
                (
                    draft.lang, draft.title, draft.published or old["published"], draft.body,
                    digest, version, json.dumps(list(draft.attachments)), now, now,
                    self._next_seq(), draft.parent_url or old["parent_url"],
                    draft.file_name or old["file_name"], draft.file_type or old["file_type"],
                    doc_id,
                ),
            )  # fmt: skip
            self._save_version(doc_id, version, draft, digest, now)
            return SaveOutcome(doc_id, version, SaveStatus.CHANGED)

    def _insert_document(
        self, draft: DocumentDraft, urls: list[str], digest: str, now: str
    ) -> SaveOutcome:
        """A new document; none of ``urls`` is linked yet, so all of them become its URLs."""
        conn = self._conn
        aliases = sorted(u for u in urls if u != draft.url)
        inserted = conn.execute(
            """INSERT INTO documents(url, site, lang, title, published, body, content_hash,
                   version, state, aliases, attachments, first_seen, fetched_at, changed_at, seq,
                   kind, parent_url, file_name, file_type)
               VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'ok', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (
                draft.url, draft.site, draft.lang, draft.title, draft.published, draft.body,
                digest, json.dumps(aliases), json.dumps(list(draft.attachments)), now, now, now,
                self._next_seq(), str(draft.kind), draft.parent_url, draft.file_name,
                draft.file_type,
            ),
        )  # fmt: skip
        new_id = int(inserted[0]["id"])
        self._save_version(new_id, 1, draft, digest, now)
        conn.execute_many(
            "INSERT INTO document_urls(url, doc_id) VALUES (?, ?)", [(u, new_id) for u in urls]
        )
        return SaveOutcome(new_id, 1, SaveStatus.NEW)

    def _save_version(
        self, doc_id: int, version: int, draft: DocumentDraft, digest: str, now: str
    ) -> None:
        self._conn.execute(
            "INSERT INTO document_versions(doc_id, version, title, published, body, content_hash,"
            " saved_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id, version) DO UPDATE SET"
            " title = excluded.title, published = excluded.published, body = excluded.body,"
            " content_hash = excluded.content_hash, saved_at = excluded.saved_at",
            (doc_id, version, draft.title, draft.published, draft.body, digest, now),
        )

    def mark_gone(self, url: str) -> bool:
        """Mark the document reached at ``url`` gone (kept, out of search); False if none."""
        conn = self._conn
        with conn.transaction("cannot mark a document gone"):
            self._lock_documents()
            doc_id = self._find_doc_id([url])
            if doc_id is None:
                return False
            row = conn.execute("SELECT state FROM documents WHERE id = ?", (doc_id,))[0]
            if row["state"] == "gone":
                return False
            conn.execute(
                "UPDATE documents SET state = 'gone', changed_at = ?, seq = ? WHERE id = ?",
                (now_iso(), self._next_seq(), doc_id),
            )
            return True

    def set_regions(self, doc_id: int, regions: Iterable[str]) -> None:
        """Set the document's region field (filled by fact extraction; not a content change)."""
        self._conn.write(
            "UPDATE documents SET regions = ? WHERE id = ?",
            (json.dumps(sorted(set(regions)), ensure_ascii=False), doc_id), "cannot set regions",
        )  # fmt: skip

    def get_document(self, doc_id: int) -> Document | None:
        """The document with id ``doc_id``, or None."""
        rows = self._conn.query("SELECT * FROM documents WHERE id = ?", (doc_id,))
        return _doc(rows[0]) if rows else None

    def attachments_of(self, parent_url: str) -> list[Document]:
        """The attachment documents (in search) of the article at ``parent_url``, in link order."""
        rows = self._conn.query(
            "SELECT * FROM documents WHERE parent_url = ? AND kind = ? AND state = 'ok' "
            "ORDER BY id",
            (parent_url, str(DocKind.ATTACHMENT)),
        )
        return [_doc(r) for r in rows]

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
            sql, params = sql + " AND state = ?", [*params, str(state)]
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

    def document_dates(self, since_seq: int, until_seq: int) -> Iterator[tuple[int, str]]:
        """(id, published) of the documents changed after ``since_seq`` up to ``until_seq`` (gone
        ones included), in change order: what a run needs to order its work by publication date
        without reading bodies."""
        for row in self._conn.iterate(
            "SELECT id, published FROM documents WHERE seq > ? AND seq <= ? ORDER BY seq",
            (since_seq, until_seq),
        ):
            yield int(row["id"]), str(row["published"] or "")

    def count_documents(self, site: str | None = None, state: str = "ok") -> int:
        """How many documents (of a site) are in ``state``."""
        if site:
            rows = self._conn.query(
                "SELECT COUNT(*) AS n FROM documents WHERE site = ? AND state = ?",
                (site, str(state)),
            )
        else:
            rows = self._conn.query(
                "SELECT COUNT(*) AS n FROM documents WHERE state = ?", (str(state),)
            )
        return int(rows[0]["n"])

    def site_stats(self) -> list[dict[str, Any]]:
        """Per site: documents in search, gone, newest published date, last fetch time."""
        rows = self._conn.query(
            """SELECT site, COUNT(*) FILTER (WHERE state = 'ok') AS documents,
                      COUNT(*) FILTER (WHERE state = 'gone') AS gone,
                      MAX(CASE WHEN state = 'ok' THEN published END) AS newest,
                      MAX(fetched_at) AS last_fetched
               FROM documents GROUP BY site ORDER BY site"""
        )
        return [dict(r) for r in rows]
