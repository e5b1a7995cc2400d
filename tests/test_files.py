"""Text of attached files (crawler._files): the demo's files read exactly, Russian line-end
hyphenation, headers and footers, and every kind of bad file as one clear error or a bounded read."""

from __future__ import annotations

import doctest
import io
import zipfile
from pathlib import Path

import pytest

from core.errors import ExtractError
from corpus._demo_files import expected_text, load_files, render
from crawler._files import (
    FileLimits,
    RawText,
    _clean,
    _kinds,
    clean_text,
    join_hyphenated,
    read_file,
    sniff,
)

GOOD = [f for f in load_files() if not f.special]
BAD = [f for f in load_files() if f.special]


def test_doctests() -> None:
    for module in (_clean, _kinds):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("развитие сотрудни-", "чества", "развитие сотрудничества"),  # a word cut at the end
        ("в сфере взаимо-", "действия", "в сфере взаимодействия"),
        ("научно-", "технического", "научно-технического"),  # a compound the dictionary knows
        ("волоконно-", "оптических линий", "волоконно-оптических линий"),
        ("информационно-", "коммуникационных", "информационно-коммуникационных"),  # linking "о"
        ("по-", "прежнему", "по-прежнему"),
        ("г. Санкт-", "Петербург", "г. Санкт-Петербург"),  # capital after the hyphen
        ("на 2023-", "2025 годы", "на 2023-2025 годы"),  # numbers
        ("подпи\u00ad", "сали", "подписали"),  # a soft hyphen always goes
        ("Шклов-", "ского района", "Шкловского района"),  # unknown either way: joined
    ],
)
def test_line_end_hyphenation(left: str, right: str, joined: str) -> None:
    assert join_hyphenated(left, right) == joined


def test_headers_footers_and_page_breaks() -> None:
    pages = (
        ("Протокол № 7 от 3 мая", "1. Стороны договорились об обмене", "опытом в сфере", "- 1 -"),
        ("Протокол № 7 от 3 мая", "связи и информатизации.", "", "2. Следующее заседание", "- 2 -"),
        ("Протокол № 7 от 3 мая", "пройдет в Пскове.", "- 3 -"),
    )
    assert clean_text(RawText("pdf", pages, paged=True)) == (
        "1. Стороны договорились об обмене опытом в сфере связи и информатизации.\n\n"
        "2. Следующее заседание пройдет в Пскове."
    )


def test_one_page_keeps_its_lines() -> None:
    raw = RawText("pdf", (("Протокол № 7", "Стороны договорились."),), paged=True)
    assert clean_text(raw) == "Протокол № 7 Стороны договорились."


@pytest.mark.parametrize("demo", GOOD, ids=lambda f: f.name)
def test_demo_file_text_exact(demo: object) -> None:
    from corpus._demo_files import DemoFile

    assert isinstance(demo, DemoFile)
    got = read_file(demo.path.read_bytes(), demo.name, demo.content_type)
    assert (got.kind, got.text, got.note) == (demo.kind, expected_text(demo), "")
    assert got.title == demo.title
    for probe in demo.probes:
        assert probe in got.text


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("soglashenie-kaluga-2021.pdf", "encrypted PDF (a password is needed to read it)"),
        ("protokol-smolensk-2021.pdf", "damaged PDF"),
    ],
)
def test_demo_bad_files(name: str, error: str) -> None:
    demo = next(f for f in BAD if f.name == name)
    with pytest.raises(ExtractError, match=r"^" + error.replace("(", r"\(").replace(")", r"\)")):
        read_file(demo.path.read_bytes(), demo.name, demo.content_type)


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    for demo in GOOD:
        fresh = render(demo)
        assert read_file(fresh, demo.name).text == read_file(demo.path.read_bytes(), demo.name).text


# --- bad files made here ------------------------------------------------------------------------


def _pdf_pages(n: int, text: bool = True) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    if not text:
        writer = PdfWriter()
        for _ in range(n):
            writer.add_blank_page(width=595, height=842)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    page = PdfReader(next(f for f in GOOD if f.kind == "pdf").path).pages[0]
    writer = PdfWriter()
    for _ in range(n):
        writer.add_page(page)
    writer.pages[0].mediabox = RectangleObject([0, 0, 595, 842])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """The demo DOCX whose word/document.xml inflates to 150 MB (~150 KB packed)."""
    buf = io.BytesIO()
    docx = next(f for f in GOOD if f.kind == "docx").path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(buf, "w") as zf:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                zf.writestr(info, src.read(info))
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            block = b" " * (1 << 20)
            for _ in range(150):
                fh.write(block)
    return buf.getvalue()


def test_scanned_pdf_without_text_layer() -> None:
    with pytest.raises(ExtractError, match=r"^PDF without a text layer \(3 page\(s\)"):
        read_file(_pdf_pages(3, text=False), "skan.pdf")


def test_long_pdf_is_read_up_to_the_page_cap() -> None:
    got = read_file(_pdf_pages(200), "dlinnyj.pdf", limits=FileLimits(max_pages=20))
    assert (got.pages, got.pages_read) == (200, 20)
    assert got.note == "read 20 of 200 pages (cap attachments.max_pages)"
    assert "Дорожная карта" not in got.text.split("\n\n")[0]  # running header dropped


def test_truncated_pdf() -> None:
    data = next(f for f in GOOD if f.kind == "pdf").path.read_bytes()
    try:
        got = read_file(data[: len(data) // 3], "obrezan.pdf")
    except ExtractError as exc:
        assert str(exc).startswith(("damaged PDF", "no text", "PDF without a text layer"))
    else:  # pypdf may rebuild what survived: then some text, never a crash
        assert got.kind == "pdf"


def test_docx_zip_bomb_is_refused() -> None:
    with pytest.raises(
        ExtractError,
        match=r"^DOCX declares 15\d MB unpacked, past the cap of 100 MB \(a zip bomb\?\); not read$",
    ):
        read_file(_zip_bomb(), "bomba.docx")


@pytest.mark.parametrize(
    ("data", "name", "ctype", "error"),
    [
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "plan.pdf", "application/pdf",
         "content does not match .pdf: the file is an HTML page"),
        (b"", "plan.docx", "", "content does not match .docx: the file is empty"),
        (b"PK\x03\x04garbage", "plan.docx", "", "damaged DOCX"),
        (bytes(range(256)) * 4, "plan.odt", "", "content does not match .odt: the file is of no kind"),
    ],
)  # fmt: skip
def test_content_not_matching_the_name(data: bytes, name: str, ctype: str, error: str) -> None:
    with pytest.raises(ExtractError, match="^" + error.replace(".", r"\.")):
        read_file(data, name, ctype)


def test_content_of_another_readable_kind_is_read_with_a_note() -> None:
    odt = next(f for f in GOOD if f.kind == "odt")
    got = read_file(odt.path.read_bytes(), "programma.doc", "application/msword")
    assert got.note == "content is ODT, not DOC as named; read as ODT"
    assert got.text == expected_text(odt)


def test_rtf_in_windows_1251() -> None:
    text = "Соглашение о сотрудничестве подписано в Могилеве."
    body = "".join(f"\\'{b:02x}" for b in text.encode("cp1251"))
    rtf = "{\\rtf1\\ansi\\ansicpg1251\\deff0{\\fonttbl{\\f0 Times;}}\\f0 " + body + "\\par}"
    got = read_file(rtf.encode("ascii"), "soglashenie.rtf", "application/rtf")
    assert (got.kind, got.text) == ("rtf", text)


def test_legacy_doc_that_is_not_word() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000
    assert sniff(ole) == "doc"
    with pytest.raises(ExtractError, match=r"^(damaged \.doc: catdoc|no text in this DOC file)"):
        read_file(ole, "staryj.doc", "application/msword")


def test_time_limit_then_the_next_file_is_read() -> None:
    import asyncio

    from crawler._files import FileReader

    async def go() -> tuple[str, str]:
        async with FileReader(FileLimits(seconds=0.3, max_pages=500)) as reader:
            try:
                await reader.read(_pdf_pages(400), "ogromnyj.pdf")
                first = "read"
            except ExtractError as exc:
                first = str(exc)
            reader.limits = FileLimits()
            odt = next(f for f in GOOD if f.kind == "odt")
            return first, (await reader.read(odt.path.read_bytes(), odt.name)).kind

    first, second = asyncio.run(go())
    assert first == "text extraction took longer than 0.3 s; stopped"
    assert second == "odt"


def test_memory_cap_stops_a_file_that_needs_more() -> None:
    bomb = _zip_bomb()
    limits = FileLimits(max_unpacked=1_000_000_000, memory_mb=160)
    with pytest.raises(ExtractError) as caught:
        read_file(bomb, "bomba.docx", limits=limits)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(("ran out of memory (cap 160 MB)", "text extraction failed"))


def test_probe_words_occur_in_no_article() -> None:
    articles = " ".join(
        p.read_text(encoding="utf-8").lower()
        for p in (Path(__file__).parents[1] / "corpus" / "demo_site" / "sites").glob("*/*/*.toml")
    )
    for demo in GOOD:
        assert [w for w in demo.probes if w.lower()[:-3] in articles] == [], demo.name
