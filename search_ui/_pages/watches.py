"""Streamlit page script: the «Подписки» page (the logic lives in ``search_ui._watches_page``)."""

from __future__ import annotations

from search_ui._watches_page import render

render()
