"""Attached files in the UI: under their article on the document page, their article on theirs,
and their type and article in search results (every piece of text escaped, as in ``_render``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from search_ui._render import esc, link_html
from search_ui._resources import get_store
from search_ui._state import SearchState, to_params

if TYPE_CHECKING:
    from core.records import Document
    from indexer import Hit

__all__ = ["file_label", "parent_title", "render_files", "render_parent"]

DOCUMENT_PAGE = "_pages/document.py"


def file_label(file_type: str) -> str:
    """ "PDF", "DOCX" ... ("файл" when the type is unknown)."""
    return file_type.upper() if file_type else "файл"


def parent_title(hit: Hit) -> str:
    """The title of the article an attachment hit hangs under ("" for a page or when unknown)."""
    if hit.kind != "attachment" or not hit.parent_url:
        return ""
    parent = get_store().find_document(hit.parent_url)
    return parent.title if parent is not None else ""


def _open(state: SearchState, doc: Document, label: str) -> None:
    st.page_link(
        DOCUMENT_PAGE,
        label=label,
        icon=":material/attach_file:" if doc.kind == "attachment" else ":material/article:",
        query_params=to_params(state.with_changes(doc=doc.id), keep_doc=True),
    )


def render_files(doc: Document, state: SearchState) -> None:
    """The files an article links that vestnik read, each with its type, name and own page."""
    files = get_store().attachments_of(doc.url)
    if not files:
        return
    st.subheader(f"Вложения ({len(files)})")
    for f in files:
        st.html(
            f'<div class="vn-meta"><b>{esc(file_label(f.file_type))}</b> · '
            f"{link_html(f.url, esc(f.file_name or f.url))}</div>"
        )
        _open(state, f, f.title or f.file_name)


def render_parent(doc: Document, state: SearchState) -> None:
    """An attachment's type, file name and the article it hangs under."""
    parent = get_store().find_document(doc.parent_url) if doc.parent_url else None
    where = f" к статье «{esc(parent.title)}»" if parent is not None else ""
    st.html(
        f'<div class="vn-meta">Вложение{where}: <b>{esc(file_label(doc.file_type))}</b>, '
        f"{esc(doc.file_name)}</div>"
    )
    if parent is not None:
        _open(state, parent, f"Статья: {parent.title}")
