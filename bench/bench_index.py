"""Indexing and search benchmark, as users run vestnik, beside Whoosh's ``LanguageAnalyzer("ru")``.

Documents are generated, seeded, from the vocabulary of the demo site's articles (word forms drawn
with their corpus frequencies, sentences of 8-20 words, ~300 words a document). In one run:

- **indexing**: the ``vestnik index`` command itself (a subprocess, default settings, facts
  included) on a fresh data directory holding ``--docs`` documents, with 1 process
  (``VESTNIK_INDEX_PROCS=1``) and with the default (the machine's cores); its derive and index
  stages reported separately (from its summary line); ``vestnik index --rebuild`` afterwards (the
  derive stage finds every document current and extracts nothing) and ``vestnik derive
  --rebuild`` (facts only); beside plain Whoosh (``LanguageAnalyzer("ru")`` on title and body,
  both stored, one writer process) indexing the same documents. Peak RSS of each (the largest
  single process, workers included);
- **queries**: p50/p95 of 50 fixed queries (one, two and three words ANDed, phrases, OR) on a warm
  ``SearchIndex`` at each ``--query-sizes`` size, each search with its exact total, its facets
  and the snippets of its first page of 10;
- **cold start**: wall time of a one-shot ``vestnik search QUERY`` beside a minimal Whoosh search
  script (open, parse, search, print 10 titles) on the same index, and on a plain Whoosh index;
- with ``--derive``: ``vestnik derive`` (the command, default processes) on each query size's fresh
  store, its wall time and peak RSS (the largest process), before that size's index is built.

The machine is shared: the load (``uptime``) is recorded beside the figures, and every comparison
is made side by side in the same run. Usage::

    nice .venv/bin/python bench/bench_index.py                           # 20,000 docs; queries 20k, 100k
    nice .venv/bin/python bench/bench_index.py --docs 2000 --query-sizes 2000   # a smoke run
    nice .venv/bin/python bench/bench_index.py --query-sizes 1000000 --skip-indexing  # 1M (opt-in)
    nice .venv/bin/python bench/bench_index.py --query-sizes 1000000 --skip-indexing --derive  # + derive

Writes ``bench/results/index.md`` (and prints it).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "index.md"
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+(?:[,.-]\d+)*")
VESTNIK = [sys.executable, "-m", "vestnik.cli"]
MINIMAL_WHOOSH = """
import sys
from whoosh import index
from whoosh.qparser import MultifieldParser
ix = index.open_dir(sys.argv[1])
with ix.searcher() as s:
    q = MultifieldParser(["title", "body"], ix.schema).parse(sys.argv[2])
    for hit in s.search(q, limit=10):
        print(hit["title"])
"""


# -- documents -----------------------------------------------------------------------------------


def _vocabulary() -> tuple[list[str], list[int]]:
    counts: Counter[str] = Counter()
    for path in sorted((ROOT / "corpus" / "demo_site" / "sites").glob("*/articles/*.toml")):
        data = tomllib.loads(path.read_text("utf-8"))
        if data.get("lang", "ru") != "ru":
            continue
        counts.update(WORD.findall(data["title"] + " " + data["body"]))
    words = sorted(counts)
    return words, [counts[w] for w in words]


def generate(n: int, seed: int = 20240501) -> Iterator[dict[str, str]]:
    """``n`` documents: url, site, published, title, body."""
    words, weights = _vocabulary()
    cum = list(itertools.accumulate(weights))
    rng = random.Random(seed)
    sites = ["mpt", "vitebsk", "mogilev", "gomel", "brest", "grodno"]

    def sentence() -> str:
        ws = rng.choices(words, cum_weights=cum, k=rng.randint(8, 20))
        return ws[0][:1].upper() + ws[0][1:] + " " + " ".join(ws[1:]) + "."

    for i in range(n):
        paragraphs = [" ".join(sentence() for _ in range(rng.randint(3, 5))) for _ in range(4)]
        yield {
            "url": f"http://bench.test/{i}",
            "site": sites[i % len(sites)],
            "published": f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "title": sentence().rstrip("."),
            "body": "\n\n".join(paragraphs),
        }


def queries() -> list[str]:
    """A fixed set of 50 queries in word forms, from the same vocabulary (seeded)."""
    words, weights = _vocabulary()
    rng = random.Random(7)
    content = [w for w, c in zip(words, weights, strict=True) if len(w) > 4 and c >= 3]
    out: list[str] = []
    for i in range(50):
        k = 1 + i % 3
        picked = rng.sample(content, k)
        if i % 10 == 8:
            out.append(f'"{picked[0]} {rng.choice(content)}"')
        elif i % 10 == 9:
            out.append(f"{picked[0]} OR {rng.choice(content)}")
        else:
            out.append(" ".join(picked).lower())
    return out


# -- measurements ---------------------------------------------------------------------------------


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def fill_store(n: int, data: Path) -> None:
    """A data directory whose store holds the ``n`` generated documents (not timed)."""
    from core.records import DocumentDraft
    from corpus import SQLiteStore

    with SQLiteStore.open(data) as store:
        for d in generate(n):
            store.save_document(DocumentDraft(**d))


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float | str]:
    """Wall seconds, peak RSS (largest process of the tree) and stdout of one command."""
    runner = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "s = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': s, 'peak_mb': rss, 'out': p.stdout, 'err': p.stderr,"
        " 'code': p.returncode}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", runner, *cmd],
        capture_output=True, text=True, cwd=ROOT, env=env or dict(os.environ), check=True,
    )  # fmt: skip
    result: dict[str, float | str] = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {result['err']}")
    return result


_SUMMARY = re.compile(r"in ([\d.]+) s \(derive ([\d.]+) s\)")


def vestnik_index(data: Path, procs: int | None, *extra: str) -> dict[str, float]:
    """``vestnik index`` on ``data`` with ``procs`` (None: the default), timed."""
    env = dict(os.environ, VESTNIK_DATA=str(data))
    env.pop("VESTNIK_INDEX_PROCS", None)
    if procs is not None:
        env["VESTNIK_INDEX_PROCS"] = str(procs)
    r = timed([*VESTNIK, "--quiet", "index", *extra], env)
    m = _SUMMARY.search(str(r["out"]))
    total, derive = (float(m.group(1)), float(m.group(2))) if m else (float(r["seconds"]), 0.0)
    return {
        "seconds": float(r["seconds"]), "derive": derive, "index": total - derive,
        "peak_mb": float(r["peak_mb"]), "size_mb": _dir_mb(data / "index"),
    }  # fmt: skip


def vestnik_derive(data: Path, *extra: str) -> dict[str, float]:
    """``vestnik derive`` on ``data`` (default processes), timed."""
    env = dict(os.environ, VESTNIK_DATA=str(data))
    env.pop("VESTNIK_INDEX_PROCS", None)
    r = timed([*VESTNIK, "--quiet", "derive", *extra], env)
    return {"seconds": float(r["seconds"]), "peak_mb": float(r["peak_mb"])}


def worker_baseline(n: int, directory: Path) -> dict[str, float]:
    """Plain Whoosh: ``LanguageAnalyzer("ru")`` on title and body, one writer process."""
    from whoosh import index
    from whoosh.analysis import LanguageAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    analyzer = LanguageAnalyzer("ru")
    schema = Schema(
        url=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
    )
    docs = list(generate(n))
    started = time.perf_counter()
    ix = index.create_in(str(directory), schema)
    w = ix.writer(limitmb=256)
    for d in docs:
        w.add_document(url=d["url"], title=d["title"], body=d["body"])
    w.commit()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "size_mb": _dir_mb(directory)}


def worker_queries(data: Path) -> dict[str, float]:
    """p50/p95 of the 50 queries on a warm searcher (total, facets and snippets in each): a first
    pass, where every query and its hits' words are new to the process, then a second pass."""
    from indexer import SearchIndex, SearchRequest

    index = SearchIndex.open(data)
    qs = queries()
    for q in ["соглашение", "область", "делегация", "торговля", "регион"]:  # open the columns
        index.search(SearchRequest(q))
    out: dict[str, float] = {}
    for label in ("first", "again"):
        times, totals = [], []
        for q in qs:
            started = time.perf_counter()
            res = index.search(SearchRequest(q))
            times.append((time.perf_counter() - started) * 1000)
            totals.append(res.total)
        cuts = statistics.quantiles(times, n=20)
        out[f"{label}_p50"], out[f"{label}_p95"] = statistics.median(times), cuts[18]
        out["mean_hits"] = statistics.mean(totals)
    index.close()
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def worker_build(data: Path) -> dict[str, float]:
    """The index of a query-size corpus: the index stage only (default processes; the derive
    stage is left out to keep big sizes feasible: it adds the region, fact and person fields)."""
    from corpus import SQLiteStore
    from indexer import run_index

    with SQLiteStore.open(data) as store:
        summary = run_index(store, data, procs=0, facts=False, progress=False)
    peak = max(
        resource.getrusage(who).ru_maxrss
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return {"seconds": summary.seconds, "peak_mb": peak / 1024}


def run_worker(kind: str, *args: str) -> dict[str, float]:
    """One measurement in a fresh interpreter (its own peak RSS)."""
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, *args],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"  {kind} {args}: {result}", file=sys.stderr)
    return result


def cold_start(data: Path, plain: Path | None, rounds: int = 5) -> dict[str, float]:
    """Median wall seconds of one-shot searches, interleaved round by round."""
    q = "соглашение курская область"
    env = dict(os.environ, VESTNIK_DATA=str(data))
    runs: dict[str, list[float]] = {"vestnik": [], "whoosh_same": [], "whoosh_plain": []}
    for _ in range(rounds):
        runs["vestnik"].append(float(timed([*VESTNIK, "search", q], env)["seconds"]))
        cmd = [sys.executable, "-c", MINIMAL_WHOOSH]
        runs["whoosh_same"].append(float(timed([*cmd, str(data / "index"), q])["seconds"]))
        if plain is not None:
            runs["whoosh_plain"].append(float(timed([*cmd, str(plain), q])["seconds"]))
    return {k: statistics.median(v) for k, v in runs.items() if v}


# -- report ----------------------------------------------------------------------------------------


def indexing_section(n: int, work: Path) -> tuple[list[str], Path]:
    """Whoosh beside ``vestnik index`` (1 process, default), ``--rebuild``, ``derive --rebuild``."""
    plain = work / "whoosh"
    plain.mkdir()
    base = run_worker("baseline", str(n), str(plain))
    one, dflt = work / "one", work / "default"
    fill_store(n, one)
    shutil.copytree(one, dflt)
    load_before = _load()
    r1 = vestnik_index(one, 1)
    rd = vestnik_index(dflt, None)
    rebuild1 = vestnik_index(one, 1, "--rebuild")
    rebuild = vestnik_index(dflt, None, "--rebuild")
    derive = vestnik_derive(dflt, "--rebuild")
    shutil.rmtree(one, ignore_errors=True)
    procs = os.cpu_count() or 1

    def row(label: str, r: dict[str, float]) -> str:
        ratio = base["seconds"] / r["seconds"]
        stages = f"{r['derive']:.1f} / {r['index']:.1f}" if "derive" in r else "—"
        return (f"| {label} | {r['seconds']:.1f} | {n / r['seconds']:.0f} | {ratio:.2f}x | "
                f"{stages} | {r['peak_mb']:.0f} | {r.get('size_mb', 0):.1f} |")  # fmt: skip

    lines = [
        f"## Indexing {n:,} documents (load {load_before} before, {_load()} after)",
        "",
        "| run | seconds | docs/s | vs Whoosh | derive / index s | peak RSS MB | index MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f'| Whoosh `LanguageAnalyzer("ru")`, 1 process | {base["seconds"]:.1f} | '
        f"{n / base['seconds']:.0f} | 1.00x | — | {base['peak_mb']:.0f} | {base['size_mb']:.1f} |",
        row("`vestnik index`, fresh data, 1 process (facts included)", r1),
        row(f"`vestnik index`, fresh data, default ({procs} processes, facts included)", rd),
        row("`vestnik index --rebuild`, 1 process (derive: all current)", rebuild1),
        row(
            f"`vestnik index --rebuild`, default ({procs} processes; derive: all current)", rebuild
        ),
        row(f"`vestnik derive --rebuild` alone, default ({procs} processes)", derive),
        "",
        "Each vestnik row is the command itself in a subprocess (`VESTNIK_INDEX_PROCS=1` for one "
        "process), seconds of wall time including interpreter start; derive / index are the two "
        "stages as the command's summary line reports them. Peak RSS: the largest single process "
        "(a worker or the parent), not their sum. The Whoosh row holds its pre-generated documents "
        "in memory; vestnik streams them from the store.",
        "",
    ]
    return lines, dflt


def query_section(
    sizes: list[int], work: Path, first: Path | None, n_first: int, derive: bool = False
) -> list[str]:
    lines = [
        "## Query latency (warm searcher, 50 fixed queries; each with its exact total, facets and "
        "the snippets of its first 10 hits)",
        "",
        "| documents | p50 ms | p95 ms | p50 / p95 ms, again | mean matches | search RSS MB | "
        "index MB | build s | build RSS MB | load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    derived: list[str] = []
    for size in sizes:
        data = first if first is not None and size == n_first else work / f"q{size}"
        build, build_mb = 0.0, "—"
        if data != first:
            fill_store(size, data)
            if derive:
                load = _load()
                d = vestnik_derive(data)
                derived.append(
                    f"| {size:,} | {d['seconds']:.0f} | {size / d['seconds']:.0f} | "
                    f"{d['peak_mb']:.0f} | {load} |"
                )
            started = time.perf_counter()
            built = run_worker("build", str(data))
            build, build_mb = time.perf_counter() - started, f"{built['peak_mb']:.0f}"
        load = _load()
        q = run_worker("queries", str(data))
        lines.append(
            f"| {size:,} | {q['first_p50']:.1f} | {q['first_p95']:.1f} | "
            f"{q['again_p50']:.1f} / {q['again_p95']:.1f} | {q['mean_hits']:.0f} | "
            f"{q['peak_mb']:.0f} | {_dir_mb(data / 'index'):.0f} | {build:.0f} | {build_mb} | "
            f"{load} |"
        )
    lines += [
        "",
        "First pass: each of the 50 queries once, after five one-word searches opened the "
        "per-segment columns; its hits' words are new to the process's lemma cache (what a fresh "
        "UI process sees). Again: the same 50 queries once more (a UI that has seen them). The "
        "build column is the index stage that made the index (`run_index(facts=False)`, default "
        "processes; at the indexing size the `vestnik index` run above, facts included); build RSS: "
        "the largest process of that build (the parent or a worker).",
        "",
    ]
    if derived:
        lines += [
            "## The derive stage at the query sizes (`vestnik derive` on fresh data, default "
            "processes: facts, regions, persons and story clusters)",
            "",
            "| documents | seconds | docs/s | peak RSS MB (largest process) | load before |",
            "| ---: | ---: | ---: | ---: | --- |",
            *derived,
            "",
        ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=20_000, help="documents for indexing")
    parser.add_argument("--query-sizes", default="20000,100000", help="corpus sizes for queries")
    parser.add_argument("--skip-indexing", action="store_true", help="query sizes only")
    parser.add_argument(
        "--derive", action="store_true", help="also time `vestnik derive` at each query size"
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        if kind == "baseline":
            print(json.dumps(worker_baseline(int(rest[0]), Path(rest[1]))))
        elif kind == "build":
            print(json.dumps(worker_build(Path(rest[0]))))
        else:
            print(json.dumps(worker_queries(Path(rest[0]))))
        return 0
    sizes = [int(x) for x in args.query_sizes.split(",") if x]
    work = Path(tempfile.mkdtemp(prefix="bench-index-"))
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    try:
        lines = [
            "# Index and search benchmark",
            "",
            f"Run {started} on the project's {os.cpu_count()}-core machine (shared: the load is "
            "noted beside each figure). Reproduce: `nice .venv/bin/python bench/bench_index.py "
            f"--docs {args.docs} --query-sizes {args.query_sizes}"
            f"{' --skip-indexing' if args.skip_indexing else ''}{' --derive' if args.derive else ''}`.",
            "",
        ]
        first: Path | None = None
        if not args.skip_indexing:
            section, first = indexing_section(args.docs, work)
            lines += section
            cold = cold_start(first, work / "whoosh")
            lines += [
                f"## Cold start at {args.docs:,} documents (median of 5 interleaved runs, load "
                f"{_load()})",
                "",
                "| one-shot search | seconds | vestnik / it |",
                "| --- | ---: | ---: |",
                f'| `vestnik search "соглашение курская область"` | {cold["vestnik"]:.2f} | — |',
                f"| minimal Whoosh script, vestnik's index | {cold['whoosh_same']:.2f} | "
                f"{cold['vestnik'] / cold['whoosh_same']:.2f}x |",
                f'| minimal Whoosh script, its own `LanguageAnalyzer("ru")` index | '
                f"{cold['whoosh_plain']:.2f} | {cold['vestnik'] / cold['whoosh_plain']:.2f}x |",
                "",
                "The minimal script (in `bench/bench_index.py`) opens the index, parses the query "
                "over title and body, searches and prints ten titles: no totals, facets or snippets.",
                "",
            ]
        lines += query_section(sizes, work, first, args.docs, args.derive)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
