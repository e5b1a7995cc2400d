"""Story clusters: precision and recall on the demo's cluster gold (dev and held-out halves),
order independence, gone documents leaving, and the CLI's collapsed search and deduplicated facts.

The gold pairs come from the article sources (``copy_of`` / ``same_event``, see
corpus/demo_site/FORMAT.md): same-story pairs are rewritten copies across sites, different-story
pairs are other stories about the same event published the same day. The documents are put into a
real store straight from the sources and clustered by ``update_clusters``; a pair is predicted "same"
when both documents end up in one cluster.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from core.records import DocumentDraft
from corpus import SQLiteStore
from corpus._demo_gold import body_text, build_gold, load_sites
from indexer import run_index
from indexer.clusters import (
    ClusterParams,
    Item,
    judge,
    shingles,
    signature,
    update_clusters,
)
from vestnik.cli import main

MIN_PRECISION = 0.95
MIN_RECALL = 0.9
GOLD = build_gold()
PAIRS = GOLD["clusters"]["pairs"]


def _url(key: str) -> str:
    site, n = key.split(":")
    return f"http://demo.test/{site}/{n}"


def _drafts() -> list[DocumentDraft]:
    out = []
    for name, site in load_sites().items():
        for art in sorted(site.articles.values(), key=lambda a: a.id):
            out.append(
                DocumentDraft(
                    url=_url(f"{name}:{art.id}"),
                    site=name,
                    title=art.title,
                    body=body_text(art.body),
                    lang=art.lang,
                    published=art.published.strftime("%Y-%m-%dT%H:%M"),
                )  # fmt: skip
            )
    return out


@pytest.fixture(scope="module")
def clustered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Cluster id of every demo article ("site:id"), clustered in one run."""
    data = tmp_path_factory.mktemp("clusters")
    with SQLiteStore.open(data) as store:
        ids = {d.url: store.save_document(d).doc_id for d in _drafts()}
        update_clusters(store)
        clusters = store.cluster_ids(ids.values())
    return {key: clusters[ids[_url(key)]] for key in GOLD["articles"]}


def _score(
    pairs: list[dict[str, object]], cluster: dict[str, int]
) -> tuple[float, float, int, int]:
    tp = fp = fn = 0
    for p in pairs:
        same = cluster[str(p["a"])] == cluster[str(p["b"])]
        tp += bool(same and p["same"])
        fp += bool(same and not p["same"])
        fn += bool(not same and p["same"])
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, sum(bool(p["same"]) for p in pairs), sum(not p["same"] for p in pairs)


def _in_second_and_third(p: dict[str, object]) -> bool:
    return all(str(k).split(":")[0] in ("vitebsk", "agency") for k in (p["a"], p["b"]))


def test_gold_has_thirty_pairs_of_each_kind_in_the_second_and_third_sites() -> None:
    kinds = Counter(bool(p["same"]) for p in PAIRS if _in_second_and_third(p))
    assert kinds[True] >= 30 and kinds[False] >= 30


def test_precision_and_recall_on_the_gold_pairs(
    clustered: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    rows = []
    for half in ("dev", "test", "all"):
        pairs = [p for p in PAIRS if half in ("all", p["set"])]
        rows.append((half, *_score(pairs, clustered)))
    with capsys.disabled():
        print(f"\n{'half':6}{'same':>6}{'diff':>6}{'precision':>11}{'recall':>8}")
        for half, precision, recall, same, diff in rows:
            print(f"{half:6}{same:>6}{diff:>6}{precision:>11.3f}{recall:>8.3f}")
    for _, precision, recall, _, _ in rows:
        assert precision >= MIN_PRECISION and recall >= MIN_RECALL
    # no article outside the gold's stories joins a cluster of the gold's stories
    story = GOLD["clusters"]["stories"]
    by_cluster: dict[int, set[str]] = {}
    for key, cid in clustered.items():
        by_cluster.setdefault(cid, set()).add(story.get(key, key))
    assert [s for s in by_cluster.values() if len(s) > 1] == []


def _item(doc_id: int, published: str, title: str, body: str, params: ClusterParams) -> Item:
    found = shingles(title, body, words=params.shingle_words, stem=params.stem_chars)
    return Item(doc_id, published, len(found), signature(found, params.num_perm, params.seed))


BODY = (
    "Делегация Курской области во главе с заместителем губернатора посетила Гомельскую область. "
    "Стороны обсудили поставки техники, строительных материалов и продуктов питания, а также "
    "подготовку совместных выставок и обмен делегациями предприятий в следующем году. "
    "По итогам переговоров подписаны три договора о поставках продукции машиностроения."
)


@pytest.mark.parametrize(
    ("b_title", "b_body", "b_date", "same", "rule"),
    [
        ("Курская делегация в Гомеле", BODY, "2023-05-18", True, "jaccard"),  # other title
        ("", "ГОМЕЛЬ, 18 мая. " + BODY + " Напомним, визит продлится три дня.", "2023-05-19",
         True, "jaccard"),  # dateline and a paragraph added
        ("", BODY, "2023-08-01", False, "window"),  # the same text months later: another story
        ("", "Брянские аграрии осмотрели молочные комплексы Витебского района и обсудили "
         "стажировки зоотехников.", "2023-05-18", False, "different"),
    ],
)  # fmt: skip
def test_the_same_story_relation(
    b_title: str, b_body: str, b_date: str, same: bool, rule: str
) -> None:
    params = ClusterParams()
    a = _item(1, "2023-05-18T10:00", "Курская делегация посетила Гомельскую область", BODY, params)
    b = _item(2, b_date, b_title, b_body, params)
    verdict = judge(a, b, params)
    assert (verdict.same, verdict.rule) == (same, rule)


@pytest.mark.parametrize(("words", "stem"), [(3, 6), (2, 0), (1, 4)])
def test_signatures_are_datasketchs_minhash_values(words: int, stem: int) -> None:
    """``signature`` (numpy) gives datasketch's ``MinHash(scheme="affine32")`` values, and
    ``shingles`` every ``words``-word run of the title and of the body, for texts of any size."""
    from indexer.clusters._signature import minhash

    rng = random.Random(11)
    vocab = BODY.split() + ["ёлка", "Ёж", "2024", "X-5"]
    for n in (0, 1, 2, 3, 5, 40, 300):
        title = " ".join(rng.choice(vocab) for _ in range(n % 7))
        body = " ".join(rng.choice(vocab) for _ in range(n))
        found = shingles(title, body, words=words, stem=stem)
        want: set[str] = set()
        for part in (title, body):
            seq = [w[:stem] if stem else w for w in re.findall(r"\w+", part.lower())]
            seq = [w.replace("ё", "е") for w in seq]
            runs = [seq[i : i + words] for i in range(max(len(seq) - words + 1, 1))]
            want |= {" ".join(r) for r in runs if r}
        assert found == want
        for seed in (1, 20240):
            sig = signature(found, 128, seed)
            assert sig.dtype == np.uint32
            assert sig.tolist() == minhash(found, 128, seed).hashvalues.tolist()


def test_the_candidate_index_finds_what_datasketchs_lsh_and_judge_find(tmp_path: Path) -> None:
    """The numpy banding and bulk judging give the copies that datasketch's MinHashLSH (same
    bands) and ``judge`` give, one pair at a time."""
    from datasketch import LeanMinHash, MinHashLSH

    from indexer.clusters._candidates import CandidateIndex

    params = ClusterParams()
    rng = random.Random(3)
    texts = [" ".join(rng.choice(BODY.split()) for _ in range(60)) for _ in range(120)]
    texts += [t[: len(t) // 2] + " дополнение к тексту" for t in texts[:40]]  # near copies
    items = [_item(i + 1, "2024-01-01", "", t, params) for i, t in enumerate(texts)]
    lsh = MinHashLSH(threshold=params.lsh_threshold, num_perm=params.num_perm, weights=(0.2, 0.8))
    with SQLiteStore.open(tmp_path) as store:
        index = CandidateIndex(store, params)
        index.ensure(items)
        index.add(items[:100])
        index.discard([5, 6])
        index.add(items[100:130])
        for it in items[:130]:
            if it.doc_id not in (5, 6):
                lsh.insert(
                    it.doc_id, LeanMinHash(seed=params.seed, hashvalues=it.sig, scheme="affine32")
                )
        asked = items[130:]
        got = index.neighbours(asked)
    by_id = {it.doc_id: it for it in items}
    want: dict[int, set[int]] = {}
    for it in asked:
        for key in lsh.query(LeanMinHash(seed=params.seed, hashvalues=it.sig, scheme="affine32")):
            if (
                int(key) not in {a.doc_id for a in asked}
                and judge(it, by_id[int(key)], params).same
            ):
                want.setdefault(int(key), set()).add(it.doc_id)
    assert {k: {it.doc_id for it in v} for k, v in got.items()} == want
    assert len(want) >= 25 and 5 not in got and 6 not in got


def test_batches_in_any_order_give_the_same_clusters(
    tmp_path: Path, clustered: dict[str, int]
) -> None:
    drafts = _drafts()
    random.Random(7).shuffle(drafts)
    with SQLiteStore.open(tmp_path) as store:
        ids: dict[str, int] = {}
        for start in range(0, len(drafts), 17):  # documents arrive in small batches
            for d in drafts[start : start + 17]:
                ids[d.url] = store.save_document(d).doc_id
            update_clusters(store)
        got = store.cluster_ids(ids.values())
        # same partition as the one-shot run, and ids are the smallest document id of a cluster
        groups: dict[int, set[str]] = {}
        for url, doc_id in ids.items():
            groups.setdefault(got[doc_id], set()).add(url)
        assert all(min(ids[u] for u in urls) == cid for cid, urls in groups.items())
        want: dict[int, set[str]] = {}
        for key, cid in clustered.items():
            want.setdefault(cid, set()).add(_url(key))
        assert sorted(map(sorted, groups.values())) == sorted(map(sorted, want.values()))
        again = update_clusters(store)
        assert again.documents == 0 and store.cluster_ids(ids.values()) == got
        rebuilt = update_clusters(store, rebuild=True)
        assert rebuilt.documents == len(drafts) and store.cluster_ids(ids.values()) == got


def test_gone_and_changed_documents_leave_their_cluster(tmp_path: Path) -> None:
    drafts = {d.url: d for d in _drafts()}
    original, copy = _url("vitebsk:509"), _url("agency:7009")
    with SQLiteStore.open(tmp_path) as store:
        a = store.save_document(drafts[original]).doc_id
        b = store.save_document(drafts[copy]).doc_id
        update_clusters(store)
        assert store.cluster_ids([a, b]) == {a: a, b: a}
        assert store.shared_clusters() == {a: a, b: a}
        store.mark_gone(original)
        update_clusters(store)
        assert store.cluster_ids([a, b]) == {b: b}
        assert store.shared_clusters() == {}
        store.save_document(drafts[original])  # revived
        update_clusters(store)
        assert store.cluster_ids([a, b]) == {a: a, b: a}
        other = drafts[_url("vitebsk:510")]
        store.save_document(DocumentDraft(**{**drafts[copy].__dict__, "body": other.body}))
        update_clusters(store)  # the copy's text changed into another story
        assert store.cluster_ids([a, b]) == {a: a, b: b}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("stories")
    with SQLiteStore.open(data) as store:
        for d in _drafts():
            store.save_document(d)
        run_index(store, data)
        update_clusters(store)
    return data


def _search(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["search", *args, "--json", "--limit", "100", "--data", str(data)]) == 0
    rows: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return rows


def test_search_json_one_row_per_story_with_copies(
    indexed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _search(indexed, capsys, "тверской области")
    every = _search(indexed, capsys, "тверской области", "--all-copies")
    assert all(
        list(r) == ["url", "title", "published", "site", "lang", "score", "snippet", "cluster",
                    "copies", "kind", "file_type", "parent_url"]
        for r in rows + every
    )  # fmt: skip
    urls = {str(r["url"]) for r in rows}
    copies = [c for r in rows for c in r["copies"]]  # type: ignore[attr-defined]
    assert all(set(c) >= {"url", "site"} for c in copies)
    assert len({r["cluster"] for r in rows}) == len(rows)
    assert urls <= {str(r["url"]) for r in every}
    assert _url("vitebsk:509") in urls | {c["url"] for c in copies}
    story = next(
        r for r in rows if _url("agency:7009") in {r["url"], *(c["url"] for c in r["copies"])}
    )  # type: ignore[attr-defined]
    assert {story["url"], *(c["url"] for c in story["copies"])} == {  # type: ignore[attr-defined]
        _url("vitebsk:509"),
        _url("agency:7009"),
    }
    lonely = [r for r in every if r["copies"] == []]
    assert lonely and all(isinstance(r["cluster"], int) for r in lonely)
    assert len(every) > len(rows)


def _facts(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    capsys.readouterr()
    assert main(["facts", *args, "--data", str(data)]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_facts_dedupe_keeps_one_row_per_fact_per_story_earliest_first(
    indexed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    every = _facts(indexed, capsys, "тверской области", "--type", "trade_change")
    once = _facts(indexed, capsys, "тверской области", "--type", "trade_change", "--dedupe")
    key = ("fact_type", "value", "object", "date")
    both = [r for r in every if r["doc_url"] in (_url("vitebsk:509"), _url("agency:7009"))]
    assert Counter(tuple(r[k] for k in key) for r in both).most_common(1)[0][1] == 2
    kept = [r for r in once if r["doc_url"] in (_url("vitebsk:509"), _url("agency:7009"))]
    assert sorted(tuple(r[k] for k in key) for r in kept) == sorted(
        set(tuple(r[k] for k in key) for r in both)
    )
    assert {r["doc_url"] for r in kept} == {_url("vitebsk:509")}  # the earlier copy
    assert len(once) < len(every)
    assert {tuple(r[k] for k in key) for r in once} == {tuple(r[k] for k in key) for r in every}


def test_the_derive_stage_clusters_with_the_clusters_settings_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.settings import load_settings
    from indexer import run_derive
    from indexer.clusters import PARAMS_KEY

    drafts = {d.url: d for d in _drafts()}
    settings = load_settings(None, {"clusters.jaccard": 0.4, "clusters.window_days": 7})
    with SQLiteStore.open(tmp_path) as store:
        for key in ("vitebsk:509", "agency:7009"):
            store.save_document(drafts[_url(key)])
        run_derive(store, tmp_path, settings=settings)
        assert store.get_meta(PARAMS_KEY) == repr(ClusterParams(jaccard=0.4, window_days=7))
        run_derive(store, tmp_path)  # no settings: the defaults, so everything is re-clustered
        assert store.get_meta(PARAMS_KEY) == repr(ClusterParams())
    bad = tmp_path / "bad.toml"
    bad.write_text("[clusters]\nnum_perm = 4\n", encoding="utf-8")
    assert main(["derive", "--data", str(tmp_path), "--config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("vestnik: error: clusters: ") and err.count("\n") == 1


def test_story_totals_are_exact_up_to_a_limit_then_estimated(
    indexed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from indexer import SearchIndex, SearchRequest
    from indexer.clusters import _stories, search_stories

    with SQLiteStore.open(indexed) as store, SearchIndex.open(indexed) as index:
        exact = search_stories(index, store, SearchRequest("Витебской области"))
        assert exact.exact and 0 < exact.total < exact.documents
        monkeypatch.setattr(_stories, "EXACT_TOTAL", 0)
        rough = search_stories(index, store, SearchRequest("Витебской области"))
        assert not rough.exact and rough.documents == exact.documents
        assert rough.total < rough.documents and abs(rough.total - exact.total) <= exact.total * 0.3
        # the map of shared clusters is reused until a clustering run changes the clusters
        cached = _stories._SHARED[store.url]
        search_stories(index, store, SearchRequest("Курской"))
        assert _stories._SHARED[store.url] is cached
        store.mark_gone(_url("agency:7009"))
        update_clusters(store)
        search_stories(index, store, SearchRequest("Курской"))
        assert _stories._SHARED[store.url] is not cached
        assert len(_stories._SHARED[store.url][1]) < len(cached[1])
