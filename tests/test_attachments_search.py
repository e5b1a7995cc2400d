"""Attachments in search, facts and the UI, on a real crawl of the demo sites: the ``kind`` field
(``kind:attachment`` / ``тип:вложение``, ``kind:page`` / ``тип:страница``) and facet, hits that
carry the file type and the parent, facts rows with the file's URL and the parent's title, and the
UI showing the files under their article (AppTest)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from corpus import DemoServer, SQLiteStore
from crawler import crawl
from indexer import SearchIndex, SearchRequest, run_index
from tests._crawl_helpers import ATTACHMENT_GOLD, GOLD, mpt_profile, settings_for
from vestnik.cli import main

APP = str(Path(__file__).resolve().parents[1] / "search_ui" / "app.py")
READABLE = {k: g for k, g in ATTACHMENT_GOLD.items() if not g["special"]}


@dataclass
class Indexed:
    data: Path
    bases: dict[str, str]  # site -> base URL of the crawl
    pages: int
    files: int


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Indexed]:
    data = tmp_path_factory.mktemp("attachments-search")
    with DemoServer(state=1) as srv, SQLiteStore.open(data) as store:
        bases = {s: srv.base_url(s) for s in ("mpt", "vitebsk")}
        settings = settings_for(data, (mpt_profile(bases["mpt"]),))
        crawl(store, settings, ["mpt", srv.start_url("vitebsk")], progress=False)
        run_index(store, data)
        docs = list(store.iter_documents())
    files = sum(d.kind == "attachment" for d in docs)
    old = os.environ.get("VESTNIK_DATA")
    os.environ["VESTNIK_DATA"] = str(data)
    yield Indexed(data, bases, len(docs) - files, files)
    if old is None:
        os.environ.pop("VESTNIK_DATA", None)
    else:
        os.environ["VESTNIK_DATA"] = old


def _search(data: Path, query: str, **kw: Any) -> Any:
    with SearchIndex.open(data) as index:
        return index.search(SearchRequest(query, per_page=100, **kw))


def _url(ix: Indexed, gold: dict[str, Any]) -> str:
    return ix.bases[gold["site"]] + gold["href"]


def _parent(ix: Indexed, gold: dict[str, Any]) -> dict[str, Any]:
    return GOLD[f"{gold['site']}:{gold['parent']}"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("query", ["kind:attachment", "тип:вложение", "ТИП:Вложения", "тип:файл"])
def test_kind_filter_finds_the_attachments(indexed: Indexed, query: str) -> None:
    res = _search(indexed.data, query)
    assert res.total == indexed.files == len(READABLE)
    assert {h.url for h in res.hits} == {_url(indexed, g) for g in READABLE.values()}
    for hit in res.hits:
        gold = next(g for g in READABLE.values() if _url(indexed, g) == hit.url)
        assert (hit.kind, hit.file_type) == ("attachment", gold["kind"])
        assert hit.parent_url == indexed.bases[gold["site"]] + _parent(indexed, gold)["canonical"]


@pytest.mark.parametrize("query", ["kind:page", "тип:страница"])
def test_kind_page_leaves_the_files_out(indexed: Indexed, query: str) -> None:
    res = _search(indexed.data, query)
    assert res.total == indexed.pages
    assert {h.kind for h in res.hits} == {"page"} and {h.file_type for h in res.hits} == {""}


def test_kind_facet_and_request_filter(indexed: Indexed) -> None:
    res = _search(indexed.data, "")
    assert dict(res.facets["kind"]) == {"page": indexed.pages, "attachment": indexed.files}
    probe = next(g for g in READABLE.values() if g["kind"] == "pdf")["probes"][0]
    assert _search(indexed.data, probe).total == 1  # a word only inside a PDF
    assert _search(indexed.data, f"{probe} тип:страница").total == 0
    assert _search(indexed.data, probe, kind="page").total == 0
    assert _search(indexed.data, probe, kind="attachment").total == 1
    assert _search(indexed.data, f"{probe} NOT тип:вложение").total == 0


def test_cli_search_kind_option_and_json_keys(
    indexed: Indexed, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    probe = next(g for g in READABLE.values() if g["kind"] == "pdf")["probes"][0]
    argv = ["search", probe, "--json", "--all-copies", "--data", str(indexed.data)]
    assert main([*argv, "--kind", "page"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main([*argv, "--kind", "attachment"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    gold = next(g for g in READABLE.values() if _url(indexed, g) == row["url"])
    assert (row["kind"], row["file_type"]) == ("attachment", "pdf") == ("attachment", gold["kind"])
    assert row["parent_url"] == indexed.bases[gold["site"]] + _parent(indexed, gold)["canonical"]
    assert main(["search", probe, "--data", str(indexed.data)]) == 0
    assert f"PDF · вложение к статье {row['parent_url']}" in capsys.readouterr().out
    assert main(["search", "тип:вложение OR тип:страница", "--json", "--all-copies", "--limit",
                 "1000", "--data", str(indexed.data)]) == 0  # fmt: skip
    rows = json.loads(capsys.readouterr().out)
    assert sum(r["kind"] == "attachment" for r in rows) == indexed.files
    assert {(r["file_type"], r["parent_url"]) for r in rows if r["kind"] == "page"} == {("", "")}


def test_facts_rows_of_a_file_carry_its_url_and_the_parents_title(
    indexed: Indexed, tmp_path: Path
) -> None:
    gold = next(g for g in READABLE.values() if g["kind"] == "docx")  # the table of documents
    url, parent = _url(indexed, gold), _parent(indexed, gold)
    out = tmp_path / "facts.csv"
    assert main(["facts", "--data", str(indexed.data), "--output", str(out)]) == 0
    rows = [r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
            if r["doc_url"] == url]  # fmt: skip
    assert rows != []
    assert {r["doc_title"] for r in rows} == {parent["title"]}
    assert {r["published"][:10] for r in rows} == {parent["published"][:10]}


# -- the UI ---------------------------------------------------------------------------------------


def _app(params: dict[str, str], page: str = "") -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(f"_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: Any) -> str:
    return " ".join(str(el.proto.body) for el in at.get("html") if "<style>" not in el.proto.body)


def _links(at: Any) -> list[tuple[str, str]]:
    return [(str(el.proto.label), str(el.proto.page)) for el in at.get("page_link")]


def test_results_show_the_file_type_and_the_parent(indexed: Indexed) -> None:
    gold = next(g for g in READABLE.values() if g["kind"] == "pdf")
    at = _app({"q": gold["probes"][0]})
    html = _html(at)
    assert "<b>PDF</b> · вложение к статье «" in html
    assert _parent(indexed, gold)["title"] in html


def test_document_page_lists_the_files_under_their_article(indexed: Indexed) -> None:
    gold = next(g for g in READABLE.values() if g["kind"] == "docx")
    with SQLiteStore.open(indexed.data) as store:
        parent = store.find_document(
            indexed.bases[gold["site"]] + _parent(indexed, gold)["canonical"]
        )
        file = store.find_document(_url(indexed, gold))
    assert parent is not None and file is not None
    at = _app({"doc": str(parent.id)}, page="document")
    assert any("Вложения (1)" in str(el.value) for el in at.subheader)
    html = _html(at)
    assert "DOCX" in html and gold["name"] in html and file.url in html
    assert any(file.title[:40] in label for label, _ in _links(at))
    at = _app({"doc": str(file.id)}, page="document")
    html = _html(at)
    assert "Вложение к статье" in html and parent.title in html and "DOCX" in html
    assert any(parent.title[:40] in label for label, _ in _links(at))


def test_the_kind_filter_in_the_sidebar(indexed: Indexed) -> None:
    probe = next(g for g in READABLE.values() if g["kind"] == "pdf")["probes"][0]
    at = _app({"q": probe})
    kind = next(s for s in at.selectbox if s.label == "Тип")
    assert [kind.format_func(o) for o in kind.options] == ["все", "вложения (файлы) (1)"]
    at = _app({"q": probe, "kind": "page"})
    assert any("Ничего не найдено" in str(el.value) for el in at.info)
    at = _app({"q": probe, "kind": "attachment"})
    assert "<b>PDF</b>" in _html(at)
