"""One fetched page -> its document fields: title, date, body, language, canonical URL, files.

>>> page = extract_page(html_bytes, "https://www.mpt.gov.by/ru/news/09-01-2023-8401")  # doctest: +SKIP
>>> page.title, page.published, page.lang
('Курская делегация посетила Гомельскую область', '2023-01-09T10:15', 'ru')

A profile's CSS selectors win where given; otherwise ``crawler._content`` finds the main text.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import lxml.cssselect
import lxml.etree
import lxml.html
from cssselect import ExpressionError, SelectorError

from core.errors import ExtractError
from crawler._charset import decode_html
from crawler._content import Element, find_content, read_blocks, strip_chrome, text_of
from crawler._dates import find_date, parse_date
from crawler._lang import detect_lang
from crawler._markup import MAX_LINKS, flatten_deep, too_deep
from crawler._profiles import SiteProfile
from crawler._urls import join_url, path_and_query

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
# Meta tags that carry a publication date, most specific first.
_DATE_META = (
    ("property", "article:published_time"),
    ("itemprop", "datePublished"),
    ("name", "dc.date.created"),
    ("name", "dc.date"),
    ("name", "date"),
    ("name", "pubdate"),
    ("property", "og:published_time"),
)
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—]\s+[^|\-–—]+$")
_MIN_ARTICLE_CHARS = 150


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
    return lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, default_doctype=False
    )


# Markup swallowed by an element whose content is raw text: an unclosed <title> or <textarea>
# makes lxml read the rest of the page as that element's text.
_SWALLOWED = re.compile(r"</?(?:p|div|body|html|h[1-6]|table|ul|a|span|article|main)\b", re.I)
_RAW_TEXT_TAGS = ("title", "textarea", "xmp", "plaintext", "noscript")


def _swallowed(root: Element) -> bool:
    return any(el.text and _SWALLOWED.search(el.text) for el in root.iter(*_RAW_TEXT_TAGS))


def _repaired(text: str) -> bytes:
    """The page re-read by BeautifulSoup's forgiving ``html.parser`` builder, serialized back:
    it closes a runaway <title>/<textarea> where the text ends, so lxml sees the real page."""
    from bs4 import BeautifulSoup

    return str(BeautifulSoup(text, "html.parser")).encode("utf-8", "surrogatepass")


def parse(text: str) -> Element:
    """The ``lxml.html`` tree of a page, without comments, scripts and styles (their text never
    counts); an empty page gives an empty document. lxml reads well-formed and ordinary broken
    pages fast; a page whose markup lxml swallows into a raw-text element is repaired with
    BeautifulSoup first."""
    data = text.encode("utf-8", "surrogatepass")
    parser = _parser()
    root = lxml.html.document_fromstring(data, parser=parser) if data.strip() else None
    if root is not None and too_deep(parser):  # libxml2 stopped at 256 levels (crawler._markup)
        root = lxml.html.document_fromstring(flatten_deep(text).encode("utf-8", "surrogatepass"),
                                             parser=_parser())  # fmt: skip
    if root is not None and _swallowed(root):
        root = lxml.html.document_fromstring(_repaired(text), parser=_parser())
    if root is None:
        root = lxml.html.document_fromstring(b"<html><body></body></html>", parser=_parser())
    lxml.etree.strip_elements(root, "script", "style", with_tail=False)
    return root


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


def _title(root: Element, profile: SiteProfile | None) -> tuple[str, Element | None]:
    tag = _select(root, profile.title_selector) if profile else None
    if tag is None:
        tag = next(root.iter("h1"), None)
    if tag is not None:
        text = text_of(tag)
        if text:
            return text, tag
    og = _meta(root, "property", "og:title")
    if og is not None and _attr(og, "content"):
        return _norm(_attr(og, "content")), None
    title = next(root.iter("title"), None)
    text = text_of(title) if title is not None else ""
    return _TITLE_SUFFIX.sub("", text), None


def _date_of(tag: Element) -> str:
    for name in ("content", "datetime"):
        value = parse_date(_attr(tag, name))
        if value:
            return value
    return parse_date(text_of(tag))


def _container(node: Any) -> Element:
    """The element a text node of an XPath result sits in."""
    parent = node.getparent()
    return parent if node.is_text else parent.getparent()


def _near_title(title_tag: Element | None, limit: int = 400) -> str:
    if title_tag is None:
        return ""
    parts: list[str] = []
    size = 0
    for text in title_tag.xpath("descendant::text() | following::text()"):
        parts.append(str(text))
        size += len(text)
        if size > limit:
            break
    after = _norm(" ".join(parts))
    parent = title_tag.getparent()
    before = ""
    if parent is not None:
        previous = title_tag.xpath("preceding::text()")[-6:][::-1]
        inside = [
            str(s) for s in previous
            if (c := _container(s)) is parent or any(a is parent for a in c.iterancestors())
        ]  # fmt: skip
        before = _norm(" ".join(inside))
    return after + " | " + before


def _date_candidates(
    root: Element, profile: SiteProfile | None, title_tag: Element | None
) -> Iterator[str]:
    """Dates in order of trust (computed lazily): profile selector, meta tags, <time>/RDFa,
    the date line by the title."""
    tag = _select(root, profile.date_selector) if profile else None
    if tag is not None:
        yield _date_of(tag)
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        for attr in ("property", "itemprop", "name"):
            key = _attr(meta, attr).lower()
            if key:
                metas.setdefault(f"{attr}:{key}", _attr(meta, "content"))
    for attr, name in _DATE_META:
        yield parse_date(metas.get(f"{attr}:{name.lower()}", ""))
    scope = title_tag.getparent() if title_tag is not None else None
    scope = root if scope is None else scope
    for found in itertools.islice(scope.iterdescendants("time", "span", "div", "meta"), 400):
        if (
            found.tag == "time"
            or "date" in _attr(found, "property").lower()
            or _attr(found, "itemprop") in ("datePublished", "dateCreated")
        ):
            yield _date_of(found)
    near = find_date(_near_title(title_tag))
    if near:
        yield near[0]


def _published(root: Element, profile: SiteProfile | None, title_tag: Element | None) -> str:
    """The first date candidate; a date without time takes the time of a later candidate of the
    same day."""
    first = ""
    for candidate in _date_candidates(root, profile, title_tag):
        if not candidate:
            continue
        if not first:
            first = candidate
            if "T" in first:
                return first
        elif candidate.startswith(first + "T"):
            return candidate
    return first


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
        if not path.endswith(ATTACHMENT_EXTENSIONS) and "pdf" not in _attr(a, "type").lower():
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


def _links(root: Element, url: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for tag in root.iter("a", "link", "area"):
        href = tag.get("href")
        if href is None:
            continue
        rel = _attr(tag, "rel").lower().split()
        if "nofollow" in rel or tag.tag == "link" and "next" not in rel:
            continue
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
    root = parse(text)
    canonical = _canonical(root, url)
    links = _links(root, url)
    title, title_tag = _title(root, profile)
    published = _published(root, profile, title_tag)
    body_tag = _select(root, profile.body_selector) if profile else None
    files = _file_links(root, url)
    strip_chrome(body_tag if body_tag is not None else root, title_tag)
    content = body_tag if body_tag is not None else find_content(root)
    attachments = _attachments(files, _region(content, title_tag))
    skip = frozenset({title})
    blocks = read_blocks(content, skip) if content is not None else None
    body = blocks.text() if blocks is not None else ""
    first_line = body.split("\n", 1)[0]
    if body and published and len(first_line) < 40 and find_date(first_line):
        body = body.split("\n", 1)[1].lstrip("\n") if "\n" in body else ""
    lang = detect_lang(f"{title}\n{body}" if body else " ".join(root.itertext())[:5000])
    is_article = _looks_like_article(title, body, content, profile, url, canonical)
    return ExtractedPage(
        url=url, title=title, published=published, body=body, lang=lang, canonical=canonical,
        attachments=attachments, links=links, is_article=is_article, encoding=encoding,
    )  # fmt: skip


def _looks_like_article(
    title: str, body: str, content: Element | None, profile: SiteProfile | None, url: str,
    canonical: str,
) -> bool:  # fmt: skip
    if not title or not body:
        return False
    if profile is not None and profile.article_patterns:
        return any(profile.is_article_url(path_and_query(u)) for u in (url, canonical))
    if len(body) < _MIN_ARTICLE_CHARS or content is None:
        return False
    text = len(text_of(content)) or 1
    links = list(content.iterdescendants("a"))
    link_text = sum(len(text_of(a)) for a in links)
    return link_text / text < 0.15 and len(links) <= 8


def extract_page(
    raw: bytes, url: str, content_type: str | None = None, profile: SiteProfile | None = None
) -> ExtractedPage:
    """Extract one page's document fields from its raw bytes (charset from ``content_type``,
    the page's meta, or detection).

    >>> extract_page(b"<h1>T</h1><p>" + b"x " * 100 + b"</p>", "http://h/a").title
    'T'
    """
    text, encoding = decode_html(raw, content_type)
    if (content_type or "").split(";")[0].strip().lower() == "text/plain":
        return _plain_text_page(text, url, encoding)
    try:
        return extract_html(text, url, profile, encoding)
    except (ValueError, LookupError, RecursionError, AssertionError, lxml.etree.LxmlError) as exc:
        raise ExtractError(f"{url}: cannot read the page: {exc}") from exc


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
