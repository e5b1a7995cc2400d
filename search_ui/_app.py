"""The app frame: page config, navigation between the pages, links carrying the search state."""

from __future__ import annotations

import streamlit as st

from search_ui._controls import current
from search_ui._render import CSS
from search_ui._state import to_params

__all__ = ["PAGES", "main"]

# script (relative to app.py), title, URL path, icon
PAGES = (
    ("_pages/search.py", "Поиск", "search", ":material/search:"),
    ("_pages/document.py", "Документ", "document", ":material/article:"),
    ("_pages/facts.py", "Факты", "facts", ":material/table_chart:"),
    ("_pages/region.py", "Регион", "region", ":material/map:"),
    ("_pages/status.py", "Состояние", "status", ":material/monitor_heart:"),
)


def main() -> None:
    """Configure the page, draw the navigation and run the chosen page."""
    st.set_page_config(page_title="Вестник — поиск", page_icon=":material/search:", layout="wide")
    pages = [
        st.Page(script, title=title, url_path=path, icon=icon, default=path == "search")
        for script, title, path, icon in PAGES
    ]
    chosen = st.navigation(pages, position="hidden")
    st.html(CSS)
    state = current()
    with st.sidebar:
        st.markdown("### Вестник")
        for page, (_, _, path, _) in zip(pages, PAGES, strict=True):
            if path == "document" and not state.doc:
                continue
            st.page_link(page, query_params=to_params(state, keep_doc=path == "document"))
        st.divider()
    chosen.run()
