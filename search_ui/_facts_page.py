"""The "Факты" page: the facts of the current query and filters, charts and downloads."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from core.errors import QueryError, SearchIndexError
from search_ui._controls import QUERY_HINT, current, push, query_box, sidebar_filters
from search_ui._facts_data import (
    agreements_by_region,
    agreements_by_year,
    cli_command,
    fact_rows,
    facts_bytes,
    rows_frame,
    trade_changes,
)
from search_ui._render import md_escape, safe_url
from search_ui._resources import get_index, get_store
from search_ui._search_page import plural
from search_ui._state import FACT_TYPES, SearchState

if TYPE_CHECKING:
    from core.records import FactRow
    from indexer import SearchBackend

__all__ = ["render"]

COLUMNS = {
    "fact_type": st.column_config.TextColumn("Тип"),
    "value": st.column_config.TextColumn("Значение"),
    "qualifier": st.column_config.TextColumn("Уточнение"),
    "object": st.column_config.TextColumn("Объект"),
    "counterpart_value": st.column_config.TextColumn("Партнёров"),
    "counterpart_object": st.column_config.TextColumn("Партнёр / единица"),
    "regions": st.column_config.TextColumn("Регионы"),
    "persons": st.column_config.TextColumn("Персоны"),
    "date": st.column_config.TextColumn("Дата / период"),
    "sentence": st.column_config.TextColumn("Предложение", width="large"),
    "doc_url": st.column_config.LinkColumn("Источник"),
    "doc_title": st.column_config.TextColumn("Документ"),
    "published": st.column_config.TextColumn("Опубликован"),
    "site": st.column_config.TextColumn("Сайт"),
}


def _index_and_facets(
    state: SearchState,
) -> tuple[SearchBackend | None, dict[str, list[tuple[str, int]]]]:
    from indexer import SearchRequest

    try:
        index = get_index()
    except SearchIndexError:
        return None, {}
    request = SearchRequest(
        query=state.query, page=1, per_page=1, sort="relevance", since=state.since,
        until=state.until, site=state.site, lang=state.lang, region=state.region,
    )  # fmt: skip
    return index, index.search(request).facets


def _fact_filters(state: SearchState, regions: list[str]) -> None:
    st.session_state["w_types"] = list(state.types)
    st.sidebar.subheader("Факты")
    st.sidebar.multiselect(
        "Тип факта",
        list(FACT_TYPES),
        key="w_types",
        format_func=FACT_TYPES.__getitem__,
        placeholder="все типы",
        on_change=lambda: push(current().with_changes(types=tuple(st.session_state["w_types"]))),
    )
    options = ["", *sorted(set(regions) | ({state.fact_region} - {""}))]
    st.session_state["w_fact_region"] = state.fact_region
    st.sidebar.selectbox(
        "Регион в факте",
        options,
        key="w_fact_region",
        format_func=lambda o: o or "все",
        on_change=lambda: push(
            current().with_changes(fact_region=str(st.session_state["w_fact_region"] or ""))
        ),
    )


def _charts(rows: list[FactRow]) -> None:
    by_year, by_region, trade = (
        agreements_by_year(rows),
        agreements_by_region(rows),
        trade_changes(rows),
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**Соглашения по годам**")
        if by_year.empty:
            st.caption("Нет фактов о соглашениях.")
        else:
            st.bar_chart(by_year, x="Год", y="Соглашений", height=260)
    with right:
        st.markdown("**Соглашения по регионам**")
        if by_region.empty:
            st.caption("Нет соглашений с указанием региона.")
        else:
            st.bar_chart(
                by_region,
                x="Регион",
                y="Соглашений",
                horizontal=True,
                height=260,
                sort="-Соглашений",
            )
    st.markdown("**Изменение товарооборота, экспорта и импорта, %**")
    if trade.empty:
        st.caption("Нет фактов об изменении товарооборота в процентах.")
    else:
        st.scatter_chart(trade, x="Дата", y="Изменение, %", color="Показатель", height=280)
    st.caption(
        "Соглашения — число фактов «число соглашений» и «подписанный документ» (по году из "
        "текста, иначе по дате публикации); товарооборот — по дате публикации."
    )


def _downloads(state: SearchState, rows: list[FactRow], dedupe: bool = False) -> None:
    left, right = st.columns(2)
    left.download_button(
        "Скачать CSV",
        data=facts_bytes(rows),
        file_name="vestnik-facts.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        "Скачать CSV для Excel",
        data=facts_bytes(rows, excel=True),
        file_name="vestnik-facts-excel.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )
    st.caption("Те же файлы пишет команда:")
    dedupe_flag = " --dedupe" if dedupe else ""
    st.code(cli_command(state) + dedupe_flag + " --output facts.csv", language="bash")


def render() -> None:
    """Draw the facts page for the state in the URL."""
    state = current()
    st.title("Факты")
    query_box(state)
    try:
        index, facets = _index_and_facets(state)
    except QueryError as exc:
        st.warning("Не удалось разобрать запрос — " + md_escape(exc))
        st.caption(QUERY_HINT)
        return
    sidebar_filters(state, facets)
    store = get_store()
    try:
        every_region = fact_rows(store, index, state.with_changes(fact_region=""))
        rows = fact_rows(store, index, state) if state.fact_region else every_region
    except QueryError as exc:
        st.warning("Не удалось разобрать запрос — " + md_escape(exc))
        return
    _fact_filters(state, [g for r in every_region for g in r.fact.regions])
    dedupe = st.toggle("Один факт на сюжет: без повторов из копий", key="w_dedupe")
    if dedupe:
        from indexer.clusters import dedupe_fact_rows

        rows = list(dedupe_fact_rows(rows, store.shared_clusters()))
    noun = plural(len(rows), "факт", "факта", "фактов")
    st.markdown(f"**{len(rows)}** {noun} для текущего запроса и фильтров")
    if rows:
        table = rows_frame(rows)
        table["doc_url"] = table["doc_url"].map(safe_url)  # a link column opens only http(s)
        table["fact_type"] = table["fact_type"].map(lambda t: FACT_TYPES.get(t, t))
        st.dataframe(table, column_config=COLUMNS, hide_index=True, height=360)
    else:
        st.info("Фактов не найдено. Измените запрос или фильтры.")
    _downloads(state, rows, dedupe)
    if rows:
        _charts(rows)
