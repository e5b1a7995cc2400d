"""Issue 10's phrasings of real press releases, one row per case (rules of indexer/facts)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.facts import extract_facts

ROOT = Path(__file__).resolve().parents[1]
PRESS_RELEASE = Path(__file__).parent / "data" / "press" / "mogilev-kaluga.html"


def _rows(text: str, title: str = "") -> list[tuple[str, ...]]:
    return [
        (f.fact_type, f.value, f.qualifier, f.object, f.counterpart_value, f.counterpart_object)
        for f in extract_facts(title, text).facts
        if f.fact_type != "person_role"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Район заключил соглашение об установлении побратимских связей.",
         [("signed_document", "", "", "соглашение об установлении побратимских связей", "", "")]),
        ("Стороны подписали дорожную карту.", [("signed_document", "", "", "дорожная карта", "", "")]),
        ("Подписаны договор о побратимстве и план мероприятий на 2024–2025 годы.",
         [("signed_document", "", "", "договор о побратимстве", "", ""),
          ("signed_document", "", "", "план мероприятий на 2024–2025 годы", "", "")]),
        ("Утвержден План мероприятий («Дорожная карта») по развитию сотрудничества.",
         [("signed_document", "", "", "План мероприятий", "", "")]),
        ("Протокол о намерениях парафирован.", [("signed_document", "", "", "Протокол о намерениях", "", "")]),
    ],
)  # fmt: skip
def test_signed_documents(text: str, expected: list[tuple[str, ...]]) -> None:
    assert _rows(text) == expected


def _signed(text: str) -> list[tuple[str, str, str, str]]:
    return [
        (f.value, f.qualifier, f.object, f.date)
        for f in extract_facts("", text).facts
        if f.fact_type == "signed_document"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("По итогам переговоров подписано 12 документов.", [("12", "", "документ", "")]),
        ("В ходе визита подписаны 5 соглашений и три протокола о намерениях.",
         [("5", "", "соглашение", ""), ("3", "", "протокол", "")]),
        ("Предприятия заключили более 20 контрактов на поставку техники.",
         [("20", "более", "контракт", "")]),
        ("В 2024 году состоялось подписание восемнадцати документов о сотрудничестве.",
         [("18", "", "документ", "2024")]),
        ("Стороны утвердили две дорожные карты.", [("2", "", "дорожная карта", "")]),
        ("Район подписал программу сотрудничества и 3 договора между школами.",
         [("", "", "программа сотрудничества", ""), ("3", "", "договор", "")]),
        ("Действуют 83 соглашения с 73 регионами.", []),  # held, not reported as signed
        ("Обсуждена возможность подписания двух меморандумов.", []),
        ("Подписано соглашение о реализации пяти программ.",
         [("", "", "соглашение о реализации пяти программ", "")]),
        ("Область намерена подписать 4 соглашения.", []),
        ("Три соглашения так и не подписаны.", []),
    ],
)  # fmt: skip
def test_signed_count_is_a_signed_document_too(
    text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    """A counted signing gives a signed_document row (object the noun, value the count) besides
    its agreement_count row; a count held, planned or negated gives none."""
    assert _signed(text) == expected
    counts = [f.value for f in extract_facts("", text).facts if f.fact_type == "agreement_count"]
    for value, *_ in expected:
        if value:
            assert value in counts


@pytest.mark.parametrize(
    "text",
    [
        "Запланировано подписание соглашения о сотрудничестве. А также двух соглашений и двух планов.",
        "Область намерена подписать 4 соглашения.",
        "Соглашение будет подписано в мае.",
        "Соглашение о сотрудничестве готовится к подписанию.",
        "Проекты соглашений находятся в стадии согласования.",
        "Соглашение о сотрудничестве пока не подписано.",
        "Договор аренды подписан не был.",
        "Предлагается заключить договор о сотрудничестве.",
        "Стороны планируют увеличить товарооборот в 1,5 раза.",
        "Товарооборот вырастет на 20 %.",
        "Делегации обсудили возможность подписания трёх меморандумов о сотрудничестве.",
        "Рассматривается возможность увеличить поставки на 15 %.",
    ],
)
def test_planned_or_negated_is_no_fact(text: str) -> None:
    assert _rows(text) == []


def test_a_possibility_marks_only_what_it_makes_possible() -> None:
    text = "Соглашение открыло новые возможности: подписано 5 договоров о сотрудничестве."
    assert ("agreement_count", "5") in {(r[0], r[1]) for r in _rows(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Экспорт увеличился на 10 %, а импорт — на 70 %.",
         [("trade_change", "10", "", "экспорт", "", "%"), ("trade_change", "70", "", "импорт", "", "%")]),
        ("Товарооборот вырос в 1,5 раза.", [("trade_change", "1.5", "", "товарооборот", "", "раз")]),
        ("Импорт сократился в 2 раза.", [("trade_change", "-2", "", "импорт", "", "раз")]),
        ("Товарооборот составил 112 % к уровню 2022 года.",
         [("trade_change", "12", "", "товарооборот", "", "%")]),
        ("Экспорт оказался на 5 % меньше, чем годом ранее.",
         [("trade_change", "-5", "", "экспорт", "", "%")]),
        ("Взаимная торговля снизилась на 3,2 %.", [("trade_change", "-3.2", "", "товарооборот", "", "%")]),
        ("Внешнеторговый оборот прирос на 8 процентов.",
         [("trade_change", "8", "", "товарооборот", "", "%")]),
        ("Поставки упали на 8 процентов.", [("trade_change", "-8", "", "экспорт", "", "%")]),
        ("Товарооборот составил 2,1 млрд долларов США.", []),
    ],
)  # fmt: skip
def test_trade_changes(text: str, expected: list[tuple[str, ...]]) -> None:
    assert _rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Город сотрудничает с 22 городами-партнёрами.", [("partner_count", "22", "", "город", "", "")]),
        ("Район поддерживает связи с более чем 100 муниципалитетами.",
         [("partner_count", "100", "более чем", "муниципалитет", "", "")]),
        ("Область подписала соглашения с 38 субъектами РФ.",
         [("agreement_count", "", "", "соглашение", "38", "субъект"),
          ("partner_count", "38", "", "субъект", "", "")]),
        ("Район сотрудничает с 12 районами.", [("partner_count", "12", "", "район", "", "")]),
        ("На форум приехали делегаты из 60 регионов.", []),
    ],
)  # fmt: skip
def test_partner_counts(text: str, expected: list[tuple[str, ...]]) -> None:
    assert _rows(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Встреча с губернатором Брянской области Михайловым Александром Николаевичем.",
         ("Александр Николаевич Михайлов", "губернатор Брянской области")),
        ("Губернатор Курской области Р.В. Старовойт открыл форум.",
         ("Р.В. Старовойт", "губернатор Курской области")),
        ("Форум открыл губернатор Архангельской области А.В. Цыбульский.",
         ("А.В. Цыбульский", "губернатор Архангельской области")),
        ("Встреча с генеральным директором компании «Тулачермет» Дмитрием Крутым.",
         ("Дмитрий Крутой", "генеральный директор компании «Тулачермет»")),
        ("Премьер‑министр Беларуси Роман Головченко прибыл в Уфу.",
         ("Роман Головченко", "премьер-министр Беларуси")),
        ("Раис Республики Татарстан Рустам Минниханов выступил.",
         ("Рустам Минниханов", "раис Республики Татарстан")),
        ("Выступил Государственный секретарь Союзного государства Дмитрий Мезенцев.",
         ("Дмитрий Мезенцев", "государственный секретарь Союзного государства")),
        ("Заместитель губернатора – руководитель представительства области Андрей Белов выступил.",
         ("Андрей Белов", "заместитель губернатора – руководитель представительства области")),
        ("Его принял Чрезвычайный и Полномочный Посол Республики Беларусь в Российской Федерации Дмитрий Крутой.",
         ("Дмитрий Крутой",
          "чрезвычайный и полномочный посол Республики Беларусь в Российской Федерации")),
        ("Переговоры с губернатором Калужской области Владиславом Шапшой прошли в Минске.",
         ("Владислав Шапша", "губернатор Калужской области")),  # a man's surname in -а
        ("В Минск прибыла делегация во главе с главой Удмуртской Республики Александром Бречаловым.",
         ("Александр Бречалов", "глава Удмуртской Республики")),
        ("Письмо направлено губернатору Курской области Александру Хинштейну.",
         ("Александр Хинштейн", "губернатор Курской области")),
        ("Встреча с заместителем губернатора Ханты-Мансийского автономного округа — Югры Ириной Воложаниной.",
         ("Ирина Воложанина", "заместитель губернатора Ханты-Мансийского автономного округа — Югры")),
    ],
)  # fmt: skip
def test_person_roles(text: str, expected: tuple[str, str]) -> None:
    assert [(p.name, p.role) for p in extract_facts("", text).persons] == [expected]


def test_role_in_title_name_in_body() -> None:
    result = extract_facts(
        "Губернатор Псковской области посетил Витебск", "Михаил Ведерников провёл переговоры."
    )
    assert [(p.name, p.role) for p in result.persons] == [
        ("Михаил Ведерников", "губернатор Псковской области")
    ]


def test_headline_fact_is_not_repeated() -> None:
    title = "Подписан план мероприятий на 2024–2026 годы"
    body = "Смоленская область и Витебская область утвердили план мероприятий на 2024–2026 годы."
    rows = _rows(body, title)
    assert [r[0] for r in rows] == ["signed_document"]
    only_title = extract_facts("Экспорт вырос на 12 %", "Стороны обсудили планы.").facts
    assert [(f.fact_type, f.value, f.start, f.stop) for f in only_title] == [
        ("trade_change", "12", 0, 0)
    ]


def test_extract_command_shows_the_new_facts_of_a_press_release() -> None:
    """``vestnik extract FILE --format json`` (the command, in a subprocess) on a press release
    page written in an oblast executive committee's style (tests/data/press/)."""
    proc = subprocess.run(
        [sys.executable, "-m", "vestnik.cli", "-q", "extract", str(PRESS_RELEASE), "--no-repeats",
         "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["regions"] == ["Могилевская область", "Калужская область"]
    assert doc["published"].startswith("2026-11-14")
    rows = [
        (
            f["fact_type"],
            f["value"],
            f["qualifier"],
            f["object"],
            f["counterpart_object"],
            f["rule"],
        )
        for f in doc["facts"]
        if f["fact_type"] != "person_role"
    ]
    # the planned "три соглашения" of the sixth paragraph gives nothing
    assert rows == [
        ("signed_document", "", "", "дорожная карта по развитию сотрудничества на 2027–2028 годы", "",
         "signed_in_clause"),
        ("signed_document", "", "", "соглашение о побратимских связях между Бобруйском и Обнинском", "",
         "signed_in_clause"),
        ("agreement_count", "14", "", "контракт", "", "document_count"),
        ("signed_document", "14", "", "контракт", "", "signed_count"),
        ("trade_change", "12.4", "", "товарооборот", "%", "trade_change"),
        ("trade_change", "1.3", "", "экспорт", "раз", "trade_ratio"),
        ("trade_change", "8", "", "импорт", "%", "trade_change"),
        ("partner_count", "45", "", "субъект", "", "partner_count"),
    ]  # fmt: skip
    assert doc["persons"] == [
        {"name": "Анатолий Исаченко", "role": "председатель Могилевского облисполкома"},
        {"name": "Владислав Шапша", "role": "губернатор Калужской области"},
        {"name": "Валерий Малашко",
         "role": "первый заместитель председателя Могилевского облисполкома"},
    ]  # fmt: skip
    dated = [f["date"] for f in doc["facts"] if f["rule"] == "signed_in_clause"]
    assert dated == ["2027-2028", ""]
