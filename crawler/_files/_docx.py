"""DOCX text with python-docx: body paragraphs and tables in document order (headers and footers,
kept in parts of their own, are left out); a table row is one line, its cells joined by "; "."""

from __future__ import annotations

import io

from core.errors import ExtractError
from crawler._files._raw import FileLimits, RawText
from crawler._files._zipguard import open_zip

__all__ = ["read_docx", "row_line"]


def row_line(cells: list[str]) -> str:
    """One table row as a line: cells joined by "; ", merged (repeated) cells once."""
    out: list[str] = []
    for cell in cells:
        text = " ".join(cell.split())
        if text and (not out or out[-1] != text):
            out.append(text)
    return "; ".join(out)


def read_docx(data: bytes, limits: FileLimits) -> RawText:
    """The text of a DOCX file."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    with open_zip(data, limits.max_unpacked, "DOCX") as zf:
        if "word/document.xml" not in zf.names():
            raise ExtractError("damaged DOCX: no word/document.xml")
        zf.read("word/document.xml")  # inflated through the budget before python-docx reads it
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(" ".join(block.text.split()))
            elif isinstance(block, Table):
                for row in block.rows:
                    lines += [row_line([c.text for c in row.cells]), ""]
            lines.append("")
        title = " ".join((document.core_properties.title or "").split())
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise ExtractError(f"damaged DOCX: {type(exc).__name__}: {exc}"[:300]) from exc
    return RawText("docx", (_tidy(lines),), title)


def _tidy(lines: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return tuple(out)
