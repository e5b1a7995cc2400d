"""Parameter checks shared by the routes.

Unknown query parameters are refused (422 naming them), so a typo (``?qq=``) is not silently
ignored; the route's own parameters, and the token's, are known. Whole numbers are ASCII digits only:
pydantic's lax ``int`` also takes ``" 7"``, ``"\u00a07"``, ``"1_0"``, ``"+7"`` and ``"7.0"``, which the
OpenAPI document (``type: integer``) does not allow.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BeforeValidator

from webapi._errors import ApiError

__all__ = ["WHOLE_NUMBER", "reject_unknown_parameters", "whole_number"]


def whole_number(value: object) -> object:
    """A parameter's text as given when it is ASCII digits; anything else is refused.

    >>> whole_number("42"), whole_number(7)
    ('42', 7)
    >>> whole_number("\u00a042")
    Traceback (most recent call last):
    ...
    ValueError: not a whole number
    """
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("not a whole number")
    return value


WHOLE_NUMBER = BeforeValidator(whole_number)


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
