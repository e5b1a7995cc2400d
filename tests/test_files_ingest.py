"""Files from a folder (``vestnik ingest``) and one file (``vestnik extract FILE.pdf``) through the
bounded file reader: PDF, DOCX, ODT, RTF and a real Word 97 .doc; other files are left alone and a
broken one is a recorded error while the rest go on.

``tests/data/word97/protokol-mogilev-2022.doc`` is a genuine Word 97 binary (an OLE compound file)
written by LibreOffice 7.4 (Debian ``libreoffice-writer-nogui``, used only to make it) from the
HTML beside it: ``soffice --headless --convert-to 'doc:MS Word 97' protokol-mogilev-2022.html``.
"""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from corpus import SQLiteStore
from corpus._demo_files import load_files
from crawler import ingest
from crawler._files import read_file
from vestnik.cli import main

WORD97 = Path(__file__).parent / "data" / "word97" / "protokol-mogilev-2022.doc"
GOOD = {f.kind: f for f in load_files() if not f.special}  # pdf, docx, odt
BAD = next(f for f in load_files() if f.special == "corrupt")


class _Blocks(HTMLParser):
    """The text blocks of the .doc's HTML source: headings and paragraphs; a table row as its
    cells joined by spaces (catdoc separates cells by tabs, folded as whitespace)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._cells: list[str] | None = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "p", "td"):
            self._text = []
        elif tag == "tr":
            self._cells = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "p", "td") and self._text is not None:
            text = " ".join("".join(self._text).split())
            if tag == "td" and self._cells is not None:
                self._cells.append(text)
            else:
                self.blocks.append(text)
            self._text = None
        elif tag == "tr" and self._cells is not None:
            self.blocks.append(" ".join(self._cells))
            self._cells = None


def _word97_text() -> str:
    parser = _Blocks()
    parser.feed(WORD97.with_suffix(".html").read_text(encoding="utf-8"))
    return "\n\n".join(parser.blocks)


def test_a_real_word_97_file_is_read_exactly() -> None:
    assert shutil.which("catdoc"), "catdoc is missing: make system-deps"
    data = WORD97.read_bytes()
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file, not RTF
    text = read_file(data, WORD97.name)
    assert text.kind == "doc" and text.note == ""
    assert text.text == _word97_text()
    assert "Товарооборот Могилевской области с Брянской областью" in text.text


def _rtf() -> bytes:
    body = "Соглашение о сотрудничестве Гродненской области и Калининградской области"
    escaped = "".join(f"\\'{b:02x}" for b in body.encode("cp1251"))
    return ("{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0 " + escaped +
            "\\par}").encode("ascii")  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "nested").mkdir(parents=True)
    for kind, demo in GOOD.items():
        shutil.copy(demo.path, (src if kind != "odt" else src / "nested") / demo.path.name)
    shutil.copy(WORD97, src / WORD97.name)
    (src / "soglashenie-grodno.rtf").write_bytes(_rtf())
    shutil.copy(BAD.path, src / BAD.path.name)  # a corrupt PDF
    (src / "tablica.xls").write_bytes(b"\xd0\xcf\x11\xe0 not read")  # left alone
    (src / "page.html").write_text(
        "<html><head><title>Новость</title></head><body><h1>Новость</h1>"
        "<p>Делегация Брестской области посетила Смоленскую область.</p></body></html>",
        encoding="utf-8",
    )
    return src


def test_ingest_reads_every_file_kind_from_a_folder(folder: Path, tmp_path: Path) -> None:
    with SQLiteStore.open(tmp_path / "data") as store:
        summary = ingest(store, [folder])
        docs = {Path(d.url.removeprefix("file://")).name: d for d in store.iter_documents()}
        errors = store.recent_errors(run_id=summary.run_id)
    names = {d.path.name for d in GOOD.values()} | {WORD97.name, "soglashenie-grodno.rtf"}
    assert set(docs) == names | {"page.html"}
    assert (summary.files, summary.new, summary.failed) == (len(names) + 2, len(names) + 1, 1)
    assert [e["url"].rsplit("/", 1)[-1] for e in errors] == [BAD.path.name]
    for kind, demo in GOOD.items():
        doc = docs[demo.path.name]
        assert (doc.kind, doc.file_type, doc.file_name) == ("attachment", kind, demo.path.name)
        assert all(p in doc.body for p in demo.probes) and doc.lang == "ru"
    assert docs[WORD97.name].file_type == "doc" and docs[WORD97.name].body == _word97_text()
    assert "Калининградской области" in docs["soglashenie-grodno.rtf"].body
    assert docs["page.html"].kind == "page"


def test_extract_prints_a_files_fields_and_facts(capsys: pytest.CaptureFixture[str]) -> None:
    demo = GOOD["pdf"]
    assert main(["extract", str(demo.path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["url"] == demo.path.resolve().as_uri()
    assert all(p in out["body"] for p in demo.probes)
    assert out["title"] and out["facts"] != []
    assert main(["extract", str(BAD.path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and BAD.path.name in err
