"""Unknown query parameters are refused (422 naming them), so a typo (``?qq=``) is not silently
ignored; the route's own parameters, and the token's, are known."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from webapi._errors import ApiError

__all__ = ["reject_unknown_parameters"]


def _query_names(dependant: Any) -> set[str]:
    names = {str(p.alias) for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def reject_unknown_parameters(request: Request) -> None:
    """A dependency: 422 when the query names a parameter the route does not take."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant) | {"token"}  # the token's (a dependency of the router)
    unknown = sorted({k for k in request.query_params if k not in known})
    if unknown:
        names = ", ".join(repr(k[:40]) for k in unknown[:5])
        raise ApiError(422, f"unknown query parameter {names}; see /openapi.json")
