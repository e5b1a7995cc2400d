"""The template-chaining guard: a boilerplate-heavy series of one site does not chain into one
cluster, while a real copy of one of its items on another site still joins that item.

Two series: the demo's synthetic generator (``corpus._demo_gold.generated_article``: every item is
drawn from the same 15 template sentences) and a weekly briefing announcement written here (three
paragraphs repeated under every item). Each is clustered with the guard (the default parameters)
and without it (``boilerplate_docs=0``, which must chain: the test would pass for nothing otherwise),
in one run and one document per run.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core.records import DocumentDraft
from corpus import SQLiteStore
from corpus._demo_gold import GEN_BASE, body_text, generated_article
from indexer.clusters import ClusterParams, update_clusters

NO_GUARD = ClusterParams(boilerplate_docs=0)

_BOILER = (
    "Аккредитация представителей средств массовой информации проводится до 17:00 дня, "
    "предшествующего мероприятию, по телефону пресс-службы. Для аккредитации необходимо сообщить "
    "фамилию, имя и отчество журналиста, название издания и номер редакционного удостоверения.\n\n"
    "Брифинги в пресс-центре проходят еженедельно по четвергам. Вопросы к выступающим можно "
    "заранее направить на электронную почту пресс-службы с пометкой «Брифинг». Видеозапись будет "
    "размещена на официальном сайте и в аккаунтах министерства в социальных сетях.\n\n"
    "Министерство экономики области напоминает, что сведения о выполнении региональной программы "
    "развития внешнеэкономических связей ежемесячно публикуются в разделе «Сотрудничество» "
    "официального сайта."
)
_TOPICS = (
    ("итогам торговли с Брянской областью за девять месяцев", "начальник управления внешних связей Ирина Мацкевич"),
    ("подготовке Форума регионов Беларуси и России", "первый заместитель министра Олег Лапицкий"),
    ("поставкам молочной продукции на рынок Смоленской области", "директор молочного комбината Сергей Гурин"),
    ("созданию сборочного производства тракторов в Калуге", "заместитель председателя облисполкома Андрей Жук"),
    ("обменам студентами с вузами Нижегородской области", "ректор университета Татьяна Сивцова"),
    ("туристическому маршруту «Дорогами памяти» для гостей из Пскова", "начальник отдела туризма Павел Рымша"),
    ("строительству логистического центра на границе с Латвией", "генеральный директор ОАО «Гродноспецтранс» Виктор Лис"),
    ("ярмарке строительных материалов в Курске", "заместитель министра Наталья Бобер"),
    ("программе льготных кредитов для экспортёров", "председатель правления регионального банка Игорь Кравец"),
    ("совместному фестивалю народного творчества с Тверской областью", "начальник управления культуры Елена Ходор"),
    ("поставкам лифтового оборудования в Воронеж", "главный инженер завода Дмитрий Прокопович"),
    ("итогам визита делегации Республики Татарстан", "министр экономики области Виталий Шуба"),
)  # fmt: skip


def _briefing(k: int) -> DocumentDraft:
    topic, speaker = _TOPICS[k]
    day = datetime(2024, 9, 5, 9, 30) + timedelta(days=7 * k)
    lead = (
        f"{day:%d.%m.%Y} в 11:00 в пресс-центре министерства экономики Гродненской области "
        f"состоится брифинг, посвящённый {topic}. Выступит {speaker}."
    )
    return DocumentDraft(
        url=f"http://grodno.test/anons/{k}", site="grodno", title=f"Анонс брифинга: {topic}",
        body=lead + "\n\n" + _BOILER, published=day.isoformat(timespec="minutes"),
    )  # fmt: skip


def _copy_of_briefing(k: int) -> DocumentDraft:
    """An agency's note about briefing ``k``: its own dateline and title, the lead kept, a line added."""
    topic, speaker = _TOPICS[k]
    src = _briefing(k)
    lead = src.body.split("\n\n")[0]
    body = (
        f"ГРОДНО, {src.published[:10]}. {lead} Журналистов, желающих задать вопросы, просят "
        "аккредитоваться заранее через пресс-службу министерства."
    )
    return DocumentDraft(
        url=f"http://agency.test/news/{k}", site="agency", title=f"{speaker.split()[-1]} расскажет о {topic}",
        body=body, published=src.published[:11] + "12:05",
    )  # fmt: skip


def _generated(n: int) -> list[DocumentDraft]:
    out = []
    for i in range(n):
        art = generated_article("generated", GEN_BASE + i)
        out.append(
            DocumentDraft(
                url=f"http://generated.test/{i}",
                site="generated",
                title=art.title,
                body=body_text(art.body),
                published=art.published.strftime("%Y-%m-%dT%H:%M"),
            )  # fmt: skip
        )
    return out


def _cluster(
    tmp_path: Path, drafts: list[DocumentDraft], params: ClusterParams, one_by_one: bool
) -> dict[str, int]:
    """URL -> cluster id, clustered in one run or one document per run."""
    with SQLiteStore.open(tmp_path) as store:
        ids = {}
        for d in drafts:
            ids[d.url] = store.save_document(d).doc_id
            if one_by_one:
                update_clusters(store, params)
        update_clusters(store, params)
        got = store.cluster_ids(ids.values())
    return {url: got[doc_id] for url, doc_id in ids.items()}


def _largest(clusters: dict[str, int]) -> int:
    return max(Counter(clusters.values()).values())


@pytest.mark.parametrize("one_by_one", [False, True])
def test_the_demo_generators_series_does_not_chain(tmp_path: Path, one_by_one: bool) -> None:
    drafts = _generated(60)  # one item every five hours: all inside the 30-day window
    assert _largest(_cluster(tmp_path / "off", drafts, NO_GUARD, one_by_one)) >= 30
    assert _largest(_cluster(tmp_path / "on", drafts, ClusterParams(), one_by_one)) <= 2


@pytest.mark.parametrize("one_by_one", [False, True])
def test_a_written_briefing_series_does_not_chain_but_its_copy_joins_its_item(
    tmp_path: Path, one_by_one: bool
) -> None:
    series = [_briefing(k) for k in range(len(_TOPICS))]
    drafts = [*series[:7], _copy_of_briefing(5), *series[7:]]
    off = _cluster(tmp_path / "off", drafts, NO_GUARD, one_by_one)
    assert len({off[d.url] for d in series}) == 1  # without the guard: one cluster of twelve weeks
    on = _cluster(tmp_path / "on", drafts, ClusterParams(), one_by_one)
    assert len({on[d.url] for d in series}) == len(series)  # each announcement its own story
    assert on[_copy_of_briefing(5).url] == on[series[5].url]  # the agency's copy joins its item


def test_the_guard_setting_is_checked() -> None:
    from core.errors import ConfigError
    from core.settings import load_settings
    from indexer import derive_steps

    assert ClusterParams.from_settings(load_settings(None, {}).clusters).boilerplate_docs == 3
    with pytest.raises(ConfigError, match="boilerplate_docs"):
        derive_steps(load_settings(None, {"clusters.boilerplate_docs": 2}))
