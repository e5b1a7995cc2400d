"""What the derive stage made of each document (the ``derived`` table), saved with its facts.

A row says: for this document's content hash, derive version ``version`` gave these index fields
(``{"regions": [...], "fact_types": [...], "persons": [...]}``, whatever the derive steps add). Its
``dseq`` is a change counter of its own (``meta.dseq``), bumped only when the fields changed, so the
index stage re-indexes just the documents a re-derive changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from core.records import Document, Fact

if TYPE_CHECKING:
    from corpus._sql import Connection

__all__ = ["Derived", "DerivedRow", "DerivedTable"]


@dataclass(frozen=True)
class DerivedRow:
    """The derive stage's result for one document version: its facts and its index fields."""

    doc_id: int
    version: int  # the document version the facts belong to
    content_hash: str
    derive_version: str
    facts: tuple[Fact, ...] = ()
    fields: Mapping[str, tuple[str, ...]] | None = None


class Derived(Protocol):
    """The derive stage's table: what each document's text gave, and what changed since when."""

    def derived_versions(self, doc_ids: Sequence[int]) -> dict[int, tuple[str, str]]: ...
    def derived_fields(self, doc_ids: Sequence[int]) -> dict[int, dict[str, tuple[str, ...]]]: ...
    def save_derived(self, rows: Iterable[DerivedRow]) -> int: ...
    def max_dseq(self) -> int: ...
    def rederived_since(self, dseq: int, limit: int) -> list[tuple[int, int]]: ...
    def documents_by_id(self, doc_ids: Sequence[int]) -> list[Document]: ...


def _fields_json(fields: Mapping[str, Sequence[str]] | None) -> str:
    return json.dumps(
        {k: list(v) for k, v in sorted((fields or {}).items())},
        ensure_ascii=False,
        sort_keys=True,
    )


class DerivedTable:
    """Derive-stage methods of ``SqlStore`` (mixin; uses ``self._conn`` and the facts methods)."""

    _conn: Connection

    if TYPE_CHECKING:  # FactsTable's, beside it in SqlStore's bases

        def replace_facts(self, doc_id: int, version: int, facts: Iterable[Fact]) -> int: ...

    def derived_versions(self, doc_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """(content hash, derive version) of each document that has a derived row."""
        if not doc_ids:
            return {}
        rows = self._conn.query(
            "SELECT doc_id, content_hash, version FROM derived "
            f"WHERE doc_id IN ({self._conn.dialect.json_ids})",
            (json.dumps(list(doc_ids)),),
        )
        return {int(r["doc_id"]): (str(r["content_hash"]), str(r["version"])) for r in rows}

    def derived_fields(self, doc_ids: Sequence[int]) -> dict[int, dict[str, tuple[str, ...]]]:
        """The index fields the derive stage gave each document (absent: not derived yet)."""
        if not doc_ids:
            return {}
        rows = self._conn.query(
            f"SELECT doc_id, fields FROM derived WHERE doc_id IN ({self._conn.dialect.json_ids})",
            (json.dumps(list(doc_ids)),),
        )
        return {
            int(r["doc_id"]): {k: tuple(v) for k, v in json.loads(r["fields"]).items()}
            for r in rows
        }

    def save_derived(self, rows: Iterable[DerivedRow]) -> int:
        """Save a batch in one transaction: each document's facts, its regions (``fields
        ["regions"]``) and its derived row; return the number of facts saved."""
        saved = 0
        conn = self._conn
        with conn.transaction("cannot save derived data"):
            for row in rows:
                saved += self.replace_facts(row.doc_id, row.version, row.facts)
                fields = _fields_json(row.fields)
                old = conn.execute(
                    "SELECT fields, dseq FROM derived WHERE doc_id = ?", (row.doc_id,)
                )
                dseq = int(old[0]["dseq"]) if old else 0
                if not old or old[0]["fields"] != fields:
                    dseq = self._next_dseq()
                conn.execute(
                    "INSERT INTO derived(doc_id, content_hash, version, fields, dseq) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET "
                    "content_hash = excluded.content_hash, version = excluded.version, "
                    "fields = excluded.fields, dseq = excluded.dseq",
                    (row.doc_id, row.content_hash, row.derive_version, fields, dseq),
                )
                regions = (row.fields or {}).get("regions")
                if regions is not None:
                    conn.execute(
                        "UPDATE documents SET regions = ? WHERE id = ?",
                        (json.dumps(sorted(set(regions)), ensure_ascii=False), row.doc_id),
                    )
        return saved

    def _next_dseq(self) -> int:
        rows = self._conn.execute(
            "INSERT INTO meta(key, value) VALUES ('dseq', '1') ON CONFLICT (key) DO UPDATE "
            "SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT) RETURNING value"
        )
        return int(rows[0]["value"])

    def max_dseq(self) -> int:
        """The derive stage's change counter: bumped whenever a document's derived fields change."""
        rows = self._conn.query("SELECT value FROM meta WHERE key = 'dseq'")
        return int(rows[0]["value"]) if rows else 0

    def rederived_since(self, dseq: int, limit: int) -> list[tuple[int, int]]:
        """(doc_id, dseq) of documents whose derived fields changed after ``dseq``, in order."""
        rows = self._conn.query(
            "SELECT doc_id, dseq FROM derived WHERE dseq > ? ORDER BY dseq LIMIT ?", (dseq, limit)
        )
        return [(int(r["doc_id"]), int(r["dseq"])) for r in rows]

    def documents_by_id(self, doc_ids: Sequence[int]) -> list[Document]:
        """The documents with these ids (any state), in id order."""
        if not doc_ids:
            return []
        from corpus._documents import _doc

        rows = self._conn.query(
            f"SELECT * FROM documents WHERE id IN ({self._conn.dialect.json_ids}) ORDER BY id",
            (json.dumps(list(doc_ids)),),
        )
        return [_doc(r) for r in rows]
