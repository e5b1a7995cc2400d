"""A full disk mid-crawl and mid-index: one clear line, a store that passes ``PRAGMA
integrity_check``, and a rerun that completes once space is freed.

The disk is a real one of limited size: a 16 MB tmpfs mounted in a private mount namespace of the
scenario's own process (``unshare --mount`` as root, as CI runs; ``unshare --map-root-user
--mount`` otherwise), so no mount outlives the test. A filler file eats all but a few hundred
kilobytes before each step, and deleting it is "freeing space".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from corpus import SQLiteStore
from corpus._demo_server import DemoServer

ROOT = Path(__file__).resolve().parents[1]

SCENARIO = r"""
import json, os, sqlite3, subprocess, sys
mnt, url, vestnik = sys.argv[1], sys.argv[2], sys.argv[3]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt], check=True)
data, filler = os.path.join(mnt, "data"), os.path.join(mnt, "filler")
out = {}

def fill(free_kb):
    st = os.statvfs(mnt)
    avail_kb = st.f_bavail * st.f_frsize // 1024
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(avail_kb - free_kb, 0) * 1024)

def run(*args):
    p = subprocess.run([vestnik, "-q", *args, "--data", data], capture_output=True, text=True,
                       timeout=300)
    return {"rc": p.returncode, "err": p.stderr.strip().splitlines(), "out": p.stdout}

def integrity():
    db = sqlite3.connect(os.path.join(data, "corpus.sqlite"))
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()

try:
    fill(300)
    out["crawl_full"] = run("crawl", url, "--delay", "0")
    out["crawl_full_integrity"] = integrity()
    os.unlink(filler)
    out["crawl_again"] = run("crawl", url, "--delay", "0")
    fill(40)
    out["index_full"] = run("index")
    out["index_full_integrity"] = integrity()
    os.unlink(filler)
    out["index_again"] = run("index")
    out["search"] = run("search", "соглашение", "--json", "--limit", "1000")
    out["integrity"] = integrity()
    import shutil
    shutil.copytree(data, sys.argv[4])
finally:
    subprocess.run(["umount", "-l", mnt])
print(json.dumps(out, ensure_ascii=False))
"""


def _unshare() -> list[str]:
    tool = shutil.which("unshare")
    assert tool is not None, "util-linux unshare is needed for the full-disk test"
    return [tool, "--mount"] if os.geteuid() == 0 else [tool, "--map-root-user", "--mount"]


def test_full_disk_mid_crawl_and_mid_index(tmp_path: Path) -> None:
    mnt, kept = tmp_path / "mnt", tmp_path / "kept"
    mnt.mkdir()
    vestnik = str(Path(sys.executable).parent / "vestnik")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("VESTNIK_STORE", None)
    with DemoServer(state=1) as srv:
        done = subprocess.run(
            [*_unshare(), sys.executable, "-c", SCENARIO, str(mnt), srv.start_url("vitebsk"),
             vestnik, str(kept)],
            capture_output=True, text=True, timeout=600, env=env, cwd=tmp_path,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    for step in ("crawl_full", "index_full"):
        assert out[step]["rc"] == 1, out[step]
        [line] = out[step]["err"]  # one line, no traceback
        assert line.startswith("vestnik: error: ") and "unexpected" not in line
        assert "space" in line or "full" in line, line
        assert out[f"{step}_integrity"] == "ok"
    assert out["crawl_again"]["rc"] == 0, out["crawl_again"]
    assert out["index_again"]["rc"] == 0, out["index_again"]
    assert out["integrity"] == "ok"
    hits = json.loads(out["search"]["out"])
    with SQLiteStore.open(kept) as store:
        assert store.integrity_ok()
        docs = list(store.iter_documents())
        assert len(docs) == len({d.url for d in docs}) > 20
        relevant = [d for d in docs if "соглашен" in (d.title + d.body).lower()]
        assert len(hits) == len(relevant) > 0  # every document made it into the index
