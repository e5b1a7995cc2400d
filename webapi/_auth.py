"""Optional token authentication: with ``api.token`` set, every API request must carry it.

The token comes as ``Authorization: Bearer TOKEN`` or, for feed readers that cannot set headers,
as ``?token=TOKEN``; it is compared in constant time (``hmac.compare_digest``). Serving beyond
127.0.0.1 without a token is refused when the server starts (``check_exposure``).
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.errors import ConfigError
from webapi._errors import ApiError

__all__ = ["check_exposure", "is_loopback", "token_checker"]

_bearer = HTTPBearer(auto_error=False, description="the configured api.token")


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, token: str) -> None:
    """``ConfigError`` when ``host`` reaches beyond this machine and no token is configured."""
    if not is_loopback(host) and not token:
        raise ConfigError(
            f"serving on {host} reaches beyond this machine: set api.token in the configuration "
            "(or VESTNIK_API_TOKEN), or serve on 127.0.0.1"
        )


def _same(given: bytes, expected: str) -> bool:
    return hmac.compare_digest(given, expected.encode("utf-8"))


def token_checker(expected: str) -> Callable[..., None]:
    """A FastAPI dependency refusing requests without ``expected`` (a no-op when it is "")."""

    def check(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)] = None,
        token: Annotated[
            str | None,
            Query(
                max_length=1000, description="the API token, for clients that cannot send headers"
            ),
        ] = None,
    ) -> None:
        if not expected:
            return
        # header values arrive decoded as latin-1: their raw bytes are the UTF-8 the client sent
        given = (
            credentials.credentials.encode("latin-1", "replace")
            if credentials is not None
            else (token or "").encode("utf-8")
        )
        if not given or not _same(given, expected):
            raise ApiError(
                401,
                "missing or wrong API token (send Authorization: Bearer TOKEN)",
                {"WWW-Authenticate": "Bearer"},
            )

    return check
