"""``vestnik demo``: serve the bundled demo site on 127.0.0.1, crawl it, index it, start the UI."""

from __future__ import annotations

import argparse
import subprocess
import sys

from core.settings import Settings

__all__ = ["run"]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Build (or refresh) the demo data, print the addresses, then run the UI until Ctrl-C."""
    from ops import DEMO_SITES, build_demo, start_demo_server

    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    server = start_demo_server(data_dir)

    def announce(again: bool) -> None:
        print("Демо-сайты:", flush=True)
        for name in DEMO_SITES:
            print(f"  {name}: {server.start_url(name)}", flush=True)
        print(("Обновление" if again else "Сбор") + " демо-данных в " + str(data_dir), flush=True)

    try:
        done = build_demo(settings, server, announce)
        print(
            f"Собрано: новых {done.new}, изменённых {done.changed}, без изменений "
            f"{done.unchanged}; проиндексировано {done.indexed}, фактов {done.facts}",
            flush=True,
        )
        if args.no_ui:
            return 0
        url = f"http://127.0.0.1:{args.port}"
        print(f"Интерфейс поиска: {url}  (Ctrl-C — остановить)", flush=True)
        cmd = [sys.executable, "-m", "vestnik.cli", "ui", "--data", str(data_dir),
               "--port", str(args.port)]  # fmt: skip
        ui = subprocess.Popen(cmd)
        try:
            return ui.wait()
        except KeyboardInterrupt:
            ui.terminate()
            ui.wait(timeout=10)
            return 0
    finally:
        server.stop()
