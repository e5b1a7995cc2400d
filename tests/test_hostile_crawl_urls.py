"""Hostile URLs and robots.txt on a real local server: links and redirects to loopback, private,
link-local and IPv6-local addresses (literals and names that resolve to them), invalid ports,
unclosed IPv6 brackets, 10,000-character URLs, other schemes; Crawl-delay: 86400; huge and
garbage robots.txt. Each is refused or ignored with one recorded line; the crawl goes on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus import SQLiteStore, Store
from crawler import CrawlSummary, crawl
from tests._crawl_helpers import settings_for
from tests._hostile_server import HostileServer, Reply, article, html
from vestnik.cli import main

LONG = "/long?q=" + "a" * 10_000


def _robots(text: str | bytes) -> Reply:
    body = text.encode() if isinstance(text, str) else text
    return Reply(headers=(("Content-Type", "text/plain"),), body=body)


def _page(links: list[str]) -> Reply:
    return Reply(body=html(" ".join(f'<a href="{u}">ссылка</a>' for u in links)))


def _redirect(location: str) -> Reply:
    return Reply(302, headers=(("Location", location),))


class Site:
    def __init__(self, srv: HostileServer, store: Store, summary: CrawlSummary) -> None:
        self.srv, self.store, self.summary = srv, store, summary

    def errors(self) -> list[str]:
        return [e["error"] for e in self.store.recent_errors(limit=1000)]

    def page_error(self, path: str) -> str:
        page = self.store.get_page(self.srv.url(path))
        assert page is not None
        return f"{page.state}: {page.error}"


def _crawl(tmp: Path, srv: HostileServer, hosts: list[str] | None = None, **extra: Any) -> Site:
    sites: tuple[dict[str, Any], ...] = ()
    if hosts:
        sites = ({"name": "hostile", "hosts": hosts, "start_urls": [srv.url("/")],
                  "_origin": "test"},)  # fmt: skip
    store = SQLiteStore.open(tmp)
    summary = crawl(store, settings_for(tmp, sites, **extra), [srv.url("/")], progress=False)
    return Site(srv, store, summary)


# -- links and redirects to places a crawl must not go ---------------------------------------

NAMES = ["localhost", "127.1", "2130706433", "0x7f.0.0.1", "[::1]", "[::ffff:127.0.0.1]"]


@pytest.fixture(scope="module")
def links_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with HostileServer() as srv:
        port = srv.port
        private = [f"http://{name}:{port}/x" for name in NAMES]
        links = [
            "data:text/html,<p>x</p>", "javascript:alert(1)", " JaVaScRiPt:alert(2)",
            "java\tscript:alert(3)", "file:///etc/passwd", "ftp://127.0.0.1/x", "mailto:a@b.by",
            "vbscript:msgbox", "about:blank", "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/", "http://10.0.0.1/", "http://127.0.0.1:99999/x",
            "http://127.0.0.1:0/x", "http://[::1/x", LONG, *private,
            "/art/1", "/redir/private", "/redir/meta", "/redir/port", "/redir/bracket",
            "/redir/long", "/redir/zero",
        ]  # fmt: skip
        srv.route("/", _page(links))
        srv.route("/art/*", lambda p: Reply(body=html(article(int(p.rsplit("/", 1)[1])))))
        srv.route("/x", Reply(body=html(article(99))))
        srv.route("/redir/private", _redirect(f"http://localhost:{port}/x"))
        srv.route("/redir/meta", _redirect("http://169.254.169.254/latest/meta-data/"))
        srv.route("/redir/port", _redirect("http://127.0.0.1:99999/x"))
        srv.route("/redir/zero", _redirect("http://127.0.0.1:0/x"))
        srv.route("/redir/bracket", _redirect("http://[::1/x"))
        srv.route("/redir/long", _redirect(LONG))
        hosts = [f"127.0.0.1:{port}", *(f"{name}:{port}" for name in NAMES)]
        site = _crawl(tmp_path_factory.mktemp("links"), srv, hosts)
        with site.store:
            yield site


def test_only_the_start_host_is_ever_asked(links_site: Site) -> None:
    assert links_site.summary.status == "ok"
    asked = {h.headers.get("host") for h in links_site.srv.requests}
    assert asked == {f"127.0.0.1:{links_site.srv.port}"}
    assert not [h for h in links_site.srv.requests if h.path.startswith(("/x", "/long"))]


def test_the_real_article_is_stored(links_site: Site) -> None:
    titles = [d.title for d in links_site.store.iter_documents(state=None)]
    assert titles == ["Статья номер 1"]


@pytest.mark.parametrize("name", NAMES)
def test_names_of_private_addresses_are_refused(links_site: Site, name: str) -> None:
    url = f"http://{name}:{links_site.srv.port}/x"
    page = links_site.store.get_page(url)
    assert page is not None
    assert (page.state, page.error) == (
        "skipped",
        f"host {name}:{links_site.srv.port} is a private address",
    )


@pytest.mark.parametrize(
    ("path", "error"),
    [("/redir/private", "is a private address"),
     ("/redir/meta", "refused: outside the scope of site hostile"),
     ("/redir/port", "refused: invalid port 99999"), ("/redir/zero", "refused: invalid port 0"),
     ("/redir/bracket", "refused: Invalid URL in location header"),
     ("/redir/long", "refused: URL longer than 2048 characters")],
)  # fmt: skip
def test_redirects_out_of_bounds_are_refused(links_site: Site, path: str, error: str) -> None:
    text = links_site.page_error(path)
    assert text.startswith("error: redirect ") and error in text
    assert len(text) < 400


@pytest.mark.parametrize(
    "problem",
    ["link not followed: invalid port N", "link not followed: URL longer than N characters (N)"],
)
def test_bad_links_are_recorded_once(links_site: Site, problem: str) -> None:
    import re

    rows = [e for e in links_site.errors() if re.sub(r"\d+", "N", e).startswith(problem)]
    assert len(rows) == 1
    assert rows[0].endswith("further such URLs of site hostile are only counted")


def test_no_other_scheme_reaches_the_store(links_site: Site) -> None:
    urls = [p.url for p in links_site.store.iter_pages()]
    assert urls and all(u.startswith("http://") for u in urls)


# -- robots.txt and sitemaps -------------------------------------------------------------------


def test_crawl_delay_is_capped_and_bad_sitemap_urls_are_one_line_each(tmp_path: Path) -> None:
    with HostileServer() as srv:
        srv.route("/robots.txt", _robots(
            "User-agent: *\nCrawl-delay: 86400\nDisallow: /private\n"
            f"Sitemap: http://[::1/sitemap.xml\nSitemap: {srv.url('/sitemap.xml')}\n"
        ))  # fmt: skip
        locs = ["http://[::1/a", "http://127.0.0.1:99999/a", srv.url(LONG), srv.url("/art/2"),
                srv.url("/private/3")]  # fmt: skip
        srv.route("/sitemap.xml", Reply(
            headers=(("Content-Type", "application/xml"),),
            body=("<urlset>" + "".join(f"<url><loc>{u}</loc></url>" for u in locs)
                  + "</urlset>").encode(),
        ))  # fmt: skip
        srv.route("/", _page(["/art/1"]))
        srv.route("/art/*", lambda p: Reply(body=html(article(int(p.rsplit("/", 1)[1])))))
        site = _crawl(tmp_path, srv, **{"politeness.max_crawl_delay": 0.05})
        with site.store:
            errors = site.errors()
            titles = sorted(d.title for d in site.store.iter_documents(state=None))
    assert site.summary.status == "ok"
    assert titles == ["Статья номер 1", "Статья номер 2"]
    assert "robots.txt asks Crawl-delay 86400 s; capped at 0.05 s" in errors
    assert any(e.startswith("robots.txt Sitemap line not read: malformed URL") for e in errors)
    for problem in ("malformed URL", "invalid port 99999", "URL longer than 2048"):
        assert len([e for e in errors if e.startswith(f"sitemap URL not followed: {problem}")]) == 1
    assert not srv.hits("/private")


def test_a_huge_robots_txt_is_read_up_to_its_cap(tmp_path: Path) -> None:
    with HostileServer() as srv:
        padding = "".join(f"# comment line {i:07d} of a robots file\n" for i in range(40_000))
        srv.route("/robots.txt", _robots(
            f"User-agent: *\nDisallow: /early\n{padding}Disallow: /late\n"
        ))  # fmt: skip
        srv.route("/", _page(["/early/1", "/late/2"]))
        srv.route("/early/*", Reply(body=html(article(1))))
        srv.route("/late/*", Reply(body=html(article(2))))
        site = _crawl(tmp_path, srv)
        with site.store:
            errors = site.errors()
    assert len(padding) > 1_500_000
    assert not srv.hits("/early")
    assert len(srv.hits("/late")) == 1  # the rule past the cap is not read
    assert "robots.txt longer than 500000 bytes: the rest ignored" in errors


@pytest.mark.parametrize(
    "body",
    [
        os.urandom(200_000),
        b"\0" * 100_000,
        b"User-agent: *\nDisallow: /" + b"*a" * 5000 + b"\n",
        ("User-agent: *\n" + "Disallow: /\u202e\ufeff\n" * 1000).encode(),
    ],
    ids=["random", "nul", "wildcards", "bidi"],
)
def test_garbage_robots_txt_does_not_stop_the_crawl(tmp_path: Path, body: bytes) -> None:
    with HostileServer() as srv:
        srv.route("/robots.txt", _robots(body))
        srv.route("/", _page(["/art/1"]))
        srv.route("/art/*", Reply(body=html(article(1))))
        site = _crawl(tmp_path, srv)
        with site.store:
            docs = site.store.count_documents()
    assert site.summary.status == "ok"
    assert docs == 1


# -- start URLs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [("http://127.0.0.1:99999/", "invalid port 99999"), ("http://127.0.0.1:0/", "invalid port 0"),
     ("http://[::1/news", "malformed URL (Invalid IPv6 URL)"),
     ("http://127.0.0.1/" + "a" * 10_000, "URL longer than 2048 characters (10017)")],
)  # fmt: skip
def test_a_bad_start_url_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, message: str
) -> None:
    code = main(["-q", "crawl", url, "--data", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and message in err and err.startswith("vestnik: error: start URL")
