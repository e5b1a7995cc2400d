"""Story clusters: near-duplicate documents across sites grouped as one story.

Each document becomes a set of word shingles and a MinHash signature (datasketch); candidate copies
come from MinHash LSH within a publication-time window and are confirmed by estimated Jaccard
similarity or containment; clusters are connected components, identified by their smallest document
id, so they do not depend on the order documents arrive in. ``update_clusters(store)`` is the
incremental step (own high-water mark; the derive stage's ``ClusterStep`` runs it); ``search_stories`` collapses search results to one entry per
story; ``dedupe_fact_rows`` keeps one row per fact per story. See docs/clusters.md.

>>> sorted(shingles("Курская делегация в Минске", "", words=3, stem=6))
['делега в минске', 'курска делега в']
"""

from __future__ import annotations

from indexer.clusters._dedupe import dedupe_fact_rows, fact_identity
from indexer.clusters._params import DEFAULT_PARAMS, ClusterParams
from indexer.clusters._relation import Item, Verdict, components, judge, same_story
from indexer.clusters._shingles import shingles
from indexer.clusters._signature import signature
from indexer.clusters._step import (
    MARK_KEY,
    PARAMS_KEY,
    ClusterSummary,
    cluster_batch,
    cluster_store_up_to_date,
    update_clusters,
)
from indexer.clusters._stories import Copy, Story, StoryResults, search_stories, stories_of

__all__ = [
    "DEFAULT_PARAMS",
    "MARK_KEY",
    "PARAMS_KEY",
    "ClusterParams",
    "ClusterSummary",
    "Copy",
    "Item",
    "Story",
    "StoryResults",
    "Verdict",
    "cluster_batch",
    "cluster_store_up_to_date",
    "components",
    "dedupe_fact_rows",
    "fact_identity",
    "judge",
    "same_story",
    "search_stories",
    "shingles",
    "signature",
    "stories_of",
    "update_clusters",
]
