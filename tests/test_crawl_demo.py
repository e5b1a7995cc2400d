"""The crawler against the demo site on 127.0.0.1: gold articles, politeness, faults, incremental
re-crawls and SIGKILL-and-resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from protego import Protego

from corpus import SQLiteStore, Store
from corpus._demo_server import DemoServer, Fault
from crawler import CrawlSummary, crawl
from tests._crawl_helpers import (
    ATTACHMENT_GOLD,
    docs_by_path,
    expected_body,
    gold_of,
    mpt_profile,
    readable_files,
    settings_for,
)

ROOT = Path(__file__).parents[1]
FAULT_BASE = "/ru/news/01-01-2024-99"
SITES = ("mpt", "vitebsk", "agency")


class Crawled:
    """One crawl of the three demo sites, with faults on mpt."""

    def __init__(self, srv: DemoServer, store: Store, summary: CrawlSummary) -> None:
        self.srv, self.store, self.summary = srv, store, summary


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    data = tmp_path_factory.mktemp("crawl")
    faults = DemoServer.standard_faults()
    with DemoServer(state=1, faults=faults) as srv, SQLiteStore.open(data) as store:
        settings = settings_for(data, (mpt_profile(srv.base_url("mpt")),))
        starts = ["mpt", srv.start_url("vitebsk"), srv.start_url("agency")]
        summary = crawl(store, settings, starts, progress=False)
        yield Crawled(srv, store, summary)


def _gold_cases() -> list[tuple[str, str]]:
    return [
        (site, path)
        for site in SITES
        for path, g in gold_of(site).items()
        if g["special"] != "robots_target"
    ]


@pytest.mark.parametrize(("site", "path"), _gold_cases())
def test_gold_article_stored_once_exactly(crawled: Crawled, site: str, path: str) -> None:
    gold = gold_of(site)[path]
    docs = docs_by_path(crawled.store, crawled.srv.base_url(site)).get(path, [])
    assert len(docs) == 1
    doc = docs[0]
    assert (doc.title, doc.published, doc.lang) == (gold["title"], gold["published"], gold["lang"])
    assert doc.body == expected_body(site, gold["id"])


def test_no_document_outside_the_gold(crawled: Crawled) -> None:
    for site in SITES:
        paths = set(docs_by_path(crawled.store, crawled.srv.base_url(site)))
        known = set(gold_of(site)) | readable_files(site)  # attachments: test_attachments.py
        extra = {p for p in paths - known if not p.startswith(FAULT_BASE)}
        assert extra == set()


def test_aliases_are_one_document(crawled: Crawled) -> None:
    base = crawled.srv.base_url("mpt")
    requested = {r.path for r in crawled.srv.requests if r.site == "mpt"}
    via_alias = {
        path: gold["aliases"][0]
        for path, gold in gold_of("mpt").items()
        if gold["aliases"][0] in requested
    }
    assert len(via_alias) >= 5
    for path, alias in via_alias.items():
        doc = crawled.store.find_document(base + alias)
        assert doc is not None
        assert doc.url == base + path


def test_attachments_recorded(crawled: Crawled) -> None:
    specials = [g for g in gold_of("mpt").values() if g["special"] == "attachment"]
    base = crawled.srv.base_url("mpt")
    for gold in specials:
        doc = crawled.store.find_document(base + gold["canonical"])
        assert doc is not None
        art = crawled.srv.site("mpt").article(gold["id"])
        assert art is not None
        assert doc.attachments == tuple(base + a.href for a in art.attachments)


def test_robots_disallow_never_requested(crawled: Crawled) -> None:
    for site in SITES:
        robots = Protego.parse(crawled.srv.robots_txt(site) if hasattr(crawled.srv, "robots_txt")
                               else _robots(crawled.srv, site))  # fmt: skip
        base = crawled.srv.base_url(site)
        requested = [r.path for r in crawled.srv.requests if r.site == site]
        assert [p for p in requested if not robots.can_fetch(base + p, "vestnik")] == []


def _robots(srv: DemoServer, site: str) -> str:
    import httpx

    return httpx.get(srv.base_url(site) + "/robots.txt").text


def test_offsite_never_requested(crawled: Crawled) -> None:
    assert [r.path for r in crawled.srv.requests if r.site == "offsite"] == []


def _page_state(crawled: Crawled, kind: str) -> Any:
    n = 9901 + ["500-then-200", "429", "slow", "reset", "redirect-loop", "redirect-offsite",
                "oversize", "wrong-type"].index(kind)  # fmt: skip
    return crawled.store.get_page(f"{crawled.srv.base_url('mpt')}{FAULT_BASE}{n - 9900:02d}")


@pytest.mark.parametrize(
    ("kind", "state", "error"),
    [
        ("500-then-200", "ok", ""),
        ("429", "ok", ""),
        ("reset", "ok", ""),
        ("slow", "error", "timeout"),
        ("redirect-loop", "error", "redirect loop"),
        ("redirect-offsite", "error", "refused"),
        ("oversize", "error", "exceeds the cap"),
        ("wrong-type", "skipped", "content type"),
    ],
)
def test_fault_outcomes(crawled: Crawled, kind: str, state: str, error: str) -> None:
    page = _page_state(crawled, kind)
    assert page is not None
    assert page.state == state
    assert error in page.error


def test_failures_recorded_and_run_finished(crawled: Crawled) -> None:
    run = crawled.store.get_run(crawled.summary.run_id)
    assert run is not None
    assert run.status == "ok"
    assert run.counters["failed"] == crawled.summary.failed == 4
    unreadable = [a for a in ATTACHMENT_GOLD.values() if a["special"]]  # encrypted, corrupt
    assert crawled.summary.file_errors == len(unreadable)
    assert run.errors == 4 + len(unreadable)


def test_retry_after_honoured(crawled: Crawled) -> None:
    hits = [r for r in crawled.srv.requests if r.path == f"{FAULT_BASE}02"]
    assert [r.status for r in hits] == [429, 200]
    assert hits[1].time - hits[0].time >= 0.9


def test_recrawl_conditional_then_changes(tmp_path: Path) -> None:
    with DemoServer(state=1) as srv, SQLiteStore.open(tmp_path) as store:
        base = srv.base_url("mpt")
        # every known article re-checked, conditionally (not skipped on its unmoved sitemap lastmod)
        settings = settings_for(tmp_path, (mpt_profile(base),), **{"feeds.trust_lastmod": False})
        first = crawl(store, settings, ["mpt"], progress=False)
        assert first.new == len([g for g in gold_of("mpt").values()
                                 if g["special"] != "robots_target"])  # fmt: skip
        srv.clear_requests()
        again = crawl(store, settings, ["mpt"], progress=False)
        assert (again.new, again.changed, again.failed) == (0, 0, 0)
        articles = [r for r in srv.requests if "/news/" in r.path or "/node/" in r.path]
        assert articles != []
        assert [r.path for r in articles if "If-None-Match" not in r.headers] == []
        assert {r.status for r in articles} == {304}

        srv.set_state(2)
        third = crawl(store, settings, ["mpt"], progress=False)
        old, new = gold_of("mpt", 1), gold_of("mpt", 2)
        docs = docs_by_path(store, base)
        for path in set(new) - set(old):
            assert [d.state for d in docs[path]] == ["ok"]
        for path in set(old) - set(new):
            assert [d.state for d in docs[path]] == ["gone"]
        assert third.changed == 1
        assert third.gone == len(set(old) - set(new))
        versions = [d for ds in docs.values() for d in ds if d.version == 2]
        assert len(versions) == 1
        gid = next(g["id"] for p, g in new.items() if base + p == versions[0].url)
        assert versions[0].body == expected_body("mpt", gid, state=2)


def test_sigkill_then_resume(tmp_path: Path) -> None:
    with DemoServer(state=1) as srv:
        base = srv.base_url("mpt")
        profile = mpt_profile(base)
        config = tmp_path / "vestnik.toml"
        lines = ["[politeness]", "per_host_concurrency = 2", "read_timeout = 2.0", "", "[[sites]]"]
        for key, value in profile.items():
            if not key.startswith("_") and key not in ("delay", "concurrency"):
                lines.append(f"{key} = {_toml(value)}")
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        data = tmp_path / "data"
        cmd = [sys.executable, "-m", "vestnik.cli", "-q", "crawl", "mpt", "--config", str(config),
               "--data", str(data), "--delay", "0.03", "--concurrency", "2"]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            if (data / "corpus.sqlite").exists():
                with SQLiteStore.open(data) as store:
                    if store.count_documents() >= 15:
                        break
            time.sleep(0.1)
        assert proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.communicate()
        with SQLiteStore.open(data) as store:
            assert store.frontier.pending("mpt").pending > 0
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        with SQLiteStore.open(data) as store:
            docs = docs_by_path(store, base)
            expected = {p for p, g in gold_of("mpt").items() if g["special"] != "robots_target"}
            assert {p: len(docs.get(p, [])) for p in expected} == dict.fromkeys(expected, 1)
            assert set(docs) == expected | readable_files("mpt")
            runs = store.recent_runs(kind="crawl")
            assert [r.status for r in runs] == ["ok", "interrupted"]


def _toml(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return "'" + value + "'"
    return str(value).lower() if isinstance(value, bool) else str(value)


def test_failing_page_does_not_stop_the_crawl(tmp_path: Path) -> None:
    victim = next(p for p, g in gold_of("vitebsk").items() if g["special"] == "")
    faults = {victim: Fault("500-then-200", site="vitebsk", times=100)}
    with DemoServer(state=1, faults=faults) as srv, SQLiteStore.open(tmp_path) as store:
        settings = settings_for(tmp_path, (), **{"politeness.retries": 1})
        summary = crawl(store, settings, [srv.start_url("vitebsk")], progress=False)
        assert summary.failed == 1
        assert summary.new == len(gold_of("vitebsk")) - 1
        errors = store.recent_errors(run_id=summary.run_id)
        assert [(e["url"], e["error"]) for e in errors] == [(srv.base_url("vitebsk") + victim,
                                                             "HTTP 500")]  # fmt: skip
