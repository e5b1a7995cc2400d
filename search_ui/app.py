"""The Streamlit entry of vestnik's search UI: ``streamlit run search_ui/app.py`` (``vestnik ui``).

The data directory comes from ``$VESTNIK_DATA`` (set by ``vestnik ui``), else the configuration.
"""

from __future__ import annotations

from search_ui._app import main

main()
