"""Facts stored per document version (the ``facts`` table)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from core.enums import FactType
from core.records import Fact, FactFilter, FactRow

if TYPE_CHECKING:
    from corpus._sql import Connection

__all__ = ["FactsTable"]

_FACT_COLUMNS = (
    "fact_type", "value", "qualifier", "object", "counterpart_value", "counterpart_object",
    "regions", "persons", "date", "sentence", "start", "stop", "rule",
)  # fmt: skip


def _fact(row: Any) -> Fact:
    return Fact(
        fact_type=FactType(row["fact_type"]), value=row["value"], qualifier=row["qualifier"],
        object=row["object"], counterpart_value=row["counterpart_value"],
        counterpart_object=row["counterpart_object"], regions=tuple(json.loads(row["regions"])),
        persons=tuple(json.loads(row["persons"])), date=row["date"], sentence=row["sentence"],
        start=row["start"], stop=row["stop"], rule=row["rule"],
    )  # fmt: skip


class FactsTable:
    """Fact methods of ``Store`` (mixin; uses ``self._conn``)."""

    _conn: Connection

    def replace_facts(self, doc_id: int, version: int, facts: Iterable[Fact]) -> int:
        """Replace the facts of one document version in one transaction; return how many."""
        rows = [
            (
                doc_id, version, str(f.fact_type), f.value, f.qualifier, f.object,
                f.counterpart_value, f.counterpart_object,
                json.dumps(list(f.regions), ensure_ascii=False),
                json.dumps(list(f.persons), ensure_ascii=False),
                f.date, f.sentence, f.start, f.stop, f.rule,
            )
            for f in facts
        ]  # fmt: skip
        with self._conn.transaction("cannot save facts"):
            self._conn.execute(
                "DELETE FROM facts WHERE doc_id = ? AND version = ?", (doc_id, version)
            )
            if not rows:
                return 0
            self._conn.execute_many(
                f"INSERT INTO facts(doc_id, version, {', '.join(_FACT_COLUMNS)}) "
                f"VALUES ({', '.join('?' * (len(_FACT_COLUMNS) + 2))})",
                rows,
            )
        return len(rows)

    def facts_for_document(self, doc_id: int, version: int | None = None) -> list[Fact]:
        """The facts of a document's current version (or of ``version``), in text order."""
        if version is None:
            rows = self._conn.query(
                "SELECT f.* FROM facts f JOIN documents d ON d.id = f.doc_id "
                "AND d.version = f.version WHERE f.doc_id = ? ORDER BY f.start, f.id",
                (doc_id,),
            )
        else:
            rows = self._conn.query(
                "SELECT * FROM facts WHERE doc_id = ? AND version = ? ORDER BY start, id",
                (doc_id, version),
            )
        return [_fact(r) for r in rows]

    def iter_facts(self, flt: FactFilter | None = None) -> Iterator[FactRow]:
        """Stream the facts of current versions of documents in search, newest documents first."""
        flt = flt or FactFilter()
        sql = (
            # an attached file's rows carry its own URL and its article's title
            "SELECT f.*, d.id AS d_id, d.url AS d_url, COALESCE(p.title, d.title) AS d_title, "
            "d.published AS d_published, d.site AS d_site "
            "FROM facts f JOIN documents d ON d.id = f.doc_id AND d.version = f.version "
            "LEFT JOIN documents p ON d.kind = 'attachment' AND p.url = d.parent_url "
            "WHERE d.state = 'ok'"
        )
        params: list[object] = []
        if flt.types:
            sql += f" AND f.fact_type IN ({', '.join('?' * len(flt.types))})"
            params += list(flt.types)
        if flt.since:
            sql, params = sql + " AND substr(d.published, 1, 10) >= ?", [*params, flt.since]
        if flt.until:
            sql, params = sql + " AND substr(d.published, 1, 10) <= ?", [*params, flt.until]
        if flt.site:
            sql, params = sql + " AND d.site = ?", [*params, flt.site]
        if flt.doc_ids is not None:
            if not flt.doc_ids:
                return
            sql += f" AND d.id IN ({self._conn.dialect.json_ids})"
            params.append(json.dumps(list(flt.doc_ids)))
        sql += " ORDER BY d.published DESC, d.id, f.start, f.id"
        wanted = set(flt.regions)
        for row in self._conn.iterate(sql, tuple(params)):
            fact = _fact(row)
            if wanted and not wanted.intersection(fact.regions):
                continue
            yield FactRow(
                fact=fact, doc_id=row["d_id"], doc_url=row["d_url"], doc_title=row["d_title"],
                published=row["d_published"], site=row["d_site"],
            )  # fmt: skip

    def count_facts(self) -> dict[str, int]:
        """How many current facts there are of each type."""
        rows = self._conn.query(
            "SELECT f.fact_type AS t, COUNT(*) AS n FROM facts f JOIN documents d ON d.id = f.doc_id "
            "AND d.version = f.version WHERE d.state = 'ok' GROUP BY f.fact_type"
        )
        return {str(r["t"]): int(r["n"]) for r in rows}
