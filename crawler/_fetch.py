"""One GET with every guard: timeouts and a total deadline, a size cap on the decoded body while it
streams (every Content-Encoding layer inflated piece by piece, ``crawler._decode``), a content-type
filter, and redirects followed by hand, each hop checked against the crawl's scope before it is
requested.

The only place that touches httpx's exceptions: they become ``FetchResult.error_kind`` names
("connect", "read", "timeout", "reset", "protocol") that ``next_attempt`` understands; the guards
add "deadline", "redirect", "offsite", "oversize", "decode", "type" and "invalid".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from urllib.parse import urljoin

import httpx
from httpx._utils import get_environment_proxies

from crawler._cookies import bounded_jar
from crawler._decode import ACCEPT_ENCODING, DecodeError, Inflater
from crawler._retry import parse_retry_after
from crawler._transport import LeanTransport
from crawler._urls import normalize_url

__all__ = ["HTML_TYPES", "FetchPolicy", "FetchResult", "fetch", "make_client"]

# Content types worth reading; anything else is skipped unread.
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
_REDIRECTS = (301, 302, 303, 307, 308)

Gate = Callable[[str], Awaitable[str]]  # URL -> "" when allowed, else the reason it is refused


@dataclass(frozen=True, kw_only=True)
class FetchPolicy:
    """Limits of one fetch."""

    max_bytes: int = 10_000_000  # of the decoded body
    max_redirects: int = 5
    total_timeout: float = 60.0  # the whole fetch, redirects and a dripping body included
    types: tuple[str, ...] = HTML_TYPES
    truncate: bool = False  # keep the first max_bytes of a longer body instead of failing


@dataclass(frozen=True)
class FetchResult:
    """What a fetch gave. ``status`` is 0 when no final response came; ``error_kind`` is "" on
    success, a transport failure name, or one of "deadline", "redirect", "offsite", "oversize",
    "decode", "type", "invalid". ``truncated`` marks a body cut at the cap (``truncate``)."""

    url: str
    final_url: str
    status: int = 0
    content_type: str = ""
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    retry_after: float | None = None
    error: str = ""
    error_kind: str = ""
    truncated: bool = False


def make_client(
    user_agent: str, *, connect: float, read: float, concurrency: int,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:  # fmt: skip
    """The AsyncClient a crawl uses: identifying User-Agent, no automatic redirects, a bounded
    cookie jar, the lean HTTP/1.1 transport (httpx's own when the environment names a proxy)."""
    size = max(4, concurrency)
    if transport is None and not get_environment_proxies():
        transport = LeanTransport(max_connections=size, max_keepalive=size)
    return httpx.AsyncClient(
        headers={
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
            "Accept-Language": "ru,be;q=0.9,en;q=0.5",
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        timeout=httpx.Timeout(connect=connect, read=read, write=read, pool=None),
        limits=httpx.Limits(max_connections=size, max_keepalive_connections=size),
        follow_redirects=False,
        transport=transport,
        cookies=bounded_jar(),
    )


def _transport_error(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, httpx.ConnectError):
        return "connect"
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return "reset"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "protocol"
    return "read"


def _type_ok(content_type: str, types: tuple[str, ...]) -> bool:
    mime = content_type.split(";", 1)[0].strip().lower()
    return not mime or mime in types or mime.endswith("+xml")


async def _one(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], policy: FetchPolicy
) -> FetchResult | str:
    """A single request: a result, or the next hop's absolute URL for a redirect."""
    async with client.stream("GET", url, headers=headers) as resp:
        status = resp.status_code
        if status in _REDIRECTS and resp.headers.get("location"):
            try:
                return urljoin(url, resp.headers["location"].strip())
            except ValueError:  # an unclosed IPv6 bracket and the like
                return resp.headers["location"].strip()
        ctype = resp.headers.get("content-type", "")
        head = FetchResult(
            url, url, status, ctype, etag=resp.headers.get("etag", ""),
            last_modified=resp.headers.get("last-modified", ""),
            retry_after=parse_retry_after(resp.headers.get("retry-after"), time.time()),
        )  # fmt: skip
        if status != 200:
            return head
        if not _type_ok(ctype, policy.types):
            return replace(head, error=f"content type {ctype!r} is not a page", error_kind="type")
        declared = resp.headers.get("content-length", "")
        too_big = f"body exceeds the cap of {policy.max_bytes} bytes"
        if declared.isdigit() and int(declared) > policy.max_bytes and not policy.truncate:
            return replace(head, error=too_big, error_kind="oversize")
        return await _body(resp, head, policy)


async def _body(resp: httpx.Response, head: FetchResult, policy: FetchPolicy) -> FetchResult:
    """The decoded body, cut (or refused) at ``policy.max_bytes`` while it streams."""
    try:
        inflater = Inflater(resp.headers.get("content-encoding", ""), cap=policy.max_bytes)
        chunks: list[bytes] = []
        async for raw in resp.aiter_raw():
            chunks.append(inflater.feed(raw))
            if inflater.full:
                break
    except DecodeError as exc:
        return replace(head, error=str(exc), error_kind="decode")
    if inflater.full and not policy.truncate:
        return replace(head, error=inflater.reason, error_kind="oversize")
    return replace(head, body=b"".join(chunks), truncated=inflater.full)


async def fetch(
    client: httpx.AsyncClient, url: str, *, headers: dict[str, str] | None = None,
    policy: FetchPolicy, gate: Gate,
) -> FetchResult:  # fmt: skip
    """GET ``url`` following at most ``policy.max_redirects`` redirects; every hop must pass
    ``gate`` (scope, private addresses, robots) before it is requested."""
    seen = {url}
    current = url
    try:
        async with asyncio.timeout(policy.total_timeout):
            for _hop in range(policy.max_redirects + 1):
                answer = await _one(client, current, headers or {}, policy)
                if isinstance(answer, FetchResult):
                    return replace(answer, url=url, final_url=current)
                target = normalize_url(answer, keep_slash=True)
                refused = await gate(target)
                if refused:
                    shown = target if len(target) <= 200 else target[:200] + "..."
                    return FetchResult(url, current, error=f"redirect to {shown} refused: "
                                       f"{refused}", error_kind="offsite")  # fmt: skip
                if target in seen:
                    return FetchResult(url, current, error=f"redirect loop at {target}",
                                       error_kind="redirect")  # fmt: skip
                seen.add(target)
                current = target
                headers = {}
            return FetchResult(url, current, error=f"more than {policy.max_redirects} redirects",
                               error_kind="redirect")  # fmt: skip
    except TimeoutError:
        return FetchResult(url, current, error=f"deadline: no whole answer within "
                           f"{policy.total_timeout:g} s", error_kind="deadline")  # fmt: skip
    except httpx.RemoteProtocolError as exc:
        if "location header" in str(exc):  # httpx reads Location itself, even unfollowed
            return FetchResult(url, current, error=f"redirect refused: {exc}",
                               error_kind="redirect")  # fmt: skip
        return FetchResult(url, current, error=f"protocol: {exc}", error_kind="protocol")
    except httpx.TransportError as exc:
        kind = _transport_error(exc)
        return FetchResult(url, current, error=f"{kind}: {exc or type(exc).__name__}",
                           error_kind=kind)  # fmt: skip
    except httpx.InvalidURL as exc:
        return FetchResult(url, current, error=f"invalid URL: {exc}", error_kind="invalid")
