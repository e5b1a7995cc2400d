"""Many crawler workers on one PostgreSQL store against one process on SQLite, in one run.

    .venv/bin/python bench/bench_workers.py [--articles 2000] [--workers 1,2,4] [--concurrency 8]

The generated demo site (``corpus._demo_server --generated N``) runs in its own process; a
throwaway PostgreSQL 15 cluster is started (``tests/_pg.py``). Each configuration crawls the same
site from an empty store: one ``vestnik crawl`` on SQLite, then 1, 2 and 4 ``vestnik crawl``
processes started at once on one fresh PostgreSQL database (delay 0; ``--concurrency`` requests in
flight per process; per-host concurrency ``--per-host``, shared by all processes on PostgreSQL).
Reported: wall seconds from the first start to the last exit, pages fetched by all workers,
articles stored (each exactly once), pages/s and the ratio to SQLite. Results:
bench/results/workers.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PY = sys.executable
MAIN = "import sys; from vestnik.cli import main; sys.exit(main())"


def _config(folder: Path, base: str, concurrency: int, per_host: int) -> Path:
    host = base.split("://")[1]
    config = folder / "vestnik.toml"
    config.write_text(
        f'data_dir = "{folder / "data"}"\n[log]\nlevel = "warning"\n'
        f"[politeness]\ndelay = 0.0\nper_host_concurrency = {per_host}\n"
        f"[crawler]\nconcurrency = {concurrency}\nuse_sitemaps = false\n"
        f'[[sites]]\nname = "generated"\nhosts = ["{host}"]\nstart_urls = ["{base}/ru/news"]\n'
        'scope = ["/ru/news", "/ru/node/"]\n'
        "article_patterns = ['^/ru/news/\\d{2}-\\d{2}-\\d{4}-\\d+$', '^/ru/node/\\d+$']\n"
        "listing_patterns = ['^/ru/news(\\?page=\\d+)?$']\n"
        'body_selector = ".node .field-name-body .field-item"\ntitle_selector = "h1"\n'
        f"delay = 0.0\nconcurrency = {per_host}\n",
        encoding="utf-8",
    )
    return config


def _crawl(config: Path, store: str, workers: int) -> dict[str, float]:
    """``workers`` crawl processes at once on ``store``; seconds, pages and stored articles."""
    from corpus import open_store

    env = dict(os.environ, PYTHONPATH=str(ROOT), VESTNIK_STORE=store)
    env.pop("VESTNIK_CONFIG", None)
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [PY, "-c", MAIN, "-q", "crawl", "--config", str(config), "generated"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(workers)
    ]
    outs = [p.communicate() for p in procs]
    seconds = time.perf_counter() - start
    for p, (_out, err) in zip(procs, outs, strict=True):
        if p.returncode != 0:
            raise SystemExit(f"a worker failed: {err.strip()}")
    pages = sum(int(out.split("fetched ", 1)[1].split(",", 1)[0]) for out, _ in outs)
    with open_store(store) as opened:
        docs = opened.count_documents()
        urls = [d.url for d in opened.iter_documents(state=None)]
    return {"seconds": seconds, "pages": pages, "docs": docs, "unique": len(set(urls))}


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--per-host", type=int, default=32)
    ap.add_argument("--output", default=str(ROOT / "bench" / "results" / "workers.md"))
    args = ap.parse_args()
    from tests._pg import PgServer

    server = subprocess.Popen(
        [PY, "-W", "ignore::RuntimeWarning", "-m", "corpus._demo_server", "--generated",
         str(args.articles)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    pg = PgServer().start()
    rows: list[tuple[str, dict[str, float]]] = []
    try:
        base = ""
        assert server.stdout is not None
        while not base:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("the demo server did not start")
            if line.startswith("generated"):
                base = line.split()[1].rsplit("/ru/", 1)[0]
        time.sleep(0.3)
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "sqlite"
            folder.mkdir()
            config = _config(folder, base, args.concurrency, args.per_host)
            sqlite = f"sqlite:///{folder / 'data' / 'corpus.sqlite'}"
            rows.append(("SQLite, 1 process", _crawl(config, sqlite, 1)))
            for n in (int(w) for w in args.workers.split(",")):
                rows.append((f"PostgreSQL, {n} process(es)", _crawl(config, pg.new_database(), n)))
    finally:
        server.terminate()
        server.wait()
        pg.stop()
    base_rate = rows[0][1]["pages"] / rows[0][1]["seconds"]
    lines = [
        "| store, workers | pages | articles (unique) | seconds | pages/s | vs SQLite |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in rows:
        rate = r["pages"] / r["seconds"]
        lines.append(
            f"| {name} | {r['pages']:.0f} | {r['docs']:.0f} ({r['unique']:.0f}) | "
            f"{r['seconds']:.1f} | {rate:.0f} | {rate / base_rate:.2f}x |"
        )
    load = os.getloadavg()
    text = "\n".join([
        "# Crawl workers benchmark",
        "",
        f"`.venv/bin/python bench/bench_workers.py --articles {args.articles} --workers "
        f"{args.workers} --concurrency {args.concurrency} --per-host {args.per_host}` — "
        f"generated demo site ({args.articles} articles) on 127.0.0.1 in its own process, "
        "delay 0, robots.txt obeyed, sitemaps off; each row crawls from an empty store; "
        "seconds are wall time from the first worker's start to the last one's exit (process "
        "start-up included). PostgreSQL 15 on the same machine (a throwaway cluster).",
        f"Load average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on "
        f"{os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}.",
        "",
        *lines,
        "",
    ])  # fmt: skip
    Path(args.output).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
