"""URL normalization and scope: one spelling per page, and which URLs a crawl may touch.

>>> normalize_url("HTTP://WWW.Example.org:80/a/b/?utm_source=x&b=2&a=1#top")
'http://www.example.org/a/b?a=1&b=2'
"""

from __future__ import annotations

import functools
import ipaddress
import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

__all__ = [
    "MAX_URL_LENGTH",
    "TRACKING_PARAMS",
    "host_key",
    "is_private_host",
    "join_url",
    "normalize_url",
    "path_and_query",
    "site_name_for",
    "url_problem",
]

# Query parameters that never change what a page shows: dropped by ``normalize_url``.
TRACKING_PARAMS = frozenset(
    {
        "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id",
        "gclid", "yclid", "fbclid", "_openstat", "from", "ref", "sessid", "phpsessid",
        "sid", "clear_cache", "print",
    }
)  # fmt: skip
_DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_URL_LENGTH = 2048  # longer URLs are not requested (browsers and servers stop near here)
_BAD_HOST_CHARS = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`%]")
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"


def _clean_path(path: str, keep_slash: bool) -> str:
    path = quote(unquote(path), safe=_SAFE_PATH)
    if not path:
        return "/"
    if "/." in path:
        trailing = path.endswith("/")
        path = posixpath.normpath(path)
        path = path if not trailing or path.endswith("/") else path + "/"
        path = "/" + path.lstrip("/")
    if not keep_slash and len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path


@functools.lru_cache(maxsize=16384)
def normalize_url(url: str, *, keep_slash: bool = False) -> str:
    """The one spelling of ``url``: lower-case scheme and host, no default port, no fragment,
    no tracking parameters, sorted query, no trailing slash (except the root), percent-encoding
    unified. Non-HTTP URLs come back unchanged, and so does a URL that cannot be parsed (an
    unclosed IPv6 bracket); an invalid port is kept as written, so ``url_problem`` still sees it.

    ``keep_slash=True`` gives the form to request (servers differ on ``/a`` and ``/a/``); the
    default form is a document's identity."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # out of range or not a number: keep it visible
        netloc = f"{host}:{parts.netloc.rsplit(':', 1)[1]}"
    else:
        netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit(
        (scheme, netloc, _clean_path(parts.path, keep_slash), urlencode(sorted(query)), "")
    )


def url_problem(url: str, max_length: int = MAX_URL_LENGTH) -> str:
    """Why ``url`` cannot be requested ("" when it can): too long, unparseable, not http(s), no
    host, an invalid port.

    >>> url_problem("http://example.by:99999/a")
    'invalid port 99999'
    >>> url_problem("http://[::1/sitemap.xml")
    'malformed URL (Invalid IPv6 URL)'
    >>> url_problem("https://example.by/ru/news")
    ''
    """
    if len(url) > max_length:
        return f"URL longer than {max_length} characters ({len(url)})"
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"malformed URL ({exc})"
    try:
        port = parts.port
    except ValueError:
        return f"invalid port {parts.netloc.rsplit(':', 1)[-1][:20]}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"not a web URL (scheme {parts.scheme[:20]!r})" if parts.scheme else "not a web URL"
    if not parts.hostname:
        return "no host in the URL"
    if port == 0:
        return "invalid port 0"
    if _BAD_HOST_CHARS.search(parts.hostname):
        return "invalid characters in the host name"
    return ""


def join_url(base: str, href: str) -> str | None:
    """``href`` made absolute against ``base`` and normalized (request form, trailing slash
    kept); None for non-HTTP links."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    if href.startswith("/") and not href.startswith("//"):
        # root-relative: only the base's scheme and host matter (cached: sites repeat links)
        end = base.find("/", base.find("//") + 2) if "//" in base else -1
        return _join_root(base[:end] if end > 0 else base, href)
    return _join(base, href)


@functools.lru_cache(maxsize=16384)
def _join_root(origin: str, href: str) -> str | None:
    return _join(origin + "/", href)


def _join(base: str, href: str) -> str | None:
    try:
        absolute = urljoin(base, href)
    except ValueError:
        return None
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    return normalize_url(absolute, keep_slash=True)


def host_key(url: str) -> str:
    """``host`` or ``host:port`` of a normalized URL: the unit of scope and politeness ("" for a
    URL that cannot be parsed)."""
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def path_and_query(url: str) -> str:
    """The part of a URL that site patterns match: path, plus ``?query`` when there is one."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def site_name_for(url: str) -> str:
    """The generic site name of a start URL: host without ``www.`` (``host:port`` when a port
    is given)."""
    netloc = host_key(normalize_url(url))
    return re.sub(r"^www\.", "", netloc)


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local, unspecified and reserved IP literals (IPv4 inside
    IPv6 too: mapped, 6to4, Teredo) and ``localhost``."""
    if host.startswith("["):
        name = host[1 : host.find("]")].lower()
    else:
        name = (host.rsplit(":", 1)[0] if host.count(":") == 1 else host).lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        addr = ipaddress.ip_address(name)
    except ValueError:
        return False
    return _private_addr(addr)


def _private_addr(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(addr, ipaddress.IPv6Address):
        embedded = addr.ipv4_mapped or addr.sixtofour or (addr.teredo[1] if addr.teredo else None)
        if embedded is not None and _private_addr(embedded):
            return True
        if addr.is_site_local:
            return True
    return bool(
        addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_unspecified
        or addr.is_reserved or addr.is_multicast
    )  # fmt: skip
