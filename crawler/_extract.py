"""One fetched page -> its document fields: title, date, body, language, canonical URL, files.

>>> page = extract_page(html_bytes, "https://www.mpt.gov.by/ru/news/09-01-2023-8401")  # doctest: +SKIP
>>> page.title, page.published, page.lang
('Курская делегация посетила Гомельскую область', '2023-01-09T10:15', 'ru')

A profile's CSS selectors win where given; otherwise ``crawler._content`` finds the main text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from crawler._charset import decode_html
from crawler._content import find_content, read_blocks, strip_chrome
from crawler._dates import find_date, parse_date
from crawler._lang import detect_lang
from crawler._profiles import SiteProfile
from crawler._urls import join_url, path_and_query
from vestnik._errors import ExtractError

__all__ = ["ATTACHMENT_EXTENSIONS", "ExtractedPage", "extract_html", "extract_page"]

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


def _attr(tag: Tag | None, name: str) -> str:
    value = tag.get(name) if tag is not None else None
    if isinstance(value, list):
        return " ".join(value)
    return str(value or "").strip()


def _norm(text: str) -> str:
    return " ".join(text.split())


def _canonical(soup: BeautifulSoup, url: str) -> str:
    for tag in soup.find_all("link", href=True):
        if "canonical" in _attr(tag, "rel").lower().split():
            found = join_url(url, _attr(tag, "href"))
            if found:
                return found
    og = soup.find("meta", attrs={"property": "og:url"})
    found = join_url(url, _attr(og, "content")) if og is not None else None
    return found or url


def _select(soup: BeautifulSoup, selector: str) -> Tag | None:
    if not selector:
        return None
    try:
        found = soup.select_one(selector)
    except ValueError:
        return None
    return found if isinstance(found, Tag) else None


def _title(soup: BeautifulSoup, profile: SiteProfile | None) -> tuple[str, Tag | None]:
    tag = _select(soup, profile.title_selector) if profile else None
    tag = tag or soup.find("h1")
    if isinstance(tag, Tag):
        text = _norm(tag.get_text(" "))
        if text:
            return text, tag
    og = soup.find("meta", attrs={"property": "og:title"})
    if og is not None and _attr(og, "content"):
        return _norm(_attr(og, "content")), None
    title = soup.find("title")
    text = _norm(title.get_text(" ")) if title is not None else ""
    return _TITLE_SUFFIX.sub("", text), None


def _date_of(tag: Tag) -> str:
    for name in ("content", "datetime"):
        value = parse_date(_attr(tag, name))
        if value:
            return value
    return parse_date(_norm(tag.get_text(" ")))


def _near_title(title_tag: Tag | None, limit: int = 400) -> str:
    if title_tag is None:
        return ""
    parts: list[str] = []
    size = 0
    for text in title_tag.find_all_next(string=True):
        if text.parent is not None and text.parent.name in ("script", "style"):
            continue
        parts.append(str(text))
        size += len(text)
        if size > limit:
            break
    after = _norm(" ".join(parts))
    parent = title_tag.parent
    before = ""
    if isinstance(parent, Tag):
        before = _norm(" ".join(str(s) for s in title_tag.find_all_previous(string=True, limit=6)
                                if parent in s.parents))  # fmt: skip
    return after + " | " + before


def _published(soup: BeautifulSoup, profile: SiteProfile | None, title_tag: Tag | None) -> str:
    """Profile selector, then meta tags, then <time>/RDFa dates, then the date line by the title."""
    candidates: list[str] = []
    tag = _select(soup, profile.date_selector) if profile else None
    if tag is not None:
        candidates.append(_date_of(tag))
    metas: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        for attr in ("property", "itemprop", "name"):
            key = _attr(meta, attr).lower()
            if key:
                metas.setdefault(f"{attr}:{key}", _attr(meta, "content"))
    for attr, name in _DATE_META:
        candidates.append(parse_date(metas.get(f"{attr}:{name.lower()}", "")))
    scope = title_tag.parent if title_tag is not None and title_tag.parent else soup
    for found in scope.find_all(["time", "span", "div", "meta"], limit=400):
        if (
            found.name == "time"
            or "date" in _attr(found, "property").lower()
            or _attr(found, "itemprop") in ("datePublished", "dateCreated")
        ):
            candidates.append(_date_of(found))
    near = find_date(_near_title(title_tag))
    if near:
        candidates.append(near[0])
    candidates = [c for c in candidates if c]
    if not candidates:
        return ""
    first = candidates[0]
    if "T" not in first:
        timed = [c for c in candidates if c.startswith(first + "T")]
        return timed[0] if timed else first
    return first


def _region(content: Tag | None, title_tag: Tag | None) -> Tag | None:
    """The element holding both the title and the body (where attachments are looked for)."""
    if content is None:
        return None
    if title_tag is None:
        return content
    ids = {id(p) for p in title_tag.parents}
    for parent in [content, *content.parents]:
        if id(parent) in ids:
            return parent if parent.name not in ("html", "body") else content
    return content


def _file_links(soup: BeautifulSoup, url: str) -> list[tuple[str, set[int]]]:
    """Every attachment link with the ids of its ancestors (taken before chrome is stripped)."""
    found: list[tuple[str, set[int]]] = []
    for a in soup.find_all("a", href=True):
        target = join_url(url, _attr(a, "href"))
        if target is None:
            continue
        path = urlsplit(target).path.lower()
        if path.endswith(ATTACHMENT_EXTENSIONS) or "pdf" in _attr(a, "type").lower():
            found.append((target, {id(p) for p in a.parents}))
    return found


def _attachments(files: list[tuple[str, set[int]]], region: Tag | None) -> tuple[str, ...]:
    if region is None:
        return ()
    out: dict[str, None] = {}
    for target, parents in files:
        if id(region) in parents:
            out.setdefault(target, None)
    return tuple(out)


def _links(soup: BeautifulSoup, url: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for tag in soup.find_all(["a", "link", "area"], href=True):
        rel = _attr(tag, "rel").lower().split()
        if "nofollow" in rel or tag.name == "link" and "next" not in rel:
            continue
        target = join_url(url, _attr(tag, "href"))
        if target:
            seen.setdefault(target, None)
    return tuple(seen)


def extract_html(
    text: str, url: str, profile: SiteProfile | None = None, encoding: str = "utf-8"
) -> ExtractedPage:
    """``extract_page`` for already decoded HTML."""
    soup = BeautifulSoup(text, "lxml")
    canonical = _canonical(soup, url)
    links = _links(soup, url)
    title, title_tag = _title(soup, profile)
    published = _published(soup, profile, title_tag)
    body_tag = _select(soup, profile.body_selector) if profile else None
    files = _file_links(soup, url)
    strip_chrome(body_tag if body_tag is not None else soup, title_tag)
    content = body_tag if body_tag is not None else find_content(soup)
    attachments = _attachments(files, _region(content, title_tag))
    skip = frozenset({title})
    blocks = read_blocks(content, skip) if content is not None else None
    body = blocks.text() if blocks is not None else ""
    if (
        body
        and published
        and find_date(body.split("\n", 1)[0])
        and len(body.split("\n", 1)[0]) < 40
    ):
        body = body.split("\n", 1)[1].lstrip("\n") if "\n" in body else ""
    lang = detect_lang(f"{title}\n{body}" if body else soup.get_text(" ")[:5000])
    is_article = _looks_like_article(title, body, content, profile, url, canonical)
    return ExtractedPage(
        url=url, title=title, published=published, body=body, lang=lang, canonical=canonical,
        attachments=attachments, links=links, is_article=is_article, encoding=encoding,
    )  # fmt: skip


def _looks_like_article(
    title: str, body: str, content: Tag | None, profile: SiteProfile | None, url: str,
    canonical: str,
) -> bool:  # fmt: skip
    if not title or not body:
        return False
    if profile is not None and profile.article_patterns:
        return any(profile.is_article_url(path_and_query(u)) for u in (url, canonical))
    if len(body) < _MIN_ARTICLE_CHARS or content is None:
        return False
    text = len(_norm(content.get_text(" "))) or 1
    links = content.find_all("a")
    link_text = sum(len(_norm(a.get_text(" "))) for a in links)
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
    try:
        return extract_html(text, url, profile, encoding)
    except (ValueError, LookupError, RecursionError, AssertionError) as exc:
        raise ExtractError(f"{url}: cannot read the page: {exc}") from exc
