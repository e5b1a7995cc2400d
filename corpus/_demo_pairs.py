"""Cluster gold of the demo sites: pairs of articles that are (not) one story.

Articles say what they are: ``copy_of = ["vitebsk:502"]`` (this article republishes or rewrites that
story) and ``same_event = ["vitebsk:502"]`` (a different story about the same event, published the
same day). Stories are the classes of ``copy_of``; every two articles of one story make a
*same-story* pair, and every two articles of different stories linked by ``same_event`` make a
*different-story* pair. Each pair belongs to the development half ("dev", used to choose the
thresholds) or the held-out half ("test"), by a hash of its story (same-story pairs) or of the
pair itself (different-story pairs).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from itertools import combinations
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corpus._demo_gold import Site

__all__ = ["cluster_pairs"]


class _Classes:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def root(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            x = self.parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _half(key: str) -> str:
    return "dev" if zlib.crc32(key.encode("utf-8")) % 2 == 0 else "test"


def cluster_pairs(sites: Mapping[str, Site]) -> dict[str, Any]:
    """The gold pairs (sorted) and the story of every article that belongs to one."""
    stories, events = _Classes(), _Classes()
    keys = {f"{s.name}:{a.id}": a for s in sites.values() for a in s.articles.values()}
    for key, art in keys.items():
        for other in art.copy_of:
            if other not in keys:
                raise ValueError(f"{key}: copy_of names {other}, which is not an article")
            stories.join(key, other)
    for key, art in keys.items():
        for other in art.same_event:
            if other not in keys:
                raise ValueError(f"{key}: same_event names {other}, which is not an article")
            events.join(stories.root(key), stories.root(other))
    members: dict[str, list[str]] = {}
    for key in sorted(stories.parent):
        members.setdefault(stories.root(key), []).append(key)
    for story in list(events.parent):
        members.setdefault(story, [story])
    pairs: list[dict[str, Any]] = []
    for story, group in members.items():
        for a, b in combinations(sorted(group), 2):
            pairs.append({"a": a, "b": b, "same": True, "set": _half(story)})
    by_event: dict[str, list[str]] = {}
    for story in events.parent:
        by_event.setdefault(events.root(story), []).append(story)
    for group in by_event.values():
        for s1, s2 in combinations(sorted(group), 2):
            for a in members[s1]:
                for b in members[s2]:
                    x, y = sorted((a, b))
                    pairs.append({"a": x, "b": y, "same": False, "set": _half(f"{x}|{y}")})
    pairs.sort(key=lambda p: (not p["same"], p["a"], p["b"]))
    story_of = {k: stories.root(k) for k in sorted(stories.parent)}
    return {"pairs": pairs, "stories": story_of}
