"""Errors as JSON: ``{"status": 404, "error": "no document 7"}``, with the right HTTP status.

vestnik's own errors map to statuses here (a malformed query is the client's 400; no index yet is
503); request validation is 422 with the first problem named; anything unexpected is a logged 500
whose body says nothing about the server. The error bodies carry no server paths.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from core.errors import QueryError, SearchIndexError, StoreError, StoreLockedError
from webapi._models import ErrorOut

__all__ = ["ApiError", "error_response", "install_error_handlers", "responses"]

log = logging.getLogger(__name__)

NO_INDEX = "there is no search index yet: run `vestnik index` (or `vestnik update`)"
NO_STORE = "the corpus store cannot be read right now; try again later"


class ApiError(Exception):
    """An error with its HTTP status, raised by the routes."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The JSON body of an error."""
    body = ErrorOut(status=status, error=message).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


def responses(*statuses: int, ok: dict[str, Any] | None = None) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer (and a 200 other than JSON)."""
    text = {
        400: "Malformed query", 401: "Missing or wrong API token", 404: "Not found",
        422: "Invalid parameter", 503: "No index yet, or the store is busy",
    }  # fmt: skip
    out: dict[int | str, dict[str, Any]] = {200: ok} if ok else {}
    out.update({s: {"model": ErrorOut, "description": text.get(s, "Error")} for s in statuses})
    return out


def _validation_message(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "invalid request"
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path"))
    message = str(first.get("msg", "invalid value"))
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}" if where else message + more


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every error into ``ErrorOut`` JSON."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.headers)

    @app.exception_handler(QueryError)
    async def query_error(request: Request, exc: QueryError) -> JSONResponse:
        return error_response(400, str(exc).splitlines()[0] if str(exc) else "malformed query")

    @app.exception_handler(SearchIndexError)
    async def index_error(request: Request, exc: SearchIndexError) -> JSONResponse:
        log.warning("search index unavailable: %s", exc)
        return error_response(503, NO_INDEX)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.warning("store unavailable: %s", exc)
        status = 503 if isinstance(exc, StoreLockedError) else 500
        return error_response(status, NO_STORE)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, _validation_message(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # the API's one catch-all, like the CLI's: the client gets no details, the log gets all
        log.error("unexpected error on %s", request.url.path, exc_info=exc)
        return error_response(500, "internal error; the server log has the details")
