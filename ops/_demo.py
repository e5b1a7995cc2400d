"""The bundled demo, end to end: serve the demo sites on 127.0.0.1, crawl them, index them.

Works with no internet. The demo's ports are remembered in ``demo.json`` in the data directory, so
a second run serves the sites at the same addresses and only re-crawls incrementally (conditional
requests) and re-indexes what changed: it reuses what the first run built.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.settings import Settings

__all__ = ["DEMO_SITES", "DemoRun", "build_demo", "demo_settings", "start_demo_server"]

log = logging.getLogger("vestnik.demo")

DEMO_FILE = "demo.json"
DEMO_SITES = ("mpt", "vitebsk", "agency")


def _remembered_ports(data_dir: Path) -> dict[str, int]:
    try:
        data = json.loads((data_dir / DEMO_FILE).read_text(encoding="utf-8"))
        return {str(k): int(v) for k, v in data.get("ports", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def start_demo_server(data_dir: Path) -> Any:
    """The demo server, on the ports of the previous run when they are free."""
    from corpus import DemoServer

    wanted = _remembered_ports(data_dir)
    if wanted:
        try:
            return DemoServer(ports=wanted).start()
        except OSError:
            log.warning("the demo's previous ports %s are taken; starting afresh", wanted)
            for stale in ("corpus.sqlite", "corpus.sqlite-wal", "corpus.sqlite-shm", DEMO_FILE):
                (data_dir / stale).unlink(missing_ok=True)
            shutil.rmtree(data_dir / "index", ignore_errors=True)
    return DemoServer().start()


def demo_settings(settings: Settings, server: Any) -> Settings:
    """The user's settings with the demo sites as profiles and no politeness delay for 127.0.0.1."""
    fast = {
        "politeness.delay": 0.0,
        "crawler.concurrency": max(settings.crawler.concurrency, 8),
        "politeness.per_host_concurrency": 4,
    }
    sites = tuple(
        {"name": name, "start_urls": [server.start_url(name)], "_origin": "vestnik demo"}
        for name in DEMO_SITES
    )
    return dataclasses.replace(settings.replace(fast, "vestnik demo"), sites=sites)


@dataclass(frozen=True)
class DemoRun:
    """What one demo build did."""

    again: bool  # the data directory held a demo already
    new: int
    changed: int
    unchanged: int
    indexed: int
    facts: int


def build_demo(
    settings: Settings, server: Any, announce: Callable[[bool], None] = lambda again: None
) -> DemoRun:
    """Crawl and index the demo sites served by ``server`` into ``settings.data_dir``;
    ``announce(again)`` is called before the crawl starts."""
    from corpus import open_store
    from crawler import crawl
    from indexer import run_index

    data_dir = settings.data_dir
    ports = {name: int(server.base_url(name).rsplit(":", 1)[1]) for name in DEMO_SITES}
    (data_dir / DEMO_FILE).write_text(json.dumps({"ports": ports}), encoding="utf-8")
    settings = demo_settings(settings, server)
    with open_store(settings.store_url) as store:
        again = store.count_documents() > 0
        announce(again)
        summary = crawl(store, settings, list(DEMO_SITES), incremental=True)
        indexed = run_index(store, data_dir, backend=settings.search.backend, settings=settings)
    return DemoRun(
        again,
        summary.new,
        summary.changed,
        summary.unchanged + summary.not_modified,
        indexed.added + indexed.updated,
        indexed.facts,
    )
