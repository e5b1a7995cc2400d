"""HTML of the demo sites: a Drupal-like ("mpt") and a Bitrix-like ("oblast") template."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import quote

from corpus._demo_gold import (
    GEN_BASE,
    PAGE_SIZE,
    SECTIONS,
    Article,
    Site,
    alias_paths,
    blocks,
    body_for,
    canonical_path,
    generated_article,
    link_path,
    listing_path,
    modified_at,
    print_path,
)

_MONTHS = {
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "be": "студзеня лютага сакавіка красавіка мая чэрвеня ліпеня жніўня верасня кастрычніка "
    "лістапада снежня",
    "en": "January February March April May June July August September October November December",
}
_KEYS = "home news latest links share print search find files back first prev next last addr tel "
_KEYS += "rights notfound"
_LABELS = {
    "ru": "Главная|Новости|Последние новости|Полезные ссылки|Поделиться|Версия для печати|"
    "Поиск по сайту|Найти|Прикрепленные файлы|Вернуться к списку новостей|« первая|‹ предыдущая|"
    "следующая ›|последняя »|Адрес|Телефон|Все права защищены|Страница не найдена",
    "be": "Галоўная|Навіны|Апошнія навіны|Карысныя спасылкі|Падзяліцца|Версія для друку|"
    "Пошук па сайце|Знайсці|Прымацаваныя файлы|Вярнуцца да спісу навін|« першая|‹ папярэдняя|"
    "наступная ›|апошняя »|Адрас|Тэлефон|Усе правы абаронены|Старонка не знойдзена",
    "en": "Home|News|Latest news|Useful links|Share|Print version|Search|Find|Attached files|"
    "Back to news|« first|‹ previous|next ›|last »|Address|Phone|All rights reserved|"
    "Page not found",
}
_USEFUL = (
    ("Президент Республики Беларусь", "/president"),
    ("Правительство Республики Беларусь", "/government"),
    ("Национальный правовой интернет-портал", "/pravo"),
    ("Единый портал электронных услуг", "/portal"),
)
_COUNTER = (
    "<script>(function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};"
    "m[i].l=1*new Date();})(window,document,'script','/metrika/tag.js','ym');"
    "ym(12345678,'init',{clickmap:true,trackLinks:true});</script>"
)


def labels(section: str) -> dict[str, str]:
    """Chrome labels in the section's language."""
    return dict(zip(_KEYS.split(), _LABELS.get(section, _LABELS["ru"]).split("|"), strict=True))


def robots_txt(site: Site, base: str) -> str:
    """robots.txt: print versions, search and robots_target articles are disallowed."""
    rules = [
        f"/{s}/novosti/print.php" if site.template == "oblast" else f"/{s}/print/"
        for s in site.sections
    ]
    rules += ["/bitrix/", "/search/"] if site.template == "oblast" else ["/search", "/user/"]
    if site.template == "agency":
        rules = ["/print/", "/search/"]
    for art in site.articles.values():
        if art.special == "robots_target":
            rules += [canonical_path(site, art), *alias_paths(site, art)]
    lines = ["User-agent: *", "Crawl-delay: 0", *(f"Disallow: {r}" for r in rules)]
    return "\n".join([*lines, "", f"Sitemap: {base}/sitemap.xml", ""])


def date_words(d: datetime, lang: str = "ru") -> str:
    """'9 января 2023' (month in the section's language)."""
    return f"{d.day} {_MONTHS.get(lang, _MONTHS['ru']).split()[d.month - 1]} {d.year}"


def body_html(body: str, broken: bool = False) -> str:
    """Paragraphs as <p>, "- " runs as <ul>; ``broken`` leaves tags unclosed."""
    out: list[str] = []
    for kind, items in blocks(body):
        if kind == "p":
            out.append(
                f"<p class=text>{escape(items[0])}\n" if broken else f"<p>{escape(items[0])}</p>"
            )
        else:
            end = "\n" if broken else "</li>"
            out.append("<ul>" + "".join(f"<li>{escape(i)}{end}" for i in items) + "</ul>")
    return "\n".join(out)


def teaser(art: Article, state: int) -> str:
    """The first sentence of the body, for listings."""
    first = next((items[0] for kind, items in blocks(body_for(art, state)) if kind == "p"), "")
    cut = first.find(". ")
    return first[: cut + 1] if 0 < cut < 300 else first[:300]


# --- pages ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ctx:
    """Render context: absolute bases and the site state."""

    base: str
    offsite: str
    state: int = 1
    charset: str = "utf-8"


def _share(ctx: Ctx, canon: str, lab: dict[str, str], cls: str) -> str:
    url = quote(canon, safe="")
    return (
        f'<div class="{cls}"><span class="share-title">{lab["share"]}:</span> '
        f'<a href="{ctx.offsite}/share/vk?url={url}" class="share-vk" rel="nofollow">ВКонтакте</a> '
        f'<a href="{ctx.offsite}/share/telegram?url={url}" class="share-tg" rel="nofollow">Telegram</a>'
        "</div>"
    )


def _useful(ctx: Ctx) -> str:
    return "".join(f'<li><a href="{ctx.offsite}{p}">{t}</a></li>' for t, p in _USEFUL)


def _menu(site: Site, sec: str, lab: dict[str, str]) -> list[tuple[str, str]]:
    if site.menu:
        return list(site.menu)
    news = listing_path(site, sec)
    home = f"/{sec}/" if site.template == "oblast" else f"/{sec}"
    return [(lab["home"], home), (lab["news"], news), ("Документы", f"/{sec}/documents/"),
            ("Обращения граждан", f"/{sec}/appeals/"), ("Контакты", f"/{sec}/contacts/")]  # fmt: skip


def _feed_link(site: Site) -> str:
    """The page head's link to the site's feed, if it names one (corpus/_demo_feeds.py)."""
    from corpus._demo_feeds import feed_head_link

    return feed_head_link(site)


def _head(ctx: Ctx, title: str, canon: str, extra: str = "") -> str:
    if ctx.charset == "utf-8":
        meta = '<meta charset="utf-8">'
    else:
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={ctx.charset}">'
    link = f'<link rel="canonical" href="{escape(canon)}">\n' if canon else ""
    return f"<head>\n{meta}\n<title>{escape(title)}</title>\n{link}{extra}"


def mpt_page(site: Site, ctx: Ctx, sec: str, title: str, crumbs: str, main: str,
             canon: str = "", head: str = "", body_class: str = "page-news",
             exclude: int = 0) -> str:  # fmt: skip
    """The Drupal-like page chrome around ``main``."""
    lab = labels(sec)
    menu = "".join(
        f'<li class="leaf{" first" if i == 0 else ""}"><a href="{h}">{escape(t)}</a></li>'
        for i, (t, h) in enumerate(_menu(site, sec, lab))
    )
    langs = "".join(
        f'<li class="{s}"><a href="{listing_path(site, s)}" class="language-link">'
        f"{ {'ru': 'Рус', 'be': 'Бел', 'en': 'Eng'}[s] }</a></li>"
        for s in site.sections
    )
    latest = "".join(
        f'<li><span class="date-display-single">{a.published:%d.%m.%Y}</span> '
        f'<a href="{canonical_path(site, a)}">{escape(a.title)}</a></li>'
        for a in site.latest(sec, exclude)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{sec}" dir="ltr">\n'
        + _head(ctx, f"{title} | {site.title}", canon, head + _feed_link(site))
        + '<link rel="stylesheet" href="/sites/all/themes/mpt/css/style.css">\n'
        '<script src="/misc/jquery.js?v=1.4.4"></script>\n<script>jQuery.extend(Drupal.settings, '
        f'{{"basePath":"\\/","pathPrefix":"{sec}\\/"}});</script>\n</head>\n'
        f'<body class="html not-front not-logged-in one-sidebar sidebar-first {body_class}">\n'
        '<div id="skip-link"><a href="#main-content" class="element-invisible">Перейти к основному '
        'содержанию</a></div>\n<div id="page-wrapper"><div id="page">\n<header id="header">'
        f'<div class="section clearfix"><a href="/{sec}" id="logo" rel="home"><img '
        f'src="/sites/default/files/logo.png" alt="{lab["home"]}"></a>\n<div id="site-name">'
        f'<a href="/{sec}" rel="home"><span>{escape(site.title)}</span></a></div>\n'
        f'<ul class="language-switcher-locale-url">{langs}</ul>\n<form class="search-form" '
        f'action="/{sec}/search" method="get"><input type="text" name="search_api_views_fulltext" '
        f'placeholder="{lab["search"]}"><input type="submit" value="{lab["find"]}"></form>'
        f'</div></header>\n<nav id="navigation"><ul class="menu">{menu}</ul></nav>\n'
        f'<div id="breadcrumb"><div class="breadcrumb">{crumbs}</div></div>\n'
        '<div id="main-wrapper"><div id="main" class="clearfix">\n<div id="content" class="column">'
        '<div class="section"><a id="main-content"></a>\n<div class="region region-content">'
        f'<div id="block-system-main" class="block block-system"><div class="content">\n{main}\n'
        '</div></div></div></div></div>\n<aside id="sidebar-first" class="column sidebar">'
        '<div class="section">\n<div class="block block-views" id="block-views-news-block-1">'
        f'<h2 class="block-title">{lab["latest"]}</h2><div class="content"><div class="item-list">'
        f'<ul>{latest}</ul></div></div></div>\n<div class="block block-block" id="block-block-5">'
        f'<h2 class="block-title">{lab["links"]}</h2><div class="content"><ul class="useful-links">'
        f"{_useful(ctx)}</ul></div></div>\n</div></aside>\n</div></div>\n"
        '<footer id="footer"><div class="section"><div class="footer-contacts">'
        f"<p>{lab['addr']}: {escape(site.address)}</p><p>{lab['tel']}: {escape(site.phone)}</p>"
        f'</div><div class="copyright">© 2011–2024 {escape(site.title)}. {lab["rights"]}.</div>'
        f"</div></footer>\n</div></div>\n{_COUNTER}\n</body>\n</html>\n"
    )


def oblast_page(site: Site, ctx: Ctx, sec: str, title: str, crumbs: str, main: str,
                canon: str = "", head: str = "", exclude: int = 0) -> str:  # fmt: skip
    """The Bitrix-like page chrome around ``main``."""
    lab = labels(sec)
    menu = "".join(
        f'<li class="main-menu__item"><a class="main-menu__link" href="{h}">{escape(t)}</a></li>'
        for t, h in _menu(site, sec, lab)
    )
    latest = "".join(
        f'<li class="sidebar-news__item"><div class="sidebar-news__date">{date_words(a.published, sec)}'
        f'</div><a href="{alias_paths(site, a)[0] if a.id % 2 else canonical_path(site, a)}">'
        f"{escape(a.title)}</a></li>"
        for a in site.latest(sec, exclude)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{sec}">\n'
        + _head(ctx, f"{title} - {site.title}", canon, head + _feed_link(site))
        + '<link href="/bitrix/templates/oblast/template_styles.css?1673" rel="stylesheet">\n'
        "<script>var BX = BX || {}; BX.message = BX.message || function(){}; BX.message("
        f"{{'LANGUAGE_ID':'{sec}','SITE_ID':'s1','SITE_TEMPLATE_PATH':'/bitrix/templates/oblast'}});"
        '</script>\n</head>\n<body>\n<div id="panel"></div>\n<div class="wrapper">\n'
        '<div class="top-line"><div class="container"><span class="top-line__phone">'
        f'{escape(site.phone)}</span></div></div>\n<header class="header"><div class="container">'
        f'<a href="/{sec}/" class="logo"><img src="/bitrix/templates/oblast/images/gerb.png" '
        f'alt=""><span class="logo__text">{escape(site.title)}</span></a>'
        f'<form class="header-search" action="/{sec}/search/"><input name="q" '
        f'placeholder="{lab["search"]}"><button type="submit">{lab["find"]}</button></form>'
        f'</div></header>\n<nav class="main-menu"><ul class="main-menu__list">{menu}</ul></nav>\n'
        '<main class="main"><div class="container"><div class="row">\n'
        '<div class="col-md-9 content">\n<div class="breadcrumbs" itemscope '
        f'itemtype="http://schema.org/BreadcrumbList">{crumbs}</div>\n{main}\n</div>\n'
        '<aside class="col-md-3 sidebar">\n<div class="sidebar-block">'
        f'<div class="sidebar-block__title">{lab["latest"]}</div><ul class="sidebar-news">'
        f'{latest}</ul></div>\n<div class="sidebar-block useful-links"><div class="sidebar-block__'
        f'title">{lab["links"]}</div><ul>{_useful(ctx)}</ul></div>\n</aside>\n'
        '</div></div></main>\n<footer class="footer"><div class="container">'
        f'<div class="footer__address">{lab["addr"]}: {escape(site.address)}</div>'
        f'<div class="footer__phone">{lab["tel"]}: {escape(site.phone)}</div>'
        f'<div class="footer__copy">© 2024 {escape(site.title)}. {lab["rights"]}. При '
        "использовании материалов ссылка на сайт обязательна.</div></div></footer>\n</div>\n"
        f"{_COUNTER}\n</body>\n</html>\n"
    )


def _file_type(href: str) -> str:
    """The type attribute of a file link, by its extension."""
    from corpus._demo_files import CONTENT_TYPES

    return CONTENT_TYPES.get(href.rsplit(".", 1)[-1].lower(), "application/pdf")


def _attachments(art: Article, lab: dict[str, str], cls: str) -> str:
    if not art.attachments:
        return ""
    items = "".join(
        f'<li class="file"><a href="{escape(a.href)}" type="{_file_type(a.href)}">'
        f"{escape(a.title)}</a></li>"
        for a in art.attachments
    )
    return (
        f'<div class="{cls}"><div class="files-label">{lab["files"]}:</div><ul>{items}</ul></div>\n'
    )


def article_page(site: Site, art: Article, ctx: Ctx, canon_path: str = "") -> str:
    """The full article page; ``canon_path`` overrides the canonical path."""
    lab = labels(art.section)
    canon_path = canon_path or canonical_path(site, art)
    canon = ctx.base + canon_path
    broken = art.special == "broken_markup"
    body = body_html(body_for(art, ctx.state), broken)
    iso = art.published.isoformat()
    t = escape(art.title)
    share = _share(ctx, canon, lab, "share-buttons" if site.template == "mpt" else "news-share")
    stray = "</div></span>\n" if broken else ""
    if site.template == "agency":
        from corpus._demo_agency import agency_article

        return agency_article(site, art, ctx, body, canon_path)
    if site.template == "oblast":
        news = listing_path(site, art.section)
        crumbs = (
            f'<span itemprop="itemListElement"><a href="/{art.section}/">{lab["home"]}</a></span> / '
            f'<span itemprop="itemListElement"><a href="{news}">{lab["news"]}</a></span> / '
            f"<span>{t}</span>"
        )
        main = (
            f'<h1 class="page-title">{t}</h1>\n<div class="news-detail">\n'
            f'<div class="news-date">{date_words(art.published, art.section)}</div>\n{stray}'
            f'<div class="news-detail-text">\n{body}\n</div>\n'
            f"{_attachments(art, lab, 'news-detail-files')}{share}\n"
            f'<div class="news-detail-print"><a href="{print_path(site, art)}" target="_blank" '
            f'rel="nofollow">{lab["print"]}</a></div>\n'
            f'<a class="news-back" href="{news}">← {lab["back"]}</a>\n</div>'
        )
        head = (
            f'<meta property="og:type" content="article">\n<meta property="og:title" content="{t}">\n'
            f'<meta property="og:url" content="{canon}">\n'
            f'<meta property="article:published_time" content="{iso}">\n'
        )
        page = oblast_page(site, ctx, art.section, art.title, crumbs, main, canon, head, art.id)
    else:
        crumbs = (
            f'<a href="/{art.section}">{lab["home"]}</a> » '
            f'<a href="{listing_path(site, art.section)}">{lab["news"]}</a> » {t}'
        )
        main = (
            f'<article id="node-{art.id}" class="node node-news node-promoted view-mode-full clearfix"'
            f' about="{canon_path}" typeof="sioc:Item foaf:Document">\n'
            f'<h1 class="node-title">{t}</h1>\n<div class="submitted"><span '
            f'class="date-display-single" property="dc:date dc:created" content="{iso}">'
            f'{art.published:%d.%m.%Y %H:%M}</span></div>\n{stray}<div class="content">'
            '<div class="field field-name-body field-type-text-with-summary field-label-hidden">'
            '<div class="field-items"><div class="field-item even" property="content:encoded">\n'
            f"{body}\n</div></div></div>\n"
            f"{_attachments(art, lab, 'field field-name-field-files')}</div>\n"
            f'<div class="node-links">{share}\n<div class="print-link"><a href="'
            f'{print_path(site, art)}" rel="nofollow" class="print-page">{lab["print"]}</a></div>'
            "</div>\n</article>"
        )
        head = (
            '<meta name="Generator" content="Drupal 7 (http://drupal.org)">\n'
            f'<link rel="shortlink" href="/{art.section}/node/{art.id}">\n'
            f'<meta property="og:title" content="{t}">\n<meta property="og:url" content="{canon}">\n'
        )
        cls = f"page-node page-node-{art.id} node-type-news"
        page = mpt_page(site, ctx, art.section, art.title, crumbs, main, canon, head, cls, art.id)
    if broken:
        page = page.replace('class="field-item even"', "class=field-item").replace(
            '<div class="news-detail-text">', "<div class=news-detail-text><font color=#333>"
        )
        page = page.removesuffix("</body>\n</html>\n")
    return page


def _pager(site: Site, sec: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    lab = labels(sec)

    def link(p: int) -> str:
        return listing_path(site, sec, p)

    if site.template == "oblast":
        items = [f'<li class="bx-pag-prev"><a href="{link(page - 1)}"><span>Назад</span></a></li>']
        items = items if page else []
        for p in range(pages):
            cur = p == page
            items.append(
                f'<li class="bx-active"><span>{p + 1}</span></li>'
                if cur
                else f'<li><a href="{link(p)}"><span>{p + 1}</span></a></li>'
            )
        if page < pages - 1:
            items.append(
                f'<li class="bx-pag-next"><a href="{link(page + 1)}"><span>Вперед</span></a></li>'
            )
        return f'<div class="bx-pagination"><div class="bx-pagination-container"><ul>{"".join(items)}</ul></div></div>'
    items = []
    if page:
        items += [
            f'<li class="pager-first first"><a href="{link(0)}">{lab["first"]}</a></li>',
            f'<li class="pager-previous"><a href="{link(page - 1)}">{lab["prev"]}</a></li>',
        ]
    lo = max(0, min(page - 4, pages - 9))
    for p in range(lo, min(pages, lo + 9)):
        items.append(
            f'<li class="pager-current">{p + 1}</li>'
            if p == page
            else f'<li class="pager-item"><a title="На страницу номер {p + 1}" href="{link(p)}">{p + 1}</a></li>'
        )
    if page < pages - 1:
        items += [
            f'<li class="pager-next"><a href="{link(page + 1)}">{lab["next"]}</a></li>',
            f'<li class="pager-last last"><a href="{link(pages - 1)}">{lab["last"]}</a></li>',
        ]
    return f'<h2 class="element-invisible">Страницы</h2><div class="item-list"><ul class="pager">{"".join(items)}</ul></div>'


def listing_page(
    site: Site, sec: str, page: int, ctx: Ctx, extra: Sequence[tuple[str, str]] = ()
) -> str | None:
    """Listing page ``page`` (0-based) of a section, or None past the end."""
    arts = site.listed(sec, ctx.state)
    pages = max(1, -(-len(arts) // PAGE_SIZE))
    if not 0 <= page < pages:
        return None
    lab = labels(sec)
    chunk = arts[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    canon = ctx.base + listing_path(site, sec, page)
    more = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for p, t in extra)
    if site.template == "agency":
        from corpus._demo_agency import agency_listing

        teasers = [teaser(a, ctx.state) for a in chunk]
        return agency_listing(site, ctx, chunk, page, pages, teasers, extra)
    if site.template == "oblast":
        rows = "".join(
            f'<div class="news-item" id="bx_3218110189_{a.id}"><div class="news-item__date">'
            f'{date_words(a.published, sec)}</div><a class="news-item__title" href="{link_path(site, a)}">'
            f'{escape(a.title)}</a><div class="news-item__text">{escape(teaser(a, ctx.state))}</div></div>\n'
            for a in chunk
        )
        main = f'<h1 class="page-title">{lab["news"]}</h1>\n<div class="news-list">\n{rows}</div>\n'
        main += _pager(site, sec, page, pages)
        main += f'<div class="news-announce"><ul>{more}</ul></div>' if more else ""
        crumbs = f'<span><a href="/{sec}/">{lab["home"]}</a></span> / <span>{lab["news"]}</span>'
        return oblast_page(site, ctx, sec, lab["news"], crumbs, main, canon)
    rows = "".join(
        f'<div class="views-row views-row-{k + 1} views-row-{"odd" if k % 2 == 0 else "even"}">'
        f'<div class="views-field views-field-created"><span class="field-content">'
        f'{a.published:%d.%m.%Y %H:%M}</span></div><div class="views-field views-field-title">'
        f'<span class="field-content"><a href="{link_path(site, a)}">{escape(a.title)}</a></span></div>'
        f'<div class="views-field views-field-body"><div class="field-content">'
        f"{escape(teaser(a, ctx.state))}</div></div></div>\n"
        for k, a in enumerate(chunk)
    )
    main = (
        f'<h1 class="title" id="page-title">{lab["news"]}</h1>\n<div class="view view-news '
        f'view-id-news view-display-id-page">\n<div class="view-content">\n{rows}</div>\n'
        f"{_pager(site, sec, page, pages)}\n"
        + (f'<div class="view-footer"><ul class="announcements">{more}</ul></div>' if more else "")
        + "</div>"
    )
    crumbs = f'<a href="/{sec}">{lab["home"]}</a> » {lab["news"]}'
    return mpt_page(site, ctx, sec, lab["news"], crumbs, main, canon, "", "page-news")


def not_found_page(site: Site, ctx: Ctx, sec: str = "ru") -> str:
    """The site's 404 page."""
    lab = labels(sec if sec in SECTIONS else "ru")
    main = f'<h1 class="page-title">{lab["notfound"]}</h1><p>Запрошенная страница не найдена.</p>'
    crumbs = f'<a href="/{sec}">{lab["home"]}</a>'
    if site.template == "agency":
        from corpus._demo_agency import agency_not_found

        return agency_not_found(site, ctx)
    if site.template == "oblast":
        return oblast_page(site, ctx, sec, lab["notfound"], crumbs, main)
    return mpt_page(site, ctx, sec, lab["notfound"], crumbs, main, body_class="page-404")


def print_page(site: Site, art: Article, ctx: Ctx) -> str:
    """The print version: bare title, date and body."""
    canon = ctx.base + canonical_path(site, art)
    return (
        f'<!DOCTYPE html>\n<html lang="{art.section}">\n'
        + _head(ctx, art.title, canon, '<meta name="robots" content="noindex, nofollow">\n')
        + f'</head>\n<body onload="window.print()">\n<h1>{escape(art.title)}</h1>\n'
        f"<p>{art.published:%d.%m.%Y %H:%M}</p>\n{body_html(body_for(art, ctx.state))}\n"
        f"<p>Источник: {escape(canon)}</p>\n</body>\n</html>\n"
    )


def sitemap_xml(site: Site, ctx: Ctx, sections: Sequence[str] = ()) -> str:
    """sitemap.xml: every canonical article URL online in the state (of ``sections``; default
    all), with lastmod."""
    rows = []
    for sec in sections or site.sections:
        if site.generated:
            n = site.generated
            arts: Sequence[Article] = [
                generated_article(site.name, GEN_BASE + k, False) for k in range(n)
            ]
        else:
            arts = site.announced(sec, ctx.state)
        for a in arts:
            mod = modified_at(site, a, ctx.state).isoformat()
            rows.append(
                f"<url><loc>{ctx.base}{canonical_path(site, a)}</loc><lastmod>{mod}</lastmod></url>"
            )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )
