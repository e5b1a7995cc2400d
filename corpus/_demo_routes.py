"""Routing of the demo sites: a path of one site, in one state, to a response."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from corpus._demo_feeds import (
    feed_reply_type,
    feed_xml,
    newest_modified,
    sitemap_child,
    sitemap_index_xml,
)
from corpus._demo_files import DemoFile, file_by_href
from corpus._demo_gold import MINSK, SECTIONS, Article, Site, listing_path, modified_at
from corpus._demo_render import (
    Ctx,
    article_page,
    listing_page,
    not_found_page,
    print_page,
    robots_txt,
    sitemap_xml,
)
from corpus._demo_server import Reply, html_reply, redirect

__all__ = ["Router"]

_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_FILLER = (
    "Информационное сообщение для проверки устойчивости обхода сайта. "
    "Страница доступна не с первой попытки или отвечает с задержкой."
)


def _first_int(query: dict[str, list[str]], key: str, default: int) -> int:
    try:
        return int(query.get(key, [str(default)])[0])
    except ValueError:
        return default


class Router:
    """Maps a path of one site to a response in one state."""

    def __init__(self, site: Site, ctx: Ctx, gone: int, extra: list[tuple[str, str]]):
        self.site, self.ctx, self.gone, self.extra = site, ctx, gone, extra

    def route(self, path: str, query: dict[str, list[str]]) -> Reply:
        site, ctx = self.site, self.ctx
        if path == "/robots.txt":
            return Reply(200, robots_txt(site, ctx.base).encode(), "text/plain; charset=utf-8")
        if path == "/sitemap.xml":
            if site.sitemap_index:
                return Reply(200, sitemap_index_xml(site, ctx).encode(), "application/xml")
            return Reply(200, sitemap_xml(site, ctx).encode(), "application/xml")
        if (child := sitemap_child(site, ctx, path)) is not None:
            return Reply(200, child[0], child[1])
        if site.feed and path == site.feed_path:
            modified = newest_modified(site, ctx.state)
            return Reply(
                200, feed_xml(site, ctx).encode(), feed_reply_type(site), modified=modified
            )
        if (demo_file := file_by_href(site.name, path)) is not None:
            return self._file(demo_file)
        if any(a.href == path for art in site.articles.values() for a in art.attachments):
            return Reply(200, _PDF, "application/pdf")
        if path in ("/", "/index.php") or path.strip("/") in SECTIONS:
            return redirect(listing_path(site, path.strip("/") or "ru"))
        if site.template == "agency":
            return self._agency(path, query)
        if site.template == "oblast":
            return self._oblast(path, query)
        return self._mpt(path, query)

    def _file(self, demo_file: DemoFile) -> Reply:
        """An attached file (``corpus/_demo_files.py``), served while its article is online."""
        art = self.site.article(demo_file.parent)
        if art is None or self.ctx.state not in art.states:
            return self._missing(art.section if art is not None else "ru")
        body = demo_file.path.read_bytes()
        return Reply(200, body, demo_file.content_type, modified=art.published)

    def _agency(self, path: str, query: dict[str, list[str]]) -> Reply:
        if path == "/news":
            return redirect("/news/", 301)
        if path == "/news/":
            return self._listing("ru", _first_int(query, "page", 1) - 1)
        if m := re.fullmatch(r"/news/(\d{4})/(\d\d)/(\d\d)/(\d+)\.html", path):
            art = self.site.article(int(m[4]))
            if art is None or f"{art.published:%Y/%m/%d}" != f"{m[1]}/{m[2]}/{m[3]}":
                return self._missing("ru")
            return self._article(art, "ru", "page")
        if m := re.fullmatch(r"/(a|print)/(\d+)", path):
            return self._article(
                self.site.article(int(m[2])), "ru", "print" if m[1] == "print" else "node"
            )
        return self._missing("ru")

    def _mpt(self, path: str, query: dict[str, list[str]]) -> Reply:
        if m := re.fullmatch(r"/(ru|be|en)/news(/?)", path):
            if m[2]:
                return redirect(path.rstrip("/"), 301)
            return self._listing(m[1], _first_int(query, "page", 0))
        if m := re.fullmatch(r"/(ru|be|en)/news/(\d\d-\d\d-\d{4})-(\d+)", path):
            art = self.site.article(int(m[3]))
            if art is None or f"{art.published:%d-%m-%Y}" != m[2]:
                return self._missing(m[1])
            return self._article(art, m[1], "page")
        if m := re.fullmatch(r"/(ru|be|en)/(node|print)/(\d+)", path):
            return self._article(self.site.article(int(m[3])), m[1], m[2])
        return self._missing(path[1:3])

    def _oblast(self, path: str, query: dict[str, list[str]]) -> Reply:
        if m := re.fullmatch(r"/(ru|be|en)/news/?", path):
            return redirect(listing_path(self.site, m[1]), 301)
        if m := re.fullmatch(r"/(ru|be|en)/novosti(/?)(index\.php)?", path):
            if not m[2]:
                return redirect(path + "/", 301)
            return self._listing(m[1], _first_int(query, "PAGEN_1", 1) - 1)
        if m := re.fullmatch(r"/(ru|be|en)/novosti/(\d{4})/(\d+)(/?)", path):
            art = self.site.article(int(m[3]))
            if art is None or f"{art.published:%Y}" != m[2]:
                return self._missing(m[1])
            return self._article(art, m[1], "page") if m[4] else redirect(path + "/", 301)
        if m := re.fullmatch(r"/(ru|be|en)/novosti/(detail|print)\.php", path):
            art = self.site.article(_first_int(query, "ID", 0))
            return self._article(art, m[1], "print" if m[2] == "print" else "node")
        return self._missing(path[1:3])

    def _listing(self, sec: str, page: int) -> Reply:
        extra = self.extra if page == 0 and sec == self.site.sections[0] else []
        text = listing_page(self.site, sec, page, self.ctx, extra)
        return self._missing(sec) if text is None else html_reply(200, text)

    def _article(self, art: Article | None, sec: str, kind: str) -> Reply:
        state = self.ctx.state
        if art is None or art.section != sec or state not in art.states:
            status = self.gone if art is not None and art.section == sec and state == 2 else 404
            return self._missing(sec, status)
        cp1251 = art.special == "cp1251"
        ctx = replace(self.ctx, charset="windows-1251") if cp1251 else self.ctx
        text = print_page(self.site, art, ctx) if kind == "print" else None
        text = text or article_page(self.site, art, ctx)
        return html_reply(200, text, modified_at(self.site, art, state), cp1251)

    def _missing(self, sec: str, status: int = 404) -> Reply:
        sec = sec if sec in SECTIONS else "ru"
        return html_reply(status, not_found_page(self.site, self.ctx, sec))

    def filler(self, path: str) -> Reply:
        """A stand-in article for a fault path that names no article."""
        digits = re.findall(r"\d+", path)
        aid = int(digits[-1]) if digits else 9900
        published = datetime(2024, 1, 1, 9, 0, tzinfo=MINSK)
        art = Article(
            self.site.name, aid, "ru", "ru", published, f"Объявление № {aid}", body=_FILLER
        )
        return html_reply(200, article_page(self.site, art, self.ctx, path), published)
