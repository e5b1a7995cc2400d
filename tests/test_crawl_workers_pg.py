"""Three ``vestnik crawl`` processes started at once on one PostgreSQL store crawl the demo site
together: every article stored exactly once, robots.txt and the site's scope obeyed, the per-host
delay held across the processes (read from the server's request log), and one worker SIGKILLed
midway — the others finish its URLs when its leases run out."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from protego import Protego

from corpus import DemoServer, open_store
from crawler._urls import site_name_for
from tests._crawl_helpers import docs_by_path, gold_of

ROOT = Path(__file__).parents[1]
DELAY = 0.25
WORKERS = 3
MAIN = "import sys; from vestnik.cli import main; sys.exit(main())"


def _config(tmp: Path) -> Path:
    config = tmp / "vestnik.toml"
    config.write_text(
        f'data_dir = "{tmp / "data"}"\n'
        f"[politeness]\ndelay = {DELAY}\nper_host_concurrency = 2\nconnect_timeout = 2.0\n"
        "read_timeout = 2.0\ntotal_timeout = 5.0\nretries = 1\nbackoff = 0.1\n"
        "[crawler]\nconcurrency = 4\nlease = 5.0\n",
        encoding="utf-8",
    )
    return config


def test_three_workers_share_one_frontier_and_one_politeness(pg_url: str, tmp_path: Path) -> None:
    config = _config(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(ROOT), VESTNIK_STORE=pg_url)
    env.pop("VESTNIK_CONFIG", None)
    with DemoServer(state=1) as srv:
        start = srv.start_url("vitebsk")
        logs = [tmp_path / f"worker{n}.err" for n in range(WORKERS)]
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", MAIN, "-q", "crawl", "--config", str(config), start],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log.open("wb"),
            )  # fmt: skip
            for log in logs
        ]
        deadline = time.time() + 60
        while len([r for r in srv.requests if r.site == "vitebsk"]) < 12:
            assert time.time() < deadline, "the workers never got going"
            time.sleep(0.05)
        procs[0].send_signal(signal.SIGKILL)
        codes = [p.wait(timeout=120) for p in procs]
        requests = [r for r in srv.requests if r.site == "vitebsk"]
        offsite = [r for r in srv.requests if r.site == "offsite"]
        base = srv.base_url("vitebsk")
        rules = Protego.parse(httpx.get(base + "/robots.txt", timeout=5).text)
    assert codes[0] == -signal.SIGKILL
    assert codes[1:] == [0] * (WORKERS - 1), [log.read_text() for log in logs[1:]]
    for log in logs[1:]:
        assert "Traceback" not in log.read_text(encoding="utf-8")

    # every article exactly once, nothing left in the frontier
    with open_store(pg_url) as store:
        docs = docs_by_path(store, base)
        pending = store.frontier.pending(site_name_for(start))
    gold = {p for p, g in gold_of("vitebsk").items() if g["special"] != "robots_target"}
    assert gold <= set(docs)
    assert {p: len(d) for p, d in docs.items() if len(d) != 1} == {}
    assert pending.pending == 0

    # robots.txt and scope
    assert [r.path for r in requests if not rules.can_fetch(base + r.path, "vestnik")] == []
    assert offsite == []
    assert len(requests) > len(gold)

    # one request per DELAY for all workers together: every 4 gaps span 4 delays, less what one
    # request woken late on a loaded machine may lose (3 unshared workers would span 4/3 delays)
    times = sorted(r.time for r in requests)
    spans = [b - a for a, b in zip(times, times[4:], strict=False)]
    assert min(spans) >= 4 * DELAY - 0.35, sorted(spans)[:3]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert statistics.median(gaps) >= 0.9 * DELAY


def test_the_site_budget_is_spent_by_all_workers_together(pg_url: str, tmp_path: Path) -> None:
    budget = 8  # the site has some 40 pages: three unshared budgets would request 24 or more
    config = tmp_path / "vestnik.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "data"}"\n[politeness]\ndelay = 0.0\nper_host_concurrency = 3\n'
        f"[crawler]\nconcurrency = 1\nsite_budget = {budget}\nuse_sitemaps = false\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), VESTNIK_STORE=pg_url)
    env.pop("VESTNIK_CONFIG", None)
    with DemoServer(state=1) as srv:
        start = srv.start_url("vitebsk")
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", MAIN, "-q", "crawl", "--config", str(config), start],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )  # fmt: skip
            for _ in range(WORKERS)
        ]
        outs = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * WORKERS, outs
    with open_store(pg_url) as store:
        fetched = [p for p in store.iter_pages(site_name_for(start)) if p.state != "skipped"]
        errors = [e["error"] for e in store.recent_errors(100)]
        left = store.frontier.pending(site_name_for(start))
    # each worker stops once the frontier has settled the budget; one request in flight each
    assert budget <= len(fetched) <= budget + 2 * WORKERS, len(fetched)
    assert any(e.startswith(f"site budget of {budget} pages spent") for e in errors), errors
    assert left.queued > 0 and left.in_flight == 0  # the rest waits for the next run
