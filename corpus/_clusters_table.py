"""Story clusters (the ``doc_clusters`` table): per clustered document its MinHash signature, shingle
count, publication date and the id of its cluster (the smallest document id in it).

The clustering itself lives in ``indexer.clusters``; this module only stores and reads. The SQL is
the portable subset SQLite and PostgreSQL share (``?`` placeholders, ``ON CONFLICT`` upserts).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from corpus._clusters import ClusterMember, SignatureRow

if TYPE_CHECKING:
    from corpus._sql import Connection

__all__ = ["ClustersTable"]

_CHUNK = 400  # ids per IN (...) list
_ROWS = "SELECT c.*, d.site FROM doc_clusters c LEFT JOIN documents d ON d.id = c.doc_id"


def _sig(row: Any) -> SignatureRow:
    return SignatureRow(
        doc_id=int(row["doc_id"]),
        version=int(row["version"]),
        cluster_id=int(row["cluster_id"]),
        published=str(row["published"]),
        shingles=int(row["shingles"]),
        signature=bytes(row["signature"]),
        site=str(row["site"] or ""),
    )


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for i in dict.fromkeys(ids):
        batch.append(int(i))
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


class ClustersTable:
    """Story-cluster methods of the SQL stores (mixin; uses ``self._conn``)."""

    _conn: Connection

    def save_signatures(self, rows: Sequence[SignatureRow]) -> None:
        """Insert or replace the rows of these documents, in one transaction."""
        sql = (
            "INSERT INTO doc_clusters(doc_id, version, cluster_id, published, shingles, signature) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET "
            "version = excluded.version, cluster_id = excluded.cluster_id, "
            "published = excluded.published, shingles = excluded.shingles, "
            "signature = excluded.signature"
        )
        with self._conn.transaction("cannot save cluster signatures"):
            for r in rows:
                self._conn.write(
                    sql, (r.doc_id, r.version, r.cluster_id, r.published, r.shingles, r.signature)
                )

    def drop_signatures(self, doc_ids: Iterable[int]) -> None:
        """Forget these documents' signatures (gone documents leave their clusters)."""
        with self._conn.transaction("cannot drop cluster signatures"):
            for chunk in _chunks(doc_ids):
                marks = ", ".join("?" * len(chunk))
                self._conn.write(
                    f"DELETE FROM doc_clusters WHERE doc_id IN ({marks})", tuple(chunk)
                )

    def clear_clusters(self) -> None:
        """Drop every cluster row (a rebuild starts from nothing)."""
        self._conn.write("DELETE FROM doc_clusters", (), "cannot clear clusters")

    def set_cluster_ids(self, assignment: dict[int, int]) -> None:
        """Set ``cluster_id`` of documents (doc id -> cluster id), in one transaction."""
        with self._conn.transaction("cannot save clusters"):
            for doc_id, cluster_id in assignment.items():
                self._conn.write(
                    "UPDATE doc_clusters SET cluster_id = ? WHERE doc_id = ?", (cluster_id, doc_id)
                )

    def signatures(self, doc_ids: Iterable[int]) -> dict[int, SignatureRow]:
        """The stored rows of these documents, by document id (absent ones left out)."""
        out: dict[int, SignatureRow] = {}
        for chunk in _chunks(doc_ids):
            marks = ", ".join("?" * len(chunk))
            for row in self._conn.query(f"{_ROWS} WHERE c.doc_id IN ({marks})", tuple(chunk)):
                out[int(row["doc_id"])] = _sig(row)
        return out

    def signatures_between(self, since: str, until: str) -> Iterator[SignatureRow]:
        """Rows of documents published in [since, until] (ISO prefixes), and of undated ones."""
        yield from (
            _sig(row)
            for row in self._conn.iterate(
                f"{_ROWS} WHERE c.published = '' "
                "OR (c.published >= ? AND c.published <= ?) ORDER BY c.doc_id",
                (since, until),
            )
        )

    def cluster_doc_ids(self, cluster_ids: Iterable[int]) -> dict[int, list[int]]:
        """Member document ids of these clusters, by cluster id."""
        out: dict[int, list[int]] = {}
        for chunk in _chunks(cluster_ids):
            marks = ", ".join("?" * len(chunk))
            for row in self._conn.query(
                f"SELECT cluster_id, doc_id FROM doc_clusters WHERE cluster_id IN ({marks}) "
                "ORDER BY doc_id",
                tuple(chunk),
            ):
                out.setdefault(int(row["cluster_id"]), []).append(int(row["doc_id"]))
        return out

    def cluster_ids(self, doc_ids: Iterable[int]) -> dict[int, int]:
        """The cluster id of each of these documents that has been clustered."""
        out: dict[int, int] = {}
        for chunk in _chunks(doc_ids):
            marks = ", ".join("?" * len(chunk))
            for row in self._conn.query(
                f"SELECT doc_id, cluster_id FROM doc_clusters WHERE doc_id IN ({marks})",
                tuple(chunk),
            ):
                out[int(row["doc_id"])] = int(row["cluster_id"])
        return out

    def shared_clusters(self) -> dict[int, int]:
        """Doc id -> cluster id for every document in a cluster of two or more (in search)."""
        rows = self._conn.query(
            "SELECT c.doc_id, c.cluster_id FROM doc_clusters c JOIN documents d ON d.id = c.doc_id "
            "WHERE d.state = 'ok' AND c.cluster_id IN (SELECT cluster_id FROM doc_clusters "
            "GROUP BY cluster_id HAVING COUNT(*) > 1)"
        )
        return {int(r["doc_id"]): int(r["cluster_id"]) for r in rows}

    def cluster_members(self, cluster_ids: Iterable[int]) -> dict[int, list[ClusterMember]]:
        """The documents (in search) of these clusters, earliest published first."""
        out: dict[int, list[ClusterMember]] = {}
        for chunk in _chunks(cluster_ids):
            marks = ", ".join("?" * len(chunk))
            for row in self._conn.query(
                "SELECT c.cluster_id, d.id, d.url, d.site, d.title, d.published "
                "FROM doc_clusters c JOIN documents d ON d.id = c.doc_id "
                f"WHERE c.cluster_id IN ({marks}) AND d.state = 'ok' "
                "ORDER BY d.published, d.id",
                tuple(chunk),
            ):
                member = ClusterMember(
                    cluster_id=int(row["cluster_id"]), doc_id=int(row["id"]), url=str(row["url"]),
                    site=str(row["site"]), title=str(row["title"]), published=str(row["published"]),
                )  # fmt: skip
                out.setdefault(member.cluster_id, []).append(member)
        return out

    def count_clusters(self) -> tuple[int, int]:
        """(clustered documents, clusters of two or more documents)."""
        docs = self._conn.query("SELECT COUNT(*) AS n FROM doc_clusters")[0]["n"]
        shared = self._conn.query(
            "SELECT COUNT(*) AS n FROM (SELECT cluster_id FROM doc_clusters "
            "GROUP BY cluster_id HAVING COUNT(*) > 1) AS s"
        )[0]["n"]
        return int(docs), int(shared)
