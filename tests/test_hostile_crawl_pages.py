"""Hostile pages on a real local server: 100,000-deep DOMs, a million links, lying charsets, broken
UTF-8, NUL bytes — and one whole hostile crawl in a child process whose peak memory is measured
(decompression bombs of every encoding, the million-link page, the deep page)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corpus import SQLiteStore, Store
from crawler import CrawlSummary, crawl
from tests._crawl_helpers import settings_for
from tests._hostile_server import HostileServer, Reply, article, bomb, html

ROOT = Path(__file__).parents[1]
NESTED_BOMB = Path(__file__).parent / "data" / "bomb-gzip-gzip-4gib.bin"
TEXT = "Министерство сообщает о сотрудничестве регионов"


def _article_bytes(n: int, charset: str = "utf-8", wrap: int = 0) -> bytes:
    inner = article(n)
    page = f"<html><body>{'<div>' * wrap}{inner}<p>{TEXT}.</p>{'</div>' * wrap}</body></html>"
    return page.encode(charset)


def _reply(body: bytes, ctype: str = "text/html", encoding: str = "") -> Reply:
    headers = [("Content-Type", ctype)]
    if encoding:
        headers.append(("Content-Encoding", encoding))
    return Reply(headers=tuple(headers), body=body)


def _million_links() -> Iterator[bytes]:  # 19 MB
    yield b"<html><body><h1>Links</h1>"
    for start in range(0, 1_000_000, 10_000):
        yield "".join(f"<a href=/l/{i}.jpg>" for i in range(start, start + 10_000)).encode()
    yield b"</body></html>"


PAGES: dict[str, tuple[bytes, str]] = {
    "/deep": (_article_bytes(1, wrap=100_000), "text/html; charset=utf-8"),
    "/utf8-said-1251": (_article_bytes(2), "text/html; charset=windows-1251"),
    "/1251-said-koi8": (_article_bytes(3, "cp1251"), "text/html; charset=koi8-r"),
    "/1251-said-latin1": (_article_bytes(4, "cp1251"), "text/html; charset=iso-8859-1"),
    "/koi8-said-nothing": (_article_bytes(5, "koi8-r"), "text/html"),
    "/broken-utf8": (
        _article_bytes(6).replace("номер 6.".encode(), b"\xff\xfe\xc3 6."),
        "text/html; charset=utf-8",
    ),  # fmt: skip
    "/nul": (_article_bytes(7).replace("Второй".encode(), "Вто\0\0рой".encode()), "text/html"),
}


class Crawled:
    def __init__(self, srv: HostileServer, store: Store, summary: CrawlSummary) -> None:
        self.srv, self.store, self.summary = srv, store, summary

    def doc(self, path: str) -> Any:
        doc = self.store.find_document(self.srv.url(path))
        assert doc is not None
        return doc


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    data = tmp_path_factory.mktemp("pages")
    with HostileServer() as srv:
        links = "".join(f'<a href="{p}">{p}</a> ' for p in PAGES)
        srv.route("/", Reply(body=html(links)))
        for path, (body, ctype) in PAGES.items():
            srv.route(path, _reply(body, ctype))
        settings = settings_for(data, **{"politeness.max_bytes": 20_000_000})
        with SQLiteStore.open(data) as store:
            summary = crawl(store, settings, [srv.url("/")], progress=False)
            yield Crawled(srv, store, summary)


def test_text_inside_100000_nested_divs_is_kept(crawled: Crawled) -> None:
    doc = crawled.doc("/deep")
    assert doc.title == "Статья номер 1"
    assert TEXT in doc.body and "Второй абзац статьи 1" in doc.body


@pytest.mark.parametrize(
    ("path", "n"),
    [("/utf8-said-1251", 2), ("/1251-said-koi8", 3), ("/1251-said-latin1", 4),
     ("/koi8-said-nothing", 5)],
)  # fmt: skip
def test_lying_or_missing_charsets_give_the_real_text(crawled: Crawled, path: str, n: int) -> None:
    doc = crawled.doc(path)
    assert doc.title == f"Статья номер {n}"
    assert TEXT in doc.body


def test_broken_utf8_keeps_the_page_readable(crawled: Crawled) -> None:
    doc = crawled.doc("/broken-utf8")
    assert doc.title == "Статья номер 6"
    assert TEXT in doc.body and "\ufffd" in doc.body


def test_nul_bytes_are_dropped(crawled: Crawled) -> None:
    doc = crawled.doc("/nul")
    assert "Второй абзац статьи 7" in doc.body
    assert "\0" not in doc.body and "\ufffd" not in doc.body


def test_nothing_failed(crawled: Crawled) -> None:
    assert (crawled.summary.status, crawled.summary.failed) == ("ok", 0)
    assert crawled.summary.new == len(PAGES)


# -- one hostile crawl, memory measured ------------------------------------------------------

_GIB = 1 << 30


def _limit_memory() -> None:  # in the child: a regression fails there instead of eating the box
    resource.setrlimit(resource.RLIMIT_AS, (4 * _GIB, 4 * _GIB))


def test_a_hostile_crawl_stays_under_1_gb(tmp_path: Path) -> None:
    with HostileServer() as srv:
        srv.route("/nested", _reply(NESTED_BOMB.read_bytes(), encoding="gzip, gzip"))
        srv.route("/br", _reply(bomb(("br",), 100_000_000), encoding="br"))
        srv.route("/deflate-gzip", _reply(bomb(("deflate", "gzip"), 100_000_000),
                                          encoding="deflate, gzip"))  # fmt: skip
        srv.route("/links", Reply(body=_million_links))
        srv.route("/deep", _reply(_article_bytes(1, wrap=100_000)))
        srv.route("/art", _reply(_article_bytes(2)))
        paths = ["/nested", "/br", "/deflate-gzip", "/links", "/deep", "/art"]
        srv.route("/", Reply(body=html("".join(f'<a href="{p}">x</a>' for p in paths))))
        config = tmp_path / "vestnik.toml"
        config.write_text(
            f'data_dir = "{tmp_path / "data"}"\n[politeness]\ndelay = 0.0\nmax_bytes = 30000000\n'
            "total_timeout = 30.0\nretries = 0\n[crawler]\nconcurrency = 4\n",
            encoding="utf-8",
        )
        out, err = tmp_path / "out.txt", tmp_path / "err.txt"
        with out.open("wb") as fout, err.open("wb") as ferr:
            child = subprocess.Popen(
                [sys.executable, "-c", "import sys; from vestnik.cli import main; sys.exit(main())",
                 "-q", "crawl", "--config", str(config), srv.url("/")],
                cwd=ROOT, stdout=fout, stderr=ferr, preexec_fn=_limit_memory,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )  # fmt: skip
            _pid, status, usage = os.wait4(child.pid, 0)
            child.returncode = os.waitstatus_to_exitcode(status)
    stderr = err.read_text(encoding="utf-8")
    assert child.returncode == 0, stderr
    assert "Traceback" not in stderr
    peak_mb = usage.ru_maxrss / 1024
    print(f"hostile crawl peak RSS: {peak_mb:.0f} MB")
    assert peak_mb < 1024
    with SQLiteStore.open(tmp_path / "data") as store:
        titles = sorted(d.title for d in store.iter_documents(state=None))
        errors = [e["error"] for e in store.recent_errors(limit=100)]
    assert titles == ["Статья номер 1", "Статья номер 2"]
    assert sum("inflates past the cap of 30000000 bytes" in e for e in errors) == 3
    assert any("more than 10000 links" in e for e in errors), errors
    assert any("more than 250000 tags" in e for e in errors), errors
