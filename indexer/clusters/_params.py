"""The clustering's parameters: one frozen record, defaults chosen on the cluster gold's dev half.

See docs/clusters.md for how the thresholds were chosen and what they give on the held-out half.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import ClusterSettings

__all__ = ["DEFAULT_PARAMS", "ClusterParams"]


@dataclass(frozen=True, kw_only=True)
class ClusterParams:
    """How documents become shingles, signatures, candidate pairs and clusters.

    Two documents are copies of one story when they were published at most ``window_days`` apart
    (or one has no date) and their estimated Jaccard similarity of shingle sets is at least
    ``jaccard`` or the smaller set is at least ``containment`` inside the larger one (a shortened
    copy), the smaller set having at least ``min_shingles`` shingles. Clusters are the connected
    components of that relation; a cluster's id is its smallest document id. Pairs are judged again
    without their sites' boilerplate: signature values found in ``boilerplate_docs`` or more
    documents of one site among those compared together (0: no guard; ``Boilerplate``).
    """

    shingle_words: int = 3  # words per shingle
    stem_chars: int = 6  # words are cut to this many letters (a cheap stand-in for lemmas)
    num_perm: int = 128  # MinHash permutations (signature length)
    lsh_threshold: float = 0.2  # datasketch MinHashLSH threshold for candidate pairs
    jaccard: float = 0.25
    containment: float = 0.55
    min_shingles: int = 25
    window_days: int = 30
    seed: int = 20240
    boilerplate_docs: int = 3

    def __post_init__(self) -> None:
        if not 0 < self.jaccard <= 1 or not 0 < self.containment <= 1:
            raise ValueError("jaccard and containment thresholds are in (0, 1]")
        if self.shingle_words < 1 or self.num_perm < 16 or self.window_days < 0:
            raise ValueError("shingle_words >= 1, num_perm >= 16, window_days >= 0")
        if self.boilerplate_docs < 0 or 0 < self.boilerplate_docs < 3:
            raise ValueError("boilerplate_docs is 0 (no guard) or at least 3")

    @classmethod
    def from_settings(cls, section: ClusterSettings) -> ClusterParams:
        """The parameters of a ``[clusters]`` settings section (same field names).

        >>> from core.settings import load_settings
        >>> ClusterParams.from_settings(load_settings(None, {"clusters.jaccard": 0.4}).clusters).jaccard
        0.4
        """
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in dataclasses.asdict(section).items() if k in names})


DEFAULT_PARAMS = ClusterParams()
