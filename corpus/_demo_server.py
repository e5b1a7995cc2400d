"""Local HTTP server for the demo sites: one ThreadingHTTPServer per site plus an offsite trap."""

from __future__ import annotations

import argparse
import hashlib
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:  # the sources and pages are imported on first use: `import corpus` stays light
    from corpus._demo_gold import Site

FAULT_KINDS = (
    "500-then-200",
    "429",
    "slow",
    "reset",
    "redirect-loop",
    "redirect-offsite",
    "oversize",
    "wrong-type",
)
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@dataclass(frozen=True)
class Fault:
    """A misbehaviour of one path: see ``FAULT_KINDS``."""

    kind: str
    site: str = "mpt"
    times: int = 1  # 500-then-200, 429, reset: how many first requests misbehave
    seconds: float = 5.0  # slow: delay before the normal answer
    size: int = 20 * 1024 * 1024  # oversize: body bytes (chunked)
    content_type: str = "image/png"  # wrong-type

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {FAULT_KINDS}")


@dataclass(frozen=True)
class RequestRecord:
    """One request the demo servers answered (status 0: connection reset)."""

    site: str
    method: str
    path: str
    headers: dict[str, str]
    status: int
    time: float


@dataclass
class Reply:
    """An HTTP answer: status, body, content type, extra headers, Last-Modified."""

    status: int
    body: bytes = b""
    ctype: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    modified: datetime | None = None


def html_reply(
    status: int, text: str, modified: datetime | None = None, cp1251: bool = False
) -> Reply:
    """An HTML page, UTF-8 or windows-1251."""
    if cp1251:
        body = text.encode("cp1251", errors="xmlcharrefreplace")
        return Reply(status, body, "text/html; charset=windows-1251", modified=modified)
    return Reply(status, text.encode("utf-8"), modified=modified)


def redirect(location: str, status: int = 302) -> Reply:
    """A redirect without body."""
    return Reply(status, b"", headers=[("Location", location)])


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, addr: tuple[str, int], demo: DemoServer, site: str) -> None:
        self.demo, self.site = demo, site
        self.conns: set[socket.socket] = set()
        self.conns_lock = threading.Lock()
        super().__init__(addr, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: a demo server never prints tracebacks."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache/2.4.57"
    timeout = 60
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def version_string(self) -> str:
        return self.server_version

    def setup(self) -> None:
        super().setup()
        with self.server.conns_lock:
            self.server.conns.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            with self.server.conns_lock:
                self.server.conns.discard(self.connection)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _not_allowed(self) -> None:
        self.close_connection = True
        self._send(Reply(405, b"Method Not Allowed", "text/plain", [("Allow", "GET, HEAD")]), False)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    def _serve(self, head: bool) -> None:
        demo, site = self.server.demo, self.server.site
        try:
            length = (self.headers.get("Content-Length") or "0").strip()
            if length.isdigit() and 0 < int(length) <= 1 << 20:
                self.rfile.read(int(length))
            elif length != "0":
                self.close_connection = True  # a body we do not read: end the connection
            if self.path.startswith("/"):
                path, _, query = self.path.partition("#")[0].partition("?")
            else:  # absolute-form request target
                parts = urlsplit(self.path)
                path, query = parts.path or "/", parts.query
            fault = demo._fault(site, path)
            if fault is not None and self._fault(fault, path, query, head):
                return
            self._send(demo._response(site, path, parse_qs(query), fault is not None), head)
        except OSError:
            self.close_connection = True
        except Exception:
            self.close_connection = True
            try:
                self._send(Reply(500, b"Internal Server Error", "text/plain"), head)
            except OSError:
                pass

    def _fault(self, fault: Fault, path: str, query: str, head: bool) -> bool:
        demo, kind = self.server.demo, fault.kind
        first = demo._hit(self.server.site, path) <= fault.times
        if kind == "500-then-200" and first:
            self._send(
                html_reply(500, "<html><body><h1>Internal Server Error</h1></body></html>"), head
            )
        elif kind == "429" and first:
            resp = html_reply(429, "<html><body><h1>Too Many Requests</h1></body></html>")
            self._send(replace(resp, headers=[("Retry-After", "1")]), head)
        elif kind == "reset" and first:
            demo._record(self._record(0))
            linger = struct.pack("ii", 1, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            self.connection.close()
            self.close_connection = True
        elif kind == "redirect-loop":
            target = path if query else path + "?loop=1"
            self._send(redirect(demo.base_url(self.server.site) + target), head)
        elif kind == "redirect-offsite":
            self._send(redirect(demo.offsite_url + "/trap"), head)
        elif kind == "oversize":
            self._stream(fault.size, head)
        elif kind == "wrong-type":
            self._send(Reply(200, _PNG + bytes(range(256)) * 16, fault.content_type), head)
        else:
            if kind == "slow":
                demo._stopping.wait(fault.seconds)
            return False
        return True

    def _record(self, status: int) -> RequestRecord:
        headers = dict(self.headers.items())
        return RequestRecord(
            self.server.site, self.command, self.path, headers, status, time.time()
        )

    def _send(self, resp: Reply, head: bool) -> None:
        status, body = resp.status, resp.body
        headers = [("Content-Type", resp.ctype), *resp.headers]
        if status == 200 and body:
            etag = '"' + hashlib.sha1(body).hexdigest()[:24] + '"'
            validators = [("ETag", etag)]
            if resp.modified is not None:
                stamp = resp.modified.astimezone(UTC).replace(microsecond=0)
                validators.append(("Last-Modified", format_datetime(stamp, usegmt=True)))
            headers += validators
            if self._not_modified(etag, resp.modified):
                status, body, headers = 304, b"", validators
        self.server.demo._record(self._record(status))
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head and body:
            self.wfile.write(body)

    def _not_modified(self, etag: str, modified: datetime | None) -> bool:
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            return any(t.strip() in (etag, "*", "W/" + etag) for t in tags.split(","))
        since = self.headers.get("If-Modified-Since")
        if since is None or modified is None:
            return False
        try:
            stamp = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        return modified.replace(microsecond=0) <= stamp

    def _stream(self, size: int, head: bool) -> None:
        self.server.demo._record(self._record(200))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if head:
            return
        block = ("<p>" + "Очень длинная страница без конца. " * 40 + "</p>\n").encode()
        block = block * (65536 // len(block) + 1)
        first = b"<!DOCTYPE html><html><head><title>Big</title></head><body>"
        sent, stopping = 0, self.server.demo._stopping
        while sent < size and not stopping.is_set():
            part = (first + block)[: min(65536, size - sent)] if sent == 0 else block[: size - sent]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            sent += len(part)
        self.wfile.write(b"0\r\n\r\n")


class DemoServer:
    """The demo sites on 127.0.0.1: ``with DemoServer(state=1) as srv: srv.base_url("mpt")``.

    One server per site (plus "generated" when ``generated`` > 0) and an "offsite" trap whose
    hits are recorded too. ``set_state(2)`` switches content; ``set_faults`` adds misbehaving paths.
    """

    def __init__(
        self,
        state: int = 1,
        *,
        faults: Mapping[str, Fault] | None = None,
        generated: int = 0,
        ports: Mapping[str, int] | None = None,
        host: str = "127.0.0.1",
        removed_status: int = 404,
        sites: Mapping[str, Site] | None = None,
    ) -> None:
        from corpus._demo_gold import generated_site, load_sites

        self._sites = dict(sites) if sites is not None else load_sites()
        if generated > 0:
            self._sites["generated"] = generated_site(generated)
        self._host, self._ports, self.removed_status = host, dict(ports or {}), removed_status
        self._state = 1
        self.set_state(state)
        self._lock = threading.Lock()
        self._faults: dict[tuple[str, str], Fault] = {}
        self._hits: dict[tuple[str, str], int] = {}
        self._requests: list[RequestRecord] = []
        self._servers: dict[str, _Server] = {}
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._files: dict[tuple[str, str], tuple[bytes, str]] = {}
        self.set_faults(faults or {})

    # lifecycle

    def start(self) -> DemoServer:
        """Bind every server and serve in background threads."""
        if self._servers:
            return self
        self._stopping.clear()
        try:
            for name in [*self._sites, "offsite"]:
                srv = _Server((self._host, self._ports.get(name, 0)), self, name)
                self._servers[name] = srv
                thread = threading.Thread(
                    target=srv.serve_forever, args=(0.05,), name=f"demo-{name}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop serving and drop open connections."""
        self._stopping.set()
        for srv in self._servers.values():
            srv.shutdown()
            srv.server_close()
            with srv.conns_lock:
                for conn in list(srv.conns):
                    try:
                        conn.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
        for thread in self._threads:
            thread.join(timeout=2)
        self._servers, self._threads = {}, []

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # addresses

    @property
    def sites(self) -> list[str]:
        """Site names, e.g. ["mpt", "vitebsk"] (+ "generated")."""
        return list(self._sites)

    def site(self, name: str) -> Site:
        """The site's sources."""
        return self._sites[name]

    def base_url(self, site: str) -> str:
        """ "http://127.0.0.1:PORT" of a site (or "offsite")."""
        if site not in self._servers:
            raise KeyError(f"{site!r} is not served (started? one of {self.sites})")
        host = "127.0.0.1" if self._host in ("", "0.0.0.0") else self._host
        return f"http://{host}:{self._servers[site].server_address[1]}"

    def start_url(self, site: str) -> str:
        """The first news listing page of a site."""
        from corpus._demo_gold import listing_path

        return self.base_url(site) + listing_path(self._sites[site], "ru")

    def robots_txt(self, site: str) -> str:
        """The robots.txt a site serves."""
        from corpus import _demo_render as render

        return render.robots_txt(self._sites[site], self.base_url(site))

    @property
    def offsite_url(self) -> str:
        """Base URL of the offsite trap server."""
        return self.base_url("offsite")

    # state, faults, records

    @property
    def state(self) -> int:
        """The content state: 1 or 2."""
        return self._state

    def set_state(self, state: int) -> None:
        """Switch content: in state 2 one article changes, some vanish, some appear."""
        if state not in (1, 2):
            raise ValueError("state is 1 or 2")
        self._state = state

    @property
    def faults(self) -> dict[str, Fault]:
        """The fault paths by path."""
        return {path: f for (_, path), f in self._faults.items()}

    def set_faults(self, faults: Mapping[str, Fault]) -> None:
        """Replace the fault paths (and reset their hit counters)."""
        with self._lock:
            self._faults = {(f.site, path): f for path, f in faults.items()}
            self._hits = {}

    @staticmethod
    def standard_faults(site: str = "mpt", template: str = "mpt") -> dict[str, Fault]:
        """One fault of each kind at ids 9901..9908 (2024-01-01), e.g. /ru/news/01-01-2024-9901."""
        out: dict[str, Fault] = {}
        for n, kind in enumerate(FAULT_KINDS, start=9901):
            path = f"/ru/novosti/2024/{n}/" if template == "oblast" else f"/ru/news/01-01-2024-{n}"
            out[path] = Fault(kind, site=site, seconds=3.0)
        return out

    def set_file(self, site: str, path: str, body: bytes, content_type: str) -> None:
        """Serve ``body`` at ``path`` of ``site`` (tests: attachments made on the fly)."""
        with self._lock:
            self._files[(site, path)] = (body, content_type)

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request answered so far (all sites and offsite), in order."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self._requests.clear()

    def _record(self, rec: RequestRecord) -> None:
        with self._lock:
            self._requests.append(rec)

    def _fault(self, site: str, path: str) -> Fault | None:
        return self._faults.get((site, path))

    def _hit(self, site: str, path: str) -> int:
        with self._lock:
            self._hits[(site, path)] = n = self._hits.get((site, path), 0) + 1
            return n

    def _response(self, site: str, path: str, query: dict[str, list[str]], fault: bool) -> Reply:
        if site == "offsite":
            if path == "/robots.txt":
                return Reply(200, b"User-agent: *\nDisallow:\n", "text/plain; charset=utf-8")
            return html_reply(
                200, "<!DOCTYPE html><html><body><h1>Внешний ресурс</h1></body></html>"
            )
        with self._lock:
            served = self._files.get((site, path))
        if served is not None:
            return Reply(200, served[0], served[1])
        from corpus import _demo_render as render
        from corpus import _demo_routes as routes

        ctx = render.Ctx(self.base_url(site), self.offsite_url, self._state)
        extra = [
            (path, f"Объявление № {''.join(re.findall(r'[0-9]', path))[-4:]}")
            for (fsite, path) in self._faults
            if fsite == site
        ]
        router = routes.Router(self._sites[site], ctx, self.removed_status, extra)
        resp = router.route(path, query)
        return router.filler(path) if fault and resp.status == 404 else resp


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the demo sites until Ctrl-C."""
    from corpus._demo_gold import load_sites

    names = [*load_sites(), "generated", "offsite"]
    ap = argparse.ArgumentParser(prog="python -m corpus._demo_server", description=main.__doc__)
    ap.add_argument("--state", type=int, choices=(1, 2), default=1)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--generated", type=int, default=0, help="add N synthetic articles")
    ap.add_argument("--faults", action="store_true", help="serve the standard fault paths on mpt")
    for name in names:
        ap.add_argument(f"--port-{name}", type=int, default=0, metavar="N", dest=f"port_{name}")
    args = ap.parse_args(argv)
    ports = {n: getattr(args, f"port_{n}") for n in names}
    faults = DemoServer.standard_faults() if args.faults else None
    srv = DemoServer(
        args.state, faults=faults, generated=args.generated, ports=ports, host=args.host
    )
    with srv:
        for name in [*srv.sites, "offsite"]:
            start = srv.start_url(name) if name != "offsite" else srv.offsite_url
            print(f"{name:10} {start}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
