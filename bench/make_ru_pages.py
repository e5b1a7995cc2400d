"""Render the extraction benchmark's own Russian pages: every article of ``ru_articles`` in the
markup of one CMS, with the chrome real sites put around it, and its gold.

    .venv/bin/python bench/make_ru_pages.py      # writes bench/ru_pages/NN-<cms>.html, gold.json

Shapes (markup habits of each CMS, texts our own): Drupal 7 node with views blocks; 1C-Bitrix
``news.detail`` with text straight in the div; WordPress + Elementor (every block a
``…-widget-container``, the text split over several text widgets); Joomla ``item-page`` (the
headline in an ``<h2>``, the menu name in the ``<h1>``); a news agency (short story beside a
longer "Главное" feed, an "Обновлено" line before the publication time); a regional government
portal (ASP.NET form around a table layout, the site name in the ``<h1>``, text in ``<font>``
with ``<br>``); a classic WordPress theme (``content-with-aside``, share and related boxes,
comments). Every fifth page (``held_out`` in the gold) is kept out of tuning.
"""

from __future__ import annotations

import html
import json
import random
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ru_articles import ARTICLES, TEASERS, Block  # noqa: E402

OUT = Path(__file__).resolve().parent / "ru_pages"
_MONTHS = ("января февраля марта апреля мая июня июля августа сентября октября ноября "
           "декабря").split()  # fmt: skip

Article = dict[str, object]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _blocks(a: Article) -> list[Block]:
    return list(a["body"])  # type: ignore[call-overload]


def _ru_date(iso: str, time: bool = False) -> str:
    y, m, d = iso[:10].split("-")
    out = f"{int(d)} {_MONTHS[int(m) - 1]} {y}"
    return out + (f", {iso[11:16]}" if time else "")


def _dotted(iso: str) -> str:
    y, m, d = iso[:10].split("-")
    return f"{d}.{m}.{y}"


def _paras(blocks: list[Block], p: str = "<p>{}</p>", ul: str = "<ul>{}</ul>") -> str:
    out = []
    for b in blocks:
        if isinstance(b, list):
            out.append(ul.format("".join(f"<li>{_e(i)}</li>" for i in b)))
        else:
            out.append(p.format(_e(b)))
    return "\n".join(out)


def _teasers(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    return rng.sample(TEASERS, n)


def _head(title: str, extra: str = "") -> str:
    return (f"<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\">"
            f"<title>{_e(title)}</title><meta name=\"viewport\" content=\"width=device-width\">"
            f"{extra}<script>window.dataLayer=window.dataLayer||[];</script>"
            f"<style>.x{{color:red}}</style></head>")  # fmt: skip


COOKIE = ('<div class="cookie-notice" id="cookie-notice"><p>Мы используем файлы cookie, чтобы '
          'сайт работал удобнее. Продолжая пользоваться сайтом, вы соглашаетесь с этим.</p>'
          '<button>Принять</button></div>')  # fmt: skip
FOOTER_ADDR = ("<p>220000, г. Минск, ул. Примерная, 10. Телефон приёмной: +375 17 200-00-00. "
               "Электронная почта: info@example.gov.by</p><p>© 2024 Все права защищены. При "
               "использовании материалов ссылка на сайт обязательна.</p>")  # fmt: skip


def drupal(a: Article, rng: random.Random) -> str:
    t, d = str(a["title"]), str(a["date"])
    views = "".join(
        f'<div class="views-row views-row-{i + 1}"><div class="views-field views-field-created">'
        f'<span class="field-content">{td} 10:00</span></div><div class="views-field '
        f'views-field-title"><span class="field-content"><a href="/ru/news/{i}">{_e(h)}</a>'
        f"</span></div></div>"
        for i, (h, _lead, td) in enumerate(_teasers(rng, 6))
    )
    return (_head(f"{t} | Министерство связи и информатизации") + '<body class="html '
            'not-front one-sidebar sidebar-second page-node"><div id="page-wrapper"><div id="page">'
            '<div id="header"><a href="/ru" id="logo">Министерство связи и информатизации</a>'
            '<div class="region region-header"><ul class="menu"><li><a href="/ru">Главная</a></li>'
            '<li><a href="/ru/news">Новости</a></li><li><a href="/ru/docs">Документы</a></li>'
            '<li><a href="/ru/contacts">Контакты</a></li></ul></div></div>'
            '<div id="main-wrapper" class="clearfix"><div id="main" class="clearfix">'
            '<div id="breadcrumb"><div class="breadcrumb"><a href="/ru">Главная</a> » '
            '<a href="/ru/news">Новости</a></div></div>'
            '<div id="content" class="column"><div class="section"><a id="main-content"></a>'
            f'<h1 class="title" id="page-title">{_e(t)}</h1><div class="region region-content">'
            '<div id="block-system-main" class="block block-system"><div class="content">'
            '<div id="node-8455" class="node node-news node-promoted clearfix" '
            'typeof="sioc:Item foaf:Document"><div class="submitted"><span property="dc:date '
            f'dc:created" content="{d}:00+03:00" class="date-display-single">{_dotted(d)}'
            f"</span></div><div class=\"content\"><div class=\"field field-name-body "
            'field-type-text-with-summary field-label-hidden"><div class="field-items">'
            '<div class="field-item even" property="content:encoded">'
            f"{_paras(_blocks(a))}</div></div></div></div>"
            '<div class="link-wrapper"><ul class="links inline"><li class="print_html first">'
            '<a href="/ru/print/8455">Версия для печати</a></li></ul></div></div></div></div>'
            '</div></div></div><div id="sidebar-second" class="column sidebar"><div class="section">'
            '<div class="region region-sidebar-second"><div id="block-views-news-block" '
            'class="block block-views"><h2>Последние новости</h2><div class="content"><div '
            f'class="view view-news"><div class="view-content">{views}</div></div></div></div>'
            '</div></div></div></div></div><div id="footer-wrapper"><div class="region '
            f'region-footer">{FOOTER_ADDR}</div></div></div></div></body></html>')  # fmt: skip


def bitrix(a: Article, rng: random.Random) -> str:
    t, d = str(a["title"]), str(a["date"])
    text = "<br><br>\n".join(
        _e(b) if isinstance(b, str) else "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in b) + "</ul>"
        for b in _blocks(a)
    )
    side = "".join(
        f'<div class="news-item"><span class="news-date-time">{td}</span><a href="/ru/novosti/'
        f'{i}/"><b>{_e(h)}</b></a><br>{_e(lead)}</div>'
        for i, (h, lead, td) in enumerate(_teasers(rng, 4))
    )
    return (_head(f"{t} — Витебский областной исполнительный комитет") + "<body><div id=\"panel\">"
            '</div><div class="wrapper"><header class="header"><div class="container">'
            '<a href="/ru/" class="logo"><span class="logo__text">Витебский областной '
            'исполнительный комитет</span></a><form class="header-search" action="/ru/search/">'
            '<input name="q" placeholder="Поиск по сайту"><button>Найти</button></form></div>'
            '</header><nav class="main-menu"><ul><li><a href="/ru/">Главная</a></li><li><a '
            'href="/ru/novosti/">Новости</a></li><li><a href="/ru/economy/">Экономика</a></li>'
            '</ul></nav><main class="main"><div class="container"><div class="row">'
            '<div class="col-md-9 content"><div class="bx-breadcrumb"><a href="/ru/">Главная'
            '</a> / <a href="/ru/novosti/">Новости</a></div>'
            f'<h1 class="page-title">{_e(t)}</h1><div class="news-detail">'
            f'<span class="news-date-time">{_dotted(d)}</span>\n{text}\n'
            '<div style="clear:both"></div><br></div><div class="share"><span>Поделиться:</span>'
            '<a href="https://vk.com/share.php">ВКонтакте</a> <a href="https://ok.ru/">'
            'Одноклассники</a></div><p><a href="/ru/novosti/">Вернуться к списку</a></p></div>'
            '<div class="col-md-3 sidebar"><div class="sidebar-block"><div class="title">'
            f'Новости области</div><div class="news-list">{side}</div></div></div></div></div>'
            f'</main><footer class="footer"><div class="container">{FOOTER_ADDR}</div></footer>'
            "</div></body></html>")  # fmt: skip


def _el_widget(kind: str, inner: str) -> str:
    return (f'<div class="elementor-element elementor-element-{zlib.crc32(inner.encode()) % 65536:04x} '
            f'elementor-widget elementor-widget-{kind}" data-widget_type="{kind}.default">'
            f'<div class="elementor-widget-container">{inner}</div></div>')  # fmt: skip


def _el_section(widgets: str, cols: str = "100") -> str:
    return (f'<section class="elementor-section elementor-top-section elementor-section-boxed">'
            f'<div class="elementor-container elementor-column-gap-default"><div class="'
            f'elementor-column elementor-col-{cols} elementor-top-column"><div class="'
            f'elementor-widget-wrap elementor-element-populated">{widgets}</div></div></div>'
            f"</section>")  # fmt: skip


def wp_elementor(a: Article, rng: random.Random) -> str:
    t, d = str(a["title"]), str(a["date"])
    blocks = _blocks(a)
    half = max(1, len(blocks) // 2)
    parts = [blocks[:half], blocks[half:]]
    sections = [
        _el_section(_el_widget("theme-post-title elementor-page-title elementor-widget-heading",
                               f'<h1 class="elementor-heading-title">{_e(t)}</h1>')
                    + _el_widget("post-info", '<ul class="elementor-inline-items elementor-post-info">'
                                 '<li class="elementor-icon-list-item" itemprop="datePublished">'
                                 f'<span class="elementor-post-info__item--type-date"><time>'
                                 f'{_dotted(d)}</time></span></li><li class="elementor-icon-list-item">'
                                 '<span>Пресс-служба</span></li></ul>')),
    ]  # fmt: skip
    for part in parts:
        if part:
            sections.append(_el_section(_el_widget("text-editor", _paras(part))))
    sections.append(_el_section(_el_widget("share-buttons", '<div class="elementor-share-btn">'
                                           '<span>Поделиться</span></div>')))  # fmt: skip
    related = "".join(
        _el_widget("posts", f'<article class="elementor-post"><h3 class="elementor-post__title">'
                   f'<a href="/news/{i}/">{_e(h)}</a></h3><div class="elementor-post__excerpt">'
                   f"<p>{_e(lead)}</p></div></article>")
        for i, (h, lead, _td) in enumerate(_teasers(rng, 3))
    )  # fmt: skip
    sections.append(_el_section('<h2 class="elementor-heading-title">Читайте также</h2>' + related))
    head = (f'<meta property="og:title" content="{_e(t)}">'
            f'<meta property="article:published_time" content="{d}:00+03:00">'
            f'<meta property="article:modified_time" content="2025-01-10T09:00:00+03:00">')  # fmt: skip
    return (_head(f"{t} – Агентство регионального развития", head) + '<body class="post-template-'
            'default single single-post elementor-default elementor-kit-5">'
            '<div data-elementor-type="header" class="elementor elementor-location-header">'
            + _el_section(_el_widget("nav-menu", '<nav class="elementor-nav-menu--main"><ul>'
                                     '<li><a href="/">Главная</a></li><li><a href="/news/">Новости</a>'
                                     '</li><li><a href="/about/">О нас</a></li></ul></nav>'))
            + '</div><div data-elementor-type="single-post" class="elementor elementor-location-'
            'single post-1234 post type-post status-publish">' + "".join(sections) + "</div>"
            '<div data-elementor-type="footer" class="elementor elementor-location-footer">'
            + _el_section(_el_widget("text-editor", FOOTER_ADDR)) + f"</div>{COOKIE}</body></html>")  # fmt: skip


def joomla(a: Article, rng: random.Random) -> str:
    t, d = str(a["title"]), str(a["date"])
    latest = "".join(
        f'<li itemscope itemtype="https://schema.org/Article"><a href="/news/{i}" itemprop="url">'
        f'<span itemprop="name">{_e(h)}</span></a></li>'
        for i, (h, _lead, _td) in enumerate(_teasers(rng, 5))
    )
    return (_head(f"{t} - Гродненский областной исполнительный комитет") + '<body class="site '
            'com_content view-article itemid-101"><div class="body"><div class="container">'
            '<header class="header"><a class="brand pull-left" href="/"><span class="site-title">'
            'Гродненский областной исполнительный комитет</span></a><div class="header-search '
            'pull-right"><form><input name="searchword"></form></div></header>'
            '<nav class="navigation"><ul class="nav menu nav-pills mod-list"><li class="item-101 '
            'current active"><a href="/">Главная</a></li><li class="item-102"><a href="/news">'
            'Новости</a></li></ul></nav><div class="row-fluid"><main id="content" class="span9">'
            '<div class="page-header"><h1>Новости региона</h1></div>'
            '<div class="item-page" itemscope itemtype="https://schema.org/Article">'
            '<meta itemprop="inLanguage" content="ru-RU"><div class="page-header">'
            f'<h2 itemprop="headline">{_e(t)}</h2></div><dl class="article-info muted">'
            '<dt class="article-info-term">Подробности</dt><dd class="createdby" itemprop="author">'
            '<span itemprop="name">Пресс-центр</span></dd><dd class="published">'
            f'<time datetime="{d}:00+03:00" itemprop="datePublished">Опубликовано: '
            f'{_dotted(d)} {d[11:16]}</time></dd><dd class="hits">Просмотров: 312</dd></dl>'
            f'<div itemprop="articleBody">{_paras(_blocks(a))}</div>'
            '<ul class="pager pagenav"><li class="previous"><a href="/news/1" rel="prev">'
            '&lt; Назад</a></li><li class="next"><a href="/news/3" rel="next">Вперёд &gt;</a>'
            '</li></ul></div></main><div id="aside" class="span3"><div class="moduletable">'
            f'<h3>Последние новости</h3><ul class="latestnews mod-list">{latest}</ul></div>'
            '</div></div></div></div><footer class="footer"><div class="container">'
            f"{FOOTER_ADDR}</div></footer></body></html>")  # fmt: skip


def news_agency(a: Article, rng: random.Random) -> str:
    t, d = str(a["title"]), str(a["date"])
    blocks = _blocks(a)
    lead = f"<p><strong>{_dateline(a)}</strong> {_e(str(blocks[0]))}</p>"
    rest = _paras(blocks[1:])
    main = "".join(
        f'<div class="main-news__item"><a href="/news/{i}/" class="main-news__title">{_e(h)}</a>'
        f'<div class="main-news__lead">{_e(ld)}</div><span class="main-news__time">{td}</span>'
        "</div>"
        for i, (h, ld, td) in enumerate(_teasers(rng, 8))
    )
    ld_json = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": t,
                          "datePublished": f"{d}:00+03:00",
                          "dateModified": f"{d[:11]}23:59:00+03:00",
                          "publisher": {"@type": "Organization", "name": "Агентство новостей"}},
                         ensure_ascii=False)  # fmt: skip
    head = (f'<script type="application/ld+json">{ld_json}</script>'
            f'<meta property="og:title" content="{_e(t)}">')  # fmt: skip
    return (_head(f"{t} | Агентство новостей", head) + "<body><div class=\"layout\">"
            '<header class="site-header"><a class="site-header__logo" href="/">Агентство новостей'
            '</a><nav class="site-header__menu"><a href="/politics/">Политика</a> <a href="/economy/'
            '">Экономика</a> <a href="/regions/">Регионы</a> <a href="/society/">Общество</a>'
            '</nav></header><div class="layout__body"><div class="layout__main">'
            '<article class="article" itemscope itemtype="http://schema.org/NewsArticle">'
            f'<div class="article__header"><h1 class="article__title" itemprop="headline">{_e(t)}'
            '</h1><div class="article__info"><span class="article__updated">Обновлено: '
            f'{_dotted(d)} 23:59</span> <span class="article__published">{_dotted(d)} {d[11:16]}'
            '</span> <span class="article__rubric"><a href="/regions/">Регионы</a></span></div>'
            f'</div><div class="article__text" itemprop="articleBody">{lead}'
            '<div class="inline-read-also">Читайте также: <a href="/news/77/">Регионы двух стран '
            f"подвели итоги года</a></div>{rest}</div>"
            '<div class="article__tags"><a href="/tags/regiony/">регионы</a> <a href="/tags/'
            'sotrudnichestvo/">сотрудничество</a></div></article></div>'
            f'<aside class="layout__aside"><div class="main-news"><h3>Главное</h3>{main}</div>'
            f'</aside></div><footer class="site-footer">{FOOTER_ADDR}</footer></div>{COOKIE}'
            "</body></html>")  # fmt: skip


def _dateline(a: Article) -> str:
    return f"МИНСК, {_ru_date(str(a['date']))[:-5]} (Корр.)."


def gov_portal(a: Article, rng: random.Random) -> str:
    t, d = str(a["title"]), str(a["date"])
    text = "<br><br>".join(
        _e(b) if isinstance(b, str) else "<br>".join("— " + _e(i) for i in b) for b in _blocks(a)
    )
    menu = "".join(
        f'<tr><td class="menu-item"><a href="/news.aspx?id={i}">{_e(h)}</a></td></tr>'
        for i, (h, _l, _td) in enumerate(_teasers(rng, 5))
    )
    return (_head(f"Правительство области - {t}") + '<body><form method="post" action="./news.aspx'
            '?id=412" id="aspnetForm"><div class="aspNetHidden"><input type="hidden" name="__'
            'VIEWSTATE" value="abc"></div><table class="main-table" width="100%"><tr>'
            '<td colspan="2" class="top"><h1>Правительство области</h1><div class="slogan">'
            'Официальный портал органов государственной власти</div></td></tr><tr>'
            '<td class="left-col" width="220"><table class="left-menu"><tr><td><a href="/">Главная'
            '</a></td></tr><tr><td><a href="/news.aspx">Новости</a></td></tr><tr><td><a href="/'
            f'gov.aspx">Правительство</a></td></tr>{menu}</table></td>'
            '<td class="center-col"><div class="container-wrap no-sidebar"><div class="news-view">'
            f'<div class="news-title">{_e(t)}</div><div class="news-date">{_dotted(d)} | '
            f'{d[11:16]}</div><div class="news-body"><font face="Arial" size="2">{text}</font>'
            '</div><div class="news-print"><a href="javascript:window.print()">Распечатать</a> | '
            '<a href="/news.aspx">Все новости</a></div></div></div></td></tr><tr><td colspan="2" '
            f'class="bottom">{FOOTER_ADDR}</td></tr></table></form></body></html>')  # fmt: skip


def wp_classic(a: Article, rng: random.Random) -> str:
    t, d = str(a["title"]), str(a["date"])
    recent = "".join(
        f'<li><a href="/{i}/">{_e(h)}</a><span class="post-date">{td}</span></li>'
        for i, (h, _l, td) in enumerate(_teasers(rng, 5))
    )
    related = "".join(
        f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title"><a href="/r{i}/'
        f'">{_e(h)}</a></h4><p class="jp-relatedposts-post-excerpt">{_e(lead)}</p></div>'
        for i, (h, lead, _td) in enumerate(_teasers(rng, 3))
    )
    comments = ("<li class=\"comment\"><article class=\"comment-body\"><footer class=\"comment-meta\">"
                f"<b class=\"fn\">Анна</b> <time>{_dotted(d)}</time></footer><div class=\"comment-content\"><p>"
                "Хорошая новость, давно ждали, что такие проекты появятся и у нас, в районе, где "
                "работы немного. Надеюсь, не забудут и про дороги, и про автобусы, и про школы."
                "</p></div></article></li>")  # fmt: skip
    return (_head(f"{t} – Вестник регионов", f'<link rel="canonical" href="https://vestnik.example/'
                  f'{d[:4]}/{d[5:7]}/{d[8:10]}/novost/">') + '<body class="post-template-default '
            'single single-post has-sidebar"><div id="page" class="site"><header id="masthead" '
            'class="site-header"><p class="site-title"><a href="/">Вестник регионов</a></p>'
            '<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">'
            '<li><a href="/">Главная</a></li><li><a href="/category/economy/">Экономика</a></li>'
            '<li><a href="/category/culture/">Культура</a></li></ul></nav></header>'
            '<div id="content" class="site-content content-with-aside"><div id="primary" '
            'class="content-area"><main id="main" class="site-main"><article id="post-77" '
            'class="post-77 post type-post status-publish hentry"><header class="entry-header">'
            f'<h1 class="entry-title">{_e(t)}</h1><div class="entry-meta"><span class="posted-on">'
            f'Обновлено <time class="updated" datetime="2025-02-01T10:00:00+03:00">{_ru_date("2025-02-01")}'
            f'</time> · <time class="entry-date published" datetime="{d}:00+03:00">{_ru_date(d)}'
            '</time></span></div></header><div class="entry-content">'
            f'{_paras(_blocks(a))}<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">'
            'Поделиться:</h3><ul><li><a href="https://t.me/share">Telegram</a></li><li><a href="'
            'https://vk.com/share.php">ВКонтакте</a></li></ul></div><div id="jp-relatedposts" '
            f'class="jp-relatedposts"><h3>Похожие записи</h3>{related}</div></div>'
            '<footer class="entry-footer"><span class="cat-links">Рубрика: <a href="/category/'
            'economy/">Экономика</a></span></footer></article><div id="comments" class="comments-area">'
            f'<h2 class="comments-title">Один комментарий</h2><ol class="comment-list">{comments}</ol>'
            '</div></main></div><aside id="secondary" class="widget-area"><section id="recent-posts-2" '
            f'class="widget widget_recent_entries"><h2 class="widget-title">Свежие записи</h2><ul>{recent}'
            '</ul></section></aside></div><footer id="colophon" class="site-footer"><div class="'
            f'site-info">{FOOTER_ADDR}</div></footer></div></body></html>')  # fmt: skip


CMS: list[tuple[str, Callable[[Article, random.Random], str]]] = [
    ("drupal", drupal),
    ("bitrix", bitrix),
    ("wp-elementor", wp_elementor),
    ("joomla", joomla),
    ("news-agency", news_agency),
    ("gov-portal", gov_portal),
    ("wp-classic", wp_classic),
]


def gold_body(a: Article, cms: str) -> str:
    """Paragraphs by blank lines, list items on lines of their own (a news agency's dateline
    is part of its first paragraph)."""
    blocks = _blocks(a)
    if cms == "news-agency":
        blocks[0] = f"{_dateline(a)} {blocks[0]}"
    return "\n\n".join(b if isinstance(b, str) else "\n".join(b) for b in blocks)


def main() -> int:
    OUT.mkdir(exist_ok=True)
    gold = {}
    for i, a in enumerate(ARTICLES):
        name, render = CMS[i % len(CMS)]
        key = f"{i + 1:02d}-{name}"
        (OUT / f"{key}.html").write_text(render(a, random.Random(i)), encoding="utf-8")
        gold[key] = {"cms": name, "title": a["title"], "published": a["date"],
                     "body": gold_body(a, name), "held_out": i % 5 == 4}  # fmt: skip
    (OUT / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")  # fmt: skip
    print(f"{len(gold)} pages in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
