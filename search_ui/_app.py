"""The app frame: page config, navigation between the pages, links carrying the search state.

It is also the UI's error boundary: URL parameters the pages cannot use get one friendly Russian
message (and their defaults), and a page that fails shows one Russian line while the details go
to the server log, never a traceback with server paths to the browser.
"""

from __future__ import annotations

import logging

import streamlit as st

from search_ui._controls import current
from search_ui._render import CSS, md_escape
from search_ui._state import bad_params, to_params

__all__ = ["PAGES", "PAGE_FAILED", "bad_params_message", "main"]

# script (relative to app.py), title, URL path, icon
PAGES = (
    ("_pages/search.py", "Поиск", "search", ":material/search:"),
    ("_pages/document.py", "Документ", "document", ":material/article:"),
    ("_pages/facts.py", "Факты", "facts", ":material/table_chart:"),
    ("_pages/region.py", "Регион", "region", ":material/map:"),
    ("_pages/status.py", "Состояние", "status", ":material/monitor_heart:"),
    ("_pages/watches.py", "Подписки", "watches", ":material/notifications:"),
)
PAGE_FAILED = (
    "Не удалось показать страницу. Попробуйте изменить запрос или фильтры, или вернитесь на "
    "страницу «Поиск»; подробности записаны в журнал сервера."
)

log = logging.getLogger(__name__)


def bad_params_message(names: list[str]) -> str:
    """The one message about URL parameters that could not be used."""
    listed = ", ".join(f"«{md_escape(n)}»" for n in names)
    return (
        f"В адресе страницы неверные значения параметров {listed}: они не учтены, "
        "показаны значения по умолчанию."
    )


def _run(page: object) -> None:
    try:
        page.run()  # type: ignore[attr-defined]
    except Exception:  # the UI's boundary, like the CLI's: one line here, details in the log
        log.exception("the page %s failed", getattr(page, "url_path", "?"))
        st.error(PAGE_FAILED)


def main() -> None:
    """Configure the page, draw the navigation and run the chosen page."""
    st.set_page_config(page_title="Вестник — поиск", page_icon=":material/search:", layout="wide")
    st.set_option("client.showErrorDetails", "none")  # widget callbacks too: no tracebacks
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
    bad = bad_params(st.query_params.to_dict() | {"type": st.query_params.get_all("type")})
    if bad:
        st.warning(bad_params_message(bad))
    _run(chosen)
