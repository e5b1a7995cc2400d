"""The query box, the sidebar filters with counts, and the URL they write to.

Widgets never own the state: before a widget is drawn its session-state value is set from the URL,
and its ``on_change`` callback writes the new value back to the URL (``push``). So the URL always
describes what is shown, and a bookmarked or shared URL reproduces the search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from search_ui._state import KINDS, LANGS, SearchState, from_params, to_params

__all__ = ["QUERY_HINT", "current", "push", "query_box", "sidebar_filters"]

QUERY_HINT = (
    "Слова ищутся в любой форме: «соглашению курской области» найдёт «соглашение Курская область». "
    "Все слова — И; `OR`/`ИЛИ` — любое из слов; `NOT`/`НЕ` — исключить; "
    '`"фраза в кавычках"`; `цифров*` — начало слова; `title:`, `site:`, `lang:`, `region:` — поле.'
)

_ANY = ""


def current() -> SearchState:
    """The state described by the current URL."""
    return from_params(st.query_params.to_dict() | _lists())


def _lists() -> dict[str, list[str]]:
    types = st.query_params.get_all("type")
    return {"type": types} if types else {}


def push(state: SearchState, *, keep_doc: bool = False) -> None:
    """Make the URL describe ``state`` (the next run reads it)."""
    st.query_params.from_dict(to_params(state, keep_doc=keep_doc))


def _on_change(field: str, key: str, convert: Callable[[Any], Any] = str) -> Callable[[], None]:
    def callback() -> None:
        value = st.session_state.get(key)
        push(current().with_changes(**{field: convert(value) if value is not None else ""}))

    return callback


def query_box(state: SearchState) -> None:
    """The query text input (Enter searches) and the syntax hint."""
    st.session_state["w_query"] = state.query
    st.text_input(
        "Запрос",
        key="w_query",
        placeholder="например: соглашение курская область",
        on_change=_on_change("query", "w_query", lambda v: str(v).strip()),
        help=QUERY_HINT,
    )
    st.caption(
        'Enter — искать. Слова в любой форме; `OR`, `NOT`, `"фраза"`, `цифров*`, '
        '`site:mpt`, `region:"Курская область"`.'
    )


def _options(
    current_value: str, facet: Sequence[tuple[Any, int]]
) -> tuple[list[str], dict[str, int]]:
    counts = {str(value): int(count) for value, count in facet if str(value)}
    options = [_ANY, *counts]
    if current_value and current_value not in counts:
        options.append(current_value)
    return options, counts


def _select(
    label: str,
    field: str,
    value: str,
    facet: Sequence[tuple[Any, int]],
    names: dict[str, str] | None = None,
) -> None:
    options, counts = _options(value, facet)
    key = f"w_{field}"
    st.session_state[key] = value

    def fmt(option: str) -> str:
        if option == _ANY:
            return "все"
        name = (names or {}).get(option, option)
        return f"{name} ({counts[option]})" if option in counts else name

    st.sidebar.selectbox(label, options, key=key, format_func=fmt, on_change=_on_change(field, key))


def _year_of(state: SearchState) -> str:
    year = state.since[:4]
    if year and state.since == f"{year}-01-01" and state.until == f"{year}-12-31":
        return year
    return ""


def _on_year() -> None:
    year = str(st.session_state.get("w_year") or "")
    since, until = (f"{year}-01-01", f"{year}-12-31") if year else ("", "")
    push(current().with_changes(since=since, until=until))


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else ""


def _period(state: SearchState, facet: Sequence[tuple[Any, int]]) -> None:
    year = _year_of(state)
    options, counts = _options(year, sorted(facet, key=lambda item: str(item[0]), reverse=True))
    st.session_state["w_year"] = year
    st.sidebar.selectbox(
        "Год",
        options,
        key="w_year",
        format_func=lambda o: "все" if o == _ANY else f"{o} ({counts[o]})" if o in counts else o,
        on_change=_on_year,
    )
    low, high = dt.date(1990, 1, 1), dt.date.today() + dt.timedelta(days=366)
    for field, label in (("since", "С даты"), ("until", "По дату")):
        key = f"w_{field}"
        text = getattr(state, field)
        st.session_state[key] = dt.date.fromisoformat(text) if text else None
        st.sidebar.date_input(
            label,
            key=key,
            min_value=low,
            max_value=high,
            format="DD.MM.YYYY",
            on_change=_on_change(field, key, _iso),
        )


def sidebar_filters(state: SearchState, facets: dict[str, list[tuple[Any, int]]]) -> None:
    """Period, site, language and region filters with the number of documents for each value."""
    st.sidebar.subheader("Фильтры")
    _period(state, facets.get("year", []))
    _select("Сайт", "site", state.site, facets.get("site", []))
    _select("Язык", "lang", state.lang, facets.get("lang", []), LANGS)
    _select("Регион", "region", state.region, facets.get("region", []))
    _select("Тип", "kind", state.kind, facets.get("kind", []), KINDS)
    if any((state.since, state.until, state.site, state.lang, state.region, state.kind)):
        st.sidebar.button(
            "Сбросить фильтры",
            on_click=lambda: push(
                current().with_changes(since="", until="", site="", lang="", region="", kind="")
            ),
        )
