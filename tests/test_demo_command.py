"""``vestnik demo``: builds the demo data with no internet, and a second run reuses it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from corpus import SQLiteStore

ROOT = Path(__file__).resolve().parents[1]


def _demo(data: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "vestnik.cli", "-q", "demo", "--no-ui", "--data", str(data)],
        capture_output=True, text=True, timeout=300, env=env, cwd=ROOT,
    )  # fmt: skip


def test_demo_builds_then_reuses(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    first = _demo(data)
    assert first.returncode == 0, first.stderr
    assert "Сбор демо-данных" in first.stdout
    for site in ("mpt", "vitebsk", "agency"):
        assert f"{site}: http://127.0.0.1:" in first.stdout
    with SQLiteStore.open(data) as store:
        count = store.count_documents()
        sites = {row["site"] for row in store.site_stats()}
        facts = sum(store.count_facts().values())
    assert count >= 100 and sites == {"mpt", "vitebsk", "agency"} and facts > 100
    ports = json.loads((data / "demo.json").read_text())["ports"]

    second = _demo(data)
    assert second.returncode == 0, second.stderr
    assert "Обновление демо-данных" in second.stdout
    assert "новых 0, изменённых 0" in second.stdout and "проиндексировано 0" in second.stdout
    assert json.loads((data / "demo.json").read_text())["ports"] == ports
    with SQLiteStore.open(data) as store:
        assert store.count_documents() == count
