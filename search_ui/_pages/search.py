"""Streamlit page script: the search page (the logic lives in ``search_ui._search_page``)."""

from __future__ import annotations

from search_ui._search_page import render

render()
