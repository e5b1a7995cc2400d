"""Search results as stories: one entry per cluster, the other copies listed beside it.

``search_stories(index, store, request)`` runs the search through the search API (any backend) and
collapses its ranked hits: the best-ranked document of a cluster stands for the story, the other
documents of the cluster (in search, earliest first) are its ``copies``. Pages and the total count
stories, not documents; facets still count documents. The story total is exact up to
``EXACT_TOTAL`` matching documents (it takes every match's id, unless the ranked hits read for the
page were all of them); above, it is estimated from the share of copies among the store's clustered
documents (``StoryResults.exact`` is False). The map of
shared clusters is kept per store until the clusters change (meta ``clusters_version``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corpus import ClusterMember, Store
    from indexer import Hit, SearchBackend, SearchRequest, SearchResults

__all__ = ["EXACT_TOTAL", "Copy", "Story", "StoryResults", "search_stories", "stories_of"]

_WINDOW = 3  # underlying hits fetched per story wanted
EXACT_TOTAL = 2000  # matching documents up to which the story total is counted exactly
_SHARED: dict[str, tuple[str, dict[int, int], int]] = {}  # url -> (version, map, clustered)


@dataclass(frozen=True)
class Copy:
    """Another copy of a story: where it was published."""

    doc_id: int
    url: str
    site: str
    title: str
    published: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of ``vestnik search --json`` (``copies`` items)."""
        return {
            "url": self.url,
            "site": self.site,
            "title": self.title,
            "published": self.published,
        }


@dataclass(frozen=True)
class Story:
    """One result: the hit standing for the story, its cluster id and the other copies."""

    hit: Hit
    cluster: int
    copies: tuple[Copy, ...] = ()

    @property
    def also(self) -> tuple[str, ...]:
        """The other sites that carry the story ("также: site2, site3"), in order, once each."""
        return tuple(dict.fromkeys(c.site for c in self.copies if c.site != self.hit.site))


@dataclass(frozen=True)
class StoryResults:
    """A page of stories; ``total`` counts stories, ``documents`` the matching documents."""

    stories: tuple[Story, ...]
    total: int
    documents: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str = ""
    elapsed_ms: float = 0.0
    exact: bool = True  # False: ``total`` is an estimate (more than EXACT_TOTAL documents)


def _copies(members: list[ClusterMember], doc_id: int) -> tuple[Copy, ...]:
    return tuple(
        Copy(m.doc_id, m.url, m.site, m.title, m.published) for m in members if m.doc_id != doc_id
    )


def stories_of(hits: tuple[Hit, ...], store: Store, *, collapse: bool = True) -> list[Story]:
    """The hits as stories (``collapse=False``: one story per hit, copies still listed)."""
    clusters = store.cluster_ids(h.doc_id for h in hits)
    members = store.cluster_members(set(clusters.values()))
    out: list[Story] = []
    seen: set[int] = set()
    for hit in hits:
        cluster = clusters.get(hit.doc_id, hit.doc_id)
        if collapse and cluster in seen:
            continue
        seen.add(cluster)
        out.append(Story(hit, cluster, _copies(members.get(cluster, []), hit.doc_id)))
    return out


def _shared(store: Store) -> tuple[dict[int, int], int]:
    """Doc id -> cluster id of the documents in clusters of two or more, and how many documents
    are clustered; cached per store until the clusters change."""
    from indexer.clusters._step import VERSION_KEY

    url = str(getattr(store, "url", id(store)))
    version = store.get_meta(VERSION_KEY, "")
    cached = _SHARED.get(url)
    if cached is None or cached[0] != version or not version:
        cached = (version, store.shared_clusters(), store.count_clusters()[0])
        _SHARED[url] = cached
    return cached[1], cached[2]


def _story_total(
    index: SearchBackend,
    req: SearchRequest,
    shared: Mapping[int, int],
    documents: int,
    read: int,
    stories: int,
    clustered: int,
) -> tuple[int, bool]:
    """(stories among the ``documents`` matching, exact?); ``read`` ranked hits were read, of
    ``stories`` stories; ``clustered`` documents are clustered in the store."""
    if read >= documents:
        return stories, True
    if documents > EXACT_TOTAL:
        copies = len(shared) - len(set(shared.values()))  # documents that are not a story's first
        return max(stories, round(documents * (1 - copies / max(clustered, 1)))), False
    ids = index.doc_ids(
        req.query, since=req.since, until=req.until, site=req.site, lang=req.lang,
        region=req.region,
    )  # fmt: skip
    return len({shared.get(i, i) for i in ids}), True


def search_stories(
    index: SearchBackend, store: Store, req: SearchRequest, *, collapse: bool = True
) -> StoryResults:
    """Search, then one entry per story (``collapse=False``: one per document).

    Usage::

        res = search_stories(index, store, SearchRequest("курская"))
        res.stories[0].also
        # -> ('agency',)
    """
    shared, clustered = _shared(store) if collapse else ({}, 0)
    if not shared:
        results = index.search(req)
        return _page(results, stories_of(results.hits, store, collapse=False), results.total)
    want = max(1, req.page) * max(1, req.per_page)
    chunk = max(want * _WINDOW, 30)
    first: SearchResults | None = None
    seen: set[int] = set()
    kept: list[Hit] = []
    page = read = 0
    while len(kept) < want:
        page += 1
        results = index.search(replace(req, page=page, per_page=chunk))
        first = first or results
        read += len(results.hits)
        for hit in results.hits:
            cluster = shared.get(hit.doc_id, hit.doc_id)
            if cluster not in seen:
                seen.add(cluster)
                kept.append(hit)
        if page * chunk >= results.total or not results.hits:
            break
    assert first is not None
    per_page, start = max(1, req.per_page), (max(1, req.page) - 1) * max(1, req.per_page)
    stories = stories_of(tuple(kept[start : start + per_page]), store)
    total, exact = _story_total(index, req, shared, first.total, read, len(seen), clustered)
    out = _page(first, stories, total)
    return replace(out, page=max(1, req.page), per_page=per_page, exact=exact)


def _page(results: SearchResults, stories: list[Story], total: int) -> StoryResults:
    return StoryResults(
        stories=tuple(stories),
        total=total,
        documents=results.total,
        page=results.page,
        per_page=results.per_page,
        facets=results.facets,
        suggestion=results.suggestion,
        elapsed_ms=results.elapsed_ms,
    )
