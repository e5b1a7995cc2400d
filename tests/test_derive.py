"""The derive stage: facts once per text, re-derive on a rule change without an index rebuild,
index rebuilds that extract nothing, parallel workers, a SIGKILLed derive run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

import indexer._derive as derive_mod
from core.records import DocumentDraft
from corpus import SQLiteStore, Store
from indexer import (
    DERIVE_STEPS,
    Derivation,
    DeriveStep,
    SearchIndex,
    run_derive,
    run_index,
)
from vestnik.cli import main

ROOT = Path(__file__).resolve().parents[1]

TEXTS = [
    "Подписано 81 соглашение с 73 российскими регионами. Делегация Курской области приехала.",
    "Товарооборот с Брянской областью вырос на 12 процентов. Губернатор Брянской области выступил.",
    "Новости ярмарки льна в Витебске без чисел.",
]


def _fill(store: Store, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        store.save_document(
            DocumentDraft(
                url=f"http://d.test/{i}", site="mpt", title=f"Новость {i}",
                body=TEXTS[i % len(TEXTS)] + f" Номер {i}.", published="2024-01-02",
            )
        )  # fmt: skip


def _facts(store: Store) -> list[tuple[int, str, str]]:
    return sorted((r.doc_id, r.fact.fact_type, r.fact.value) for r in store.iter_facts())


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    with SQLiteStore.open(tmp_path) as store:
        _fill(store, 9)
    return tmp_path


def test_index_derives_once_and_a_rebuild_extracts_nothing(data: Path) -> None:
    with SQLiteStore.open(data) as store:
        first = run_index(store, data)
        assert (first.added, first.derived) == (9, 9)
        facts = _facts(store)
        assert {t for _, t, _ in facts} >= {"agreement_count", "trade_change"}
        assert run_index(store, data).derived == 0
        rebuilt = run_index(store, data, rebuild=True)
        assert (rebuilt.added, rebuilt.derived, rebuilt.facts) == (9, 0, 0)
        assert _facts(store) == facts
        store.save_document(
            DocumentDraft(url="http://d.test/1", site="mpt", title="Новость 1",
                          body="Теперь без фактов о Смоленской области.", published="2024-01-02")
        )  # fmt: skip
        changed = run_index(store, data)
        assert (changed.derived, changed.updated) == (1, 1)
        assert store.get_document(2) is not None
        assert "Смоленская область" in store.get_document(2).regions  # type: ignore[union-attr]
    with SearchIndex.open(data) as index:
        assert index.doc_ids("", region="Курская область") == [1, 4, 7]
        assert index.doc_ids("", region="Смоленская область") == [2]


class _TagStep(DeriveStep):
    """A stand-in for an edited rule: one more region for the documents with a number."""

    name = "tag"

    def version(self) -> str:
        return "2"

    def run(self, batch: Sequence[Derivation], store: Store) -> None:
        for item in batch:
            if "81" in item.doc.body:
                item.fields["regions"] = (*item.fields.get("regions", ()), "Тестовая область")


def test_a_changed_step_re_derives_and_the_index_updates_without_a_rebuild(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SQLiteStore.open(data) as store:
        run_index(store, data)
        inode = (data / "index").stat().st_ino
        monkeypatch.setattr(derive_mod, "DERIVE_STEPS", (*DERIVE_STEPS, _TagStep()))
        summary = run_index(store, data)
        # every document derived afresh; only the three whose fields changed are re-indexed
        assert (summary.derived, summary.updated, summary.added) == (9, 3, 0)
        assert (data / "index").stat().st_ino == inode
        assert run_index(store, data).derived == 0
    with SearchIndex.open(data) as index:
        assert index.doc_ids('region:"Тестовая область"') == [1, 4, 7]


def test_derive_rebuild_re_derives_everything_with_the_same_facts(data: Path) -> None:
    with SQLiteStore.open(data) as store:
        run_derive(store, data)
        facts = _facts(store)
        again = run_derive(store, data, rebuild=True)
        assert (again.derived, again.current) == (9, 0)
        assert _facts(store) == facts


def test_parallel_derive_gives_the_facts_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for d in (one, two):
        with SQLiteStore.open(d) as store:
            _fill(store, 30)
    monkeypatch.setattr(derive_mod, "PARALLEL_MIN_DOCS", 0)
    with SQLiteStore.open(one) as a, SQLiteStore.open(two) as b:
        run_derive(a, one, procs=1)
        summary = run_derive(b, two, procs=2)
        assert summary.derived == 30
        assert _facts(a) == _facts(b) and len(_facts(a)) == 40  # partner_count, signed_document too


def test_derive_command_prints_its_summary(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["derive", "--data", str(data)]) == 0
    assert capsys.readouterr().out.startswith("derived: 9 documents (0 already current)")
    assert main(["derive", "--data", str(data)]) == 0
    assert capsys.readouterr().out.startswith("derived: 0 documents")


_KILLED = """
import sys, time
from pathlib import Path
import indexer._derive as d
from corpus import SQLiteStore, Store
data, marker = Path(sys.argv[1]), Path(sys.argv[2])
d.BATCH = 3
real = d.derive_batch
calls = [0]
def slow(*args):
    calls[0] += 1
    if calls[0] == 3:             # two batches of 3 saved
        marker.write_text("go")
        time.sleep(60)
    return real(*args)
d.derive_batch = slow
d.run_derive(SQLiteStore.open(data), data, rebuild=len(sys.argv) > 3)
"""


@pytest.mark.parametrize("rebuild", [False, True])
def test_a_killed_derive_run_resumes_and_loses_nothing(
    data: Path, tmp_path_factory: pytest.TempPathFactory, rebuild: bool
) -> None:
    with SQLiteStore.open(data) as store:
        run_derive(store, data)
        if not rebuild:
            _fill(store, 9, start=9)  # 9 new documents for the killed incremental run
    reference = tmp_path_factory.mktemp("reference")
    with SQLiteStore.open(reference) as store:
        _fill(store, 9 if rebuild else 18)
        run_derive(store, reference)
        expected = _facts(store)
    marker = data / "marker"
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_KILLED), str(data), str(marker)]
        + (["rebuild"] if rebuild else []),
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with SQLiteStore.open(data) as store:
        assert store.integrity_ok()
        resumed = run_derive(store, data)
        # the killed run saved two batches of three; the next run derives the last three only
        assert (resumed.derived, resumed.current) == (3, 6 if rebuild else 0)
        assert run_derive(store, data).derived == 0
        assert _facts(store) == expected


def test_derive_and_index_on_postgresql_match_sqlite(tmp_path: Path, pg_url: str) -> None:
    from corpus import open_store

    with SQLiteStore.open(tmp_path / "lite") as lite, open_store(pg_url) as pg:
        for store, folder in ((lite, tmp_path / "lite"), (pg, tmp_path / "pg")):
            _fill(store, 9)
            assert run_index(store, folder).derived == 9
            assert run_index(store, folder, rebuild=True).derived == 0
        assert _facts(pg) == _facts(lite) and _facts(lite)
        assert pg.derived_fields([1, 2]) == lite.derived_fields([1, 2])
    with SearchIndex.open(tmp_path / "pg") as index:
        assert index.doc_ids("", region="Курская область") == [1, 4, 7]
