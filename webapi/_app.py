"""The FastAPI application: routes, error handling, optional token and CORS.

Usage::

    app = create_app(data_dir, token="s3cret")
    uvicorn.run(app, host="127.0.0.1", port=8765)

FastAPI was chosen over bare Starlette because the OpenAPI document (``/openapi.json``) is then
generated from the routes' typed parameters and the pydantic response models, so the document the
schemathesis tests read cannot drift from the code; Starlette and uvicorn are under it anyway (and
already installed for the Streamlit UI). No interactive docs page is served: it would load scripts
from a CDN.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from webapi._auth import token_checker
from webapi._data import ApiData
from webapi._errors import install_error_handlers
from webapi._params import reject_unknown_parameters
from webapi._routes_search import router as search_router
from webapi._routes_watch import router as watch_router

__all__ = ["create_app"]

DESCRIPTION = """Read-only JSON API of vestnik: search (the CLI's query language, filters,
pagination, facets), facts (CSV or JSON, streamed), documents with versions, regions, saved
searches and their Atom feeds. Errors are JSON: `{"status": 404, "error": "..."}`.
See docs/api.md."""


def create_app(
    data_dir: Path,
    *,
    store_url: str = "",
    token: str = "",
    cors_origins: Sequence[str] = (),
    version: str = "0.1.0",
    search_backend: str = "whoosh",
) -> FastAPI:
    """The API over ``data_dir`` (its index, or the PostgreSQL one with ``search_backend=
    "postgres"``; the store at ``store_url``, else the directory's SQLite file); with ``token``
    every route requires it; CORS only for ``cors_origins``."""
    data = ApiData(Path(data_dir), store_url, search_backend)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        data.close()

    app = FastAPI(
        title="vestnik API",
        version=version,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.data = data
    install_error_handlers(app)
    # the token is checked first; the document names it only when one is needed
    guard = [Depends(token_checker(token))] if token else []
    guard.append(Depends(reject_unknown_parameters))
    app.include_router(search_router, dependencies=guard)
    app.include_router(watch_router, dependencies=guard)

    @app.get("/api/health", include_in_schema=True, summary="Liveness")
    def health() -> dict[str, str]:
        """``{"status": "ok"}`` while the server runs (no token needed)."""
        return {"status": "ok"}

    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET"],
            allow_headers=["Authorization"],
        )
    return app
