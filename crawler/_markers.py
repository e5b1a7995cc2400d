"""Lexicons of the general extractor: what class/id words and tags say about an element.

A class or id value is split into tokens (``"post-content entry"`` -> ``post-content``,
``entry``), a token into parts (``post``, ``content``). A token names chrome when one of its
parts is a chrome word and none is a content, layout or negation word: ``sidebar`` and
``share-buttons`` are chrome; ``content-with-aside``, ``elementor-widget-container`` and
``no-sidebar`` are not.

>>> class_weight("entry-content clearfix")
25
>>> class_weight("sidebar widget")
-25
>>> class_weight("container-wrap no-sidebar")
0
>>> is_chrome("content-with-aside")
False
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "BLOCK_TAGS",
    "DROP_TAGS",
    "INLINE_TAGS",
    "SECTION_TAGS",
    "SMALL_DROP_TAGS",
    "class_weight",
    "is_chrome",
    "is_content",
    "is_modified",
]

# Tags whose text is never page text.
DROP_TAGS = frozenset((
    "script", "style", "noscript", "template", "iframe", "svg", "input", "select", "textarea",
    "object", "embed", "canvas", "map", "option",
))  # fmt: skip
# Control tags dropped when small: an unclosed <button> swallows the rest of the page.
SMALL_DROP_TAGS = frozenset(("button", "label", "dialog"))
# Page furniture tags: dropped unless they hold most of the text.
SECTION_TAGS = frozenset(("nav", "aside", "footer", "header", "menu"))
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big br cite code del dfn em font i img ins kbd mark q s samp small span "
    "strike strong sub sup time tt u var wbr".split()
)
BLOCK_TAGS = frozenset(
    "address article aside blockquote center dd details dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main menu nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul".split()
)

# Parts of class/id tokens that name page furniture (Drupal, Bitrix, WordPress, Joomla habits).
_CHROME = frozenset((
    "nav", "navbar", "navigation", "menu", "menus", "sidebar", "aside", "footer", "header",
    "masthead", "breadcrumb", "breadcrumbs", "crumbs", "share", "sharing", "sharedaddy", "social",
    "socials", "print", "comment", "comments", "disqus", "related", "latest", "popular", "banner",
    "banners", "pager", "pagination", "paging", "search", "skiplinks", "language", "lang",
    "copyright", "logo", "widget", "widgets", "tags", "tagcloud", "back", "counter", "cookie",
    "cookies", "consent", "gdpr", "subscribe", "subscription", "newsletter", "signup", "rating",
    "submitted", "meta", "ad", "ads", "advert", "adverts", "advertisement", "sponsor",
    "sponsored", "promo", "popup", "modal", "toolbar", "topbar", "recommended", "recommend",
    "trending", "teaser", "teasers", "outbrain", "taboola", "author", "byline", "bio",
    "login", "likes", "hashtags", "prevnext", "info", "date", "dates", "time", "datetime",
    "published", "hits", "views", "createdby", "posted", "updated",
    "postnav", "readmore", "more", "cta", "breaking", "ticker", "announce", "anons",
))  # fmt: skip
# Chrome words found inside run-together parts ("jp-relatedposts", "sharedaddy").
_CHROME_INFIX = ("related", "share", "social", "comment", "sidebar", "breadcrumb", "subscribe",
                 "newsletter", "advert", "cookie", "recommend", "banner")  # fmt: skip
_CHROME_INFIX_RE = re.compile("|".join(_CHROME_INFIX))
# Parts that name the article itself.
_CONTENT = frozenset((
    "article", "content", "entry", "post", "story", "body", "text", "main", "blog", "prose",
    "richtext", "rte", "detail", "fulltext", "articlebody", "entrycontent", "single",
    "publication", "material", "editor", "markdown", "document", "lead", "intro", "hentry",
))  # fmt: skip
# Parts that say the token describes a layout, not furniture: "widget-container", "no-sidebar".
_LAYOUT = frozenset((
    "container", "wrap", "wrapper", "inner", "outer", "holder", "layout", "row", "col", "column",
    "columns", "grid", "with", "without", "no", "has", "is", "full", "width", "left", "right",
    "section", "area", "region", "template", "theme", "site", "page", "default", "cols",
))  # fmt: skip
_POSITIVE_TOKENS = frozenset((
    "articlebody", "article-body", "article__body", "article-text", "article__text",
    "entry-content", "post-content", "post-body", "post-text", "story-body", "news-detail",
    "news-text", "news_text", "detail_text", "detail-text", "field-name-body", "field--name-body",
    "item-page", "itemfulltext", "content-body", "td-post-content", "single-content",
    "article-content", "article_content", "news-content", "full-text", "fulltext", "text-content",
))  # fmt: skip
_MODIFIED = re.compile(r"updat|modif|edit|обновл|изменен|revis", re.I)
_SPLIT = re.compile(r"[-_]+|(?<=[a-z])(?=[A-Z])")


def _parts(token: str) -> list[str]:
    if token.isalpha() and token.islower():
        return [token]
    if token == token.lower():  # no camelCase to split: only runs of "-" and "_"
        pieces = token.replace("_", "-").split("-")
    else:
        pieces = _SPLIT.split(token)
    parts = (p.lower().rstrip("0123456789") for p in pieces)
    return [p for p in parts if p]


@functools.lru_cache(maxsize=16384)
def _token_kind(token: str) -> int:
    """+1 content token, -1 chrome token, 0 neither. The last part is the token's head noun
    ("post-meta" is furniture, "entry-content" is text); layout words make it neutral."""
    if token.lower() in _POSITIVE_TOKENS:
        return 1
    parts = _parts(token)
    if not parts or not _LAYOUT.isdisjoint(parts):
        return 0
    head = parts[-1]
    if head in _CONTENT:
        return 0 if parts[0] in _CHROME else 1
    if head in _CHROME:
        return -1
    if not _CHROME.isdisjoint(parts):
        return 0 if not _CONTENT.isdisjoint(parts) else -1
    if not _CONTENT.isdisjoint(parts):
        return 1
    return -1 if _CHROME_INFIX_RE.search(" ".join(parts)) else 0


@functools.lru_cache(maxsize=16384)
def class_weight(names: str) -> int:
    """+25 when the class/id names say article text, -25 when they say chrome, else 0."""
    kinds = [_token_kind(t) for t in names.split()]
    if -1 in kinds and 1 not in kinds:
        return -25
    return 25 if 1 in kinds else 0


def is_chrome(names: str) -> bool:
    """Whether class/id names say page furniture."""
    return class_weight(names) < 0


def is_content(names: str) -> bool:
    """Whether class/id names say article text."""
    return class_weight(names) > 0


def is_modified(names: str) -> bool:
    """Whether a date element's names say it is an update, not the publication."""
    return bool(_MODIFIED.search(names))
