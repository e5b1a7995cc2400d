"""A clustering run walks the documents in publication order and keeps only the window around its
batch in memory (``CandidateIndex.forget_before``): the clusters are those of an index that forgets
nothing, the index stays the size of the window, and a run broken off goes on from its last batch."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from corpus import SQLiteStore
from indexer.clusters import _step as step
from indexer.clusters import update_clusters
from indexer.clusters._candidates import CandidateIndex
from tests.test_clusters import _drafts


def _partition(store: SQLiteStore, ids: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for doc_id, cid in store.cluster_ids(ids).items():
        groups.setdefault(cid, []).append(doc_id)
    return sorted(sorted(g) for g in groups.values())


def _store(path: Path) -> tuple[SQLiteStore, list[int]]:
    drafts = _drafts()
    random.Random(11).shuffle(drafts)  # change order is not publication order
    store = SQLiteStore.open(path)
    return store, [store.save_document(d).doc_id for d in drafts]


BATCH = 2  # documents per batch: a copy and its original mostly fall in different batches


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(step, "BATCH", BATCH)


def test_forgetting_the_past_changes_no_cluster_and_bounds_the_index(
    tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, ids = _store(tmp_path / "a")
    with store:
        real = CandidateIndex.forget_before
        monkeypatch.setattr(CandidateIndex, "forget_before", lambda self, day: None)
        update_clusters(store)
        remembered = _partition(store, ids)
        sizes: list[int] = []

        def forget(self: CandidateIndex, day: int) -> None:
            real(self, day)
            sizes.append(len(self.keys))

        monkeypatch.setattr(CandidateIndex, "forget_before", forget)
        update_clusters(store, rebuild=True)
        assert _partition(store, ids) == remembered
    assert any(len(g) > 1 for g in remembered)  # there are stories to get wrong
    assert len(sizes) == -(-len(ids) // BATCH) and max(sizes) < len(ids) // 3, sizes


def test_a_run_broken_off_goes_on_from_its_last_batch(
    tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, ids = _store(tmp_path / "a")
    with store:
        update_clusters(store)
        whole = _partition(store, ids)
    store, ids = _store(tmp_path / "b")
    with store:
        calls: list[int] = []
        real = step.cluster_batch

        def dies_in_the_fourth(*args: object, **kw: object) -> tuple[int, int]:
            calls.append(1)
            if len(calls) == 4:
                raise KeyboardInterrupt  # as a kill would, between two batches' writes
            return real(*args, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(step, "cluster_batch", dies_in_the_fourth)
        with pytest.raises(KeyboardInterrupt):
            update_clusters(store)
        high, day, last = (int(p) for p in store.get_meta(step.CURSOR_KEY).split())
        assert high == store.max_seq() and store.get_meta(step.MARK_KEY, "0") == "0"
        monkeypatch.setattr(step, "cluster_batch", real)
        rest = update_clusters(store)
        assert rest.documents == len(ids) - 3 * BATCH  # three batches were done
        assert _partition(store, ids) == whole
        assert store.get_meta(step.CURSOR_KEY) == ""
        assert store.get_meta(step.MARK_KEY) == str(store.max_seq())
