"""Story clusters: threshold sweep on the demo's cluster gold, the template-chaining guard, and the
cost per document (time, memory) of clustering and of collapsing search results.

    nice .venv/bin/python bench/bench_clusters.py --docs 100000 --search   # the README rows
    nice .venv/bin/python bench/bench_clusters.py --docs 1000000           # opt-in (long)

1. Sweep: every gold pair (corpus/demo_site gold.json, "clusters") is judged by the same-story
   relation at several Jaccard thresholds; precision and recall are printed for the development
   half (where the default was chosen) and the held-out half.
2. Guard: a series of the demo's synthetic generator (one site, every item drawn from 15 template
   sentences) is clustered with and without the template-chaining guard; the largest cluster is
   printed.
3. Cost: ``--docs`` synthetic news items are saved into a fresh SQLite store: each is 6-9
   sentences drawn at random from the demo articles' sentences, published at a random time over
   four years on one of three ministry sites, and one in ten is an agency's rewrite of an earlier
   item (one sentence dropped, one added, published up to three days later). (The demo's own
   generator is not used here: its texts repeat 15 template sentences.) ``update_clusters``
   clusters them all in one run (batches of 500), then an incremental run adds 1% more, published
   on the newest day (documents arriving). Reported: ms per document, the memory the run added
   (peak resident set during the run minus before it, sampled), the memory of one candidate index
   over every stored signature, the stored signature bytes, how many rewrites ended in their
   source's cluster, and fact extraction of the same items for scale.
4. Search (``--search``): the same store is indexed (Whoosh, ``run_index(facts=False)``, default
   processes), then 40 queries run on a warm searcher three ways, interleaved: the search API
   alone (``index.search``), one row per document with copies listed (``vestnik search
   --all-copies``: ``search_stories(collapse=False)``) and collapsed to stories (``vestnik search``:
   ``search_stories``); p50/p95 ms of each.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from core.records import DocumentDraft
from corpus import SQLiteStore
from corpus._demo_gold import GEN_BASE, body_text, build_gold, generated_article, load_sites
from indexer.clusters import DEFAULT_PARAMS, ClusterParams, Item, judge, shingles, signature


def _items(params: ClusterParams) -> dict[str, Item]:
    out = {}
    for name, site in load_sites().items():
        for n, art in enumerate(sorted(site.articles.values(), key=lambda a: a.id)):
            found = shingles(art.title, body_text(art.body), words=params.shingle_words,
                             stem=params.stem_chars)  # fmt: skip
            sig = signature(found, params.num_perm, params.seed)
            out[f"{name}:{art.id}"] = Item(hash(name) % 1000 * 100000 + n, art.published.isoformat(),
                                           len(found), sig)  # fmt: skip
    return out


def sweep() -> None:
    pairs = build_gold()["clusters"]["pairs"]
    print("threshold sweep: the Jaccard rule alone (containment rule off) on the gold pairs")
    print(f"{'jaccard':>8} {'dev P':>7} {'dev R':>7} {'test P':>7} {'test R':>7}")
    items = _items(DEFAULT_PARAMS)
    for j in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
        params = dataclasses.replace(DEFAULT_PARAMS, jaccard=j, containment=1.0)
        cells = []
        for half in ("dev", "test"):
            tp = fp = fn = 0
            for p in (p for p in pairs if p["set"] == half):
                same = judge(items[p["a"]], items[p["b"]], params).same
                tp += same and p["same"]
                fp += same and not p["same"]
                fn += (not same) and p["same"]
            cells += [tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0]
        mark = "  <- default" if j == DEFAULT_PARAMS.jaccard else ""
        print(f"{j:>8.2f} " + " ".join(f"{c:>7.3f}" for c in cells) + mark)
    same = [judge(items[p["a"]], items[p["b"]], DEFAULT_PARAMS) for p in pairs if p["same"]]
    diff = [judge(items[p["a"]], items[p["b"]], DEFAULT_PARAMS) for p in pairs if not p["same"]]
    print(f"same-story pairs: min Jaccard {min(v.jaccard for v in same):.2f}; "
          f"different-story pairs: max Jaccard {max(v.jaccard for v in diff):.2f}")  # fmt: skip


def _corpus(n: int, rewrites: dict[int, int]) -> list[DocumentDraft]:
    """``n`` items; ``rewrites`` gets item number -> the number of the item it rewrites."""
    import random
    from datetime import datetime, timedelta

    from razdel import sentenize

    pool = [
        s.text
        for site in load_sites().values()
        for art in site.articles.values()
        if art.lang == "ru"
        for s in sentenize(body_text(art.body))
        if len(s.text.split()) >= 6
    ]
    rng = random.Random(14)
    start = datetime(2021, 1, 1)
    out: list[DocumentDraft] = []
    sites = ("mpt", "vitebsk", "oblast")
    for k in range(n):
        site = rng.choice(sites)
        if out and rng.random() < 0.1:
            src = out[rng.randrange(len(out))]
            sents = src.body.split("\n")
            sents.pop(rng.randrange(len(sents)))
            sents.insert(rng.randrange(len(sents) + 1), rng.choice(pool))
            when = datetime.fromisoformat(src.published) + timedelta(hours=rng.randint(1, 72))
            title, site = "Новость: " + src.title, "agency"
            rewrites[k] = int(src.url.rsplit("/", 1)[1])
        else:
            sents = rng.sample(pool, rng.randint(6, 9))
            when = start + timedelta(minutes=rng.randint(0, 4 * 365 * 24 * 60))
            title = " ".join(sents[0].split()[:8])
        out.append(DocumentDraft(url=f"http://bench/{k}", site=site, title=title,
                                 body="\n".join(sents), published=when.isoformat(timespec="minutes")))  # fmt: skip
    return out


def guard(n: int = 300) -> None:
    from indexer.clusters import update_clusters

    print(f"template series: {n} items of the demo's generator, one site, 5 hours apart")
    for label, params in (("guard off", dataclasses.replace(DEFAULT_PARAMS, boilerplate_docs=0)),
                          ("guard on (default)", DEFAULT_PARAMS)):  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp, SQLiteStore.open(Path(tmp)) as store:
            for i in range(n):
                art = generated_article("generated", GEN_BASE + i)
                store.save_document(DocumentDraft(
                    url=f"http://gen/{i}", site="generated", title=art.title,
                    body=body_text(art.body), published=art.published.isoformat()))  # fmt: skip
            update_clusters(store, params)
            ids = store.cluster_ids(range(1, n + 1))
        sizes = Counter(ids.values())
        print(f"  {label}: largest cluster {max(sizes.values())}, "
              f"{sum(1 for s in sizes.values() if s > 1)} clusters of two or more")  # fmt: skip


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class _Peak:
    """The peak resident set size while the block runs (sampled every 50 ms)."""

    def __enter__(self) -> _Peak:
        gc.collect()
        self.before = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())

    @property
    def added_mb(self) -> float:
        return (self.peak - self.before) / 1e6


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cost(n: int, search: bool, params: ClusterParams = DEFAULT_PARAMS) -> None:
    from indexer.clusters import update_clusters
    from indexer.clusters._step import CandidateIndex
    from indexer.facts import extract_facts

    extra = max(n // 100, 1)
    rewrites: dict[int, int] = {}
    drafts = _corpus(n + extra, rewrites)
    print(f"load before: {_load()}")
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore.open(Path(tmp)) as store:
        ids = [store.save_document(d).doc_id for d in drafts[:n]]
        with _Peak() as mem:
            started = time.perf_counter()
            first = update_clusters(store, params)
            full = time.perf_counter() - started
        newest = max(d.published for d in drafts[:n])
        for d in drafts[n:]:  # documents arriving now: published in the last days
            store.save_document(dataclasses.replace(d, published=newest))
        started = time.perf_counter()
        second = update_clusters(store, params)
        incr = time.perf_counter() - started
        docs, shared = store.count_clusters()
        clusters = store.cluster_ids(ids)
        found = sum(clusters[ids[k]] == clusters[ids[src]] for k, src in rewrites.items() if k < n)
        family = list(range(n))  # an item's original (rewrites of rewrites followed back)
        for k in sorted(k for k in rewrites if k < n):
            family[k] = family[rewrites[k]]
        stories: dict[int, set[int]] = {}
        for k in range(n):
            stories.setdefault(clusters[ids[k]], set()).add(family[k])
        mixed = sum(1 for f in stories.values() if len(f) > 1)
        sig_bytes = sum(len(r.signature) for r in store.signatures_between("0000", "9999"))
        with _Peak() as lsh_mem:
            index = CandidateIndex(store, params)
            index.ensure([])
        arrays = index.nbytes
        del index
        sample = drafts[: min(n, 1000)]
        started = time.perf_counter()
        for d in sample:
            extract_facts(d.title, d.body)
        facts = (time.perf_counter() - started) / len(sample)
        print(f"clustering {first.documents} documents: {full:.1f} s, {first.documents / full:.0f} docs/s, "
              f"{full / first.documents * 1000:.2f} ms/doc; the run added {mem.added_mb:.0f} MB "
              f"({mem.added_mb * 1e6 / n:.0f} bytes/doc) at its peak")  # fmt: skip
        print(f"incremental run adding {second.documents}: {incr:.2f} s, "
              f"{incr / max(second.documents, 1) * 1000:.2f} ms/doc")  # fmt: skip
        print(f"clustered {docs} documents, {shared} clusters of two or more; "
              f"{found} of {sum(1 for k in rewrites if k < n)} rewrites in their source's cluster; "
              f"{mixed} clusters join items of different originals")  # fmt: skip
        print(f"stored signatures {sig_bytes / 1e6:.1f} MB ({sig_bytes / docs:.0f} bytes/doc); one "
              f"candidate index over all of them {lsh_mem.added_mb:.0f} MB "
              f"({lsh_mem.added_mb * 1e6 / docs:.0f} bytes/doc; its arrays {arrays / docs:.0f} bytes/doc)")  # fmt: skip
        print(f"fact extraction of the same items, same run: {facts * 1000:.2f} ms/doc")
        print(f"load after clustering: {_load()}")
        if search:
            collapse_cost(store, Path(tmp))


QUERIES = (
    "соглашение", "делегация", "торговля", "Витебская область", "Курская область", "выставка",
    "товарооборот", "сотрудничество", "промышленность", "образование", "молочная продукция",
    "визит губернатора", "подписали соглашение", "инвестиции", "сельское хозяйство", "Минск",
    "Брянская область", "поставки техники", "культура", "туризм", "строительство",
    "Смоленская область", "форум регионов", "экспорт", "переговоры", "машиностроение",
    "здравоохранение", "молодежь", "спорт", "логистика", "рост", "область", "дорожная карта",
    "ярмарка", "Гомель", "Могилев", "договор", "предприятия", "регион", "программа",
)  # fmt: skip


def collapse_cost(store: SQLiteStore, data: Path) -> None:
    from indexer import SearchIndex, SearchRequest, run_index
    from indexer.clusters import search_stories

    started = time.perf_counter()
    run_index(store, data, facts=False, procs=0, progress=False)
    print(
        f"index of {store.count_documents()} documents built in {time.perf_counter() - started:.0f} s"
    )
    index = SearchIndex.open(data)
    ways = {
        "search API alone": lambda q: index.search(SearchRequest(q)),
        "one row per document, copies listed (--all-copies)":
            lambda q: search_stories(index, store, SearchRequest(q), collapse=False),
        "collapsed to stories (default)": lambda q: search_stories(index, store, SearchRequest(q)),
    }  # fmt: skip
    for q in QUERIES[:5]:  # open the columns
        for way in ways.values():
            way(q)
    times: dict[str, list[float]] = {k: [] for k in ways}
    load = _load()
    for _ in range(2):
        for q in QUERIES:
            for label, way in ways.items():
                t = time.perf_counter()
                way(q)
                times[label].append((time.perf_counter() - t) * 1000)
    base = statistics.median(times["search API alone"])
    print(f"search, {len(QUERIES)} queries x 2 passes, interleaved (load {load}):")
    for label, ts in times.items():
        p50, p95 = statistics.median(ts), statistics.quantiles(ts, n=20)[18]
        print(f"  {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({p50 / base:.2f}x the API's p50)")
    res = search_stories(index, store, SearchRequest("соглашение"))
    print(f"  e.g. «соглашение»: {res.documents} documents, {res.total} stories")
    index.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--no-sweep", action="store_true")
    ap.add_argument("--search", action="store_true", help="also index and time collapsed search")
    ap.add_argument("--boilerplate-docs", type=int, default=DEFAULT_PARAMS.boilerplate_docs,
                    help="the template guard's setting for the cost run (0: off)")  # fmt: skip
    args = ap.parse_args()
    if not args.no_sweep:
        sweep()
        guard()
    params = dataclasses.replace(DEFAULT_PARAMS, boilerplate_docs=args.boilerplate_docs)
    cost(args.docs, args.search, params)


if __name__ == "__main__":
    main()
