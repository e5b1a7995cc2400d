"""Story clusters and region dossiers on a real PostgreSQL store, compared with SQLite.

The demo corpus (every article of the three demo sites, straight from the sources) goes into a
SQLite store and into a PostgreSQL store (the session's throwaway server, ``tests/_pg.py``) in the
same order; each is derived (facts, then clusters) and indexed by ``run_index``: Whoosh for SQLite,
the PostgreSQL backend for PostgreSQL. Then the clusters, ``vestnik region`` (json and csv) and the
collapsed ``vestnik search --json`` must be the same on both.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpus import SQLiteStore, open_store
from indexer import run_index
from tests._pg import PgServer
from tests.test_clusters import GOLD, _drafts, _url
from vestnik.cli import main


@dataclass(frozen=True)
class Stores:
    sqlite: str  # store URL
    sqlite_data: Path
    pg: str
    pg_data: Path


@pytest.fixture(scope="module")
def stores(pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> Stores:
    lite = tmp_path_factory.mktemp("clusters-sqlite")
    pg_data = tmp_path_factory.mktemp("clusters-pg")
    pg_url = pg_server.new_database()
    drafts = _drafts()
    with SQLiteStore.open(lite) as store:
        for d in drafts:
            store.save_document(d)
        run_index(store, lite, progress=False)
        lite_url = store.url
    with open_store(pg_url) as store:
        for d in drafts:
            store.save_document(d)
        run_index(store, pg_data, backend="postgres", progress=False)
    return Stores(lite_url, lite, pg_url, pg_data)


def _partition(url: str) -> set[frozenset[str]]:
    """The clusters as sets of URLs (ids may differ between stores)."""
    with open_store(url) as store:
        urls = {d.id: d.url for d in store.iter_documents(state=None)}
        ids = store.cluster_ids(urls)
    groups: dict[int, set[str]] = {}
    for doc_id, cid in ids.items():
        groups.setdefault(cid, set()).add(urls[doc_id])
    assert all(min(d for d in ids if ids[d] == cid) == cid for cid in groups)
    return {frozenset(g) for g in groups.values()}


def test_the_demo_corpus_gives_the_same_clusters_on_sqlite_and_postgresql(stores: Stores) -> None:
    lite, pg = _partition(stores.sqlite), _partition(stores.pg)
    assert pg == lite
    assert sum(map(len, lite)) == len(_drafts())  # every document clustered
    # and they are the gold's stories: each same-story pair in one cluster on PostgreSQL
    where = {u: g for g in pg for u in g}
    for p in GOLD["clusters"]["pairs"]:
        assert (where[_url(p["a"])] == where[_url(p["b"])]) == p["same"], p
    assert sum(len(g) > 1 for g in pg) >= 25


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["json", "csv", "text"])
def test_the_region_dossier_is_identical_on_both_stores(
    stores: Stores, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    args = ["region", "Курская область", "--format", fmt]
    lite = _run(capsys, "--store", stores.sqlite, *args, "--data", str(stores.sqlite_data))
    pg = _run(capsys, "--store", stores.pg, *args, "--data", str(stores.pg_data))
    assert pg == lite
    if fmt == "json":
        dossier = json.loads(pg)
        assert dossier["region"] == "Курская область"
        assert dossier["agreements"] and dossier["trade"] and dossier["months"]
    if fmt == "csv":
        sections = {line.split(",", 1)[0] for line in pg.splitlines()[1:]}
        assert {"documents", "agreement", "trade", "partner"} <= sections


@pytest.mark.parametrize("query", ["Курская область", "Витебск", "соглашение"])
def test_search_collapses_stories_with_the_postgresql_backend(
    stores: Stores,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    query: str,
) -> None:
    def rows(store: str, data: Path, backend: str) -> set[tuple[str, frozenset[str]]]:
        monkeypatch.setenv("VESTNIK_SEARCH_BACKEND", backend)
        out = _run(capsys, "--store", store, "search", query, "--json", "--limit", "200",
                   "--data", str(data))  # fmt: skip
        got = json.loads(out)
        assert all(isinstance(r["cluster"], int) for r in got)
        return {(r["url"], frozenset(c["url"] for c in r["copies"])) for r in got}

    pg = rows(stores.pg, stores.pg_data, "postgres")
    lite = rows(stores.sqlite, stores.sqlite_data, "whoosh")
    # the same stories with the same copies (which copy stands for a story may differ in rank)
    assert {frozenset({u, *c}) for u, c in pg} == {frozenset({u, *c}) for u, c in lite}
    assert any(copies for _, copies in pg)  # some stories were collapsed
