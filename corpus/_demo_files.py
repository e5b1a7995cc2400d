"""The demo sites' attached files: sources (``demo_site/files/<name>.toml``), their expected text,
and the generator of the binary files served beside them.

Run ``python -m corpus._demo_files`` to (re)write ``demo_site/files/*.pdf|docx|odt`` from the
sources (dev-only tools: fpdf2 and the DejaVu fonts of Debian's ``fonts-dejavu-core`` for PDF,
python-docx for DOCX, pypdf to encrypt; ODT is written by hand). The generated files are committed,
so serving and crawling the demo needs none of them. Texts are original, written for vestnik.

A PDF is laid out line by line here: a running header and a page-number footer on every page,
words hyphenated at line ends ("сотруд-" / "ничества") or broken after their own hyphen, a blank
line between paragraphs, paragraphs flowing across page breaks: what text extraction must undo.
"""

from __future__ import annotations

import io
import re
import sys
import tomllib
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "DemoFile",
    "attachment_gold",
    "expected_text",
    "file_by_href",
    "load_files",
    "render",
    "write_files",
]

FILES_DIR = Path(__file__).with_name("demo_site") / "files"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_STAMP = (2023, 1, 1, 0, 0, 0)  # zip member times: the same bytes on every run
_VOWELS = set("аеёиоуыэюяaeiou")


@dataclass(frozen=True)
class DemoFile:
    """One attached file of a demo article, as written in ``files/<name>.toml``."""

    name: str
    href: str
    site: str
    parent: int
    kind: str  # "pdf" | "docx" | "odt"
    title: str
    body: str
    special: str = ""  # "" | "encrypted" | "corrupt"
    header: str = ""
    footer: str = ""
    table: tuple[tuple[str, ...], ...] = ()
    probes: tuple[str, ...] = ()
    gold: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def path(self) -> Path:
        """The generated file."""
        return FILES_DIR / self.name

    @property
    def content_type(self) -> str:
        """The Content-Type the demo server sends."""
        return CONTENT_TYPES[self.kind]


def _load(path: Path) -> DemoFile:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        return DemoFile(
            name=str(data["name"]), href=str(data["href"]), site=str(data["site"]),
            parent=int(data["parent"]), kind=str(data["kind"]), title=str(data["title"]),
            body=str(data["body"]), special=str(data.get("special", "")),
            header=str(data.get("header", "")), footer=str(data.get("footer", "")),
            table=tuple(tuple(str(c) for c in row) for row in data.get("table", [])),
            probes=tuple(str(p) for p in data.get("probes", [])), gold=dict(data.get("gold", {})),
        )  # fmt: skip
    except (KeyError, ValueError, TypeError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


@cache
def load_files(root: Path | None = None) -> tuple[DemoFile, ...]:
    """Every attached file's source, by name."""
    folder = root or FILES_DIR
    return tuple(_load(p) for p in sorted(folder.glob("*.toml")))


def file_by_href(site: str, href: str) -> DemoFile | None:
    """The file a site serves at ``href``, or None."""
    return next((f for f in load_files() if f.site == site and f.href == href), None)


def _row(cells: Sequence[str]) -> str:
    return "; ".join(" ".join(c.split()) for c in cells if c.strip())


def _blocks(f: DemoFile) -> list[tuple[str, str]]:
    """("p"|"h"|"li"|"row", text) in order; "[table]" stands for the table's rows."""
    out: list[tuple[str, str]] = []
    for chunk in f.body.strip().split("\n\n"):
        for line in chunk.strip().splitlines():
            line = line.strip()
            if line == "[table]":
                out += [("row", _row(r)) for r in f.table]
            elif line.startswith("- "):
                out.append(("li", line[2:].strip()))
            elif line:
                out.append(("h" if line.isupper() else "p", line))
    return out


def attachment_gold() -> dict[str, Any]:
    """Gold of every attached file, keyed "site:parent:name" (a part of ``gold.json``)."""
    out: dict[str, Any] = {}
    for f in load_files():
        out[f"{f.site}:{f.parent}:{f.name}"] = {
            "site": f.site, "parent": f.parent, "href": f.href, "name": f.name, "kind": f.kind,
            "special": f.special, "title": f.title, "probes": list(f.probes),
            "text": "" if f.special else expected_text(f),
            "regions": list(f.gold.get("regions", [])), "persons": list(f.gold.get("persons", [])),
            "facts": list(f.gold.get("facts", [])),
        }  # fmt: skip
    return out


def expected_text(f: DemoFile) -> str:
    """The text a perfect reader takes from the file: its paragraphs, blank-line separated."""
    return "\n\n".join(text for _, text in _blocks(f))


# --- PDF ----------------------------------------------------------------------------------------


def _splits(word: str) -> list[int]:
    """Where a word may be hyphenated: after a vowel followed by a consonant, 3+ letters apart."""
    if not word.isalpha() or len(word) < 7:
        return []
    low = word.lower()
    return [
        k
        for k in range(3, len(word) - 2)
        if low[k - 1] in _VOWELS and low[k] not in _VOWELS and low[k] not in "ьъй"
    ]


def _wrap(pdf: Any, text: str, width: float) -> list[str]:
    """Greedy line breaking with hyphenation at line ends."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if pdf.get_string_width(trial) <= width:
            line = trial
            continue
        head, tail = "", word
        if "-" in word.strip("-") and word.index("-") > 0:
            left = word[: word.index("-") + 1]
            if pdf.get_string_width(f"{line} {left}") <= width:
                head, tail = left, word[len(left) :]
        if not head:
            core = word.rstrip(",.;:»)")
            for k in reversed(_splits(core)):
                if pdf.get_string_width(f"{line} {core[:k]}-") <= width:
                    head, tail = core[:k] + "-", word[k:]
                    break
        if head:
            lines.append(f"{line} {head}" if line else head)
            line = tail
        else:
            if line:
                lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _pdf(f: DemoFile) -> bytes:
    from datetime import UTC, datetime

    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creation_date(datetime(2023, 1, 1, tzinfo=UTC))
    pdf.set_title(f.title)
    pdf.set_auto_page_break(False)
    pdf.add_font("dv", "", str(_FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("dv", "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
    left, width, top, bottom, step = 20.0, 170.0, 30.0, 270.0, 6.0
    pages: list[list[tuple[str, str, float]]] = [[]]
    y = top
    for kind, text in _blocks(f):
        pdf.set_font("dv", "B" if kind == "h" else "", 11)
        for line in _wrap(pdf, text, width):
            if y > bottom:
                pages.append([])
                y = top
            pages[-1].append((line, "B" if kind == "h" else "", y))
            y += step
        y += step * 0.8  # paragraph gap: a blank line in layout-mode extraction
    for number, page in enumerate(pages, start=1):
        pdf.add_page()
        if f.header:
            pdf.set_font("dv", "", 8)
            pdf.text(left, 15, f.header)
        for line, style, ypos in page:
            pdf.set_font("dv", style, 11)
            pdf.text(left, ypos, line)
        if f.footer:
            pdf.set_font("dv", "", 8)
            label = f.footer.format(page=number, pages=len(pages))
            pdf.text(left + width / 2 - pdf.get_string_width(label) / 2, 287, label)
    return bytes(pdf.output())


def _encrypted(plain: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt(user_password="demo-secret", owner_password="demo-owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _corrupt(plain: bytes) -> bytes:
    """The first 40% of the file with its streams' bytes overwritten: no xref, no readable page."""
    cut = plain[: len(plain) * 2 // 5]
    return re.sub(rb"stream\r?\n(.{40})", lambda m: b"stream\n" + b"\x00" * 40, cut, flags=re.S)


# --- DOCX and ODT -------------------------------------------------------------------------------


def _fixed_zip(data: bytes, first: str = "") -> bytes:
    """The zip rewritten with fixed member times (``first`` stored uncompressed, first)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    order = ([first] if first in names else []) + [n for n in names if n != first]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_STAMP)
            info.compress_type = zipfile.ZIP_STORED if name == first else zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def _docx(f: DemoFile) -> bytes:
    from datetime import datetime

    import docx

    document = docx.Document()
    props = document.core_properties
    props.title, props.author, props.last_modified_by = f.title, "vestnik demo", "vestnik demo"
    props.created = props.modified = datetime(2023, 1, 1)
    props.revision = 1
    for chunk in f.body.strip().split("\n\n"):
        line = " ".join(chunk.split())
        if line == "[table]":
            table = document.add_table(rows=0, cols=len(f.table[0]))
            table.style = "Table Grid"
            for row in f.table:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
        elif line.isupper():
            document.add_heading(line, level=1)
        else:
            document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return _fixed_zip(buf.getvalue())


_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"'
)


def _odt(f: DemoFile) -> bytes:
    from html import escape

    parts: list[str] = []
    items: list[str] = []
    for kind, text in [*_blocks(f), ("end", "")]:
        if kind != "li" and items:
            parts.append("<text:list>" + "".join(items) + "</text:list>")
            items = []
        if kind == "li":
            items.append(f"<text:list-item><text:p>{escape(text)}</text:p></text:list-item>")
        elif kind == "h":
            parts.append(f'<text:h text:outline-level="1">{escape(text)}</text:h>')
        elif kind in ("p", "row"):
            parts.append(f"<text:p>{escape(text)}</text:p>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODT_NS}>'
        f"<office:body><office:text>{''.join(parts)}</office:text></office:body>"
        "</office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_ODT_NS}>'
        f"<office:meta><dc:title>{escape(f.title)}</dc:title></office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", CONTENT_TYPES["odt"])
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
        zf.writestr("meta.xml", meta)
    return _fixed_zip(buf.getvalue(), first="mimetype")


def render(f: DemoFile) -> bytes:
    """The bytes of one demo file."""
    if f.kind == "pdf":
        plain = _pdf(f)
        if f.special == "encrypted":
            return _encrypted(plain)
        return _corrupt(plain) if f.special == "corrupt" else plain
    if f.kind == "docx":
        return _docx(f)
    if f.kind == "odt":
        return _odt(f)
    raise ValueError(f"{f.name}: unknown kind {f.kind!r}")


def write_files(folder: Path | None = None) -> list[Path]:
    """Write every demo file into ``folder`` (default: beside its source)."""
    out = []
    for f in load_files():
        path = (folder or FILES_DIR) / f.name
        path.write_bytes(render(f))
        out.append(path)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the demo's attached files."""
    args = list(sys.argv[1:] if argv is None else argv)
    for path in write_files(Path(args[0]) if args else None):
        print(f"{path}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
