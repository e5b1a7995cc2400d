"""Streamlit page script: the status page (the logic lives in ``search_ui._status_page``)."""

from __future__ import annotations

from search_ui._status_page import render

render()
