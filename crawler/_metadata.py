"""What a page says about itself: JSON-LD, ``<meta>`` tags, and the headline among its ``<h1>``.

>>> meta = read_jsonld(['{"@type": "NewsArticle", "headline": "Визит", '
...                     '"datePublished": "2023-01-09T10:15:00+03:00"}'])
>>> meta.headline, meta.published
('Визит', '2023-01-09T10:15:00+03:00')
>>> similarity("Визит делегации", "Визит делегации")
1.0
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["JsonLd", "best_heading", "meta_tags", "read_jsonld", "similarity"]

Element = Any

# JSON-LD types whose headline and dates are the page's own.
_ARTICLE_TYPES = frozenset((
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "techarticle", "scholarlyarticle", "report", "liveblogposting", "opinionnewsarticle",
    "socialmediaposting", "posting", "backgroundnewsarticle", "pressrelease", "event",
))  # fmt: skip
_PAGE_TYPES = frozenset(("webpage", "itempage", "medicalwebpage", "aboutpage", "qapage"))
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class JsonLd:
    """The article fields of a page's JSON-LD (the first article object wins; a WebPage object
    fills what is missing)."""

    headline: str = ""
    published: str = ""
    modified: str = ""
    body: str = ""


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _objects(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), list | dict):
                yield from _objects(data[key])


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _str(value: Any) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or ""
    return " ".join(value.split()) if isinstance(value, str) else ""


def read_jsonld(scripts: list[str]) -> JsonLd:
    """The article fields of ``<script type="application/ld+json">`` texts (bad JSON skipped)."""
    article: dict[str, str] = {}
    page: dict[str, str] = {}
    for text in scripts:
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        for obj in _objects(data):
            types = _types(obj)
            target = article if types & _ARTICLE_TYPES else page if types & _PAGE_TYPES else None
            if target is None:
                continue
            fields = {
                "headline": _str(obj.get("headline")) or _str(obj.get("name")),
                "published": _str(obj.get("datePublished")) or _str(obj.get("dateCreated")),
                "modified": _str(obj.get("dateModified")),
                "body": obj["articleBody"].strip()
                if isinstance(obj.get("articleBody"), str)
                else "",
            }
            for key, value in fields.items():
                if value:
                    target.setdefault(key, value)
    merged = {**page, **article}
    return JsonLd(**merged)


def meta_tags(root: Element) -> dict[str, str]:
    """``<meta>`` values by "property:name", "name:name" and "itemprop:name" (lowercase names;
    the first of each wins)."""
    out: dict[str, str] = {}
    for meta in root.iter("meta"):
        content = meta.get("content")
        if content is None:
            content = meta.get("datetime") or ""
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                out.setdefault(f"{attr}:{key.strip().lower()}", content.strip())
    return out


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("ё", "е"))


def similarity(heading: str, reference: str) -> float:
    """Dice overlap of the words of a heading and a reference title (0..1): a site name inside
    a long page title scores lower than the headline itself.

    >>> similarity("Министерство связи", "Визит в Гомель | Министерство связи")
    0.571
    >>> similarity("Визит в Гомель", "Визит в Гомель | Министерство связи")
    0.75
    """
    words, ref = set(_words(heading)), set(_words(reference))
    if not words or not ref:
        return 0.0
    return round(2 * len(words & ref) / (len(words) + len(ref)), 3)


def best_heading(
    headings: list[tuple[str, Element]], references: list[str]
) -> tuple[str, Element, float] | None:
    """The heading matching a reference title best, with its similarity (None when none
    reaches 0.5); the first of equals wins."""
    best: tuple[str, Element, float] | None = None
    for text, el in headings:
        score = max((similarity(text, ref) for ref in references if ref), default=0.0)
        if score >= 0.5 and (best is None or score > best[2]):
            best = (text, el, score)
    return best
