"""The «Подписки» page: saved searches with their new items since the last visit, one click to see
them, their Atom feed address.

An item is "new" until the page has shown it: opening a saved search here marks its items seen
(``Store.mark_watch_seen``), so the counts say what came since the last visit. The items are
recorded by each ``vestnik update`` (``ops.after_update``).
"""

from __future__ import annotations

import os
from urllib.parse import quote

import streamlit as st

from core.errors import VestnikError
from core.records import SavedSearch, WatchItem
from search_ui._controls import current, push
from search_ui._render import esc, format_date, link_html, md_escape
from search_ui._resources import get_store
from search_ui._save_search import search_summary
from search_ui._search_page import plural
from search_ui._state import SearchState, to_params

__all__ = ["ITEMS_SHOWN", "feed_url", "item_html", "render"]

ITEMS_SHOWN = 100
SEARCH_PAGE = "_pages/search.py"
DOCUMENT_PAGE = "_pages/document.py"
CHANGES = {"new": "новый документ", "changed": "документ изменён"}


def feed_url(name: str) -> str:
    """Where ``vestnik serve`` serves the saved search's Atom feed (its configured address)."""
    from core.settings import load_settings

    try:
        api = load_settings(os.environ.get("VESTNIK_CONFIG") or None).api
        host, port = api.host, api.port
    except VestnikError:  # a bad config file must not break this page
        host, port = "127.0.0.1", 8765
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/api/watches/{quote(name, safe='')}/feed.atom"


def item_html(item: WatchItem, new: bool) -> str:
    """One item: linked title, change · date · site · facts, marked when new (all escaped)."""
    title = esc(item.title or item.url)
    meta = [
        CHANGES.get(str(item.change), str(item.change)),
        format_date(item.published) or "без даты",
        item.site,
        f"фактов: {item.facts}" if item.facts else "",
        f"обновление №{item.run_id}" if item.run_id else "",
    ]
    badge = '<span class="vn-new">новое</span> ' if new else ""
    return (
        '<div class="vn-hit">'
        f'<div class="vn-hit-title">{badge}{link_html(item.url, title)}</div>'
        f'<div class="vn-meta">{" · ".join(esc(m) for m in meta if m)}</div>'
        "</div>"
    )


def _open_state(search: SavedSearch) -> SearchState:
    return SearchState(
        query=search.query, since=search.since, until=search.until, site=search.site,
        lang=search.lang, region=search.region,
    )  # fmt: skip


def _listing(searches: list[SavedSearch], chosen: str) -> None:
    for search in searches:
        with st.container(border=True):
            left, right = st.columns([4, 1])
            new = f" — **{search.unseen}** {plural(search.unseen, 'новый', 'новых', 'новых')}"
            left.markdown(f"**{md_escape(search.name)}**{new if search.unseen else ''}")
            total = plural(search.items, "материал", "материала", "материалов")
            left.caption(md_escape(f"{search_summary(search)} · всего {search.items} {total}"))
            label = f"Показать новые ({search.unseen})" if search.unseen else "Показать"
            right.button(
                label,
                key=f"w_show_{search.id}",
                type="primary" if search.unseen else "secondary",
                disabled=search.name == chosen,
                on_click=lambda name=search.name: push(current().with_changes(watch=name)),
            )


def _remove(search: SavedSearch) -> None:
    get_store().remove_watch(search.name)
    push(current().with_changes(watch=""))


def _detail(search: SavedSearch) -> None:
    store = get_store()
    items = store.watch_items(search.id, limit=ITEMS_SHOWN)
    st.subheader(md_escape(search.name))
    st.caption(md_escape(search_summary(search)))
    st.page_link(
        SEARCH_PAGE, label="Открыть в поиске", icon=":material/search:",
        query_params=to_params(_open_state(search)),
    )  # fmt: skip
    if not items:
        st.info(
            "Новых материалов пока нет: они появятся здесь после следующего обновления "
            "(«Обновить сейчас» на странице «Состояние», `vestnik update` или расписание)."
        )
    for item in items:
        st.html(item_html(item, new=item.id > search.seen_item))
        state = _open_state(search).with_changes(doc=item.doc_id)
        st.page_link(
            DOCUMENT_PAGE, label="Открыть документ", icon=":material/article:",
            query_params=to_params(state, keep_doc=True),
        )  # fmt: skip
    if items:
        store.mark_watch_seen(search.id, max(i.id for i in items))
    url = feed_url(search.name).replace("`", "")
    st.caption(f"Лента Atom (при запущенном `vestnik serve`): `{url}`")
    st.button(
        "Удалить подписку", key="w_watch_remove", icon=":material/delete:",
        on_click=lambda: _remove(search),
    )  # fmt: skip


def render() -> None:
    """Draw the saved searches, and the items of the one named by ``?watch=``."""
    state = current()
    st.title("Подписки")
    searches = get_store().list_watches()
    if not searches:
        st.info(
            "Подписок пока нет. Найдите что-нибудь на странице «Поиск» и нажмите "
            "«Сохранить поиск»: после каждого обновления здесь появятся новые документы."
        )
        return
    _listing(searches, state.watch)
    if state.watch:
        chosen = next((s for s in searches if s.name == state.watch), None)
        if chosen is None:
            st.warning("Такой подписки нет. Выберите подписку из списка.")
        else:
            _detail(chosen)
