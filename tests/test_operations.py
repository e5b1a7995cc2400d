"""Operating vestnik against the demo server: updates, site state changes, schedule, the update lock."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus import DemoServer, SQLiteStore
from ops import read_update_status, update_lock, update_running
from tests._net import free_port
from vestnik.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "corpus" / "demo_site" / "gold.json").read_text(encoding="utf-8"))


def _config(path: Path, server: DemoServer, delay: float = 0.0) -> Path:
    lines = [f"[politeness]\ndelay = {delay}\nper_host_concurrency = 4\n"]
    for name in ("mpt", "vitebsk", "agency"):
        lines.append(f'[[sites]]\nname = "{name}"\nstart_urls = ["{server.start_url(name)}"]\n')
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(state=1) as srv:
        yield srv


def _search_urls(data: Path, query: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert main(["search", query, "--data", str(data), "--json", "--limit", "100"]) == 0
    return [hit["url"] for hit in json.loads(capsys.readouterr().out)]


def _article(key_pred: str) -> dict[str, object]:
    return next(a for a in GOLD["articles"].values() if a[key_pred])  # type: ignore[index]


def test_updates_follow_the_site(
    server: DemoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.set_state(1)
    data = tmp_path / "data"
    cfg = _config(tmp_path / "vestnik.toml", server)
    base = ["--config", str(cfg), "--data", str(data)]
    assert main(["update", *base]) == 0
    with SQLiteStore.open(data) as store:
        first_seq = store.max_seq()
        docs_before = store.count_documents()
    # every article of state 1 but the one robots.txt disallows
    in_state_1 = [
        a for a in GOLD["articles"].values() if 1 in a["states"] and a["special"] != "robots_target"
    ]
    files = [a for a in GOLD["attachments"].values() if not a["special"]]  # readable attachments
    assert docs_before == len(in_state_1) + len(files)

    # the second update reads the feeds and sitemaps first: no lastmod moved, so no article is
    # fetched again (any request is conditional) and nothing changes
    server.clear_requests()
    assert main(["update", *base]) == 0
    article = re.compile(
        r"^/(ru|be|en)/(news|node)/\d|^/ru/novosti/\d{4}/\d+/$|^/news/\d{4}/\d\d/\d\d/\d+\.html$"
    )
    article_gets = [r for r in server.requests if r.method == "GET" and article.match(r.path)]
    assert article_gets == []
    assert [r.path for r in server.requests if r.path.endswith(("rss.xml", "sitemap.xml"))]
    files = [r for r in server.requests if r.path.endswith((".pdf", ".docx", ".odt"))]
    assert files != [] and {r.status for r in files} == {304}  # attachments: re-checked
    assert all(
        "if-none-match" in {k.lower() for k in r.headers}
        or "if-modified-since" in {k.lower() for k in r.headers}
        for r in files
    )
    with SQLiteStore.open(data) as store:
        assert store.max_seq() == first_seq

    # state 2: one article changed, one removed, one added
    changed = next(a for a in GOLD["articles"].values() if a.get("gold_state2"))
    removed = [a for a in GOLD["articles"].values() if a["states"] == [1]]
    added = [a for a in GOLD["articles"].values() if a["states"] == [2]]
    server.set_state(2)
    assert main(["update", *base]) == 0
    with SQLiteStore.open(data) as store:
        doc = store.find_document(server.base_url(changed["site"]) + changed["canonical"])
        assert doc is not None and doc.version == 2
        new_facts = {(f.fact_type, f.value) for f in store.facts_for_document(doc.id)}
        old_facts = {(f.fact_type, f.value) for f in store.facts_for_document(doc.id, version=1)}
        assert new_facts != old_facts
        for art in removed:
            gone = store.find_document(server.base_url(art["site"]) + art["canonical"])
            assert gone is not None and gone.state == "gone"
    for art in removed:
        assert server.base_url(art["site"]) + art["canonical"] not in _search_urls(
            data, art["title"], capsys
        )
    for art in added:
        assert server.base_url(art["site"]) + art["canonical"] in _search_urls(
            data, art["title"], capsys
        )
    runs = SQLiteStore.open(data).recent_runs(kind="update")
    assert [r.status for r in runs] == ["ok", "ok", "ok"]
    assert runs[0].counters.get("changed", 0) >= 1 and runs[0].counters.get("gone", 0) >= 1
    assert read_update_status(data)["state"] == "idle"


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def test_second_update_refused_and_killed_run_leaves_no_lock(
    server: DemoServer, tmp_path: Path
) -> None:
    server.set_state(1)
    data = tmp_path / "data"
    cfg = _config(tmp_path / "slow.toml", server, delay=0.3)
    cmd = [sys.executable, "-m", "vestnik.cli", "update", "--config", str(cfg), "--data", str(data)]
    slow = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not update_running(data):
            assert time.monotonic() < deadline and slow.poll() is None
            time.sleep(0.1)
        second = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert "another update is running" in second.stderr
        assert second.stderr.strip().count("\n") == 0
        slow.send_signal(signal.SIGKILL)
        slow.wait(timeout=10)
    finally:
        if slow.poll() is None:
            slow.kill()
    assert not update_running(data)
    assert read_update_status(data)["state"] == "failed"  # the killed run is not shown as running
    fast_cfg = _config(tmp_path / "fast.toml", server)
    done = subprocess.run(
        [sys.executable, "-m", "vestnik.cli", "update", "--config", str(fast_cfg), "--data", str(data)],
        env=_env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "update #" in done.stdout
    with SQLiteStore.open(data) as store:
        assert [r.status for r in store.recent_runs(kind="update")] == ["ok", "interrupted"]


def test_schedule_runs_updates_and_survives_a_failed_one(
    server: DemoServer, tmp_path: Path
) -> None:
    server.set_state(1)
    data = tmp_path / "data"
    cfg = _config(tmp_path / "vestnik.toml", server)
    log_path = tmp_path / "schedule.log"
    with update_lock(data), log_path.open("w") as log:
        # while the test holds the lock, the first scheduled update fails
        proc = subprocess.Popen(
            [sys.executable, "-m", "vestnik.cli", "schedule", "--every", "1s", "--config", str(cfg), "--data", str(data)],
            env=_env(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while "update failed" not in log_path.read_text():
            assert time.monotonic() < deadline and proc.poll() is None, log_path.read_text()
            time.sleep(0.1)
    try:
        deadline = time.monotonic() + 120
        while True:
            with SQLiteStore.open(data) as store:
                ok = [r for r in store.recent_runs(kind="update") if r.status == "ok"]
            if len(ok) >= 2:
                break
            assert time.monotonic() < deadline and proc.poll() is None, log_path.read_text()
            time.sleep(0.3)
        schedule = json.loads((data / "schedule.json").read_text(encoding="utf-8"))
        assert schedule["expr"] == "every 1s" and schedule["next_run"]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    text = log_path.read_text()
    assert "next update at" in text and "schedule stopped" in text


def test_update_of_unreachable_sites_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    cfg = tmp_path / "down.toml"
    cfg.write_text(
        f'[politeness]\ndelay = 0\nretries = 0\n[[sites]]\nname = "down"\nstart_urls = ["http://127.0.0.1:{port}/ru/news"]\n'
    )
    data = tmp_path / "data"
    assert main(["update", "--config", str(cfg), "--data", str(data)]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("vestnik: error: no page could be fetched from any site")
    with SQLiteStore.open(data) as store:
        assert [r.status for r in store.recent_runs(kind="update")] == ["failed"]
    assert read_update_status(data)["state"] == "failed"
