"""vestnik's search UI: a Streamlit app (``search_ui/app.py``, started by ``vestnik ui``).

Pages: "Поиск" (query, filters with counts, results), "Документ" (full text with the query's word
forms highlighted, metadata, facts), "Факты" (table, charts, CSV downloads identical to
``vestnik facts``), "Состояние" (sites, runs, errors, schedule, "Обновить сейчас"), "Подписки"
(saved searches, their new items since the last visit; "Сохранить поиск" on the search page).
URL parameters it cannot use get one Russian message; a failing page shows one Russian line, never
a traceback. The search state lives in the URL; ``SearchState`` and its ``from_params``/``to_params``
round trip are the API here.
"""

from __future__ import annotations

from search_ui._state import SearchState, from_params, to_params

__all__ = ["SearchState", "from_params", "to_params"]
