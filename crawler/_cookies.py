"""A bounded cookie jar: a site may set cookies, not flood the crawler with them.

Some sites need a session cookie to serve their pages, so the crawl keeps cookies; but a site
that sets fresh cookies on every answer would grow the jar and every later request without end.
The jar keeps at most ``per_host`` cookies of one domain, ``total`` in all, none longer than
``max_size`` bytes (RFC 6265 asks for at least 50 per domain and 4096 bytes each); the rest are
dropped, with one log line per host.
"""

from __future__ import annotations

import logging
import urllib.request
from http.cookiejar import Cookie, CookieJar, DefaultCookiePolicy

__all__ = ["bounded_jar"]

log = logging.getLogger(__name__)


class _Bounded(DefaultCookiePolicy):
    def __init__(self, per_host: int, total: int, max_size: int) -> None:
        super().__init__()
        self.jar: CookieJar | None = None
        self._per_host, self._total, self._max_size = per_host, total, max_size
        self._told: set[str] = set()

    def set_ok(self, cookie: Cookie, request: urllib.request.Request) -> bool:
        if not super().set_ok(cookie, request):
            return False
        cookies = list(self.jar) if self.jar is not None else []
        if any(c.domain == cookie.domain and c.name == cookie.name and c.path == cookie.path
               for c in cookies):  # fmt: skip
            return len(cookie.name) + len(cookie.value or "") <= self._max_size  # a replacement
        same = sum(1 for c in cookies if c.domain == cookie.domain)
        too_big = len(cookie.name) + len(cookie.value or "") > self._max_size
        if too_big or same >= self._per_host or len(cookies) >= self._total:
            if cookie.domain not in self._told:
                self._told.add(cookie.domain)
                log.warning("%s: cookies past %d per host (or %d bytes each) are not kept",
                            cookie.domain, self._per_host, self._max_size)  # fmt: skip
            return False
        return True


def bounded_jar(per_host: int = 50, total: int = 1000, max_size: int = 4096) -> CookieJar:
    """A cookie jar that refuses cookies past the bounds."""
    policy = _Bounded(per_host, total, max_size)
    jar = CookieJar(policy)
    policy.jar = jar
    return jar
