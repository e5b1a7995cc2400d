"""The «Регион» page: one region's dossier (``indexer.dossier``) with charts, tables and a CSV.

Reached from every region label (``search_ui._region_links``: ``region?r=<name>``) or by typing a region
in any form («курской», «Курская обл.»). The CSV download is the bytes of
``vestnik region NAME --format csv``. Every text goes to tables, charts or escaped HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

from search_ui._region_links import PARAM, region_href
from search_ui._render import md_escape
from search_ui._resources import get_store

if TYPE_CHECKING:
    from indexer.dossier import Dossier, FactEntry

__all__ = ["NO_DATA", "render"]

NO_DATA = "нет данных"
_LINK = st.column_config.LinkColumn


def _facts_table(entries: tuple[FactEntry, ...], columns: dict[str, Any]) -> None:
    import pandas as pd

    if not entries:
        st.info(NO_DATA)
        return
    frame = pd.DataFrame([{k: get(e) for k, get in columns.items()} for e in entries])
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={"Источник": _LINK("Источник", display_text="открыть")},
    )


def _months(d: Dossier) -> None:
    import pandas as pd

    st.subheader("Документы по месяцам")
    if not d.months:
        st.info(NO_DATA)
        return
    frame = pd.DataFrame(
        [{"Месяц": m.month, "Документов": m.documents, "Сюжетов": m.stories} for m in d.months]
    )
    st.bar_chart(frame, x="Месяц", y="Документов", height=240)


def _trade(d: Dossier) -> None:
    import altair as alt
    import pandas as pd

    st.subheader("Изменения товарооборота, экспорта и импорта")
    if not d.trade:
        st.info(NO_DATA)
        return
    frame = pd.DataFrame(
        [
            {"Дата": e.source.day, "Изменение": e.number, "Ед.": e.counterpart_object or "—",
             "Показатель": e.object, "Период": e.period, "Предложение": e.sentence,
             "Сайт": e.source.site, "Источник": e.source.url}
            for e in d.trade
        ]
    )  # fmt: skip
    for unit, part in frame.groupby("Ед.", sort=True):
        chart = (
            alt.Chart(part)
            .mark_line(point=alt.OverlayMarkDef(size=80))
            .encode(
                x=alt.X("Дата:T", title="Дата публикации"),
                y=alt.Y("Изменение:Q", title=f"Изменение, {unit}"),
                color=alt.Color("Показатель:N"),
                tooltip=["Дата:T", "Показатель:N", "Изменение:Q", "Период:N", "Предложение:N"],
            )
            .properties(height=260)
        )
        st.altair_chart(chart, width="stretch")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={"Источник": _LINK("Источник", display_text="открыть")},
    )


def _people_and_partners(d: Dossier) -> None:
    import pandas as pd

    left, right = st.columns(2)
    with left:
        st.subheader("Персоны")
        if d.persons:
            rows = [{"Персона": p.name, "Должности": "; ".join(p.roles), "Сюжетов": p.mentions,
                     "Последнее упоминание": p.last_seen} for p in d.persons]  # fmt: skip
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.info(NO_DATA)
    with right:
        st.subheader("Регионы-партнёры")
        if d.partners:
            rows = [{"Регион": r.region, "Фактов": r.facts, "Сюжетов": r.stories,
                     "Досье": region_href(r.region)} for r in d.partners]  # fmt: skip
            st.dataframe(
                pd.DataFrame(rows),
                hide_index=True,
                width="stretch",
                column_config={"Досье": _LINK("Досье", display_text="открыть")},
            )
        else:
            st.info(NO_DATA)


def _dossier(d: Dossier) -> None:
    from indexer.dossier import dossier_csv

    st.markdown(f"Документов о регионе: **{d.documents}**")
    st.download_button(
        "Скачать CSV региона",
        data=dossier_csv(d),
        file_name=f"region-{d.region.replace(' ', '_')}.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    _months(d)
    st.subheader("Соглашения: последние сведения")
    _facts_table(
        d.agreements,
        {
            "Дата": lambda e: e.source.day,
            "Число": lambda e: " ".join(x for x in (e.qualifier, e.value or e.counterpart_value) if x),
            "Что": lambda e: e.object if e.value else e.counterpart_object,
            "С кем": lambda e: f"{e.counterpart_value} {e.counterpart_object}" if e.value and e.counterpart_value else "",
            "Предложение": lambda e: e.sentence,
            "Сайт": lambda e: e.source.site,
            "Источник": lambda e: e.source.url,
        },
    )  # fmt: skip
    _trade(d)
    st.subheader("Подписанные документы")
    _facts_table(
        d.signed,
        {
            "Дата": lambda e: e.source.day,
            "Документ": lambda e: e.object,
            "Период": lambda e: e.period,
            "Предложение": lambda e: e.sentence,
            "Источник": lambda e: e.source.url,
        },
    )
    _people_and_partners(d)


def render() -> None:
    """Draw the page for the region in the URL (``?r=``), or ask for one."""
    from core.errors import QueryError
    from indexer.dossier import build_dossier, resolve_region

    st.title("Регион")
    asked = str(st.query_params.get(PARAM, "") or "")
    st.session_state.setdefault("w_region_name", asked)
    typed = st.text_input(
        "Регион", key="w_region_name", placeholder="например: Курская область, курской, Витебщина"
    )
    name = (typed or asked).strip()
    if not name:
        st.info("Введите название региона в любой форме.")
        return
    try:
        region = resolve_region(name)
    except QueryError as exc:
        st.warning(f"Регион не найден: {md_escape(str(exc))}")
        return
    if st.query_params.get(PARAM) != region:
        st.query_params[PARAM] = region
    st.header(md_escape(region))
    dossier = build_dossier(get_store(), region)
    if dossier.empty:
        st.info(f"{NO_DATA}: в собранных документах регион не упоминается.")
        return
    _dossier(dossier)
