"""vestnik's read-only HTTP API: FastAPI routes over the search API and the store interface.

``create_app(data_dir)`` builds the application (its OpenAPI document at ``/openapi.json``),
``serve`` runs it under uvicorn (``vestnik serve``), ``atom_feed`` writes a saved search's Atom 1.0
feed. Saved searches themselves (saving, checking after an update, the e-mail digest) are in
``ops``. See docs/api.md.
"""

from __future__ import annotations

from webapi._app import create_app
from webapi._atom import atom_feed
from webapi._routes_watch import feed_path
from webapi._serve import serve

__all__ = ["atom_feed", "create_app", "feed_path", "serve"]
