"""Boilerplate by repetition (crawler._repeats): blocks repeated inside the article container
of one site's pages are learned from a fixed set of bodies and stripped, the same in any order."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from core.errors import ConfigError
from crawler import extract_page
from crawler._repeats import RepeatTable, learn_repeats, site_of

# Four news items of one regional ministry, written for this test.
ARTICLES = [
    (
        "Делегация области обсудила поставки техники в Гродно",
        [
            "Делегация Смоленской области провела в Гродно переговоры с руководством "
            "машиностроительного холдинга о поставках коммунальной техники в 2027 году.",
            "Стороны договорились подготовить дорожную карту сотрудничества до конца квартала.",
        ],
    ),
    (
        "В Минске подписан меморандум о сотрудничестве в сфере образования",
        [
            "Министерство образования и правительство Калужской области подписали меморандум "
            "об обмене студентами и совместных программах повышения квалификации.",
            "Первые группы преподавателей приедут на стажировку весной.",
        ],
    ),
    (
        "Товарооборот с Брестской областью вырос на 14 процентов",
        [
            "По итогам девяти месяцев товарооборот региона с Брестской областью вырос на "
            "четырнадцать процентов и превысил триста миллионов долларов.",
            "Основу поставок составляют продукты питания и строительные материалы.",
        ],
    ),
    (
        "Губернатор встретился с послом Беларуси",
        [
            "Губернатор обсудил с Чрезвычайным и Полномочным Послом Республики Беларусь "
            "ход выполнения соглашения о торгово-экономическом сотрудничестве.",
            "Особое внимание уделили кооперации в сельском хозяйстве и логистике.",
        ],
    ),
]
READ_ALSO = "Читайте также:"
SUBSCRIBE = "Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать новости министерства."
CREDIT = "При использовании материалов ссылка на сайт министерства обязательна."


def _page(i: int, title: str, paragraphs: list[str]) -> bytes:
    others = [t for j, (t, _) in enumerate(ARTICLES) if j != i]
    related = "".join(f'<li><a href="/news/{j}">{t}</a></li>' for j, t in enumerate(others))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title} — Минэкономразвития</title>
<meta property="og:title" content="{title}"></head><body>
<header><nav><a href="/">Главная</a> <a href="/news">Новости</a> <a href="/docs">Документы</a></nav></header>
<div class="content-area"><div class="news-detail">
<h1>{title}</h1><div class="news-date">1{i} ноября 2026</div>
{body}
<p>{SUBSCRIBE}</p>
<p><b>{READ_ALSO}</b></p><ul class="read-also">{related}</ul>
<p class="small">{CREDIT}</p>
</div></div>
<footer>© Министерство экономического развития области</footer></body></html>""".encode()


def _bodies(host: str = "https://www.econ.example.ru") -> list[tuple[str, str]]:
    out = []
    for i, (title, paragraphs) in enumerate(ARTICLES):
        url = f"{host}/news/{i}"
        out.append((url, extract_page(_page(i, title, paragraphs), url, "text/html").body))
    return out


def test_repeated_blocks_inside_the_article_are_stripped_and_the_article_kept() -> None:
    bodies = _bodies()
    assert all(SUBSCRIBE in b and READ_ALSO in b for _, b in bodies)  # the extractor keeps them
    assert sum(CREDIT in b for _, b in bodies) >= 3
    table = learn_repeats(bodies)
    for (url, body), (_, paragraphs) in zip(bodies, ARTICLES, strict=True):
        stripped = table.strip(url, body)
        assert stripped == "\n\n".join(paragraphs)
        assert SUBSCRIBE not in stripped and READ_ALSO not in stripped


def test_same_set_any_order_same_table_and_file(tmp_path: Path) -> None:
    bodies = _bodies()
    shuffled = bodies[:]
    random.Random(7).shuffle(shuffled)
    one, two = learn_repeats(bodies), learn_repeats(reversed(shuffled))
    assert one == two and one.hosts
    one.dump(tmp_path / "a.json")
    two.dump(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert RepeatTable.load(tmp_path / "a.json") == one


def test_too_few_pages_or_copies_of_one_article_learn_nothing() -> None:
    bodies = _bodies()
    assert learn_repeats(bodies[:2]).hosts == {}  # K = 3 pages
    url, body = bodies[0]
    copies = [(url, body), (url + "?print=1", body), (url + "?utm_source=tg", body), bodies[1]]
    assert learn_repeats(copies).hosts == {}  # one article under three URLs counts once


def test_other_sites_and_mostly_repeated_bodies_are_left_alone() -> None:
    table = learn_repeats(_bodies())
    url, body = _bodies("https://minpromtorg.example.by")[0]
    assert table.strip(url, body) == body
    short = f"Коротко.\n\n{SUBSCRIBE}\n\n{CREDIT}"
    assert table.strip("https://econ.example.ru/news/9", short) == short
    assert site_of("https://WWW.econ.example.ru/x") == "econ.example.ru"


def test_a_malformed_table_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "t.json"
    bad.write_text('{"hosts": 3}', encoding="utf-8")
    with pytest.raises(ConfigError, match="not a repeated-block table"):
        RepeatTable.load(bad)
    with pytest.raises(ConfigError):
        RepeatTable.load(tmp_path / "missing.json")
    with pytest.raises(ValueError):
        learn_repeats([], min_pages=1)
