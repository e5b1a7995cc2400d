"""Indexing and query benchmark of vestnik's index against Whoosh's ``LanguageAnalyzer("ru")``.

Documents are generated, seeded, from the vocabulary of the demo site's articles (word forms drawn
with their corpus frequencies, sentences of 8-20 words, ~300 words a document). In one run:

- indexing throughput (documents/s) at ``--docs`` documents: the plain Whoosh baseline
  (``LanguageAnalyzer("ru")`` on title and body, both stored), vestnik's schema and analyzers with one
  writer process, with ``--procs`` processes, and ``run_index`` end to end from a corpus store;
- peak RSS of each indexing run (each runs in its own subprocess; children included) and the index
  size on disk;
- query latency p50/p95 over a fixed 50-query set at ``--query-docs`` documents, with snippets and
  without.

Usage::

    .venv/bin/python bench/bench_index.py                     # 20,000 and 100,000 documents
    .venv/bin/python bench/bench_index.py --docs 5000 --query-docs 20000

Writes ``bench/results/index.md`` (and prints it).
"""

from __future__ import annotations

import argparse
import itertools
import json
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


# -- workers (each runs in its own process) ------------------------------------------------------


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def worker_baseline(n: int, directory: Path, procs: int) -> dict[str, float]:
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
    w = (
        ix.writer(procs=procs, limitmb=256, multisegment=procs > 1)
        if procs > 1
        else ix.writer(limitmb=256)
    )
    for d in docs:
        w.add_document(url=d["url"], title=d["title"], body=d["body"])
    w.commit()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "docs_per_s": n / seconds,
        "peak_mb": _peak_mb(),
        "size_mb": _dir_mb(directory),
    }


_DOCS: list[object] = []  # the documents of a parallel run, inherited by its forked workers


def _chunk(writer: object, task: tuple[int, int]) -> tuple[int, int]:
    """Parallel-build work: documents ``_DOCS[lo:hi]`` (read in a forked worker)."""
    from indexer._schema import document_fields

    for doc in _DOCS[task[0] : task[1]]:
        writer.add_document(**document_fields(doc))  # type: ignore[attr-defined,arg-type]
    return task[1] - task[0], 0


def worker_ours(n: int, directory: Path, procs: int) -> dict[str, float]:
    """vestnik's schema from pre-generated documents; ``procs > 1``: indexer's parallel build
    (one segment per worker process, documents inherited by forked workers, 8 tasks a process)."""
    from whoosh import index

    from core.records import Document
    from indexer._parallel import build_segments
    from indexer._schema import build_schema, document_fields
    from indexer._writer import IndexWriter

    docs = [
        Document(id=i + 1, url=d["url"], site=d["site"], lang="ru", title=d["title"],
                 published=d["published"], body=d["body"], content_hash="", version=1, state="ok",
                 first_seen="", fetched_at="", changed_at="", seq=i + 1)
        for i, d in enumerate(generate(n))
    ]  # fmt: skip
    target = directory / "index"
    target.mkdir()
    started = time.perf_counter()
    ix = index.create_in(str(target), build_schema())
    if procs > 1:
        _DOCS[:] = docs
        step = -(-n // (procs * 8))
        tasks = [(lo, min(lo + step, n)) for lo in range(0, n, step)]
        build_segments(ix, tasks, _chunk, procs=procs, limitmb=256 // procs, context="fork")
    else:
        w = IndexWriter(ix, limitmb=256)
        for doc in docs:
            w.add_document(**document_fields(doc))
        w.commit()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "docs_per_s": n / seconds,
        "peak_mb": _peak_mb(),
        "size_mb": _dir_mb(target),
    }


def worker_e2e(n: int, directory: Path, procs: int) -> dict[str, float]:
    from core.records import DocumentDraft
    from corpus import SQLiteStore
    from indexer import run_index

    with SQLiteStore.open(directory) as store:
        for d in generate(n):
            store.save_document(DocumentDraft(**d))
        started = time.perf_counter()
        run_index(store, directory, procs=procs, facts=False, progress=False)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "docs_per_s": n / seconds, "peak_mb": _peak_mb(),
            "size_mb": _dir_mb(directory / "index")}  # fmt: skip


def worker_stream(n: int, directory: Path, procs: int) -> dict[str, float]:
    """Peak memory of indexing ``n`` documents streamed from the generator (nothing held)."""
    from whoosh import index

    from core.records import Document
    from indexer._schema import build_schema, document_fields
    from indexer._writer import IndexWriter

    target = directory / "index"
    target.mkdir()
    started = time.perf_counter()
    ix = index.create_in(str(target), build_schema())
    w = IndexWriter(ix, limitmb=256)
    for i, d in enumerate(generate(n)):
        doc = Document(id=i + 1, url=d["url"], site=d["site"], lang="ru", title=d["title"],
                       published=d["published"], body=d["body"], content_hash="", version=1,
                       state="ok", first_seen="", fetched_at="", changed_at="", seq=i + 1)  # fmt: skip
        w.add_document(**document_fields(doc))
    w.commit()
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "docs_per_s": n / seconds,
        "peak_mb": _peak_mb(),
        "size_mb": _dir_mb(target),
    }


def worker_queries(n: int, directory: Path, procs: int) -> dict[str, float]:
    from indexer import SearchIndex, SearchRequest

    built = worker_stream(n, directory, procs)  # peak RSS of the build, before any query
    index = SearchIndex.open(directory)
    qs = queries()
    for q in qs[:5]:  # warm the caches (facet values, lemmas)
        index.search(SearchRequest(q))
    result: dict[str, float] = dict(built)
    for label, snippets in (("snip", True), ("nosnip", False)):
        times, totals = [], []
        for q in qs:
            started = time.perf_counter()
            res = index.search(SearchRequest(q, snippets=snippets))
            times.append((time.perf_counter() - started) * 1000)
            totals.append(res.total)
        cuts = statistics.quantiles(times, n=20)
        result[f"{label}_p50"] = statistics.median(times)
        result[f"{label}_p95"] = cuts[18]
        result["mean_hits"] = statistics.mean(totals)
    result["size_mb"] = _dir_mb(directory / "index")
    index.close()
    return result


WORKERS = {
    "baseline": worker_baseline,
    "ours": worker_ours,
    "e2e": worker_e2e,
    "queries": worker_queries,
    "stream": worker_stream,
}


def memory_section(sizes: list[int]) -> list[str]:
    """Peak RSS of vestnik's indexing (1 process, documents streamed) at each size."""
    lines = [
        "## Peak memory of indexing against corpus size (vestnik, 1 process, `limitmb=256`)",
        "",
        "Documents are streamed from the generator into the writer, as `run_index` streams them from the"
        " store in batches; each size runs in its own process (peak RSS of the process).",
        "",
        "| documents | seconds | docs/s | peak RSS MB | index MB |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        r = run_worker("stream", size, 1)
        lines.append(
            f"| {size:,} | {r['seconds']:.0f} | {r['docs_per_s']:.0f} | {r['peak_mb']:.0f} | "
            f"{r['size_mb']:.1f} |"
        )
    return lines + [""]


def run_worker(kind: str, n: int, procs: int) -> dict[str, float]:
    """Run one measurement in a fresh interpreter (so peak RSS is its own)."""
    directory = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", kind, str(n), str(directory), str(procs)],
            check=True, capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  {kind} n={n} procs={procs}: {result}", file=sys.stderr)
        return result
    finally:
        shutil.rmtree(directory, ignore_errors=True)


# -- report --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--docs", type=int, default=20_000, help="documents for indexing throughput"
    )
    parser.add_argument(
        "--memory-docs", type=int, default=0, help="a second size for peak memory (0: --query-docs)"
    )
    parser.add_argument(
        "--query-docs", type=int, default=100_000, help="documents for query latency"
    )
    parser.add_argument(
        "--procs", type=int, default=2, help="writer processes for the parallel run"
    )
    parser.add_argument("--no-e2e", action="store_true", help="skip run_index from a store")
    parser.add_argument(
        "--worker", nargs=4, metavar=("KIND", "N", "DIR", "PROCS"), help=argparse.SUPPRESS
    )
    parser.add_argument("--memory-only", metavar="SIZES",
                        help="only the peak-memory table at these sizes (e.g. 20000,100000), appended"
                        " to bench/results/index.md")  # fmt: skip
    args = parser.parse_args()
    if args.memory_only:
        sizes = [int(x) for x in args.memory_only.split(",")]
        text = "\n".join(memory_section(sizes))
        old = RESULTS.read_text("utf-8") if RESULTS.exists() else "# Index benchmark\n\n"
        old = old.split("## Peak memory of indexing")[0].rstrip() + "\n\n"
        RESULTS.write_text(old + text, "utf-8")
        print(text)
        return 0
    if args.worker:
        kind, n, directory, procs = args.worker
        print(json.dumps(WORKERS[kind](int(n), Path(directory), int(procs))))
        return 0

    n = args.docs
    base = run_worker("baseline", n, 1)
    ours1 = run_worker("ours", n, 1)
    oursp = run_worker("ours", n, args.procs)
    e2e = None if args.no_e2e else run_worker("e2e", n, 1)
    e2ep = None if args.no_e2e else run_worker("e2e", n, args.procs)
    small = run_worker("stream", n, 1)
    big_n = args.memory_docs or args.query_docs
    q = run_worker("queries", args.query_docs, 1)
    big = q if big_n == args.query_docs else run_worker("stream", big_n, 1)

    rows = [
        ('Whoosh `LanguageAnalyzer("ru")`, 1 process', base, 1.0),
        ("vestnik analyzers + schema, 1 process", ours1, ours1["docs_per_s"] / base["docs_per_s"]),
        (
            f"vestnik analyzers + schema, {args.procs} processes",
            oursp,
            oursp["docs_per_s"] / base["docs_per_s"],
        ),
    ]
    for label, r in (("1 process", e2e), (f"{args.procs} processes", e2ep)):
        if r:
            ratio = r["docs_per_s"] / base["docs_per_s"]
            rows.append((f"`run_index` from the store (no facts), {label}", r, ratio))
    lines = [
        "# Index benchmark",
        "",
        f"Reproduce: `.venv/bin/python bench/bench_index.py --docs {n} --query-docs {args.query_docs}"
        f" --procs {args.procs}` (generated Russian documents, ~300 words each, seeded from the demo"
        " site's vocabulary).",
        "",
        f"## Indexing {n:,} documents",
        "",
        "| run | seconds | docs/s | vs baseline | peak RSS MB | index MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, r, ratio in rows:
        lines.append(
            f"| {label} | {r['seconds']:.1f} | {r['docs_per_s']:.0f} | {ratio:.2f}x | "
            f"{r['peak_mb']:.0f} | {r['size_mb']:.1f} |"
        )
    lines += [
        "",
        "Peak RSS: the process's high-water mark, or its largest worker's when larger (not their sum);"
        " the first rows hold all pre-generated documents in memory, `run_index` streams them from the"
        " store in batches.",
        "",
        "## Peak memory of indexing against corpus size (vestnik, 1 process, documents streamed)",
        "",
        "| documents | peak RSS MB | index MB |",
        "| ---: | ---: | ---: |",
        f"| {n:,} | {small['peak_mb']:.0f} | {small['size_mb']:.1f} |",
    ]
    if "peak_mb" in big:
        lines.append(f"| {big_n:,} | {big['peak_mb']:.0f} | {big['size_mb']:.1f} |")
    lines += [
        "",
        f"## Query latency at {args.query_docs:,} documents (50 fixed queries, first page of 10,"
        " facets and total included)",
        "",
        "| | p50 ms | p95 ms |",
        "| --- | ---: | ---: |",
        f"| with snippets | {q['snip_p50']:.1f} | {q['snip_p95']:.1f} |",
        f"| without snippets | {q['nosnip_p50']:.1f} | {q['nosnip_p95']:.1f} |",
        "",
        f"Mean matches per query: {q['mean_hits']:.0f}; index size {q['size_mb']:.1f} MB.",
        "",
    ]
    text = "\n".join(lines)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
