"""One fetched page -> its document fields: title, date, body, language, canonical URL, files.

Usage::

    page = extract_page(html_bytes, "https://www.mpt.gov.by/ru/news/09-01-2023-8401")
    page.title, page.published, page.lang
    # -> ('Курская делегация посетила Гомельскую область', '2023-01-09T10:15', 'ru')

A profile's CSS selectors win where given; otherwise ``crawler._content`` finds the main text.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import lxml.cssselect
import lxml.etree
from cssselect import ExpressionError, SelectorError

from core.errors import ExtractError
from crawler._article import is_listing
from crawler._blocks import Blocks, read_blocks, text_of
from crawler._charset import decode_html
from crawler._content import (
    Element,
    Stat,
    drop,
    feed_of,
    find_content,
    measure,
    prune,
    siblings_of,
)
from crawler._dates import find_date, leading_date
from crawler._lang import detect_lang
from crawler._markers import DROP_TAGS, SMALL_DROP_TAGS
from crawler._markup import MAX_LINKS, flatten_deep, too_deep
from crawler._metadata import JsonLd, best_heading, meta_tags, read_jsonld
from crawler._profiles import SiteProfile
from crawler._pubdate import published_date
from crawler._repeats import RepeatTable
from crawler._urls import join_url, normalize_url, path_and_query

__all__ = [
    "ATTACHMENT_EXTENSIONS",
    "ExtractedPage",
    "extract_html",
    "extract_page",
    "parse",
    "text_document",
]

ATTACHMENT_EXTENSIONS = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".rtf", ".odt", ".ods", ".ppt", ".pptx", ".zip",
    ".rar", ".7z",
)  # fmt: skip
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—]\s+[^|\-–—]+$")
_MIN_ARTICLE_CHARS = 150
_MAX_LINK_SHARE = 0.4  # of the chosen block's text, before pruning (teasers: crawler._article)


@dataclass(frozen=True)
class ExtractedPage:
    """What one page holds. ``published`` is "YYYY-MM-DD[THH:MM]" or ""; ``lang`` is told from
    the text; ``links`` are absolute request-form URLs (nofollow links left out)."""

    url: str
    title: str
    published: str
    body: str
    lang: str
    canonical: str
    attachments: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    is_article: bool = False
    encoding: str = "utf-8"


def _attr(el: Element | None, name: str) -> str:
    return str(el.get(name) or "").strip() if el is not None else ""


def _norm(text: str) -> str:
    return " ".join(text.split())


def _parser() -> Any:
    return lxml.etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, default_doctype=False
    )


# Markup swallowed by an element whose content is raw text: an unclosed <title> or <textarea>
# makes lxml read the rest of the page as that element's text.
_SWALLOWED = re.compile(r"</?(?:p|div|body|html|h[1-6]|table|ul|a|span|article|main)\b", re.I)
_RAW_TEXT_TAGS = ("title", "textarea", "xmp", "plaintext", "noscript")


_FOLLOWING = lxml.etree.XPath("count(following::*)")


def _swallowed(root: Element) -> bool:
    """Whether a raw-text element holds markup and the page ends inside it (a closed
    ``<textarea>`` of embed code, followed by the rest of the page, is left alone)."""
    return any(
        el.text and _SWALLOWED.search(el.text) and _FOLLOWING(el) < 3
        for el in root.iter(*_RAW_TEXT_TAGS)
    )


def _repaired(text: str) -> bytes:
    """The page re-read by BeautifulSoup's forgiving ``html.parser`` builder, serialized back:
    it closes a runaway <title>/<textarea> where the text ends, so lxml sees the real page."""
    from bs4 import BeautifulSoup

    return str(BeautifulSoup(text, "html.parser")).encode("utf-8", "surrogatepass")


def parse(text: str) -> Element:
    """The ``lxml`` tree of a page, without comments, scripts and styles (their text never
    counts); an empty page gives an empty document. lxml reads well-formed and ordinary broken
    pages fast; a page whose markup lxml swallows into a raw-text element is repaired with
    BeautifulSoup first."""
    return _parse(text)[0]


def _document(data: bytes) -> tuple[Element | None, Any]:
    """The plain ``lxml.etree`` tree (no ``lxml.html`` element classes: several times faster
    to walk) and the parser that read it."""
    parser = _parser()
    try:
        root = lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError:
        return None, parser
    return (root if root is not None and isinstance(root.tag, str) else None), parser


def _parse(text: str) -> tuple[Element, list[str]]:
    """``parse`` and the texts of the page's JSON-LD scripts."""
    data = text.encode("utf-8", "surrogatepass")
    root, parser = _document(data) if data.strip() else (None, None)
    if root is not None and too_deep(parser):  # libxml2 stopped at 256 levels (crawler._markup)
        root = _document(flatten_deep(text).encode("utf-8", "surrogatepass"))[0]
    if root is not None and _swallowed(root):
        root = _document(_repaired(text))[0]
    if root is None:
        root = lxml.etree.fromstring(b"<html><body></body></html>", parser=_parser())
    jsonld = [s.text for s in root.iter("script") if s.text and "ld+json" in (s.get("type") or "")]
    lxml.etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    for el in list(root.iter(*SMALL_DROP_TAGS)):
        if sum(len(t) for t in el.itertext()) < 300:
            drop(el)
    return root, jsonld


def _canonical(root: Element, url: str) -> str:
    for tag in root.iter("link"):
        if tag.get("href") is not None and "canonical" in _attr(tag, "rel").lower().split():
            found = join_url(url, _attr(tag, "href"))
            if found:
                return found
    og = _meta(root, "property", "og:url")
    found = join_url(url, _attr(og, "content")) if og is not None else None
    return found or url


def _meta(root: Element, attr: str, value: str) -> Element | None:
    return next((m for m in root.iter("meta") if m.get(attr) == value), None)


@functools.lru_cache(maxsize=128)
def _compiled(selector: str) -> Any:
    try:
        return lxml.cssselect.CSSSelector(selector, translator="html")
    except (SelectorError, ExpressionError, ValueError):
        return None


def _select(root: Element, selector: str) -> Element | None:
    compiled = _compiled(selector) if selector else None
    if compiled is None:
        return None
    return next(iter(compiled(root)), None)


def _site_suffix_free(title: str) -> str:
    return _TITLE_SUFFIX.sub("", title)


_HEADLINE_XPATH = lxml.etree.XPath(
    "//h2 | //*[@itemprop='headline'] | //*[contains(@class, 'title')]"
    " | //*[contains(@class, 'headline')]"
)


def _title(
    root: Element, profile: SiteProfile | None, metas: dict[str, str], jsonld: JsonLd
) -> tuple[str, Element | None]:
    """The profile's title element; else the ``<h1>`` matching og:title, the JSON-LD headline
    or ``<title>`` best, or a headline-like element matching clearly better; else those
    references themselves; else the first ``<h1>``."""
    tag = _select(root, profile.title_selector) if profile else None
    if tag is not None and text_of(tag):
        return text_of(tag), tag
    title_el = next(root.iter("title"), None)
    page_title = text_of(title_el) if title_el is not None else ""
    references = [
        _norm(metas.get("property:og:title", "")), jsonld.headline,
        _norm(metas.get("name:twitter:title", "")), page_title,
    ]  # fmt: skip
    h1s = [(t, h) for h in itertools.islice(root.iter("h1"), 12) if (t := text_of(h))]
    found = best_heading(h1s, references)
    if found is None or found[2] < 0.8:
        others = [
            (t, h) for h in itertools.islice(_HEADLINE_XPATH(root), 60)
            if h.tag not in ("title", "meta", "body", "html") and 0 < len(t := text_of(h)) < 400
        ]  # fmt: skip
        other = best_heading(others, references)
        if other is not None and (found is None or other[2] > found[2] + 0.1):
            found = other
    if found is not None:
        return found[0], found[1]
    for ref in references[:3]:
        if ref:
            return ref, None
    if h1s:
        return h1s[0]
    return _site_suffix_free(page_title), None


def _region(content: Element | None, title_tag: Element | None) -> Element | None:
    """The element holding both the title and the body (where attachments are looked for)."""
    if content is None:
        return None
    if title_tag is None:
        return content
    ids = {id(p) for p in title_tag.iterancestors()}
    for parent in [content, *content.iterancestors()]:
        if id(parent) in ids:
            return parent if parent.tag not in ("html", "body") else content
    return content


def _file_links(root: Element, url: str) -> list[tuple[str, list[Element]]]:
    """Every attachment link with its ancestors (taken before chrome is stripped)."""
    found: list[tuple[str, list[Element]]] = []
    for a in root.iter("a"):
        href = a.get("href")
        if href is None:
            continue
        path = href.split("#", 1)[0].split("?", 1)[0].strip().lower()
        kind = a.get("type")
        if not path.endswith(ATTACHMENT_EXTENSIONS) and not (kind and "pdf" in kind.lower()):
            continue  # normalizing keeps a path's extension: only file-like links are joined
        target = join_url(url, href)
        if target is None:
            continue
        path = urlsplit(target).path.lower()
        if path.endswith(ATTACHMENT_EXTENSIONS) or "pdf" in _attr(a, "type").lower():
            found.append((target, list(a.iterancestors())))
    return found


def _attachments(files: list[tuple[str, list[Element]]], region: Element | None) -> tuple[str, ...]:
    if region is None:
        return ()
    out: dict[str, None] = {}
    for target, parents in files:
        if any(p is region for p in parents):
            out.setdefault(target, None)
    return tuple(out)


# Links already in normal form: lower-case http(s) host without port, a path of plain
# characters, no query or fragment ("normalize_url" would return them unchanged).
_PLAIN_URL = re.compile(
    r"https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?:/[A-Za-z0-9_~!$&'()*+,;=:@/-]*)?"
)
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9_~!$&'()*+,;=:@/-]*")


def _origin(url: str) -> str:
    end = url.find("/", url.find("//") + 2) if "//" in url else -1
    return url[:end] if end > 0 else url


def _links(root: Element, url: str) -> tuple[str, ...]:
    """Every followable link of the page, absolute and normalized (nofollow left out)."""
    seen: dict[str, None] = {}
    hrefs: dict[str, None] = {}
    for tag in root.iter("a", "link", "area"):
        href = tag.get("href")
        if href is None:
            continue
        rel = (tag.get("rel") or "").lower().split()
        if "nofollow" in rel or tag.tag == "link" and "next" not in rel:
            continue
        hrefs.setdefault(href.strip(), None)
        if len(hrefs) > 4 * MAX_LINKS:  # many spellings of few links still fill the cap
            break
    origin = _origin(url)
    plain_origin = _PLAIN_URL.fullmatch(origin) is not None and "/" not in origin[8:]
    for href in hrefs:
        if "/." in href:
            target = join_url(url, href)
        elif _PLAIN_URL.fullmatch(href):
            target = href if "/" in href[8:] else href + "/"
        elif plain_origin and href[:1] == "/" and href[1:2] != "/" and _PLAIN_PATH.fullmatch(href):
            target = origin + href
        elif href.startswith(("http://", "https://")):
            target = normalize_url(href, keep_slash=True)
        else:
            target = join_url(url, href)
        if target:
            seen.setdefault(target, None)
            if len(seen) > MAX_LINKS:  # one past the cap: the engine reports the rest unread
                break
    return tuple(seen)


def extract_html(
    text: str, url: str, profile: SiteProfile | None = None, encoding: str = "utf-8"
) -> ExtractedPage:
    """``extract_page`` for already decoded HTML."""
    root, scripts = _parse(text)
    jsonld = read_jsonld(scripts)
    metas = meta_tags(root)
    canonical = _canonical(root, url)
    links = _links(root, url)
    title, title_tag = _title(root, profile, metas, jsonld)
    date_tag = _select(root, profile.date_selector) if profile else None
    published = published_date(root, metas, jsonld, title_tag, url, date_tag)
    body_tag = _select(root, profile.body_selector) if profile else None
    files = _file_links(root, url)
    stats = measure(root)
    found = body_tag if body_tag is not None else find_content(root, stats)
    feed = feed_of(found, stats) if found is not None and body_tag is None else None
    content = found
    content = feed if feed is not None else content
    density = _link_share(content, stats)
    listing = body_tag is None and (profile is None or not profile.article_patterns) and (
        is_listing(root, stats, found, title_tag)
    )  # fmt: skip
    parts = [] if content is None else [content] if body_tag is not None or feed is not None else (
        siblings_of(content, stats)
    )  # fmt: skip
    body = _read(parts, stats, title_tag, frozenset({title}))
    attachments = _attachments(files, _region(content, title_tag))
    if jsonld.body and len(body) < 0.8 * len(jsonld.body):
        body = jsonld.body
    body = _without_date_line(body, published)
    lang = detect_lang(f"{title}\n{body[:5000]}" if body else " ".join(root.itertext())[:5000])
    is_article = not listing and _looks_like_article(title, body, density, profile, url, canonical)
    return ExtractedPage(
        url=url, title=title, published=published, body=body, lang=lang, canonical=canonical,
        attachments=attachments, links=links, is_article=is_article, encoding=encoding,
    )  # fmt: skip


def _read(
    parts: list[Element], stats: dict[Element, Stat], title_tag: Element | None,
    skip: frozenset[str],
) -> str:  # fmt: skip
    """The body text of the chosen blocks, furniture pruned."""
    items: list[tuple[str, str]] = []
    for part in parts:
        prune(part, stats, title_tag)
        items.extend(read_blocks(part, skip).items)
    return Blocks(tuple(items)).text()


def _without_date_line(body: str, published: str) -> str:
    """The body without the date line it starts with (a line of its own under 40 characters,
    or the publication date leading the first paragraph)."""
    first_line = body.split("\n", 1)[0]
    if body and published and len(first_line) < 40 and find_date(first_line):
        return body.split("\n", 1)[1].lstrip("\n") if "\n" in body else ""
    value, length = leading_date(body[:80])
    if value and published and value[:10] == published[:10]:
        return body[length:]
    return body


def _link_share(content: Element | None, stats: dict[Element, Stat]) -> float:
    """The link text share of the chosen block, before pruning."""
    st = stats.get(content) if content is not None else None
    return st.links / (st.chars or 1) if st is not None else 1.0


def _looks_like_article(
    title: str, body: str, share: float, profile: SiteProfile | None, url: str, canonical: str
) -> bool:
    if not title or not body:
        return False
    if profile is not None and profile.article_patterns:
        return any(profile.is_article_url(path_and_query(u)) for u in (url, canonical))
    if len(body) < _MIN_ARTICLE_CHARS:
        return False
    return share < _MAX_LINK_SHARE


def extract_page(
    raw: bytes, url: str, content_type: str | None = None, profile: SiteProfile | None = None,
    repeats: RepeatTable | None = None,
) -> ExtractedPage:  # fmt: skip
    """Extract one page's document fields from its raw bytes (charset from ``content_type``,
    the page's meta, or detection); ``repeats`` strips the site's repeated blocks from an
    article's body (``crawler._repeats``).

    >>> extract_page(b"<h1>T</h1><p>" + b"x " * 100 + b"</p>", "http://h/a").title
    'T'
    """
    text, encoding = decode_html(raw, content_type)
    if _binary(text):
        raise ExtractError(f"{url}: binary data, not a text page")
    if (content_type or "").split(";")[0].strip().lower() == "text/plain":
        return _plain_text_page(text, url, encoding)
    try:
        page = extract_html(text, url, profile, encoding)
    except (ValueError, LookupError, RecursionError, AssertionError, lxml.etree.LxmlError) as exc:
        raise ExtractError(f"{url}: cannot read the page: {exc}") from exc
    if repeats is not None and page.is_article:
        body = repeats.strip(url, page.body)
        if body != page.body:
            page = replace(page, body=body)
    return page


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _binary(text: str) -> bool:
    """Whether the decoded page is mostly not text (control characters, undecodable bytes)."""
    sample = text[:8192]
    return len(_NOT_TEXT.findall(sample)) > 0.05 * max(len(sample), 1)


def text_document(text: str) -> tuple[str, str]:
    """``(title, body)`` of a .txt file: the first non-empty line, then paragraphs separated by
    blank lines (lines inside a paragraph joined)."""
    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title = " ".join(lines[0].split()) if lines else ""
    paragraphs = [" ".join(chunk.split()) for chunk in "\n".join(lines[1:]).split("\n\n")]
    return title, "\n\n".join(p for p in paragraphs if p)


def _plain_text_page(text: str, url: str, encoding: str) -> ExtractedPage:
    """A plain-text page: the first non-empty line is the title, the rest is the body."""
    title, body = text_document(text)
    return ExtractedPage(
        url=url, title=title, published="", body=body, lang=detect_lang(f"{title}\n{body}"),
        canonical=url, is_article=bool(body),
    )  # fmt: skip
