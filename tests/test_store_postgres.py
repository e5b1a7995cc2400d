"""The PostgreSQL store in real use: workers in separate processes share one frontier, and the whole
demo flow (crawl -> index -> search -> facts) runs with ``--store postgresql://...``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus import FrontierEntry, open_store
from corpus._demo_server import DemoServer
from tests._crawl_helpers import gold_of, readable_files
from vestnik.cli import main

ROOT = Path(__file__).resolve().parents[1]

CLAIMER = r"""
import json, sys
from corpus import DONE, open_store
url, worker = sys.argv[1], sys.argv[2]
got = []
with open_store(url) as store:
    while (item := store.frontier.claim("s")) is not None:
        got.append(item.url)
        assert store.frontier.settle(item, DONE)
print(json.dumps(got))
"""


def test_workers_in_four_processes_claim_every_url_exactly_once(pg_url: str) -> None:
    urls = [f"https://e.by/ru/news/{n}" for n in range(400)]
    with open_store(pg_url) as store:
        assert store.frontier.push("s", [FrontierEntry(u, "article") for u in urls]) == 400
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CLAIMER, pg_url, str(n)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        for n in range(4)
    ]
    claimed = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    every = [u for got in claimed for u in got]
    assert sorted(every) == sorted(urls)  # each exactly once
    with open_store(pg_url) as store:
        counts = store.frontier.pending("s")
        assert (counts.done, counts.pending) == (400, 0)


def test_demo_flow_on_postgres(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, data = ["--store", pg_url], ["--data", str(tmp_path)]
    with DemoServer(state=1) as srv:
        code = main(["-q", *store, "crawl", srv.start_url("vitebsk"), *data, "--delay", "0"])
        assert code == 0, capsys.readouterr().err
    assert f"new {len(gold_of('vitebsk'))}," in capsys.readouterr().out
    assert not (tmp_path / "corpus.sqlite").exists()  # everything went to PostgreSQL
    assert main(["-q", *store, "index", *data]) == 0
    capsys.readouterr()
    assert main(["-q", *store, "search", "соглашение", "--json", "--limit", "50", *data]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and all("соглашен" in (h["title"] + h["snippet"]).lower() for h in hits)
    assert main(["-q", *store, "facts", "--format", "json", *data]) == 0
    facts = json.loads(capsys.readouterr().out)
    with open_store(pg_url) as opened:
        assert opened.count_documents() == len(gold_of("vitebsk")) + len(readable_files("vitebsk"))
        assert len(facts) == sum(opened.count_facts().values()) > 0
        assert opened.get_meta("index_seq") == str(opened.max_seq())
