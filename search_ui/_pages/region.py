"""Streamlit page script: the region page (the logic lives in ``search_ui._region_page``)."""

from __future__ import annotations

from search_ui._region_page import render

render()
