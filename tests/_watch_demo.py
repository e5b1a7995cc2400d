"""The demo corpus with saved searches, built once per test session: state 1 crawled and indexed by
``vestnik update``, the saved searches of ``SEARCHES`` added, then ``vestnik update`` on state 2.

``SEARCHES`` says which items (``site:id`` and change) each saved search must get from the second
update: read off the state-2 texts by hand (mpt:8342 and vitebsk:524 appear, mpt:8341 changes).
Tests that write to the store work on a copy (``copy_of``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = json.loads((ROOT / "corpus" / "demo_site" / "gold.json").read_text(encoding="utf-8"))

# name -> (query, filters, expected items {"site:id": change})
SEARCHES: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    "форум": ("форумы регионов", {}, {"mpt:8342": "new", "mpt:8341": "changed"}),
    "vitebsk-export": ("экспортом", {"site": "vitebsk"}, {"vitebsk:524": "new"}),
    "Чувашия": ("", {"region": "Чувашская Республика"}, {"mpt:8342": "new"}),
    "kursk": ("соглашениям курской области", {}, {"mpt:8341": "changed"}),
    "export-late-2024": ("экспорта", {"since": "2024-11-01"}, {"mpt:8342": "new"}),
    "twins": ("побратимство районов", {}, {}),
    "belarusian": ("", {"lang": "be"}, {}),
}


@dataclass(frozen=True)
class WatchDemo:
    """Where the built demo data is, and how to name its documents."""

    data: Path
    config: Path
    paths: dict[str, str]  # URL path -> "site:id"

    def key(self, url: str) -> str:
        """The ``site:id`` of a stored document URL."""
        return self.paths[urlsplit(url).path]


def vestnik(*args: str) -> str:
    """Run the command in a subprocess; its stdout (fails the test on a non-zero exit)."""
    done = subprocess.run(
        [sys.executable, "-m", "vestnik.cli", "-q", *args],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def _config(path: Path, start_urls: dict[str, str], extra: str = "") -> Path:
    lines = ["[politeness]\ndelay = 0\nper_host_concurrency = 4\n", extra]
    for name, url in start_urls.items():
        lines.append(f'[[sites]]\nname = "{name}"\nstart_urls = ["{url}"]\n')
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def build(root: Path) -> WatchDemo:
    """Build the demo data under ``root`` (see the module docstring)."""
    from corpus import DemoServer

    data, config = root / "data", root / "vestnik.toml"
    with DemoServer(state=1) as srv:
        _config(config, {n: srv.start_url(n) for n in ("mpt", "vitebsk")})
        base = ["--config", str(config), "--data", str(data)]
        vestnik("update", *base)
        for name, (query, filters, _) in SEARCHES.items():
            options = [x for k, v in filters.items() for x in (f"--{k}", v)]
            vestnik("watch", "add", name, query, *options, *base)
        srv.set_state(2)
        vestnik("update", *base)
    paths = {g["canonical"]: key for key, g in GOLD["articles"].items()}
    return WatchDemo(data=data, config=config, paths=paths)


def session_demo(factory: pytest.TempPathFactory) -> WatchDemo:
    """The session's demo data: built by the first test module that asks, reused by the others."""
    root = factory.getbasetemp() / "watch-demo"
    done = root / "built.json"
    if done.exists():
        return WatchDemo(root / "data", root / "vestnik.toml", json.loads(done.read_text("utf-8")))
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    demo = build(root)
    done.write_text(json.dumps(demo.paths), encoding="utf-8")
    return demo


def copy_of(demo: WatchDemo, target: Path) -> WatchDemo:
    """A private copy of the data, for tests that write."""
    shutil.copytree(demo.data, target / "data")
    return WatchDemo(target / "data", demo.config, demo.paths)
