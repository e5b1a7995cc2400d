"""Streamlit page script: the document page (the logic lives in ``search_ui._document_page``)."""

from __future__ import annotations

from search_ui._document_page import render

render()
