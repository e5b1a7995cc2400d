"""ODT text from ``content.xml`` (read through the zip guard, parsed with entities and the
network off): headings, paragraphs, list items and table rows in document order."""

from __future__ import annotations

from lxml import etree

from core.errors import ExtractError
from crawler._files._docx import row_line
from crawler._files._raw import FileLimits, RawText
from crawler._files._zipguard import open_zip

__all__ = ["read_odt"]

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DC = "http://purl.org/dc/elements/1.1/"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _inline(el: etree._Element) -> str:
    """The text of a paragraph: <text:s/> spaces, tabs and line breaks as spaces."""
    parts = [el.text or ""]
    for child in el:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag == "s":
            parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1") or 1))
        elif tag in ("tab", "line-break"):
            parts.append(" ")
        elif tag != "note":
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(el: etree._Element, out: list[str]) -> None:
    for child in el:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child)
        if name.namespace == _TEXT and name.localname in ("p", "h"):
            out += [" ".join(_inline(child).split()), ""]
        elif name.namespace == _TABLE and name.localname == "table":
            for row in child.iter(f"{{{_TABLE}}}table-row"):
                cells = [" ".join(" ".join(_inline(p) for p in cell.iter(f"{{{_TEXT}}}p")).split())
                         for cell in row.iter(f"{{{_TABLE}}}table-cell")]  # fmt: skip
                out += [row_line(cells), ""]
        elif name.localname not in ("tracked-changes", "sequence-decls", "variable-decls"):
            _blocks(child, out)


def read_odt(data: bytes, limits: FileLimits) -> RawText:
    """The text of an ODT file."""
    with open_zip(data, limits.max_unpacked, "ODT") as zf:
        if "content.xml" not in zf.names():
            raise ExtractError("damaged ODT: no content.xml")
        content = zf.read("content.xml")
        meta = zf.read("meta.xml") if "meta.xml" in zf.names() else b""
    try:
        root = etree.fromstring(content, _parser())
    except etree.XMLSyntaxError as exc:
        raise ExtractError(f"damaged ODT: {exc}") from exc
    body = root.find(f"{{{_OFFICE}}}body")
    lines: list[str] = []
    _blocks(body if body is not None else root, lines)
    title = ""
    if meta:
        try:
            found = etree.fromstring(meta, _parser()).find(f".//{{{_DC}}}title")
            title = " ".join((found.text or "").split()) if found is not None else ""
        except etree.XMLSyntaxError:
            title = ""
    kept = [ln for k, ln in enumerate(lines) if ln or (k and lines[k - 1])]
    while kept and not kept[-1]:
        kept.pop()
    return RawText("odt", (tuple(kept),), title)
