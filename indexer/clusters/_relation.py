"""The "same story" relation between two documents, and clusters as its connected components.

Connected components with the smallest document id as the cluster id make the result independent
of the order documents arrive in: clustering new documents one batch at a time gives the same
clusters, with the same ids, as clustering everything at once. Within ``components`` a pair is also
judged without its sites' boilerplate (``Boilerplate``), so a template series of one site does not
chain into one cluster.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from indexer.clusters._boilerplate import Boilerplate
from indexer.clusters._params import ClusterParams
from indexer.clusters._signature import containment, jaccard

__all__ = ["Item", "Verdict", "components", "judge", "same_story"]


@dataclass(frozen=True)
class Item:
    """A document as the relation sees it: id, publication day, shingle count, signature, site."""

    doc_id: int
    published: str  # ISO date or date-time, "" when unknown
    shingles: int
    sig: np.ndarray[Any, Any]
    site: str = ""

    @property
    def day(self) -> date | None:
        """The publication day, or None."""
        try:
            return date.fromisoformat(self.published[:10])
        except ValueError:
            return None


@dataclass(frozen=True)
class Verdict:
    """Why two documents are (not) one story: the estimates and the rule that decided."""

    same: bool
    jaccard: float
    containment: float
    rule: str  # "jaccard" | "containment" | "window" | "different" | "boilerplate"


def _rules(
    j: float, size_a: float, size_b: float, params: ClusterParams
) -> tuple[bool, float, str]:
    c = containment(j, round(size_a), round(size_b))
    if j >= params.jaccard:
        return True, c, "jaccard"
    if min(size_a, size_b) >= params.min_shingles and c >= params.containment:
        return True, c, "containment"
    return False, c, "different"


def judge(
    a: Item, b: Item, params: ClusterParams, boilerplate: Boilerplate | None = None
) -> Verdict:
    """Decide whether ``a`` and ``b`` are copies of one story (``boilerplate``: judged again
    without the slots that hold their sites' boilerplate, when the signatures alone say yes)."""
    j = jaccard(a.sig, b.sig)
    da, db = a.day, b.day
    if da is not None and db is not None and abs((da - db).days) > params.window_days:
        return Verdict(False, j, containment(j, a.shingles, b.shingles), "window")
    same, c, rule = _rules(j, a.shingles, b.shingles, params)
    if not same or boilerplate is None:
        return Verdict(same, j, c, rule)
    ca, cb = boilerplate.common(a), boilerplate.common(b)
    if not (ca.any() or cb.any()):
        return Verdict(same, j, c, rule)
    equal = a.sig == b.sig
    # a slot of the pair is the smaller of the two minima: left out when that minimum is boilerplate
    left_out = np.where(equal, ca | cb, np.where(a.sig < b.sig, ca, cb))
    kept = int(np.count_nonzero(~left_out))
    if kept < len(a.sig) // 8:
        return Verdict(False, j, c, "boilerplate")
    j2 = float(np.count_nonzero(equal & ~left_out)) / kept
    size_a, size_b = a.shingles * (1 - ca.mean()), b.shingles * (1 - cb.mean())
    same, c2, rule = _rules(j2, size_a, size_b, params)
    return Verdict(same, j2, c2, rule if same else "boilerplate")


def same_story(
    a: Item, b: Item, params: ClusterParams, boilerplate: Boilerplate | None = None
) -> bool:
    """True when ``a`` and ``b`` are copies of one story."""
    return judge(a, b, params, boilerplate).same


def components(
    items: Iterable[Item],
    params: ClusterParams,
    joined: Iterable[Iterable[int]] = (),
    settled: Iterable[int] = (),
) -> Mapping[int, int]:
    """Doc id -> cluster id (smallest id of its component) over the pairs of ``items``.

    ``joined`` lists groups of ids already known to be connected (clusters none of whose members
    changed); pairs of two ``settled`` ids (members of such groups) are not compared again. Pairs
    are judged with the boilerplate guard over the whole pool (``params.boilerplate_docs``).
    """
    pool = sorted(items, key=lambda it: it.doc_id)
    guard = Boilerplate(pool, params.boilerplate_docs) if params.boilerplate_docs else None
    parent = {it.doc_id: it.doc_id for it in pool}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for group in joined:
        ids = [i for i in group if i in parent]
        for other in ids[1:]:
            join(ids[0], other)
    fixed = set(settled)
    if len(pool) > 1:
        sigs = np.stack([it.sig for it in pool])
        for i, a in enumerate(pool):
            if a.doc_id in fixed:
                continue  # settled pairs are skipped; its pairs with open items come from them
            equal = np.count_nonzero(sigs == sigs[i], axis=1) / sigs.shape[1]
            for k in np.flatnonzero(equal >= min(params.jaccard, 0.05)):
                b = pool[int(k)]
                if b.doc_id == a.doc_id or (b.doc_id not in fixed and b.doc_id < a.doc_id):
                    continue  # itself, or an open pair already judged from the other side
                if root(a.doc_id) != root(b.doc_id) and same_story(a, b, params, guard):
                    join(a.doc_id, b.doc_id)
    return {it.doc_id: root(it.doc_id) for it in pool}
