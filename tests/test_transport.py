"""The crawler's lean HTTP/1.1 transport against a real socket server on 127.0.0.1: keep-alive
reuse, connections the server drops, timeouts and refused connections as httpx's errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest

from crawler._fetch import FetchPolicy, fetch, make_client
from crawler._transport import LeanTransport

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def _reply(body: bytes, status: str = "200 OK", extra: str = "") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {len(body)}\r\n{extra}"
    return head.encode() + b"\r\n" + body


async def _read_request(reader: asyncio.StreamReader) -> str:
    head = await reader.readuntil(b"\r\n\r\n")
    return head.decode().split(" ")[1]


async def _serve(handler: Handler, run: Callable[[str], Awaitable[None]]) -> None:
    """Serve ``handler`` while ``run`` talks to it; every connection's handler ends in time."""
    done: list[asyncio.Task[None]] = []

    async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        done.append(task)  # type: ignore[arg-type]
        await handler(reader, writer)

    server = await asyncio.start_server(tracked, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        await run(f"http://127.0.0.1:{port}")
    finally:
        server.close()
        await server.wait_closed()
        await asyncio.wait_for(asyncio.gather(*done, return_exceptions=True), 5)


def _client(**kw: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=LeanTransport(max_connections=4, max_keepalive=4, **kw),
                             timeout=httpx.Timeout(1.0))  # fmt: skip


@pytest.mark.parametrize("close_after", [0, 1])
def test_keep_alive_reuses_a_connection_and_survives_a_dropped_one(close_after: int) -> None:
    """Requests share one connection; when the server drops it after ``close_after`` answers
    (without saying so), the next request goes out again on a fresh connection."""
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        served = 0
        try:
            while True:
                path = await _read_request(reader)
                writer.write(_reply(f"page {path}".encode()))
                await writer.drain()
                served += 1
                if close_after and served >= close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    async def run(base: str) -> None:
        async with _client() as client:
            bodies = []
            for i in range(3):
                resp = await client.get(f"{base}/a{i}")
                bodies.append(resp.text)
                await asyncio.sleep(0.05)
        assert bodies == ["page /a0", "page /a1", "page /a2"]
        assert len(connections) == (1 if not close_after else 3)

    asyncio.run(_serve(handler, run))


def test_an_unread_redirect_body_keeps_the_connection() -> None:
    connections: list[int] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            while True:
                path = await _read_request(reader)
                if path == "/old":
                    writer.write(_reply(b"moved", "301 Moved", "Location: /new\r\n"))
                else:
                    writer.write(_reply(b"<h1>new</h1>"))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    async def run(base: str) -> None:
        async def gate(_url: str) -> str:
            return ""

        async with make_client("t", connect=1, read=1, concurrency=2) as client:
            result = await fetch(client, f"{base}/old", policy=FetchPolicy(), gate=gate)
        assert (result.status, result.body, result.final_url) == (200, b"<h1>new</h1>",
                                                                  f"{base}/new")  # fmt: skip
        assert len(connections) == 1

    asyncio.run(_serve(handler, run))


def test_timeouts_and_refused_connections_are_httpx_errors() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        await reader.read()  # no answer; wait for the client to hang up
        writer.close()

    async def run(base: str) -> None:
        async with httpx.AsyncClient(
            transport=LeanTransport(max_connections=2, max_keepalive=2),
            timeout=httpx.Timeout(0.2),
        ) as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.get(f"{base}/slow")

            async def gate(_url: str) -> str:
                return ""

            result = await fetch(client, f"{base}/slow", policy=FetchPolicy(), gate=gate)
            assert result.error_kind == "timeout"

    asyncio.run(_serve(silent, run))

    async def refused() -> None:
        server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        async with _client() as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{port}/")

    asyncio.run(refused())


def test_a_server_that_hangs_up_without_answering_is_a_protocol_error() -> None:
    async def rude(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.close()

    async def run(base: str) -> None:
        async with _client() as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(f"{base}/")

    asyncio.run(_serve(rude, run))


def test_gzip_body_is_decoded() -> None:
    import gzip

    text = "Сжатая страница. " * 200
    packed = gzip.compress(text.encode())

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(_reply(packed, extra="Content-Encoding: gzip\r\n"))
        await writer.drain()
        writer.close()

    async def run(base: str) -> None:
        transport = LeanTransport(max_connections=2, max_keepalive=2)
        async with httpx.AsyncClient(transport=transport, timeout=5) as client:
            response = await client.get(base + "/")
            assert response.headers["content-encoding"] == "gzip"
            assert response.text == text

    asyncio.run(_serve(handler, run))
