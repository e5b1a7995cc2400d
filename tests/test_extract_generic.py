"""Generic-mode extraction on real-page shapes: the failure kinds of issue 16 as unit cases, and
the held-out Russian benchmark pages (bench/ru_pages, never tuned on) kept above a floor.

The full comparison with trafilatura and readability-lxml is ``bench/bench_extract.py``; this
file needs neither."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from core.errors import ExtractError
from crawler import extract_page

ROOT = Path(__file__).resolve().parents[1]
RU_PAGES = ROOT / "bench" / "ru_pages"

ARTICLE = (
    "<p>Делегация Псковской области во главе с губернатором прибыла в Витебск, где стороны "
    "обсудили поставки строительных материалов и продукции машиностроения.</p>"
    "<p>Товарооборот между регионами за полгода вырос на девять процентов и превысил сто "
    "восемнадцать миллионов долларов, сообщили в облисполкоме.</p>"
    "<p>Договорились провести Дни Витебской области в Пскове осенью, а также открыть "
    "совместный туристический маршрут выходного дня.</p>"
)
FIRST, LAST = "Делегация Псковской области", "маршрут выходного дня"
MENU = "".join(f'<li><a href="/r{i}">Раздел сайта номер {i}</a></li>' for i in range(12))
FEED = "".join(
    f'<div class="item"><span class="d">0{i}.10.2024</span><a href="/n{i}">Заголовок другой '
    f"новости номер {i} о сотрудничестве регионов</a><p>Анонс другой новости номер {i}: "
    f"делегации обсудили торговлю, образование, культуру и туризм, подписаны документы и "
    f"намечены новые встречи в следующем году.</p></div>"
    for i in range(1, 9)
)


def _page(body: str, head: str = "") -> bytes:
    return (
        f"<html><head><title>Визит делегации | Облисполком</title>{head}</head><body>"
        f"<nav><ul>{MENU}</ul></nav>{body}<footer><p>© 2024 Облисполком. Все права защищены. "
        "Адрес: г. Витебск, ул. Ленина, 32</p></footer></body></html>"
    ).encode()


def _body(html: bytes) -> str:
    return extract_page(html, "https://oblast.example.by/news/1", "text/html").body


SHAPES = {
    # the layout class names furniture words ("aside", "sidebar", "widget") and no <h1> holds it
    "content-with-aside": f'<div class="content-with-aside"><div>{ARTICLE}</div></div>',
    "no-sidebar": f'<div class="container-wrap no-sidebar"><div class="text">{ARTICLE}</div></div>',
    "widget-container on every block": "".join(
        f'<div class="elementor-widget elementor-widget-text-editor"><div class="elementor-'
        f'widget-container">{p}</p></div></div>'
        for p in ARTICLE.split("</p>")
        if p
    ),
    # no single element holds most of the text: sections of one article
    "article in sections": "<main>"
    + "".join(f"<section><h2>Часть</h2>{p}</p></section>" for p in ARTICLE.split("</p>") if p)
    + "</main>",
    # a longer teaser feed beside a short article
    "glavnoe feed beside": f'<div class="story"><h1>Визит делегации</h1>{ARTICLE}</div>'
    f'<div class="glavnoe"><h3>Главное</h3>{FEED}</div>',
    # text straight in an inline-only container, paragraphs by <br>
    "font with br": "<table><tr><td><font face=Arial>"
    + ARTICLE.replace("<p>", "").replace("</p>", "<br><br>")
    + "</font></td></tr></table>",
    # a custom element holding the text
    "custom element": f"<news-text>{ARTICLE.replace('<p>', '').replace('</p>', ' ')}</news-text>",
    # an unclosed <button> before the article swallows the rest of the page in lxml
    "unclosed button": f"<div><button>Меню<div class=main>{ARTICLE}</div></div>",
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_article_shapes_keep_the_whole_article(shape: str) -> None:
    body = _body(_page(SHAPES[shape]))
    assert FIRST in body and LAST in body
    assert "Раздел сайта" not in body and "Все права защищены" not in body
    assert "Анонс другой новости" not in body


def test_furniture_inside_the_article_goes() -> None:
    html = _page(
        f'<article><h1>Визит делегации</h1><div class="entry-content">{ARTICLE}'
        '<div class="share-buttons"><a href="https://vk.com/share">Поделиться ВКонтакте</a></div>'
        '<div class="jp-relatedposts"><h3>Похожие записи</h3><p>Анонс похожей записи о другой '
        "встрече, тоже длинный, с подробностями о переговорах и подписанных документах.</p>"
        "</div></div></article>"
    )
    body = _body(html)
    assert FIRST in body and LAST in body
    assert "Поделиться" not in body and "Похожие записи" not in body


TITLES = [
    # the first <h1> is the site's name; og:title names the article
    (
        '<meta property="og:title" content="Псковская делегация посетила Витебск">',
        "<h1>Витебский облисполком</h1><h1>Псковская делегация посетила Витебск</h1>",
        "Псковская делегация посетила Витебск",
    ),
    # the headline is an <h2> (Joomla), the <h1> the menu item's name
    (
        "",
        '<h1>Новости</h1><h2 itemprop="headline">Визит делегации в Витебск</h2>',
        "Визит делегации в Витебск",
    ),
    # the <title> decides between two <h1>
    ("", "<h1>Облисполком</h1><h1>Визит делегации</h1>", "Визит делегации"),
]


@pytest.mark.parametrize(("head", "top", "title"), TITLES)
def test_title_is_the_heading_matching_og_or_title(head: str, top: str, title: str) -> None:
    page = extract_page(_page(top + ARTICLE, head), "https://h/a", "text/html")
    assert page.title == title


DATES = [
    # JSON-LD datePublished before a modified meta and the visible update line
    (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
        '"2024-03-12T10:15:00+03:00", "dateModified": "2024-03-13T09:00:00+03:00"}</script>'
        '<meta property="article:modified_time" content="2024-03-13T09:00:00+03:00">',
        "<h1>Визит делегации</h1><p>Обновлено: 13.03.2024</p>",
        "2024-03-12T10:15",
    ),
    # "updated" before the published time, both <time>, outside the title's parent
    (
        "",
        '<div class="head"><h1>Визит делегации</h1></div><div class="meta">Updated <time '
        'class="updated" datetime="2024-05-02">May 2, 2024</time> · <time class="published" '
        'datetime="2024-04-28T08:00">April 28, 2024</time></div>',
        "2024-04-28T08:00",
    ),
    # an English month name in the visible date line
    ("", "<h1>Визит делегации</h1><p>Posted on September 4th, 2025 by Press Office</p>",
     "2025-09-04"),
    # a Russian date line with an "Обновлено" label first
    ("", "<h1>Визит делегации</h1><div>Обновлено 15 марта 2024 · Опубликовано 12 марта 2024, "
         "10:15</div>", "2024-03-12T10:15"),
]  # fmt: skip


@pytest.mark.parametrize(("head", "top", "date"), DATES)
def test_publication_date_order(head: str, top: str, date: str) -> None:
    page = extract_page(_page(top + ARTICLE, head), "https://h/a", "text/html")
    assert page.published == date


def test_jsonld_article_body_when_the_markup_has_none() -> None:
    body = (
        "Текст статьи есть только в разметке JSON-LD: так отдают страницы некоторые сайты на "
        "JavaScript-фреймворках. Видимого текста в HTML нет, его дорисует браузер. Делегации "
        "обсудили поставки техники, обмен студентами и дни культуры в областных центрах."
    )
    head = f'<script type="application/ld+json">{{"@type": "Article", "articleBody": "{body}"}}'
    page = extract_page(_page("<div id=app></div>", head + "</script>"), "https://h/a", "text/html")
    assert page.body == body


def test_binary_data_is_one_error() -> None:
    with pytest.raises(ExtractError, match="binary data"):
        extract_page(bytes(range(256)) * 200, "https://h/a.html", "text/html")


def _f1(predicted: str, reference: str) -> float:
    pred, ref = re.findall(r"\w+", predicted.lower()), re.findall(r"\w+", reference.lower())
    overlap = sum((Counter(pred) & Counter(ref)).values())
    if not overlap:
        return 0.0
    p, r = overlap / len(pred), overlap / len(ref)
    return 2 * p * r / (p + r)


def _held_out() -> list[str]:
    gold = json.loads((RU_PAGES / "gold.json").read_text(encoding="utf-8"))
    return [key for key, g in gold.items() if g["held_out"]]


def test_held_out_pages_exist() -> None:
    assert len(_held_out()) == 5


@pytest.mark.parametrize("key", _held_out())
def test_held_out_russian_pages_keep_their_quality(key: str) -> None:
    gold = json.loads((RU_PAGES / "gold.json").read_text(encoding="utf-8"))[key]
    raw = (RU_PAGES / f"{key}.html").read_bytes()
    page = extract_page(raw, f"https://{gold['cms']}.example.ru/news/{key}", "text/html")
    assert _f1(page.body, gold["body"]) >= 0.95
    assert page.title == gold["title"]
    assert page.published[:10] == gold["published"][:10]
