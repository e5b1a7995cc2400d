"""Article or listing in generic mode (``ExtractedPage.is_article``, ``crawler._article``): real-shaped
articles with many inline links, a listicle and a short story beside a long feed are articles;
news lists, category pages, "все новости", search results, a portal's front page and tag pages
are not. The bench's own listing pages (bench/ru_listings, held-out pages included) and the demo
sites' listings are checked whole."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from corpus import DemoServer
from crawler import extract_page
from crawler._article import listing_reason

ROOT = Path(__file__).resolve().parents[1]
LISTINGS = ROOT / "bench" / "ru_listings"
RU_PAGES = ROOT / "bench" / "ru_pages"

SENTENCES = (
    "Делегация Псковской области прибыла в Витебск, где стороны обсудили поставки "
    "строительных материалов и продукции машиностроения",
    "Товарооборот между регионами за полгода вырос на девять процентов и превысил сто "
    "восемнадцать миллионов долларов, сообщили в облисполкоме",
    "Договорились провести Дни Витебской области в Пскове осенью, а также открыть совместный "
    "туристический маршрут выходного дня",
    "По словам участников встречи, в следующем году планируется расширить перечень "
    "поставляемой продукции и подключить к работе районы",
)
CHROME = (
    '<header class="site-header"><a href="/">Вестник регионов</a><nav><ul>'
    + "".join(f'<li><a href="/r{i}/">Рубрика номер {i}</a></li>' for i in range(10))
    + "</ul></nav></header>"
)
FOOTER = ('<div class="bottom">220000, г. Минск, ул. Примерная, 10. Телефон приёмной: +375 17 '
          "200-00-00. Электронная почта: info@example.by. © 2024 Все права защищены. При "
          "использовании материалов ссылка на сайт обязательна.</div>")  # fmt: skip
SIDEBAR = (
    '<div class="col-md-3 sidebar"><div class="news-list">'
    + "".join(
        f'<div class="news-item"><span>1{i}.10.2024</span><a href="/n/{i}/"><b>Заголовок другой '
        f"новости номер {i} о торговле</b></a><br>Анонс другой новости номер {i}: делегации "
        "обсудили торговлю, образование, культуру и туризм, подписаны документы.</div>"
        for i in range(8)
    )
    + "</div></div>"
)


def _page(title: str, main: str, aside: str = "") -> bytes:
    return (f"<html><head><title>{title} | Вестник регионов</title></head><body>{CHROME}"
            f'<div class="row"><div class="col-md-9 content">{main}</div>{aside}</div>{FOOTER}'
            "</body></html>").encode()  # fmt: skip


def _linked(i: int, sentence: str) -> str:
    """A paragraph with links inside its running text."""
    words = sentence.split()
    return (f"<p>{' '.join(words[:3])} <a href='/a{i}'>{' '.join(words[3:6])}</a> "
            f"{' '.join(words[6:9])} <a href='https://example.org/{i}'>{' '.join(words[9:11])}</a>"
            f" {' '.join(words[11:])}.</p>")  # fmt: skip


HEADLINE = "Псковская и Витебская области расширят сотрудничество"
ARTICLES = {
    # twelve paragraphs, two inline links each: 24 links in the body (the old cap was 8)
    "inline links": _page(
        HEADLINE,
        f"<h1>{HEADLINE}</h1><div class='entry-content'>"
        + "".join(_linked(i, SENTENCES[i % 4]) for i in range(12))
        + "</div>",
    ),
    # a short story beside a sidebar feed holding more text than the story
    "short story, long feed": _page(
        HEADLINE,
        f"<h1>{HEADLINE}</h1><div class='news-detail'>{SENTENCES[0]}.<br><br>{SENTENCES[1]}.</div>",
        SIDEBAR,
    ),
    # a listicle: an intro, then items led by linked headings
    "listicle": _page(
        HEADLINE,
        f"<h1>{HEADLINE}</h1><div class='entry-content'>"
        + "".join(f"<p>{s}.</p>" for s in SENTENCES)
        + "".join(
            f"<div class='item'><h3><a href='https://example.org/p{i}'>Маршрут "
            f"номер {i} по приграничным районам</a></h3><p>{SENTENCES[i % 4]}.</p>"
            "</div>"
            for i in range(5)
        )
        + "</div>",
    ),  # fmt: skip
    # references: a list of linked sources under the text
    "sources list": _page(
        HEADLINE,
        f"<h1>{HEADLINE}</h1><article>"
        + "".join(f"<p>{s}.</p>" for s in SENTENCES)
        + "<ul>"
        + "".join(
            f"<li><a href='https://example.org/s{i}'>Источник номер {i}: "
            "доклад о торговле регионов</a></li>"
            for i in range(4)
        )
        + "</ul></article>",
    ),  # fmt: skip
}


def _teasers(n: int, lead: bool = True, tag: str = "div", cls: str = "news-item") -> str:
    return "".join(
        f'<{tag} class="{cls}"><span class="date">0{i % 9 + 1}.10.2024</span> <a href="/news/{i}/">'
        f"В районе номер {i} открыли новый центр обслуживания</a>"
        + (f"<p>{SENTENCES[i % 4]}.</p>" if lead else "")
        + f"</{tag}>"
        for i in range(n)
    )


LISTINGS_HERE = {
    "news list with pager": _page(
        "Новости",
        "<h1>Новости</h1>"
        + _teasers(10)
        + '<ul class="pager">'
        + "".join(f'<li><a href="?page={i}">{i}</a></li>' for i in range(9))
        + "</ul>",
    ),  # fmt: skip
    "all news, headlines only": _page(
        "Все новости",
        "<h1>Все новости</h1><ul>" + _teasers(15, lead=False, tag="li", cls="") + "</ul>",
    ),
    "search results": _page(
        "Поиск",
        "<h1>Поиск</h1><form><input name='q'></form><p>Найдено "
        "документов: 48</p><ol class='search-results'>"
        + _teasers(8, tag="li", cls="search-result")
        + "</ol>",
    ),
    "category with a description": _page(
        "Экономика",
        "<h1>Экономика</h1><p>В рубрике — "
        "новости промышленности, торговли и сельского "
        "хозяйства регионов.</p>" + _teasers(7, cls="post-77"),
    ),
}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_real_shaped_articles_are_articles(name: str) -> None:
    page = extract_page(ARTICLES[name], "https://vestnik.example/2024/10/story/")
    assert page.title == HEADLINE
    assert SENTENCES[1][:40] in page.body
    assert page.is_article


@pytest.mark.parametrize("name", sorted(LISTINGS_HERE))
def test_listing_pages_are_not_articles(name: str) -> None:
    page = extract_page(LISTINGS_HERE[name], "https://vestnik.example/news/")
    assert not page.is_article
    assert "https://vestnik.example/news/3/" in page.links  # its links are still followed


def test_listing_reason_names_the_rule() -> None:
    import lxml.etree

    from crawler._content import find_content, measure

    root = lxml.etree.fromstring(
        "<html><body><h1>Новости</h1><div class='list'>" + _teasers(6) + "</div></body></html>"
    )
    stats = measure(root)
    content = find_content(root, stats)
    assert listing_reason(root, stats, content, root.find(".//h1")) != ""
    article = lxml.etree.fromstring(
        f"<html><body><h1>{HEADLINE}</h1><div>"
        + "".join(f"<p>{s}.</p>" for s in SENTENCES)
        + "</div></body></html>"
    )
    stats = measure(article)
    assert listing_reason(article, stats, find_content(article, stats), article.find(".//h1")) == ""


def _gold(folder: Path) -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads((folder / "gold.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize("key", sorted(_gold(LISTINGS)))
def test_bench_listing_pages_are_not_articles(key: str) -> None:
    gold = _gold(LISTINGS)[key]
    page = extract_page((LISTINGS / f"{key}.html").read_bytes(),
                        f"https://{gold['cms']}.example.ru/{gold['kind']}/")  # fmt: skip
    assert not page.is_article


@pytest.mark.parametrize("key", sorted(_gold(RU_PAGES)))
def test_bench_article_pages_are_articles(key: str) -> None:
    gold = _gold(RU_PAGES)[key]
    page = extract_page((RU_PAGES / f"{key}.html").read_bytes(),
                        f"https://{gold['cms']}.example.ru/news/{key}")  # fmt: skip
    assert page.is_article


def test_demo_listings_are_not_articles_and_articles_are() -> None:
    with DemoServer(state=1) as srv:
        base = srv.base_url("mpt")
        listing = extract_page(httpx.get(base + "/ru/news?page=1").content, base + "/ru/news")
        assert not listing.is_article
        article_links = [u for u in listing.links if "/ru/news/" in u]
        assert article_links
        article = extract_page(httpx.get(article_links[0]).content, article_links[0])
        assert article.is_article
        oblast = srv.base_url("vitebsk")
        assert not extract_page(httpx.get(oblast + "/ru/novosti/").content, oblast).is_article
        agency = srv.base_url("agency")
        assert not extract_page(httpx.get(agency + "/news/").content, agency).is_article
