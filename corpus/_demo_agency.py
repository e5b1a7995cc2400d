"""HTML of the news-agency demo site ("agency" template): a news feed with datelines and JSON-LD.

URLs: the feed ``/news/`` (``?page=2``, ...), articles ``/news/2023/05/18/4310.html``, the short
link ``/a/4310`` (same article, canonical link) and the print version ``/print/4310`` (disallowed in
robots.txt).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corpus._demo_gold import Article, Site
    from corpus._demo_render import Ctx

__all__ = [
    "agency_article",
    "agency_listing",
    "agency_not_found",
    "canonical",
    "listing",
    "print_link",
    "short_link",
]

_MONTHS = (
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
)
_RUBRICS = (("Регионы", "regions"), ("Экономика", "economy"), ("Общество", "society"),
            ("Союзное государство", "union"))  # fmt: skip


def canonical(art: Article) -> str:
    """``/news/2023/05/18/4310.html``."""
    return f"/news/{art.published:%Y/%m/%d}/{art.id}.html"


def short_link(art: Article) -> str:
    """``/a/4310``."""
    return f"/a/{art.id}"


def print_link(art: Article) -> str:
    """``/print/4310``."""
    return f"/print/{art.id}"


def listing(page: int = 0) -> str:
    """The feed page ``page`` (0-based)."""
    return "/news/" + (f"?page={page + 1}" if page else "")


def _when(d: datetime) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}, {d:%H:%M}"


def _chrome(site: Site, ctx: Ctx, title: str, main: str, canon: str = "", head: str = "",
            exclude: int = 0) -> str:  # fmt: skip
    from corpus._demo_render import _head

    rubrics = "".join(
        f'<li><a href="/news/?rubric={slug}">{name}</a></li>' for name, slug in _RUBRICS
    )
    feed = "".join(
        f'<li class="feed-mini__item"><span class="feed-mini__time">{a.published:%H:%M}</span> '
        f'<a href="{short_link(a) if a.id % 2 else canonical(a)}">{escape(a.title)}</a></li>'
        for a in site.latest("ru", exclude)
    )
    return (
        '<!DOCTYPE html>\n<html lang="ru">\n'
        + _head(ctx, f"{title} — {site.title}", canon, head)
        + '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="stylesheet" href="/static/css/agency.min.css?v=3.2">\n</head>\n'
        '<body class="agency">\n<div class="topbar"><div class="topbar__inner">'
        f'<a class="brand" href="/news/"><span class="brand__name">{escape(site.title)}</span>'
        '<span class="brand__slogan">Новости регионов Беларуси и России</span></a>'
        '<form class="topbar__search" action="/search/" method="get"><input name="text" '
        'placeholder="Поиск по новостям"><button>Найти</button></form></div>\n'
        f'<nav class="rubrics"><ul>{rubrics}</ul></nav></div>\n'
        f'<div class="layout"><main class="layout__main">\n{main}\n</main>\n'
        '<aside class="layout__aside"><section class="feed-mini"><h3 class="feed-mini__title">'
        f'Лента новостей</h3><ul>{feed}</ul></section>\n<section class="subscribe">Подпишитесь на '
        "наш канал, чтобы первыми узнавать главное.</section></aside></div>\n"
        '<footer class="footer"><p class="footer__copy">© 2024 '
        f"{escape(site.title)}. Все права защищены. Перепечатка материалов — только с "
        'гиперссылкой на агентство.</p><p class="footer__contacts">'
        f"Адрес: {escape(site.address)} · Телефон: {escape(site.phone)}</p></footer>\n"
        "</body>\n</html>\n"
    )


def _json_ld(site: Site, art: Article, canon: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": art.title,
        "datePublished": art.published.isoformat(),
        "mainEntityOfPage": canon,
        "publisher": {"@type": "Organization", "name": site.title},
    }
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>\n'


def agency_article(site: Site, art: Article, ctx: Ctx, body_html: str, canon_path: str = "") -> str:
    """The article page."""
    canon = ctx.base + (canon_path or canonical(art))
    iso = art.published.isoformat()
    t = escape(art.title)
    head = (
        f'<meta property="og:type" content="article">\n<meta property="og:title" content="{t}">\n'
        f'<meta property="og:url" content="{canon}">\n'
        f'<meta property="article:published_time" content="{iso}">\n' + _json_ld(site, art, canon)
    )
    main = (
        '<article class="story">\n<div class="story__meta">'
        f'<time class="story__time" datetime="{iso}">{_when(art.published)}</time> '
        '<a class="story__rubric" href="/news/?rubric=regions">Регионы</a></div>\n'
        f'<h1 class="story__title">{t}</h1>\n<div class="story__body">\n{body_html}\n</div>\n'
        '<div class="story__footer"><div class="story__share">Поделиться: '
        f'<a href="{ctx.offsite}/share/vk" rel="nofollow">ВК</a> '
        f'<a href="{ctx.offsite}/share/telegram" rel="nofollow">Telegram</a></div>'
        f'<a class="story__print" href="{print_link(art)}" rel="nofollow">Версия для печати</a>'
        "</div>\n</article>"
    )
    return _chrome(site, ctx, art.title, main, canon, head, art.id)


def agency_listing(site: Site, ctx: Ctx, arts: Sequence[Article], page: int, pages: int,
                   teasers: Sequence[str], extra: Sequence[tuple[str, str]] = ()) -> str:  # fmt: skip
    """A page of the news feed."""
    rows = "".join(
        f'<div class="feed-item"><time class="feed-item__time" datetime="{a.published.isoformat()}">'
        f'{_when(a.published)}</time><a class="feed-item__link" href="{canonical(a)}">'
        f'{escape(a.title)}</a><p class="feed-item__lead">{escape(teaser)}</p></div>\n'
        for a, teaser in zip(arts, teasers, strict=True)
    )
    nav = []
    if page:
        nav.append(f'<a class="paging__prev" href="{listing(page - 1)}">← Назад</a>')
    nav.append(f'<span class="paging__current">{page + 1} / {pages}</span>')
    if page < pages - 1:
        nav.append(f'<a class="paging__next" href="{listing(page + 1)}">Дальше →</a>')
    more = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for p, t in extra)
    main = (
        f'<h1 class="feed-title">Лента новостей</h1>\n<div class="feed-list">\n{rows}</div>\n'
        f'<nav class="paging">{" ".join(nav)}</nav>'
        + (f'<ul class="feed-announce">{more}</ul>' if more else "")
    )
    return _chrome(site, ctx, "Лента новостей", main, ctx.base + listing(page))


def agency_not_found(site: Site, ctx: Ctx) -> str:
    """The 404 page."""
    main = '<h1 class="feed-title">Страница не найдена</h1><p>Такой страницы нет.</p>'
    return _chrome(site, ctx, "Страница не найдена", main)
