"""Story clusters as the store keeps them: records and the ``Clusters`` protocol (part of ``Store``).

The SQL implementation is ``corpus._clusters_table.ClustersTable``; the clustering itself lives in
``indexer.clusters``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["ClusterMember", "Clusters", "SignatureRow"]


@dataclass(frozen=True)
class SignatureRow:
    """One clustered document: its signature (bytes), how many shingles it had, its cluster (and,
    when read back, its site)."""

    doc_id: int
    version: int
    cluster_id: int
    published: str
    shingles: int
    signature: bytes
    site: str = ""  # read from the document; not stored in doc_clusters


@dataclass(frozen=True)
class ClusterMember:
    """A document of a story cluster, for display ("также: site2, site3")."""

    cluster_id: int
    doc_id: int
    url: str
    site: str
    title: str
    published: str


class Clusters(Protocol):
    """Story clusters: signatures and cluster ids of documents (``indexer.clusters`` writes them)."""

    def save_signatures(self, rows: Sequence[SignatureRow]) -> None: ...
    def drop_signatures(self, doc_ids: Iterable[int]) -> None: ...
    def clear_clusters(self) -> None: ...
    def set_cluster_ids(self, assignment: dict[int, int]) -> None: ...
    def signatures(self, doc_ids: Iterable[int]) -> dict[int, SignatureRow]: ...
    def signatures_between(self, since: str, until: str) -> Iterator[SignatureRow]: ...
    def cluster_doc_ids(self, cluster_ids: Iterable[int]) -> dict[int, list[int]]: ...
    def cluster_ids(self, doc_ids: Iterable[int]) -> dict[int, int]: ...
    def shared_clusters(self) -> dict[int, int]: ...
    def cluster_members(self, cluster_ids: Iterable[int]) -> dict[int, list[ClusterMember]]: ...
    def count_clusters(self) -> tuple[int, int]: ...
