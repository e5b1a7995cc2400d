"""Streamlit page script: the facts page (the logic lives in ``search_ui._facts_page``)."""

from __future__ import annotations

from search_ui._facts_page import render

render()
