"""One row per fact per story: ``vestnik facts --dedupe`` and the UI's download.

Copies of a story repeat its facts; two fact rows are one fact when their documents are in one
cluster and their key fields agree (type, value, qualifier, object, counterpart, date, persons:
the fields of docs/facts.md, "Matching facts against gold"). The row kept is the one from the
earliest published copy (ties: the smaller document id); rows keep their export order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.records import FactRow

__all__ = ["dedupe_fact_rows", "fact_identity"]


def fact_identity(row: FactRow, cluster_of: Mapping[int, int]) -> tuple[object, ...]:
    """What makes two rows one fact: the story (cluster) and the fact's key fields."""
    f = row.fact
    return (
        cluster_of.get(row.doc_id, row.doc_id), f.fact_type, f.value, f.qualifier,
        f.object.lower(), f.counterpart_value, f.counterpart_object, f.date, tuple(f.persons),
    )  # fmt: skip


def dedupe_fact_rows(rows: Iterable[FactRow], cluster_of: Mapping[int, int]) -> Iterator[FactRow]:
    """The rows with each fact of a story once, from its earliest source, in the input order.

    ``cluster_of`` maps document ids of shared clusters to cluster ids (``Store.shared_clusters``);
    rows of other documents pass through unchanged.
    """
    if not cluster_of:
        yield from rows
        return
    listed = list(rows)
    best: dict[tuple[object, ...], tuple[str, int, int]] = {}
    for n, row in enumerate(listed):
        if row.doc_id not in cluster_of:
            continue
        key = fact_identity(row, cluster_of)
        rank = (row.published or "9999", row.doc_id, n)
        if key not in best or rank < best[key]:
            best[key] = rank
    for n, row in enumerate(listed):
        if row.doc_id not in cluster_of or best[fact_identity(row, cluster_of)][2] == n:
            yield row
