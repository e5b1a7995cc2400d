"""``vestnik crawl`` and ``vestnik ingest`` through the CLI: output, stored documents, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corpus import SQLiteStore
from corpus._demo_server import DemoServer
from tests._crawl_helpers import gold_of, readable_files
from vestnik.cli import main

ROOT = Path(__file__).parents[1]


def test_crawl_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with DemoServer(state=1) as srv:
        code = main(["-q", "crawl", srv.start_url("vitebsk"), "--data", str(tmp_path),
                     "--delay", "0", "--concurrency", "8"])  # fmt: skip
        out = capsys.readouterr().out
        assert code == 0
        assert f"new {len(gold_of('vitebsk'))}," in out
        # a second run with no targets re-crawls the sites the store knows
        assert main(["-q", "crawl", "--data", str(tmp_path), "--delay", "0"]) == 0
        assert "new 0," in capsys.readouterr().out
    with SQLiteStore.open(tmp_path) as store:
        files = readable_files("vitebsk")  # attachments are documents too
        assert store.count_documents() == len(gold_of("vitebsk")) + len(files)
        runs = store.recent_runs(kind="crawl")
        assert [r.status for r in runs] == ["ok", "ok"]


def test_update_without_config_keeps_named_sites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sites named by [[sites]] tables (as ``vestnik demo`` writes them) are re-crawled by
    ``vestnik update`` with no config under the same names, conditionally."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VESTNIK_CONFIG", raising=False)
    data = tmp_path / "data"
    with DemoServer(state=1) as srv:
        config = tmp_path / "sites.toml"
        config.write_text(
            "".join(
                f'[[sites]]\nname = "{name}"\nstart_urls = ["{srv.start_url(name)}"]\n'
                "delay = 0.0\nconcurrency = 8\n\n"
                for name in ("mpt", "vitebsk")
            ),
            encoding="utf-8",
        )
        args = ["--data", str(data), "--delay", "0"]
        assert main(["-q", "crawl", "mpt", "vitebsk", "--config", str(config), *args]) == 0
        capsys.readouterr()
        with SQLiteStore.open(data) as store:
            before = {(d.site, d.url) for d in store.iter_documents()}
        stored = {(r.site, r.path) for r in srv.requests if r.status == 200}
        srv.clear_requests()
        assert main(["-q", "update", "--data", str(data)]) == 0
        # what the first crawl fetched is asked for again conditionally (feeds, sitemaps and
        # listings first; known articles whose sitemap lastmod held are not asked for at all);
        # the first request of each: a redirect's target is asked for again plainly
        firsts: dict[tuple[str, str], Any] = {}
        for r in srv.requests:
            firsts.setdefault((r.site, r.path), r)
        pages = [r for key, r in firsts.items() if key in stored and r.path != "/robots.txt"]
    with SQLiteStore.open(data) as store:
        after = {(d.site, d.url) for d in store.iter_documents()}
        assert after == before
        assert {site for site, _ in after} == {"mpt", "vitebsk"}
        assert store.recent_runs(kind="crawl")[0].counters["new"] == 0
    conditional = [r for r in pages if "If-None-Match" in r.headers or
                   "if-none-match" in {k.lower() for k in r.headers}]  # fmt: skip
    assert pages and len(conditional) == len(pages)


def test_crawl_errors_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["crawl", "--data", str(tmp_path)]) == 1
    assert "nothing to crawl" in capsys.readouterr().err
    assert main(["crawl", "no-such-site", "--data", str(tmp_path)]) == 1
    assert "unknown site 'no-such-site'" in capsys.readouterr().err


def test_ingest_files_and_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Визит делегации\n\nПервый абзац\nпродолжается.\n\nВторой абзац.\n", encoding="utf-8"
    )
    html = ("<html><head><meta charset=windows-1251></head><body><h1>Соглашение подписано</h1>"
            "<p>" + "Курская область и Гомельская область подписали соглашение. " * 5 + "</p>"
            "</body></html>")  # fmt: skip
    (folder / "b.html").write_bytes(html.encode("cp1251"))
    (folder / "skip.pdf").write_bytes(b"%PDF")
    data = tmp_path / "data"
    assert main(["ingest", str(folder), "--data", str(data)]) == 0
    out = capsys.readouterr().out  # skip.pdf is read too (issue 13): a broken PDF, one failure
    assert "files 3, new 2," in out and "failed 1" in out
    with SQLiteStore.open(data) as store:
        docs = {Path(d.url).name: d for d in store.iter_documents(site="local")}
    assert docs["a.txt"].title == "Визит делегации"
    assert docs["a.txt"].body == "Первый абзац продолжается.\n\nВторой абзац."
    assert docs["a.txt"].url == (folder / "a.txt").resolve().as_uri()
    assert docs["b.html"].title == "Соглашение подписано"
    assert docs["b.html"].body.startswith("Курская область и Гомельская")
    assert main(["ingest", str(folder / "a.txt"), "--data", str(data)]) == 0
    assert "unchanged 1" in capsys.readouterr().out


def test_ingest_missing_path_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(tmp_path / "nope"), "--data", str(tmp_path)]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_exit_codes_as_a_subprocess(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(*args: str) -> int:
        cmd = [sys.executable, "-m", "vestnik.cli", *args]
        return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=60).returncode

    assert run("crawl", "--data", str(tmp_path), "--delay", "soon") == 2
    assert run("ingest", "--data", str(tmp_path)) == 2
    assert run("crawl", "--data", str(tmp_path)) == 1
