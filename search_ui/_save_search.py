"""«Сохранить поиск» on the search page: the current query and filters become a saved search.

Saving goes through ``ops.save_search`` (the query is checked by the search API; what is indexed
now is not news for it); a bad or taken name gets a Russian message, and nothing is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from core.errors import QueryError, SearchIndexError, StoreError
from core.records import SavedSearch
from search_ui._render import format_date, md_escape
from search_ui._resources import get_index, get_store
from search_ui._state import LANGS, SearchState

if TYPE_CHECKING:
    from indexer import SearchBackend

__all__ = ["BAD_NAME", "save_box", "search_summary", "to_saved"]

WATCHES_PAGE = "_pages/watches.py"
BAD_NAME = "Название подписки: от 1 до 80 знаков, начинается с буквы или цифры, без «/» и «\\»."


def search_summary(search: SavedSearch) -> str:
    """The query and filters of a saved search in words (plain text)."""
    parts = [f"«{search.query}»" if search.query else "все документы"]
    names = {"since": "с", "until": "по", "site": "сайт", "lang": "язык", "region": "регион"}
    for key, value in search.filters().items():
        shown = format_date(value) if key in ("since", "until") else LANGS.get(value, value)
        parts.append(f"{names[key]}: {shown}")
    return ", ".join(parts)


def to_saved(state: SearchState, name: str) -> SavedSearch:
    """The saved search of ``state``'s query and filters."""
    return SavedSearch(
        name=name, query=state.query, since=state.since, until=state.until, site=state.site,
        lang=state.lang, region=state.region,
    )  # fmt: skip


def _index() -> SearchBackend | None:
    try:
        return get_index()
    except SearchIndexError:
        return None


def _save(state: SearchState, name: str) -> None:
    from corpus import check_watch_name
    from ops import save_search

    try:
        clean = check_watch_name(name)
    except StoreError:
        st.warning(BAD_NAME)
        return
    store = get_store()
    if store.get_watch(clean) is not None:
        st.warning(f"Подписка «{md_escape(clean)}» уже есть: выберите другое название.")
        return
    search = to_saved(state, clean)
    try:
        save_search(store, _index(), search)
    except QueryError:
        st.warning("Запрос не разобран: исправьте его, прежде чем сохранять.")
        return
    except StoreError:
        st.warning(f"Подписка «{md_escape(clean)}» не сохранена: попробуйте другое название.")
        return
    st.success(
        f"Подписка «{md_escape(clean)}» сохранена: новые документы появятся на странице "
        "«Подписки» после следующего обновления."
    )
    st.page_link(WATCHES_PAGE, label="Подписки", query_params={"watch": clean})


def save_box(state: SearchState) -> None:
    """«Сохранить поиск»: the current query and filters as a saved search (the search page)."""
    with st.expander("Сохранить поиск", icon=":material/bookmark_add:"):
        st.text_input(
            "Название подписки", key="w_watch_name", max_chars=80,
            placeholder="например: Курская область — соглашения",
        )  # fmt: skip
        st.caption(md_escape(search_summary(to_saved(state, "-"))))
        if st.button("Сохранить", key="w_watch_save", icon=":material/bookmark:"):
            _save(state, str(st.session_state.get("w_watch_name") or ""))
