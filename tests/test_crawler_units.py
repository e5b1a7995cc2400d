"""Crawler parts without a server: URLs, retry, Russian dates, language, charset, extraction,
profiles, and fetch guards over ``httpx.MockTransport``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

import crawler
from crawler import (
    RetryPolicy,
    detect_lang,
    extract_page,
    load_profiles,
    next_attempt,
    normalize_url,
    parse_date,
    profile_for,
)
from crawler._charset import decode_html
from crawler._fetch import FetchPolicy, fetch
from crawler._sitemap import sitemap_urls
from crawler._urls import is_private_host, join_url
from tests._crawl_helpers import settings_for


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://WWW.MPT.GOV.BY:80/ru/news/", "http://www.mpt.gov.by/ru/news"),
        ("https://mpt.gov.by:443/ru/news#top", "https://mpt.gov.by/ru/news"),
        ("https://mpt.gov.by/ru/news?utm_source=vk&page=2", "https://mpt.gov.by/ru/news?page=2"),
        ("https://mpt.gov.by/ru/news?b=2&a=1", "https://mpt.gov.by/ru/news?a=1&b=2"),
        ("https://mpt.gov.by", "https://mpt.gov.by/"),
        ("https://mpt.gov.by/ru/./news/../news", "https://mpt.gov.by/ru/news"),
        ("https://mpt.gov.by/%D0%BD%D0%BE%D0%B2", "https://mpt.gov.by/%D0%BD%D0%BE%D0%B2"),
        ("https://mpt.gov.by/нов", "https://mpt.gov.by/%D0%BD%D0%BE%D0%B2"),
        ("http://127.0.0.1:8080/a?fbclid=1", "http://127.0.0.1:8080/a"),
    ],
)
def test_normalize_url(url: str, normal: str) -> None:
    assert normalize_url(url) == normal


def test_request_form_keeps_the_slash() -> None:
    assert normalize_url("http://h/ru/novosti/2024/1/", keep_slash=True) == (
        "http://h/ru/novosti/2024/1/"
    )
    assert join_url("http://h/ru/news", "../be/news#x") == "http://h/be/news"
    assert join_url("http://h/", "mailto:a@b") is None


@pytest.mark.parametrize(
    ("host", "private"),
    [("127.0.0.1:8000", True), ("localhost", True), ("10.1.2.3", True), ("192.168.0.1", True),
     ("[::1]:80", True), ("169.254.1.1", True), ("www.mpt.gov.by", False), ("8.8.8.8", False)],
)  # fmt: skip
def test_private_hosts(host: str, private: bool) -> None:
    assert is_private_host(host) is private


POLICY = RetryPolicy(retries=3, backoff=1.0, retry_after_cap=60.0, jitter=0.0)


@pytest.mark.parametrize(
    ("attempts", "error", "retry_after", "delay"),
    [
        (0, 500, None, 1.0),
        (1, 503, None, 2.0),
        (2, "connect", None, 4.0),
        (0, "reset", None, 1.0),
        (0, "timeout", None, 1.0),
        (0, 429, 30.0, 30.0),
        (0, 429, 600.0, None),  # longer than the cap: give up
        (3, 500, None, None),  # out of attempts
        (0, 404, None, None),
        (0, 403, None, None),
        (0, "oversize", None, None),
        (0, "offsite", None, None),
    ],
)
def test_next_attempt(attempts: int, error: int | str, retry_after: float | None,
                      delay: float | None) -> None:  # fmt: skip
    assert next_attempt(attempts, error, retry_after, POLICY) == delay


def test_next_attempt_jitter_stays_in_band() -> None:
    policy = RetryPolicy(retries=5, backoff=2.0, jitter=0.25)
    delays = {next_attempt(1, 502, None, policy) for _ in range(50)}
    assert all(d is not None and 3.0 <= d <= 5.0 for d in delays)
    assert len(delays) > 1


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("9 января 2023", "2023-01-09"),
        ("09.01.2023 10:15", "2023-01-09T10:15"),
        ("9.1.2023", "2023-01-09"),
        ("Опубликовано: 9 января 2023 г., 10:15", "2023-01-09T10:15"),
        ("9 января 2023 года в 10:15", "2023-01-09T10:15"),
        ("1 мая 2024", "2024-05-01"),
        ("23 февраля 2024", "2024-02-23"),
        ("31 декабря 2022", "2022-12-31"),
        ("12 сакавіка 2024", "2024-03-12"),
        ("5 лістапада 2023", "2023-11-05"),
        ("18 ліпеня 2024 10:00", "2024-07-18T10:00"),
        ("January 9, 2023", "2023-01-09"),
        ("2023-01-09T10:15:00+03:00", "2023-01-09T10:15"),
        ("2023-01-09", "2023-01-09"),
        ("31.02.2023", ""),
        ("товарооборот вырос на 15,2 процента", ""),
    ],
)
def test_parse_date(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Министерство связи и информатизации Республики Беларусь", "ru"),
        ("Міністэрства сувязі і інфарматызацыі Рэспублікі Беларусь", "be"),
        ("Дэлегацыя Курскай вобласці наведала Гомельшчыну", "be"),
        ("Ministry of Communications and Informatization", "en"),
        ("Делегация посетила ОАО «Гомельский завод» (Gomel Plant)", "ru"),
        ("", "ru"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_charset_windows_1251_from_meta_only() -> None:
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    raw = (html + "<h1>Делегация Брянской области</h1>").encode("cp1251")
    text, encoding = decode_html(raw, "text/html")
    assert "Делегация Брянской области" in text
    assert encoding == "cp1251"


def test_charset_header_wins_and_detection_fills_in() -> None:
    raw = "<p>Сотрудничество с регионами России развивается успешно</p>".encode("cp1251")
    assert decode_html(raw, "text/html; charset=windows-1251")[0].endswith("успешно</p>")
    assert "Сотрудничество" in decode_html(raw * 5, None)[0]
    assert decode_html("<p>Привет</p>".encode(), "text/html; charset=bogus")[0] == "<p>Привет</p>"


ARTICLE = """<html><head><title>Визит | Министерство</title>
<link rel="canonical" href="/ru/news/09-01-2023-8401">
<meta property="article:published_time" content="2023-01-09T10:15:00+03:00"></head>
<body class="one-sidebar sidebar-first"><nav><a href="/ru">Главная</a></nav>
<div id="breadcrumb"><a href="/ru">Главная</a> » Новости</div>
<div class="content"><h1>Курская делегация посетила Гомельскую область</h1>
<div class="date">9 января 2023</div>
<div class="text"><p>Первый абзац о визите делегации Курской области в Гомельскую область.</p>
<p>Второй   абзац:
стороны обсудили сотрудничество.</p>
<ul><li>пункт один</li><li>пункт два</li></ul>
<p>Итоговый абзац с <a href="/ru/node/1">ссылкой</a> внутри текста статьи.</p></div>
<div class="files"><a href="/files/plan.pdf">План (PDF)</a></div>
<div class="share"><a href="https://vk.com/share">Поделиться</a></div>
<div class="print-link"><a href="/ru/print/8401">Версия для печати</a></div></div>
<aside><h2>Последние новости</h2><ul><li>10.01.2023 <a href="/ru/news/x">Другая</a></li></ul></aside>
<footer>Все права защищены</footer><script>var x = "скрипт";</script></body></html>"""


def test_extract_article_without_profile() -> None:
    page = extract_page(ARTICLE.encode(), "https://www.mpt.gov.by/ru/node/8401")
    assert page.title == "Курская делегация посетила Гомельскую область"
    assert page.published == "2023-01-09T10:15"
    assert page.canonical == "https://www.mpt.gov.by/ru/news/09-01-2023-8401"
    assert page.body == (
        "Первый абзац о визите делегации Курской области в Гомельскую область.\n\n"
        "Второй абзац: стороны обсудили сотрудничество.\n\nпункт один\nпункт два\n\n"
        "Итоговый абзац с ссылкой внутри текста статьи."
    )
    assert page.attachments == ("https://www.mpt.gov.by/files/plan.pdf",)
    assert page.lang == "ru"
    assert page.is_article


def test_extract_date_line_when_no_meta() -> None:
    html = ARTICLE.replace('<meta property="article:published_time" '
                           'content="2023-01-09T10:15:00+03:00">', "")  # fmt: skip
    assert extract_page(html.encode(), "https://h/a").published == "2023-01-09"


def test_extract_broken_markup_survives() -> None:
    html = ("<html><body><h1>Заголовок<div class=text><p>Абзац первый, длинный, " + "слово " * 30
            + "<p>Абзац второй</span></div></div><font><p>третий").encode()  # fmt: skip
    page = extract_page(html, "https://h/a")
    assert page.title.startswith("Заголовок")
    assert "Абзац второй" in page.body


def test_extract_listing_is_not_an_article() -> None:
    rows = "".join(
        f'<div class="item"><span>0{i}.01.2023</span><a href="/ru/news/{i}">Новость номер {i} о '
        f"сотрудничестве</a><div>Короткий анонс новости {i}.</div></div>"
        for i in range(1, 10)
    )
    html = f"<html><body><h1>Новости</h1><div class='list'>{rows}</div></body></html>"
    page = extract_page(html.encode(), "https://h/ru/news")
    assert not page.is_article
    assert "https://h/ru/news/3" in page.links


def test_profile_selectors_win() -> None:
    html = ('<h1>Сайт</h1><div class="x"><h2 class="t">Настоящий заголовок</h2>'
            '<span class="d">09.01.2023 10:15</span><div class="b"><p>Тело статьи.</p></div></div>'
            '<div class="big"><p>' + "шум " * 200 + "</p></div>")  # fmt: skip
    profile = crawler.SiteProfile(name="x", hosts=("h",), title_selector=".t",
                                  date_selector=".d", body_selector=".b")  # fmt: skip
    page = extract_page(html.encode(), "https://h/a", None, profile)
    assert (page.title, page.published, page.body) == (
        "Настоящий заголовок",
        "2023-01-09T10:15",
        "Тело статьи.",
    )


def test_profiles_bundled_and_from_config(tmp_path: Path) -> None:
    table = {"name": "oblast", "start_urls": ["https://vitebsk-region.gov.by/ru/novosti/"],
             "_origin": "test"}  # fmt: skip
    profiles = load_profiles(settings_for(tmp_path, (table,)))
    mpt = profile_for("https://www.mpt.gov.by/ru/news?page=3", profiles)
    assert mpt.name == "mpt"
    assert mpt.kind_of("https://www.mpt.gov.by/ru/news/09-01-2023-8401") == "article"
    assert mpt.kind_of("https://www.mpt.gov.by/ru/node/8401") == "article"
    assert mpt.kind_of("https://www.mpt.gov.by/ru/news?page=2") == "listing"
    assert profile_for("https://vitebsk-region.gov.by/ru/novosti/", profiles).name == "oblast"
    generic = profile_for("http://127.0.0.1:8000/ru/novosti/", profiles)
    assert (generic.name, generic.hosts, generic.scope, generic.generic) == (
        "127.0.0.1:8000",
        ("127.0.0.1:8000",),
        ("/ru/novosti/",),
        True,
    )
    assert profile_for("https://www.example.org/ru/news", profiles).scope == ("/ru/",)
    assert profile_for("https://www.example.org/ru/news", profiles).name == "example.org"


def test_profile_unknown_key_is_a_config_error(tmp_path: Path) -> None:
    from core.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown site profile key"):
        load_profiles(settings_for(tmp_path, ({"name": "x", "hosts": ["h"], "selector": "p"},)))


def test_sitemap_urls() -> None:
    index = b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' \
        b"<sitemap><loc>https://h/s1.xml</loc></sitemap></sitemapindex>"  # fmt: skip
    urlset = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://h/a' \
        b" </loc></url><url><loc>https://h/b</loc></url></urlset>"  # fmt: skip
    assert sitemap_urls(index) == (["https://h/s1.xml"], [])
    assert sitemap_urls(urlset) == ([], ["https://h/a", "https://h/b"])
    assert sitemap_urls(b"not xml at all") == ([], [])


def _serve(handler: object, url: str, policy: FetchPolicy | None = None) -> object:
    async def go() -> object:
        transport = httpx.MockTransport(handler)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport) as client:

            async def gate(target: str) -> str:
                return "" if target.startswith("http://site/") else "another host"

            return await fetch(client, url, policy=policy or FetchPolicy(), gate=gate)

    return asyncio.run(go())


def test_fetch_follows_redirects_in_scope_only() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/a":
            return httpx.Response(301, headers={"Location": "/b"})
        if request.url.path == "/b":
            return httpx.Response(302, headers={"Location": "http://evil/x"})
        return httpx.Response(200, text="ok")

    result = _serve(handler, "http://site/a")
    assert result.error_kind == "offsite"  # type: ignore[attr-defined]
    assert seen == ["http://site/a", "http://site/b"]


def test_fetch_caps_the_body_while_streaming() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b"x" * 1000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/html"}, content=chunks())

    result = _serve(handler, "http://site/big", FetchPolicy(max_bytes=5000))
    assert result.error_kind == "oversize"  # type: ignore[attr-defined]


def test_fetch_filters_content_types_and_redirect_loops() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/img":
            return httpx.Response(200, headers={"Content-Type": "image/png"}, content=b"\x89PNG")
        target = "/loop2" if request.url.path == "/loop1" else "/loop1"
        return httpx.Response(302, headers={"Location": target})

    assert _serve(handler, "http://site/img").error_kind == "type"  # type: ignore[attr-defined]
    assert _serve(handler, "http://site/loop1").error_kind == "redirect"  # type: ignore[attr-defined]
