"""The "Поиск" page: query box, filters with counts, sorted and paged results."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import streamlit as st

from core.errors import QueryError, SearchIndexError
from search_ui._attachments import parent_title
from search_ui._controls import QUERY_HINT, current, push, query_box, sidebar_filters
from search_ui._render import format_date, hit_html, md_escape, safe_url
from search_ui._resources import get_index, get_store
from search_ui._save_search import save_box
from search_ui._state import SORTS, SearchState, to_params

if TYPE_CHECKING:
    from indexer.clusters import Story, StoryResults

__all__ = ["NO_INDEX", "PER_PAGE", "plural", "render"]

PER_PAGE = 10
DOCUMENT_PAGE = "_pages/document.py"
NO_INDEX = (
    "Индекс ещё не создан. Соберите документы и постройте индекс (`vestnik crawl …`, затем "
    "`vestnik index`) или нажмите «Обновить сейчас» на странице «Состояние»."
)


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian form of a noun for ``n``: 1 документ, 2 документа, 5 документов."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _search(state: SearchState) -> StoryResults:
    from indexer import SearchRequest
    from indexer.clusters import search_stories

    return search_stories(
        get_index(),
        get_store(),
        SearchRequest(
            query=state.query,
            page=state.page,
            per_page=PER_PAGE,
            sort="date" if not state.query else state.sort,
            since=state.since,
            until=state.until,
            site=state.site,
            lang=state.lang,
            region=state.region,
            kind=state.kind,
        ),
    )


def _sort_control(state: SearchState) -> None:
    st.session_state["w_sort"] = state.sort
    st.radio(
        "Сортировка",
        list(SORTS),
        key="w_sort",
        format_func=SORTS.__getitem__,
        horizontal=True,
        label_visibility="collapsed",
        on_change=lambda: push(current().with_changes(sort=str(st.session_state["w_sort"]))),
    )


def _no_results(results: StoryResults) -> None:
    st.info("Ничего не найдено. Попробуйте другие слова или уберите фильтры.")
    if results.suggestion:
        suggestion = results.suggestion
        st.markdown("Возможно, вы имели в виду:")
        st.button(
            md_escape(suggestion),
            key="w_suggestion",
            icon=":material/search:",
            on_click=lambda: push(current().with_changes(query=suggestion)),
        )


def _pager(state: SearchState, total: int) -> None:
    pages = max(1, math.ceil(total / PER_PAGE))
    if pages == 1:
        return
    back, label, forward = st.columns([1, 2, 1])
    back.button(
        "← Назад",
        disabled=state.page <= 1,
        on_click=lambda: push(current().with_changes(page=max(1, state.page - 1))),
    )
    label.markdown(f"Страница {state.page} из {pages}")
    forward.button(
        "Вперёд →",
        disabled=state.page >= pages,
        on_click=lambda: push(current().with_changes(page=min(pages, state.page + 1))),
    )


def _copies(story: Story) -> None:
    """The toggle that shows every other copy of the story (a table: text stays text)."""
    import pandas as pd

    with st.expander(f"Все копии сюжета ({len(story.copies) + 1})"):
        rows = [
            {"Дата": format_date(c.published) or "без даты", "Сайт": c.site,
             "Заголовок": c.title, "Ссылка": safe_url(c.url)}
            for c in story.copies
        ]  # fmt: skip
        st.dataframe(
            pd.DataFrame(rows),
            hide_index=True,
            width="stretch",
            column_config={"Ссылка": st.column_config.LinkColumn("Ссылка", display_text="открыть")},
        )


def _hits(state: SearchState, results: StoryResults) -> None:
    for story in results.stories:
        hit = story.hit
        st.html(hit_html(hit, story.also, parent_title(hit)))
        if story.copies:
            _copies(story)
        st.page_link(
            DOCUMENT_PAGE,
            label="Открыть документ",
            icon=":material/article:",
            query_params=to_params(
                state.with_changes(doc=hit.doc_id, page=state.page), keep_doc=True
            ),
        )


def render() -> None:
    """Draw the search page for the state in the URL."""
    state = current()
    st.title("Поиск")
    query_box(state)
    try:
        results = _search(state)
    except SearchIndexError:
        st.info(NO_INDEX)
        return
    except QueryError as exc:
        st.warning(
            "Не удалось разобрать запрос. Проверьте кавычки, скобки и операторы (OR, NOT) — "
            + md_escape(exc)
        )
        st.caption(QUERY_HINT)
        return
    sidebar_filters(state, results.facets)
    save_box(state)
    total = results.total
    noun = plural(total, "документ", "документа", "документов")
    if results.documents != total:
        noun = plural(total, "сюжет", "сюжета", "сюжетов") + f" ({results.documents} документов)"
    about = "" if getattr(results, "exact", True) else "≈ "  # a story total estimated (many hits)
    if state.query:
        head, sort = st.columns([3, 2])
        head.markdown(f"Найдено **{about}{total}** {noun} за {results.elapsed_ms:.0f} мс")
        with sort:
            _sort_control(state)
    else:
        st.markdown(f"Новые документы: всего **{total}** {noun} ({results.elapsed_ms:.0f} мс)")
    if total == 0:
        _no_results(results)
        return
    _hits(state, results)
    _pager(state, total)
