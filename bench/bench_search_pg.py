"""Search latency of the PostgreSQL backend beside the Whoosh backend, on one store, in one run.

A PostgreSQL 15 server (tests/_pg.py: 127.0.0.1, fsync off; ``shared_buffers`` and ``work_mem`` set
below) holds a store of ``--docs`` generated documents (bench/bench_index.py's generator: ~300
words each, seeded from the demo site's vocabulary; six sites, ten years), written to a SQLite
store by one writer and copied into PostgreSQL with ``migrate_store`` (``vestnik migrate``). Both backends index that same
store with the index stage (``run_index(facts=False)``, ``--procs`` processes); then the same 50
queries as bench/bench_index.py (one to three words ANDed, phrases, OR) run on a warm searcher of each
backend, every search with its exact total, its four facets and the snippets of its first page of
10, a first pass (new words for the process) and a timed repeat pass, the backends alternating query
by query so both see the same machine load. Also: index build time and size, whether every query's
total and facets are equal on both, and how many of Whoosh's first 10 hits PostgreSQL ranks first 10.

    nice .venv/bin/python bench/bench_search_pg.py                      # 100,000 documents
    nice .venv/bin/python bench/bench_search_pg.py --docs 1000000       # 1M (opt-in: ~2 h, ~25 GB)
    nice .venv/bin/python bench/bench_search_pg.py --docs 5000          # a smoke run

Writes ``bench/results/search_pg.md`` (the section of that size; others kept) and prints it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_index import generate, queries  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "search_pg.md"
PG_SETTINGS = {"shared_buffers": "1GB", "work_mem": "64MB", "maintenance_work_mem": "512MB"}


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _pg_mb(url: str, what: str) -> float:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT pg_total_relation_size('{what}')").fetchone()
    return float(row[0]) / 1e6 if row else 0.0


def start_server() -> Any:
    """A PostgreSQL server with the settings above (restarted once to apply them)."""
    import psycopg

    from tests._pg import PgServer

    server = PgServer().start()
    with psycopg.connect(server.admin_url, autocommit=True) as conn:
        for key, value in PG_SETTINGS.items():
            conn.execute(f"ALTER SYSTEM SET {key} = '{value}'")
    server.restart()
    return server


def fill(url: str, n: int, work: Path) -> dict[str, float]:
    """The PostgreSQL store of ``n`` generated documents: written to a SQLite store first (one
    writer, batches of 1,000 in a transaction each), then copied with ``vestnik migrate``'s
    ``migrate_store`` (seconds of each part and the rows copied; not search figures)."""
    from core.records import DocumentDraft
    from corpus import migrate_store, open_store, sqlite_url

    source = sqlite_url(work / "fill")
    started = time.perf_counter()
    with open_store(source) as store:
        pending: list[dict[str, str]] = []
        for i, doc in enumerate(generate(n), 1):
            pending.append(doc)
            if len(pending) == 1000 or i == n:
                with store.batch("bench fill"):
                    for d in pending:
                        store.save_document(DocumentDraft(**d))
                pending.clear()
                if i % 50_000 == 0:
                    print(f"  filled {i:,} ({_load()})", file=sys.stderr, flush=True)
    filled = time.perf_counter()
    summary = migrate_store(source, url)
    moved = time.perf_counter()
    shutil.rmtree(work / "fill")
    return {"fill": filled - started, "migrate": moved - filled, "rows": float(summary.copied)}


def _peak_mb() -> tuple[float, float]:
    """Peak RSS so far of this process and of its largest finished child process (MB)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def build(url: str, data: Path, backend: str, procs: int) -> float:
    from corpus import open_store
    from indexer import run_index

    started = time.perf_counter()
    with open_store(url) as store:
        run_index(store, data, facts=False, procs=procs, progress=False, backend=backend)
    return time.perf_counter() - started


def _timed(index: Any, q: str, snippets: bool) -> tuple[float, Any]:
    from indexer import SearchRequest

    started = time.perf_counter()
    res = index.search(SearchRequest(q, snippets=snippets))
    return (time.perf_counter() - started) * 1000, res


def run_queries(url: str, data: Path) -> dict[str, Any]:
    """Both backends, query by query: a first pass, then timed passes with and without snippets."""
    from indexer import PgSearch, SearchIndex

    whoosh, pg = SearchIndex.open(data), PgSearch.open(url)
    qs = queries()
    out: dict[str, Any] = {"load_before": _load()}
    first: dict[str, list[float]] = {"whoosh": [], "postgres": []}
    for q in qs:
        for name, index in (("whoosh", whoosh), ("postgres", pg)):
            first[name].append(_timed(index, q, True)[0])
    times: dict[tuple[str, bool], list[float]] = {}
    equal, overlaps, hits = 0, [], []
    for snippets in (True, False):
        for q in qs:
            got = {}
            for name, index in (("whoosh", whoosh), ("postgres", pg)):
                ms, res = _timed(index, q, snippets)
                times.setdefault((name, snippets), []).append(ms)
                got[name] = res
            if snippets:
                w, p = got["whoosh"], got["postgres"]
                equal += (w.total, w.facets) == (p.total, p.facets)
                overlaps.append(len({h.url for h in w.hits} & {h.url for h in p.hits}) / 10)
                hits.append(w.total)
    for (name, snippets), ms in times.items():
        cuts = statistics.quantiles(ms, n=20)
        key = f"{name}_{'snip' if snippets else 'nosnip'}"
        out[f"{key}_p50"], out[f"{key}_p95"] = statistics.median(ms), cuts[18]
    for name, ms in first.items():
        out[f"{name}_first_p50"] = statistics.median(ms)
        out[f"{name}_first_p95"] = statistics.quantiles(ms, n=20)[18]
    # a sanity check of the whole result sets on a few queries (every matching id)
    out["ids_equal"] = all(whoosh.doc_ids(q) == pg.doc_ids(q) for q in qs[:5])
    out["totals_equal"], out["queries"] = equal, len(qs)
    out["overlap10"] = statistics.mean(overlaps)
    out["mean_hits"] = statistics.mean(hits)
    out["load_after"] = _load()
    whoosh.close()
    pg.close()
    return out


def section(n: int, procs: int, fill: dict[str, float], builds: dict[str, float],
            sizes: dict[str, float], r: dict[str, Any]) -> list[str]:  # fmt: skip
    def ratio(key: str) -> str:
        return f"{r[f'postgres_{key}'] / r[f'whoosh_{key}']:.1f}x"

    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return [
        f"## {n:,} documents ({date}; load {r['load_before']} before the queries, "
        f"{r['load_after']} after)",
        "",
        f"Store filled in {fill['fill']:.0f} s (SQLite, one writer) and copied into PostgreSQL by "
        f"`migrate_store` in {fill['migrate']:.0f} s ({fill['rows']:,.0f} rows, "
        f"{fill['rows'] / max(fill['migrate'], 1e-9):,.0f} rows/s; not search figures). "
        "Index builds from the PostgreSQL store "
        f"(`run_index(facts=False, procs={procs})`): Whoosh {builds['whoosh']:.0f} s, "
        f"{sizes['whoosh']:.0f} MB (`DATA/index/`); PostgreSQL {builds['postgres']:.0f} s "
        f"({builds['postgres'] / builds['whoosh']:.2f}x), {sizes['postgres']:.0f} MB "
        f"(`vestnik_search.docs` with its GIN indexes {sizes['docs']:.0f} MB + lexicon "
        f"{sizes['terms']:.0f} MB; the store's own tables not counted). Peak RSS: the Whoosh "
        f"build's largest worker process {r['peak_child_mb']:.0f} MB; the bench process itself "
        f"(fill, builds' parent, both searchers) {r['peak_self_mb']:.0f} MB.",
        "",
        "Wall-clock milliseconds per search (50 queries; each search: exact total, 4 facets, first "
        "page of 10; with snippets: titles and snippets highlighted; PostgreSQL also reads the "
        "page's titles and bodies from the store):",
        "",
        "| pass | Whoosh p50 | Whoosh p95 | PostgreSQL p50 | PostgreSQL p95 | PG/Whoosh p50 | PG/Whoosh p95 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| first (new words) | {r['whoosh_first_p50']:.1f} | {r['whoosh_first_p95']:.1f} | "
        f"{r['postgres_first_p50']:.1f} | {r['postgres_first_p95']:.1f} | {ratio('first_p50')} | "
        f"{ratio('first_p95')} |",
        f"| repeat, with snippets | {r['whoosh_snip_p50']:.1f} | {r['whoosh_snip_p95']:.1f} | "
        f"{r['postgres_snip_p50']:.1f} | {r['postgres_snip_p95']:.1f} | {ratio('snip_p50')} | "
        f"{ratio('snip_p95')} |",
        f"| repeat, without snippets | {r['whoosh_nosnip_p50']:.1f} | {r['whoosh_nosnip_p95']:.1f} | "
        f"{r['postgres_nosnip_p50']:.1f} | {r['postgres_nosnip_p95']:.1f} | "
        f"{ratio('nosnip_p50')} | {ratio('nosnip_p95')} |",
        "",
        f"Mean matches per query {r['mean_hits']:.0f}. Totals and facets equal on both backends: "
        f"{r['totals_equal']}/{r['queries']} queries; every matching id equal (first 5 queries): "
        f"{'yes' if r['ids_equal'] else 'NO'}. Ranking: {r['overlap10']:.2f} of Whoosh's first 10 "
        "hits are in PostgreSQL's first 10 (mean over the 50 queries; ts_rank_cd vs BM25F).",
        "",
    ]


def write(n: int, lines: list[str]) -> str:
    head = [
        "# Search backends: PostgreSQL full-text search vs Whoosh",
        "",
        "Reproduce: `nice .venv/bin/python bench/bench_search_pg.py --docs N` (bench/bench_search_pg.py"
        " docstring). PostgreSQL settings: "
        + ", ".join(f"`{k} = {v}`" for k, v in PG_SETTINGS.items())
        + "; fsync off (tests/_pg.py). The machine has 2 cores and is shared by other agents.",
        "",
    ]
    sections: dict[int, str] = {}
    if RESULTS.exists():
        for chunk in RESULTS.read_text("utf-8").split("\n## ")[1:]:
            size = int(chunk.split(" ", 1)[0].replace(",", ""))
            sections[size] = "## " + chunk.rstrip() + "\n"
    sections[n] = "\n".join(lines)
    text = "\n".join(head) + "\n" + "\n".join(sections[k] for k in sorted(sections))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, "utf-8")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000, help="documents in the store")
    parser.add_argument("--procs", type=int, default=2, help="index build processes")
    args = parser.parse_args()
    server = start_server()
    work = Path(tempfile.mkdtemp(prefix="bench-search-pg-"))
    try:
        url = server.new_database()
        filled = fill(url, args.docs, work)
        print(f"  store filled {filled} (load {_load()})", file=sys.stderr, flush=True)
        builds = {"whoosh": build(url, work, "whoosh", args.procs)}
        peak_child = _peak_mb()[1]  # the Whoosh build's workers (before the PostgreSQL build)
        builds["postgres"] = build(url, work, "postgres", args.procs)
        sizes = {
            "whoosh": _dir_mb(work / "index"),
            "docs": _pg_mb(url, "vestnik_search.docs"),
            "terms": _pg_mb(url, "vestnik_search.terms"),
        }
        sizes["postgres"] = sizes["docs"] + sizes["terms"]
        print(f"  built {builds} sizes {sizes} (load {_load()})", file=sys.stderr, flush=True)
        r = run_queries(url, work)
        r["peak_child_mb"], r["peak_self_mb"] = peak_child, _peak_mb()[0]
        print(write(args.docs, section(args.docs, args.procs, filled, builds, sizes, r)))
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
