"""Extraction at the edges: markup that lxml alone would swallow, plain text, sitemaps at the root."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.records import DocumentDraft
from corpus import DemoServer, SQLiteStore
from crawler import extract_page
from tests._net import free_port
from vestnik.cli import main

BODY = "<p>Между Беларусью и Псковской областью действует 12 соглашений о сотрудничестве.</p>"


@pytest.mark.parametrize(
    "html",
    [
        # an unclosed <title> makes lxml read the whole page as the title's text
        f"<html><head><title>Новости</head><body><h1>Заголовок</h1>{BODY}</body></html>",
        # an unclosed <textarea> in a comment form above the article
        f"<html><body><form><textarea></form><h1>Заголовок</h1>{BODY}</body></html>",
    ],
)
def test_swallowed_markup_is_repaired(html: str) -> None:
    page = extract_page(html.encode(), "https://e.by/ru/news/1", "text/html; charset=utf-8")
    assert page.title == "Заголовок"
    assert "12 соглашений" in page.body and "<p>" not in page.body


def test_plain_text_page() -> None:
    raw = "Заголовок новости\n\nПервый абзац\nпродолжение.\n\nВторой абзац.\n".encode("cp1251")
    page = extract_page(raw, "file:///tmp/n.txt", "text/plain; charset=windows-1251")
    assert page.title == "Заголовок новости"
    assert page.body == "Первый абзац продолжение.\n\nВторой абзац."
    assert page.lang == "ru"


def test_extract_command_reads_text_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "n.txt"
    path.write_text("Заголовок\n\n" + BODY[3:-4] + "\n", encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["title"] == "Заголовок" and doc["regions"] == ["Псковская область"]
    assert [(f["fact_type"], f["value"], f["object"]) for f in doc["facts"]] == [
        ("agreement_count", "12", "соглашение")
    ]


def test_generic_crawl_reads_the_root_sitemap(tmp_path: Path) -> None:
    with DemoServer() as srv:
        start = srv.start_url("vitebsk")  # /ru/novosti/: the sitemap lies outside that path
        assert main(["-q", "crawl", start, "--data", str(tmp_path), "--delay", "0"]) == 0
        hits = [r for r in srv.requests if r.site == "vitebsk" and r.path == "/sitemap.xml"]
        sitemap = srv.base_url("vitebsk") + "/sitemap.xml"
    assert [r.status for r in hits] == [200]
    with SQLiteStore.open(tmp_path) as store:
        page = store.get_page(sitemap)
        assert page is not None and page.state == "ok"


def test_unreachable_host_is_given_up_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cfg = tmp_path / "v.toml"
    cfg.write_text("[politeness]\ndelay = 0\nretries = 3\nbackoff = 0.05\n")
    with SQLiteStore.open(tmp_path / "d") as store:  # known articles are re-checked by every crawl
        for n in range(5):
            store.save_document(
                DocumentDraft(
                    url=f"{base}/ru/news/{n}", site=f"127.0.0.1:{port}", title=f"T{n}", body="B"
                )
            )
    rc = main(["crawl", f"{base}/ru/news", "--config", str(cfg), "--data", str(tmp_path / "d")])
    assert rc == 1
    with SQLiteStore.open(tmp_path / "d") as store:
        errors = [e["error"] for e in store.recent_errors()]
        pages = list(store.iter_pages())
        assert store.count_documents() == 5  # an unreachable site takes nothing away
    assert sum("unreachable" in e for e in errors) == 1
    # after the host was found down, the remaining URLs failed without further requests
    assert any(p.error.startswith(f"host 127.0.0.1:{port} unreachable") for p in pages)
