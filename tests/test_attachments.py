"""Attachments through a real crawl of the demo sites: every file stored once with its parent, its
text exact, words found only inside a PDF found by ``vestnik search``, gold facts and regions of the
files, unreadable files recorded, conditional re-fetch and a changed file's new version, and every
kind of bad file one recorded error that crashes nothing."""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from core.enums import DocKind
from corpus import SQLiteStore
from corpus._demo_files import load_files, render
from corpus._demo_gold import MINSK, Article, Attachment, load_sites
from corpus._demo_server import DemoServer
from crawler import CrawlSummary, crawl
from indexer import run_index
from indexer.facts import extract_facts
from tests._crawl_helpers import ATTACHMENT_GOLD, GOLD, mpt_profile, settings_for
from tests.test_facts_gold import TYPES, fact_key
from vestnik.cli import main

MIN_PRECISION, MIN_RECALL = 0.95, 0.9


@dataclass
class Crawled:
    srv: DemoServer
    store: SQLiteStore
    summary: CrawlSummary
    data: Path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    data = tmp_path_factory.mktemp("attach")
    with DemoServer(state=1) as srv, SQLiteStore.open(data) as store:
        settings = settings_for(data, (mpt_profile(srv.base_url("mpt")),))
        summary = crawl(store, settings, ["mpt", srv.start_url("vitebsk")], progress=False)
        run_index(store, data, progress=False)
        yield Crawled(srv, store, summary, data)


def _parent_url(srv: DemoServer, gold: dict[str, Any]) -> str:
    art = GOLD[f"{gold['site']}:{gold['parent']}"]
    return srv.base_url(gold["site"]) + art["canonical"]


def _attachments(store: SQLiteStore) -> list[Any]:
    return [d for d in store.iter_documents(state=None) if d.kind == DocKind.ATTACHMENT]


READABLE = {k: g for k, g in ATTACHMENT_GOLD.items() if not g["special"]}
UNREADABLE = {k: g for k, g in ATTACHMENT_GOLD.items() if g["special"]}


@pytest.mark.parametrize("key", sorted(READABLE))
def test_every_attachment_stored_once_with_its_parent(crawled: Crawled, key: str) -> None:
    gold = READABLE[key]
    url = crawled.srv.base_url(gold["site"]) + gold["href"]
    docs = [d for d in _attachments(crawled.store) if d.url == url]
    assert len(docs) == 1
    doc = docs[0]
    parent = crawled.store.find_document(_parent_url(crawled.srv, gold))
    assert parent is not None
    assert (doc.parent_url, doc.file_name, doc.file_type) == (
        parent.url,
        gold["name"],
        gold["kind"],
    )
    assert (doc.title, doc.body, doc.lang) == (gold["title"], gold["text"], "ru")
    assert doc.published == parent.published
    assert url in parent.attachments
    assert [a.url for a in crawled.store.attachments_of(parent.url)] == [url]


def test_only_the_readable_files_became_documents(crawled: Crawled) -> None:
    stored = sorted(d.file_name for d in _attachments(crawled.store))
    assert stored == sorted(g["name"] for g in READABLE.values())
    assert crawled.summary.files == len(READABLE)


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("soglashenie-kaluga-2021.pdf", "encrypted PDF (a password is needed to read it)"),
        ("protokol-smolensk-2021.pdf", "damaged PDF: "),
    ],
)
def test_unreadable_demo_files_are_one_recorded_error(
    crawled: Crawled, name: str, error: str
) -> None:
    gold = next(g for g in UNREADABLE.values() if g["name"] == name)
    url = crawled.srv.base_url(gold["site"]) + gold["href"]
    errors = [
        e
        for e in crawled.store.recent_errors(500, run_id=crawled.summary.run_id)
        if e["url"] == url
    ]
    assert [e["error"].startswith(f"attachment {name}: {error}") for e in errors] == [True]
    assert "\n" not in errors[0]["error"]
    page = crawled.store.get_page(url)
    assert page is not None and page.state == "error"
    assert crawled.store.find_document(url) is None
    parent = crawled.store.find_document(_parent_url(crawled.srv, gold))
    assert parent is not None and url in parent.attachments  # the article itself is kept


@pytest.mark.parametrize(
    "probe", sorted({(k, p) for k, g in READABLE.items() for p in g["probes"]}), ids=str
)
def test_search_finds_words_only_inside_the_file(
    crawled: Crawled, probe: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    key, word = probe
    gold = READABLE[key]
    url = crawled.srv.base_url(gold["site"]) + gold["href"]
    assert main(["search", word, "--data", str(crawled.data), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["url"] for r in rows] == [url]


def _fact_dict(f: Any) -> dict[str, Any]:
    return {
        "fact_type": f.fact_type, "value": f.value, "qualifier": f.qualifier, "object": f.object,
        "counterpart_value": f.counterpart_value, "counterpart_object": f.counterpart_object,
        "persons": list(f.persons), "date": f.date,
    }  # fmt: skip


def test_attachment_facts_and_regions_against_gold(crawled: Crawled) -> None:
    table = {t: [0, 0, 0] for t in TYPES}  # true positives, extracted, gold
    for gold in READABLE.values():
        doc = crawled.store.find_document(crawled.srv.base_url(gold["site"]) + gold["href"])
        assert doc is not None
        result = extract_facts(doc.title, doc.body, doc.lang)
        assert sorted(result.regions) == sorted(gold["regions"]), gold["name"]
        assert sorted(doc.regions) == sorted(gold["regions"])  # the index run stored them
        want = Counter(fact_key(g) for g in gold["facts"])
        got = Counter(fact_key(_fact_dict(f)) for f in result.facts)
        for k, n in got.items():
            table[k[0]][0] += min(n, want.get(k, 0))
            table[k[0]][1] += n
        for k, n in want.items():
            table[k[0]][2] += n
    tp, found, total = (sum(v[i] for v in table.values()) for i in range(3))
    print(f"\nattachment facts: {tp} of {found} extracted right, {tp} of {total} gold found")
    for kind, (t, f, g) in table.items():
        print(f"  {kind:16} tp={t} extracted={f} gold={g}")
    assert total >= 15
    assert tp / found >= MIN_PRECISION
    assert tp / total >= MIN_RECALL


def test_facts_export_carries_the_attachment_url(crawled: Crawled) -> None:
    gold = next(g for g in READABLE.values() if g["kind"] == "docx")
    url = crawled.srv.base_url(gold["site"]) + gold["href"]
    doc = crawled.store.find_document(url)
    assert doc is not None
    rows = [r for r in crawled.store.iter_facts() if r.doc_id == doc.id]
    assert rows != []
    assert {r.doc_url for r in rows} == {url}


# --- re-crawls: conditional requests, a changed file ----------------------------------------------


def test_recrawl_is_conditional_and_a_changed_file_is_a_new_version(tmp_path: Path) -> None:
    pdf = next(f for f in load_files() if f.kind == "pdf" and not f.special and f.site == "mpt")
    with DemoServer(state=1) as srv, SQLiteStore.open(tmp_path) as store:
        base = srv.base_url("mpt")
        settings = settings_for(tmp_path, (mpt_profile(base),))
        crawl(store, settings, ["mpt"], progress=False)
        srv.clear_requests()
        again = crawl(store, settings, ["mpt"], progress=False)
        hits = [r for r in srv.requests if r.path == pdf.href]
        assert [(r.status, "If-None-Match" in r.headers) for r in hits] == [(304, True)]
        assert (again.files, again.file_errors) == (0, 0)

        other = next(f for f in load_files() if f.kind == "docx")
        srv.set_file("mpt", pdf.href, render(other), other.content_type)  # same name, new bytes
        third = crawl(store, settings, ["mpt"], progress=False)
        doc = store.find_document(base + pdf.href)
        assert doc is not None
        assert (third.files, doc.version, doc.file_type) == (1, 2, "docx")
        versions = store.document_versions(doc.id)
        assert [v["version"] for v in versions] == [1, 2]


# --- bad files of every kind --------------------------------------------------------------------


def _pdf(pages: int, blank: bool = False) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    source = next(f for f in load_files() if f.kind == "pdf" and not f.special)
    for _ in range(pages):
        if blank:
            writer.add_blank_page(width=595, height=842)
        else:
            writer.add_page(PdfReader(source.path).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            for _ in range(120):
                fh.write(b" " * (1 << 20))
    return buf.getvalue()


BAD_FILES = {  # path -> (bytes, content type, the start of the recorded error)
    "/sites/default/files/skan.pdf": (lambda: _pdf(2, blank=True), "application/pdf",
                                      "PDF without a text layer"),
    "/sites/default/files/bomba.docx": (_zip_bomb, "application/octet-stream",
                                        "DOCX declares 125 MB unpacked"),
    "/sites/default/files/oshibka.pdf": (lambda: b"<!DOCTYPE html><html>404</html>",
                                         "application/pdf", "content does not match .pdf"),
    "/sites/default/files/obrezan.pdf": (lambda: _pdf(3)[:900], "application/pdf", "damaged PDF"),
    "/sites/default/files/dlinnyj.pdf": (lambda: _pdf(200), "application/pdf",
                                         "read 100 of 200 pages"),
}  # fmt: skip


def test_every_kind_of_bad_file_is_recorded_and_crashes_nothing(tmp_path: Path) -> None:
    sites = load_sites()
    mpt = sites["mpt"]
    article = Article(
        "mpt", 8390, "ru", "ru", datetime(2024, 2, 1, 10, 0, tzinfo=MINSK),
        "Опубликованы материалы заседания коллегии министерства",
        body="На сайте министерства опубликованы материалы заседания коллегии, посвященного "
        "итогам сотрудничества с регионами Российской Федерации в 2023 году.\n\n"
        "В материалах приведены планы мероприятий, протоколы и сведения о выполнении "
        "подписанных соглашений с областями и республиками.",
        attachments=tuple(Attachment(p, p.rsplit("/", 1)[1]) for p in BAD_FILES),
    )  # fmt: skip
    mpt.articles[article.id] = article
    with DemoServer(state=1, sites=sites) as srv, SQLiteStore.open(tmp_path) as store:
        for path, (make, ctype, _) in BAD_FILES.items():
            srv.set_file("mpt", path, make(), ctype)
        base = srv.base_url("mpt")
        summary = crawl(store, settings_for(tmp_path, (mpt_profile(base),)), ["mpt"],
                        progress=False)  # fmt: skip
        errors = {e["url"]: e["error"] for e in store.recent_errors(500, run_id=summary.run_id)}
        for path, (_, _, error) in BAD_FILES.items():
            name = path.rsplit("/", 1)[1]
            assert errors[base + path].startswith(f"attachment {name}: {error}"), errors[
                base + path
            ]
            assert "\n" not in errors[base + path]
        long_pdf = store.find_document(base + "/sites/default/files/dlinnyj.pdf")
        assert long_pdf is not None and long_pdf.file_type == "pdf"  # bounded, kept
        assert summary.file_errors == len(BAD_FILES) - 1 + 1  # four errors + the encrypted demo
        gold_pages = [g for g in GOLD.values() if g["site"] == "mpt" and 1 in g["states"]
                      and g["special"] != "robots_target"]  # fmt: skip
        assert summary.new == len(gold_pages) + 1  # every article still stored
        assert summary.status == "ok"


def test_attachments_can_be_switched_off(tmp_path: Path) -> None:
    with DemoServer(state=1) as srv, SQLiteStore.open(tmp_path) as store:
        settings = settings_for(tmp_path, (mpt_profile(srv.base_url("mpt")),),
                                **{"attachments.fetch": False})  # fmt: skip
        summary = crawl(store, settings, ["mpt"], progress=False)
        assert (summary.files, _attachments(store)) == (0, [])
        assert not [r for r in srv.requests if "/files/" in r.path]
