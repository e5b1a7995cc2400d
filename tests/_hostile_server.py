"""A hostile web site on 127.0.0.1 for the crawler's hostile tests: a real HTTP/1.1 server (one
thread per connection, raw sockets) whose answers are whatever a test wants, including what no
honest server sends — bodies that inflate a thousandfold, bodies that drip a byte at a time,
endless redirects, lying headers, floods of cookies.

Use: ``with HostileServer() as srv: srv.route("/", Reply(body=...)); crawl(..., [srv.url("/")])``.
Routes are exact paths (with query) or prefixes ending in ``*``; a route is a ``Reply`` or a
function of the request path giving one. Every request is logged (``requests``) with its time.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType

__all__ = ["Hit", "HostileServer", "Reply", "article", "bomb", "html"]

Body = bytes | Callable[[], Iterable[bytes]]


@dataclass(frozen=True)
class Reply:
    """One answer. A callable ``body`` is streamed (chunked) as it yields; ``drip`` waits that
    many seconds before each chunk of ``chunk`` bytes."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    body: Body = b""
    drip: float = 0.0
    chunk: int = 65536


@dataclass(frozen=True)
class Hit:
    """One request the server saw."""

    at: float
    path: str
    headers: dict[str, str] = field(default_factory=dict)


Route = Reply | Callable[[str], Reply]


def html(body: str, *, title: str = "", charset: str = "utf-8") -> bytes:
    """A small HTML page."""
    head = f"<title>{title}</title>" if title else ""
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode(
        charset, "xmlcharrefreplace"
    )


def article(n: int, links: Iterable[str] = ()) -> str:
    """An article page (a title and enough text to count as one), linking ``links``."""
    words = " ".join(f"слово{n}_{i}" for i in range(40))
    anchors = "".join(f'<a href="{u}">ссылка</a> ' for u in links)
    return (
        f"<h1>Статья номер {n}</h1><p>Министерство сообщает о сотрудничестве, "
        f"номер {n}. {words}.</p><p>Второй абзац статьи {n}, достаточно длинный для текста.</p>"
        f"<div class=links>{anchors}</div>"
    )


def bomb(layers: tuple[str, ...], inflated: int) -> bytes:
    """``inflated`` zero bytes packed by each encoding of ``layers`` in turn (gzip, deflate,
    br), built a megabyte at a time so the test itself stays small."""
    payload = _zeros_gzip(inflated) if layers[0] == "gzip" else _pack(layers[0], inflated)
    for name in layers[1:]:
        payload = _pack_bytes(name, payload)
    return payload


def _zeros_gzip(size: int) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = b"\0" * 1_048_576
    parts = [comp.compress(block) for _ in range(size // len(block))]
    parts.append(comp.flush())
    return b"".join(parts)


def _pack(name: str, size: int) -> bytes:
    if name == "deflate":
        comp = zlib.compressobj(9)
        block = b"\0" * 1_048_576
        return b"".join([*(comp.compress(block) for _ in range(size // len(block))), comp.flush()])
    if name == "br":
        import brotli

        return bytes(brotli.compress(b"\0" * size, quality=5))
    raise ValueError(name)


def _pack_bytes(name: str, data: bytes) -> bytes:
    if name == "gzip":
        return gzip.compress(data, 9)
    if name == "deflate":
        return zlib.compress(data, 9)
    import brotli

    return bytes(brotli.compress(data))


class _Handler(socketserver.BaseRequestHandler):
    server: _TCPServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(30)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 1_000_000:
                got = sock.recv(65536)
                if not got:
                    return
                data += got
            head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            line, *rest = head.split("\r\n")
            path = line.split(" ")[1] if line.count(" ") >= 2 else "/"
            headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in rest)}
            owner = self.server.owner
            owner.log(Hit(time.time(), path, headers))
            _send(sock, owner.reply_for(path))
        except OSError:
            pass


def _send(sock: socket.socket, reply: Reply) -> None:
    reason = {200: "OK", 301: "Moved", 302: "Found", 404: "Not Found"}.get(reply.status, "X")
    lines = [f"HTTP/1.1 {reply.status} {reason}", *(f"{k}: {v}" for k, v in reply.headers)]
    lines.append("Connection: close")
    streamed = callable(reply.body)
    if streamed:
        lines.append("Transfer-Encoding: chunked")
    elif not any(k.lower() == "content-length" for k, _ in reply.headers):
        lines.append(f"Content-Length: {len(reply.body)}")  # type: ignore[arg-type]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    chunks: Iterable[bytes]
    if callable(reply.body):
        chunks = reply.body()
    else:
        body = reply.body
        chunks = (body[i : i + reply.chunk] for i in range(0, len(body), reply.chunk))
    for chunk in chunks:
        if reply.drip:
            time.sleep(reply.drip)
        if streamed:
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        else:
            sock.sendall(chunk)
    if streamed:
        sock.sendall(b"0\r\n\r\n")


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: HostileServer


class HostileServer:
    """A server on ``127.0.0.1`` (``host`` to bind elsewhere) with routes set by the test."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._routes: dict[str, Route] = {}
        self._prefixes: list[tuple[str, Route]] = []
        self._lock = threading.Lock()
        self.requests: list[Hit] = []
        self._server = _TCPServer((host, 0), _Handler)
        self._server.owner = self
        self.port = int(self._server.server_address[1])
        self.host = host
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        """The absolute URL of ``path``."""
        return self.base + path

    def route(self, path: str, reply: Route) -> None:
        """Answer ``path`` (exact, with query; or a prefix ending in ``*``) with ``reply``."""
        if path.endswith("*"):
            self._prefixes.append((path[:-1], reply))
            self._prefixes.sort(key=lambda p: -len(p[0]))
        else:
            self._routes[path] = reply

    def log(self, hit: Hit) -> None:
        with self._lock:
            self.requests.append(hit)

    def hits(self, prefix: str) -> list[Hit]:
        """Requests whose path starts with ``prefix``."""
        with self._lock:
            return [h for h in self.requests if h.path.startswith(prefix)]

    def reply_for(self, path: str) -> Reply:
        route = self._routes.get(path)
        if route is None:
            route = next((r for p, r in self._prefixes if path.startswith(p)), None)
        if route is None:
            return Reply(404, body=b"not here")
        return route(path) if callable(route) else route
