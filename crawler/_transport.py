"""A lean HTTP/1.1 transport for httpx: h11 over asyncio streams, idle connections kept per origin.

httpcore's pool re-scans every connection (polling each idle socket) on every request and every
response close; on a local crawl at concurrency 16 that cost more CPU than parsing the pages. This
transport keeps a list of idle keep-alive connections per origin and a semaphore on requests in
flight, and speaks HTTP/1.1 with h11 (the parser httpcore uses). It raises httpx's own exceptions
(``ConnectError``, ``ReadTimeout``, ``RemoteProtocolError``, ...), so ``crawler._fetch`` sees the
same errors as with httpx's default transport. No proxies: ``make_client`` uses httpx's transport
when the environment names one.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import AsyncIterator
from typing import Any

import h11
import httpx

__all__ = ["LeanTransport"]

_READ_SIZE = 65536
_MAX_HEAD = 100 * 1024  # response head (status line and headers) longer than this: refused
_Origin = tuple[str, str, int]


class _Conn:
    """One HTTP/1.1 connection."""

    __slots__ = ("h11", "idle_since", "reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=_MAX_HEAD)
        self.idle_since = 0.0

    def usable(self, now: float, expiry: float) -> bool:
        return (
            now - self.idle_since < expiry
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    def close(self) -> None:
        self.writer.close()

    async def next_event(self, timeout: float | None, request: httpx.Request) -> Any:
        while True:
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as exc:
                raise httpx.RemoteProtocolError(str(exc), request=request) from exc
            if event is not h11.NEED_DATA:
                return event
            try:
                async with asyncio.timeout(timeout):
                    data = await self.reader.read(_READ_SIZE)
            except TimeoutError as exc:
                raise httpx.ReadTimeout("timed out reading the response", request=request) from exc
            except OSError as exc:
                raise httpx.ReadError(str(exc) or type(exc).__name__, request=request) from exc
            if not data and self.h11.their_state is h11.SEND_RESPONSE:
                msg = "Server disconnected without sending a response."
                raise httpx.RemoteProtocolError(msg, request=request)
            self.h11.receive_data(data)


class _Body(httpx.AsyncByteStream):
    """A response body read from its connection; closing it returns the connection to the pool
    when the exchange completed, else closes it."""

    def __init__(
        self, pool: LeanTransport, origin: _Origin, conn: _Conn, request: httpx.Request,
        timeout: float | None,
    ) -> None:  # fmt: skip
        self._pool, self._origin, self._conn = pool, origin, conn
        self._request, self._timeout = request, timeout
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        conn = self._conn
        while True:
            event = await conn.next_event(self._timeout, self._request)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                return

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._pool._release(self._origin, self._conn)


class LeanTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 with keep-alive: at most ``max_connections`` requests in flight, at most
    ``max_keepalive`` idle connections kept, each for ``keepalive_expiry`` seconds."""

    def __init__(
        self, *, max_connections: int, max_keepalive: int, keepalive_expiry: float = 5.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:  # fmt: skip
        self._sem = asyncio.Semaphore(max(1, max_connections))
        self._max_idle = max_keepalive
        self._expiry = keepalive_expiry
        self._ssl = ssl_context
        self._idle: dict[_Origin, list[_Conn]] = {}
        self._n_idle = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported scheme {scheme!r}", request=request)
        host = url.raw_host.decode("ascii")  # IDNA-encoded, IPv6 without brackets
        origin = (scheme, host, url.port or (443 if scheme == "https" else 80))
        timeouts = request.extensions.get("timeout", {})
        await self._sem.acquire()
        try:
            conn, event = await self._start(origin, request, timeouts)
        except BaseException:
            self._sem.release()
            raise
        headers = [(bytes(k), bytes(v)) for k, v in event.headers]
        stream = _Body(self, origin, conn, request, timeouts.get("read"))
        return httpx.Response(
            event.status_code, headers=headers, stream=stream,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": bytes(event.reason)},
        )  # fmt: skip

    async def _start(
        self, origin: _Origin, request: httpx.Request, timeouts: dict[str, float | None]
    ) -> tuple[_Conn, Any]:
        """A connection (kept-alive or new) with the request sent and the response head read."""
        for attempt in range(2):
            conn = self._take_idle(origin)
            reused = conn is not None
            if conn is None:
                conn = await self._connect(origin, timeouts.get("connect"), request)
            try:
                return conn, await self._exchange(conn, request, timeouts)
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                conn.close()
                if not (reused and attempt == 0):
                    raise
                # the server dropped a kept-alive connection: once more, on a new one
            except BaseException:
                conn.close()
                raise
        raise AssertionError("unreachable")

    async def _exchange(
        self, conn: _Conn, request: httpx.Request, timeouts: dict[str, float | None]
    ) -> Any:
        parts = [conn.h11.send(h11.Request(
            method=request.method, target=request.url.raw_path,
            headers=list(request.headers.raw),
        ))]  # fmt: skip
        async for chunk in request.stream:  # type: ignore[union-attr]
            if chunk:
                parts.append(conn.h11.send(h11.Data(data=chunk)))
        parts.append(conn.h11.send(h11.EndOfMessage()))
        try:
            conn.writer.write(b"".join(p for p in parts if p))
            async with asyncio.timeout(timeouts.get("write")):
                await conn.writer.drain()
        except TimeoutError as exc:
            raise httpx.WriteTimeout("timed out sending the request", request=request) from exc
        except OSError as exc:
            raise httpx.WriteError(str(exc) or type(exc).__name__, request=request) from exc
        while True:
            event = await conn.next_event(timeouts.get("read"), request)
            if isinstance(event, h11.Response):
                return event
            if not isinstance(event, h11.InformationalResponse):
                raise httpx.RemoteProtocolError(f"unexpected {event!r}", request=request)

    async def _connect(
        self, origin: _Origin, timeout: float | None, request: httpx.Request
    ) -> _Conn:
        scheme, host, port = origin
        tls: ssl.SSLContext | None = None
        if scheme == "https":
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context()
            tls = self._ssl
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=tls, server_hostname=host if tls else None,
                    limit=_READ_SIZE * 4,
                )  # fmt: skip
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"cannot connect to {host}:{port} in time",
                                       request=request) from exc  # fmt: skip
        except OSError as exc:
            raise httpx.ConnectError(str(exc) or type(exc).__name__, request=request) from exc
        return _Conn(reader, writer)

    def _take_idle(self, origin: _Origin) -> _Conn | None:
        idle = self._idle.get(origin)
        now = time.monotonic()
        while idle:
            conn = idle.pop()
            self._n_idle -= 1
            if conn.usable(now, self._expiry):
                return conn
            conn.close()
        return None

    def _release(self, origin: _Origin, conn: _Conn) -> None:
        self._sem.release()
        state = conn.h11
        try:  # an unread body already buffered (a redirect's) does not cost the connection
            while state.their_state is h11.SEND_BODY:
                if state.next_event() is h11.NEED_DATA:
                    break
        except h11.RemoteProtocolError:
            pass
        if state.our_state is h11.DONE and state.their_state is h11.DONE:
            state.start_next_cycle()
            if self._n_idle < self._max_idle:
                conn.idle_since = time.monotonic()
                self._idle.setdefault(origin, []).append(conn)
                self._n_idle += 1
                return
        conn.close()

    async def aclose(self) -> None:
        for conns in self._idle.values():
            for conn in conns:
                conn.close()
        self._idle.clear()
        self._n_idle = 0
