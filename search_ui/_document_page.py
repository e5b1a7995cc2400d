"""The "Документ" page: one document's full text with the query's word forms highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from core.errors import QueryError, SearchIndexError
from search_ui._attachments import render_files, render_parent
from search_ui._controls import current
from search_ui._region_links import region_links_html
from search_ui._render import esc, format_date, link_html, text_html
from search_ui._resources import get_index, get_store
from search_ui._state import FACT_TYPES, LANGS, SearchState, to_params

if TYPE_CHECKING:
    from core.records import Document, Fact

__all__ = ["facts_frame", "highlighted", "metadata_html", "render"]

SEARCH_PAGE = "_pages/search.py"

FACT_LABELS = {
    "fact_type": "Тип",
    "value": "Значение",
    "qualifier": "Уточнение",
    "object": "Объект",
    "counterpart_value": "Партнёров",
    "counterpart_object": "Партнёр / единица",
    "regions": "Регионы",
    "persons": "Персоны",
    "date": "Дата / период",
    "sentence": "Предложение",
}


def highlighted(text: str, query: str, lang: str = "ru") -> str:
    """``text`` as escaped HTML, the query's word forms in ``<mark>`` when there is a query."""
    if query.strip():
        try:
            return str(get_index().highlight(text, query, lang))
        except (SearchIndexError, QueryError):
            pass
    return esc(text)


def metadata_html(doc: Document) -> str:
    """The document's metadata as a small table (every value escaped)."""
    rows = [
        ("Источник", link_html(doc.url, esc(doc.url))),
        ("Сайт", esc(doc.site)),
        ("Язык", esc(LANGS.get(doc.lang, doc.lang))),
        ("Опубликован", esc(format_date(doc.published) or "дата не указана")),
        ("Впервые загружен", esc(format_date(doc.first_seen))),
        ("Последняя загрузка", esc(format_date(doc.fetched_at))),
        ("Последнее изменение", esc(format_date(doc.changed_at))),
        ("Версия", esc(doc.version)),
        ("Регионы", region_links_html(doc.regions) or "—"),
    ]
    if doc.aliases:
        rows.append(("Другие адреса", "<br>".join(link_html(a, esc(a)) for a in doc.aliases)))
    if doc.attachments:
        rows.append(("Вложения", "<br>".join(link_html(a, esc(a)) for a in doc.attachments)))
    cells = "".join(
        f'<tr><th style="text-align:left;padding-right:1rem">{esc(k)}</th><td>{v}</td></tr>'
        for k, v in rows
    )
    return f'<table class="vn-meta-table">{cells}</table>'


def facts_frame(facts: list[Fact]) -> pd.DataFrame:
    """The document's facts as a table with Russian column names."""
    records = [
        {
            FACT_LABELS["fact_type"]: FACT_TYPES.get(f.fact_type, f.fact_type),
            FACT_LABELS["value"]: f.value,
            FACT_LABELS["qualifier"]: f.qualifier,
            FACT_LABELS["object"]: f.object,
            FACT_LABELS["counterpart_value"]: f.counterpart_value,
            FACT_LABELS["counterpart_object"]: f.counterpart_object,
            FACT_LABELS["regions"]: "; ".join(f.regions),
            FACT_LABELS["persons"]: "; ".join(f.persons),
            FACT_LABELS["date"]: f.date,
            FACT_LABELS["sentence"]: f.sentence,
        }
        for f in facts
    ]
    return pd.DataFrame(records, columns=list(FACT_LABELS.values()))


def _back(state: SearchState) -> None:
    st.page_link(
        SEARCH_PAGE,
        label="← К результатам поиска",
        query_params=to_params(state.with_changes(doc=0, page=state.page)),
    )


def _versions(doc_id: int) -> None:
    versions = get_store().document_versions(doc_id)
    if len(versions) < 2:
        return
    with st.expander(f"История изменений (версий: {len(versions)})"):
        frame = pd.DataFrame(
            [
                {
                    "Версия": v["version"],
                    "Сохранена": format_date(v["saved_at"]),
                    "Заголовок": v["title"],
                }
                for v in reversed(versions)
            ]
        )
        st.dataframe(frame, hide_index=True)


def render() -> None:
    """Draw the document named by ``?doc=`` in the URL."""
    state = current()
    _back(state)
    doc = get_store().get_document(state.doc) if state.doc else None
    if doc is None:
        st.warning("Документ не найден. Откройте документ из результатов поиска.")
        return
    st.html(f'<h2 class="vn-title">{highlighted(doc.title, state.query, doc.lang)}</h2>')
    if doc.state != "ok":
        st.warning("Документ больше не доступен на сайте; показана последняя сохранённая версия.")
    st.html(metadata_html(doc))
    if doc.kind == "attachment":  # search_ui/_attachments.py
        render_parent(doc, state)
    else:
        render_files(doc, state)
    facts = get_store().facts_for_document(doc.id)
    st.subheader(f"Факты ({len(facts)})")
    if facts:
        st.dataframe(facts_frame(facts), hide_index=True)
    else:
        st.caption("В этом документе факты не найдены.")
    _versions(doc.id)
    st.subheader("Текст")
    st.html(text_html(highlighted(doc.body, state.query, doc.lang)))
