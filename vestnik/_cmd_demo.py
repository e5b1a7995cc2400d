"""``vestnik demo``: serve the bundled demo site on 127.0.0.1, crawl it, index it, start the UI.

Works with no internet. The demo's ports are remembered in ``demo.json`` in the data directory, so
a second run serves the site at the same addresses and only re-crawls incrementally (conditional
requests) and re-indexes what changed: it reuses what the first run built.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from vestnik._config import Settings

__all__ = ["demo_settings", "run"]

log = logging.getLogger("vestnik.demo")

DEMO_FILE = "demo.json"
DEMO_SITES = ("mpt", "vitebsk")


def _remembered_ports(data_dir: Path) -> dict[str, int]:
    try:
        data = json.loads((data_dir / DEMO_FILE).read_text(encoding="utf-8"))
        return {str(k): int(v) for k, v in data.get("ports", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _start_server(data_dir: Path) -> Any:
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
    values = dict(settings.values)
    values["politeness.delay"] = 0.0
    values["crawler.concurrency"] = max(int(values["crawler.concurrency"]), 8)
    values["politeness.per_host_concurrency"] = 4
    sources = dict(settings.sources)
    for key in ("politeness.delay", "crawler.concurrency", "politeness.per_host_concurrency"):
        sources[key] = "vestnik demo"
    sites = tuple(
        {"name": name, "start_urls": [server.start_url(name)], "_origin": "vestnik demo"}
        for name in DEMO_SITES
    )
    return dataclasses.replace(settings, values=values, sources=sources, sites=sites)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build (or refresh) the demo data, print the addresses, then run the UI until Ctrl-C."""
    from corpus import Store
    from crawler import crawl
    from indexer import run_index

    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    server = _start_server(data_dir)
    try:
        ports = {name: int(server.base_url(name).rsplit(":", 1)[1]) for name in DEMO_SITES}
        (data_dir / DEMO_FILE).write_text(json.dumps({"ports": ports}), encoding="utf-8")
        settings = demo_settings(settings, server)
        with Store.open(data_dir) as store:
            again = store.count_documents() > 0
            print("Демо-сайты:", flush=True)
            for name in DEMO_SITES:
                print(f"  {name}: {server.start_url(name)}", flush=True)
            print(
                ("Обновление" if again else "Сбор") + " демо-данных в " + str(data_dir), flush=True
            )
            summary = crawl(store, settings, list(DEMO_SITES), incremental=True)
            indexed = run_index(store, data_dir)
        print(
            f"Собрано: новых {summary.new}, изменённых {summary.changed}, без изменений "
            f"{summary.unchanged + summary.not_modified}; проиндексировано "
            f"{indexed.added + indexed.updated}, фактов {indexed.facts}",
            flush=True,
        )
        if args.no_ui:
            return 0
        url = f"http://127.0.0.1:{args.port}"
        print(f"Интерфейс поиска: {url}  (Ctrl-C — остановить)", flush=True)
        cmd = [
            sys.executable,
            "-m",
            "vestnik.cli",
            "ui",
            "--data",
            str(data_dir),
            "--port",
            str(args.port),
        ]
        ui = subprocess.Popen(cmd)
        try:
            return ui.wait()
        except KeyboardInterrupt:
            ui.terminate()
            ui.wait(timeout=10)
            return 0
    finally:
        server.stop()
