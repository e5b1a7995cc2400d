"""Hostile bodies against the fetcher on a real local server: decompression bombs (nested
encodings too), slow drips, corrupt encodings, header and cookie floods. Each ends as one bounded,
named failure; memory is measured while the fetch runs."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler._fetch import FetchPolicy, FetchResult, fetch, make_client
from tests._hostile_server import HostileServer, Reply, bomb, html

NESTED_BOMB = Path(__file__).parent / "data" / "bomb-gzip-gzip-4gib.bin"
CAP = 1_000_000


async def _allow(_url: str) -> str:
    return ""


def _fetch(url: str, policy: FetchPolicy | None = None) -> tuple[FetchResult, int]:
    """One fetch with a fresh crawl client; the result and the peak of Python allocations."""
    policy = policy or FetchPolicy(max_bytes=CAP, total_timeout=5.0)

    async def go() -> FetchResult:
        async with make_client("test", connect=2, read=2, concurrency=2) as client:
            return await fetch(client, url, policy=policy, gate=_allow)

    tracemalloc.start()
    try:
        result = asyncio.run(go())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.fixture(scope="module")
def srv() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server


def _encoded(body: bytes, encoding: str) -> Reply:
    return Reply(headers=(("Content-Type", "text/html"), ("Content-Encoding", encoding)), body=body)


def test_the_nested_gzip_bomb_is_capped_on_its_inflated_size(srv: HostileServer) -> None:
    packed = NESTED_BOMB.read_bytes()
    assert len(packed) < 10_000  # a few kilobytes that inflate to 4 GiB
    srv.route("/nested", _encoded(packed, "gzip, gzip"))
    result, peak = _fetch(srv.url("/nested"))
    assert (result.error_kind, result.body) == ("oversize", b"")
    assert "inflates past the cap of 1000000 bytes (Content-Encoding: gzip, gzip)" in result.error
    assert peak < 8 * CAP


@pytest.mark.parametrize(
    "layers",
    [("gzip",), ("deflate",), ("br",), ("gzip", "gzip"), ("deflate", "gzip"), ("gzip", "br"),
     ("br", "deflate"), ("gzip", "gzip", "gzip")],
)  # fmt: skip
def test_bombs_of_every_encoding_stop_at_the_cap(
    srv: HostileServer, layers: tuple[str, ...]
) -> None:
    path = "/bomb-" + "-".join(layers)
    srv.route(path, _encoded(bomb(layers, 64_000_000), ", ".join(layers)))
    result, peak = _fetch(srv.url(path))
    assert result.error_kind == "oversize"
    assert result.error.startswith("body inflates past the cap")
    assert peak < 8 * CAP


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [("gzip", lambda b: gzip.compress(b)), ("deflate", zlib.compress),
     ("deflate", lambda b: zlib.compress(b)[2:-4]), ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
     ("br", lambda b: __import__("brotli").compress(b)), ("identity", lambda b: b)],
)  # fmt: skip
def test_honest_encodings_are_decoded(srv: HostileServer, encoding: str, pack: object) -> None:
    page = html("<p>" + "Текст страницы. " * 2000 + "</p>")
    path = f"/honest-{id(pack)}"
    srv.route(path, _encoded(pack(page), encoding))  # type: ignore[operator]
    result, _peak = _fetch(srv.url(path))
    assert (result.status, result.error_kind, result.body) == (200, "", page)


def test_two_gzip_members_are_one_body(srv: HostileServer) -> None:
    srv.route("/members", _encoded(gzip.compress(b"<p>one ") + gzip.compress(b"two</p>"), "gzip"))
    result, _peak = _fetch(srv.url("/members"))
    assert result.body == b"<p>one two</p>"


@pytest.mark.parametrize(
    ("encoding", "body", "error"),
    [("gzip", b"\x1f\x8b\x08\x00garbage-not-deflate" * 10, "corrupt compressed body"),
     ("br", b"\xff\xff\xffnot brotli at all", "corrupt brotli body"),
     ("compress", b"whatever", "unsupported content encoding 'compress'"),
     ("gzip, gzip, gzip, gzip", b"x", "4 stacked content encodings")],
)  # fmt: skip
def test_corrupt_or_unknown_encodings_fail_in_one_line(
    srv: HostileServer, encoding: str, body: bytes, error: str
) -> None:
    path = f"/corrupt-{len(error)}"
    srv.route(path, _encoded(body, encoding))
    result, _peak = _fetch(srv.url(path))
    assert (result.error_kind, result.body) == ("decode", b"")
    assert error in result.error and "\n" not in result.error


def test_plain_body_over_the_cap_without_a_length(srv: HostileServer) -> None:
    srv.route("/endless", Reply(body=lambda: (b"<p>" + b"x" * 65536 for _ in range(10_000))))
    result, peak = _fetch(srv.url("/endless"))
    assert result.error_kind == "oversize"
    assert peak < 8 * CAP


def test_truncating_policy_keeps_the_head_of_a_bomb(srv: HostileServer) -> None:
    srv.route("/trunc", _encoded(bomb(("gzip",), 64_000_000), "gzip"))
    policy = FetchPolicy(max_bytes=CAP, total_timeout=5.0, truncate=True)
    result, _peak = _fetch(srv.url("/trunc"), policy)
    assert (result.error_kind, result.truncated, len(result.body)) == ("", True, CAP)


def test_a_dripping_body_ends_at_the_total_deadline(srv: HostileServer) -> None:
    # one byte every 0.2 s never trips the read timeout (2 s); the deadline (1.5 s) ends it
    srv.route("/drip", Reply(body=b"<p>" + b"x" * 1000, drip=0.2, chunk=1))
    policy = FetchPolicy(max_bytes=CAP, total_timeout=1.5)
    result, _peak = _fetch(srv.url("/drip"), policy)
    assert result.error_kind == "deadline"
    assert result.error == "deadline: no whole answer within 1.5 s"


def test_dripping_headers_end_at_the_total_deadline(srv: HostileServer) -> None:
    def slow_headers(_path: str) -> Reply:
        cookies = tuple(("X-Pad", "y" * 10) for _ in range(200))
        return Reply(headers=cookies, body=b"x", drip=0.5)

    srv.route("/slowhead", slow_headers)
    policy = FetchPolicy(max_bytes=CAP, total_timeout=0.3)
    result, _peak = _fetch(srv.url("/slowhead"), policy)
    assert result.error_kind == "deadline"


def test_a_header_flood_is_a_protocol_error(srv: HostileServer) -> None:
    flood = tuple(("Set-Cookie", f"c{i}={'v' * 200}") for i in range(2000))  # ~420 KB of headers
    srv.route("/headerflood", Reply(headers=flood, body=b"x"))
    result, _peak = _fetch(srv.url("/headerflood"))
    assert result.error_kind == "protocol"
    assert "\n" not in result.error


def test_a_cookie_flood_keeps_the_jar_small(srv: HostileServer) -> None:
    def many_cookies(path: str) -> Reply:
        n = int(path.rsplit("/", 1)[1])
        cookies = tuple(("Set-Cookie", f"s{n}_{i}={'v' * 3000}; Path=/") for i in range(30))
        return Reply(headers=(("Content-Type", "text/html"), *cookies), body=b"<p>ok</p>")

    srv.route("/cookies/*", many_cookies)

    async def go() -> tuple[int, int]:
        async with make_client("test", connect=2, read=2, concurrency=2) as client:
            for n in range(40):
                result = await fetch(client, srv.url(f"/cookies/{n}"),
                                     policy=FetchPolicy(max_bytes=CAP), gate=_allow)  # fmt: skip
                assert result.error_kind == ""
            return len(client.cookies.jar), max(
                (len(h.headers.get("cookie", "")) for h in srv.hits("/cookies/")), default=0
            )

    kept, longest_cookie_header = asyncio.run(go())
    assert 0 < kept <= 50
    assert longest_cookie_header <= 50 * 4200


def test_an_httpx_decoding_error_cannot_escape(srv: HostileServer) -> None:
    """A corrupt body never raises out of fetch (httpx's DecodingError is not a TransportError)."""
    srv.route("/corrupt-deflate", _encoded(b"\x78\x9c" + b"\xff" * 50, "deflate"))
    result, _peak = _fetch(srv.url("/corrupt-deflate"))
    assert result.error_kind == "decode"
