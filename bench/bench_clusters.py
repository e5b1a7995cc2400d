"""Story clusters: threshold sweep on the demo's cluster gold, and clustering cost per document.

    .venv/bin/python bench/bench_clusters.py --docs 20000

1. Sweep: every gold pair (corpus/demo_site gold.json, "clusters") is judged by the same-story
   relation at several Jaccard thresholds; precision and recall are printed for the development
   half (where the default was chosen) and the held-out half.
2. Cost: ``--docs`` synthetic news items are saved into a fresh SQLite store: each is 6-9
   sentences drawn at random from the demo articles' sentences, published at a random time over
   four years, and one in ten is a rewrite of an earlier item (one sentence dropped, one added,
   published up to three days later). (The demo's own generator is not used: its texts repeat 15
   template sentences, so every item is a near-duplicate of every other.) ``update_clusters``
   clusters them all in one run (batches of 500), then an incremental run adds 1% more, published on the newest day (documents arriving).
   Reported: documents/s and ms per document, beside fact extraction of the same items.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from core.records import DocumentDraft
from corpus import SQLiteStore
from corpus._demo_gold import body_text, build_gold, load_sites
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


def _corpus(n: int) -> list[DocumentDraft]:
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
    for k in range(n):
        if out and rng.random() < 0.1:
            src = out[rng.randrange(len(out))]
            sents = src.body.split("\n")
            sents.pop(rng.randrange(len(sents)))
            sents.insert(rng.randrange(len(sents) + 1), rng.choice(pool))
            when = datetime.fromisoformat(src.published) + timedelta(hours=rng.randint(1, 72))
            title = "Новость: " + src.title
        else:
            sents = rng.sample(pool, rng.randint(6, 9))
            when = start + timedelta(minutes=rng.randint(0, 4 * 365 * 24 * 60))
            title = " ".join(sents[0].split()[:8])
        out.append(DocumentDraft(url=f"http://bench/{k}", site="bench", title=title,
                                 body="\n".join(sents), published=when.isoformat(timespec="minutes")))  # fmt: skip
    return out


def cost(n: int) -> None:
    from indexer.clusters import update_clusters
    from indexer.facts import extract_facts

    extra = max(n // 100, 1)
    drafts = _corpus(n + extra)
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore.open(Path(tmp)) as store:
        for d in drafts[:n]:
            store.save_document(d)
        started = time.perf_counter()
        first = update_clusters(store)
        full = time.perf_counter() - started
        newest = max(d.published for d in drafts[:n])
        for d in drafts[n:]:  # documents arriving now: published in the last days
            store.save_document(dataclasses.replace(d, published=newest))
        started = time.perf_counter()
        second = update_clusters(store)
        incr = time.perf_counter() - started
        docs, shared = store.count_clusters()
        sample = drafts[: min(n, 1000)]
        started = time.perf_counter()
        for d in sample:
            extract_facts(d.title, d.body)
        facts = (time.perf_counter() - started) / len(sample)
    print(f"clustering {first.documents} documents: {full:.1f} s, {first.documents / full:.0f} docs/s, "
          f"{full / first.documents * 1000:.2f} ms/doc")  # fmt: skip
    print(f"incremental run adding {second.documents}: {incr:.2f} s, "
          f"{incr / max(second.documents, 1) * 1000:.2f} ms/doc")  # fmt: skip
    print(f"clustered {docs} documents, {shared} clusters of two or more")
    print(f"fact extraction of the same items, same run: {facts * 1000:.2f} ms/doc")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--no-sweep", action="store_true")
    args = ap.parse_args()
    if not args.no_sweep:
        sweep()
    cost(args.docs)


if __name__ == "__main__":
    main()
