"""Boilerplate by repetition (crawler._repeats): blocks repeated inside the article container
of one site's pages are learned from a fixed set of bodies and stripped, the same in any order."""

from __future__ import annotations

import random

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
            "По словам заместителя губернатора, первые машины для уборки улиц областной центр "
            "получит уже весной, а сервисный центр холдинга откроется в Смоленске до конца "
            "следующего года. Обсуждалась и сборка части техники на площадке местного завода.",
            "Кроме того, делегация посетила профессиональный лицей, где готовят наладчиков "
            "станков, и договорилась о стажировках для смоленских студентов на предприятиях "
            "Гродненской области.",
        ],
    ),
    (
        "В Минске подписан меморандум о сотрудничестве в сфере образования",
        [
            "Министерство образования и правительство Калужской области подписали меморандум "
            "об обмене студентами и совместных программах повышения квалификации.",
            "Первые группы преподавателей приедут на стажировку весной.",
            "Документ рассчитан на три года. Он предусматривает ежегодные летние школы для "
            "старшеклассников, совместные олимпиады по математике и физике, а также обмен "
            "учебными программами колледжей транспортного и аграрного профиля.",
            "Министр образования отметил, что за последние пять лет число белорусских студентов "
            "в вузах Калужской области выросло почти вдвое, и выразил надежду, что меморандум "
            "даст новый импульс академической мобильности.",
        ],
    ),
    (
        "Товарооборот с Брестской областью вырос на 14 процентов",
        [
            "По итогам девяти месяцев товарооборот региона с Брестской областью вырос на "
            "четырнадцать процентов и превысил триста миллионов долларов.",
            "Основу поставок составляют продукты питания и строительные материалы.",
            "Наибольший прирост показали поставки молочной продукции и мебели из Бреста, а "
            "также встречные отгрузки удобрений и металлопроката. В регионе работают восемь "
            "предприятий с участием белорусского капитала.",
            "На ближайшем заседании рабочей группы стороны рассмотрят проект логистического "
            "центра у границы и график совместных выставок на следующий год, включая "
            "ярмарку в Бресте в мае.",
        ],
    ),
    (
        "Губернатор встретился с послом Беларуси",
        [
            "Губернатор обсудил с Чрезвычайным и Полномочным Послом Республики Беларусь "
            "ход выполнения соглашения о торгово-экономическом сотрудничестве.",
            "Особое внимание уделили кооперации в сельском хозяйстве и логистике.",
            "Посол напомнил, что в прошлом году область посетили более двадцати белорусских "
            "делегаций, а объём взаимной торговли превысил полмиллиарда долларов. Стороны "
            "обсудили подготовку к форуму регионов и возможные соглашения для подписания там.",
            "Губернатор предложил расширить сотрудничество в сфере здравоохранения и туризма, "
            "в том числе организовать детский отдых в санаториях Беларуси и прямые "
            "автобусные рейсы между областными центрами.",
        ],
    ),
]
READ_ALSO = "Читайте также:"
SUBSCRIBE = "Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать новости министерства."
CREDIT = "При использовании материалов ссылка на сайт министерства обязательна."


def _page(i: int, title: str, paragraphs: list[str]) -> bytes:
    others = [t for j, (t, _) in enumerate(ARTICLES) if j != i][:2]
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


def test_same_set_any_order_same_table_and_text() -> None:
    bodies = _bodies()
    shuffled = bodies[:]
    random.Random(7).shuffle(shuffled)
    one, two = learn_repeats(bodies), learn_repeats(reversed(shuffled))
    assert one == two and one.hosts
    assert one.to_json() == two.to_json()
    assert RepeatTable.from_json(one.to_json(), "test") == one
    blocks = one.hosts["econ.example.ru"].blocks.values()
    assert {b.text for b in blocks} >= {SUBSCRIBE, READ_ALSO, CREDIT}
    assert all(b.pages >= 3 for b in blocks)


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


def test_a_malformed_table_is_one_clear_error() -> None:
    for text in ('{"hosts": 3}', "[", '{"hosts": {"h": {"site": "s"}}, "min_pages": 3}'):
        with pytest.raises(ConfigError, match="store meta x: not a repeated-block table"):
            RepeatTable.from_json(text, "store meta x")
    with pytest.raises(ValueError):
        learn_repeats([], min_pages=1)


def test_long_paragraphs_quoted_on_many_pages_are_content_not_furniture() -> None:
    quote = (
        "Соглашение между правительством области и Министерством промышленности Республики "
        "Беларусь предусматривает создание совместных производств, "
    ) * 4  # over 400 chars
    bodies = [(u, f"{b}\n\n{quote}") for u, b in _bodies()]
    table = learn_repeats(bodies)
    url, body = bodies[0]
    assert quote in table.strip(url, body) and SUBSCRIBE not in table.strip(url, body)


def test_on_a_big_site_a_block_must_be_on_a_share_of_its_pages() -> None:
    host = "https://econ.example.ru"
    pages = [
        (f"{host}/n/{i}", f"Новость номер {i} о поставках техники в регион.") for i in range(400)
    ]
    pages += [(f"{host}/n/{i}", f"Новость номер {i}.\nНапомним, соглашение подписано в 2019 году.")
              for i in range(400, 403)]  # fmt: skip
    assert learn_repeats(pages).hosts == {}  # 3 of 403 pages: under 1%
    assert learn_repeats(pages, min_share=0.0).hosts  # K = 3 alone would take it
