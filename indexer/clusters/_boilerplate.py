"""The template-chaining guard: a site's boilerplate seen in MinHash signatures.

A series of one site built from one template (announcements, weekly briefings, the same paragraphs
about the ministry under every item) makes every two items look alike, and connected components
would chain the whole series into one giant cluster. Two copies of one story share passages found
in few documents of any one site; a template's passages recur across the site. A signature slot
holds the minimum hash of a document's shingles, so a slot value that recurs in ``min_docs`` or more
documents of one site among the documents compared together is a hash of that site's boilerplate:
such slots are left out, and the pair is judged again on the rest (``judge(..., boilerplate=)``).

The share of a document's slots that hold boilerplate estimates the share of its shingles that are
boilerplate (the minimum of a set falls in a subset with probability |subset| / |set|), so the
shingle counts are scaled down with it for the containment rule.

>>> import numpy as np
>>> from indexer.clusters._relation import Item
>>> pool = [Item(i, "", 10, np.array([7, 7, i, i], dtype=np.uint32), "s") for i in range(5)]
>>> Boilerplate(pool, min_docs=5).common(pool[0]).tolist()
[True, True, False, False]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from indexer.clusters._relation import Item

__all__ = ["Boilerplate"]


class Boilerplate:
    """Which signature slots of a document hold boilerplate of its site, among ``pool``."""

    def __init__(self, pool: Sequence[Item], min_docs: int) -> None:
        self.min_docs = min_docs
        by_site: dict[str, list[Item]] = {}
        for it in pool:
            by_site.setdefault(it.site, []).append(it)
        self._sigs = {
            site: np.stack([it.sig for it in items])
            for site, items in by_site.items()
            if min_docs > 0 and len(items) >= min_docs
        }
        self._common: dict[int, np.ndarray[Any, Any]] = {}

    def common(self, it: Item) -> np.ndarray[Any, Any]:
        """A boolean per slot: ``it``'s value recurs in ``min_docs`` documents of its site."""
        found = self._common.get(it.doc_id)
        if found is None:
            sigs = self._sigs.get(it.site)
            if sigs is None:
                found = np.zeros(len(it.sig), dtype=bool)
            else:
                found = np.count_nonzero(sigs == it.sig, axis=0) >= self.min_docs
            self._common[it.doc_id] = found
        return found
