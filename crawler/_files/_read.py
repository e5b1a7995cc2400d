"""One file's bytes to ``RawText``: the kind told by its bytes, checked against its name and
Content-Type, then the reader of that kind (in the calling process; see ``_pool`` for the
bounded worker the crawler uses)."""

from __future__ import annotations

from collections.abc import Callable

from core.errors import ExtractError
from crawler._files._doc import read_doc
from crawler._files._docx import read_docx
from crawler._files._kinds import kind_of_name, kind_of_type, sniff
from crawler._files._odt import read_odt
from crawler._files._pdf import read_pdf
from crawler._files._raw import FileLimits, RawText
from crawler._files._rtf import read_rtf

__all__ = ["READERS", "read_raw"]

READERS: dict[str, Callable[[bytes, FileLimits], RawText]] = {
    "pdf": read_pdf,
    "docx": read_docx,
    "odt": read_odt,
    "rtf": read_rtf,
    "doc": read_doc,
}
_WHAT = {
    "html": "an HTML page",
    "text": "plain text",
    "empty": "empty",
    "binary": "of no kind vestnik reads",
    "zip": "a zip archive",
    "zip-broken": "a damaged zip archive",
}


def read_raw(data: bytes, name: str, content_type: str, limits: FileLimits) -> RawText:
    """Read ``data`` (named ``name``, served as ``content_type``) by what its bytes are.

    A file whose bytes are of another readable kind than claimed is read as what it is, with a
    note; one whose bytes are not a document at all (an HTML error page served as ``.pdf``) is an
    ``ExtractError``.
    """
    claimed = kind_of_name(name) or kind_of_type(content_type)
    actual = sniff(data)
    if actual == "zip-broken" and claimed in ("docx", "odt"):
        raise ExtractError(f"damaged {claimed.upper()} (not a readable zip)")
    if actual not in READERS:
        label = f".{claimed}" if claimed else content_type or "a document"
        raise ExtractError(f"content does not match {label}: the file is {_WHAT[actual]}")
    if len(data) > limits.max_bytes:
        raise ExtractError(f"file larger than the cap of {limits.max_bytes} bytes")
    raw = READERS[actual](data, limits)
    if claimed and claimed != actual:
        note = (
            f"content is {actual.upper()}, not {claimed.upper()} as named; read as {actual.upper()}"
        )
        raw = RawText(raw.kind, raw.pages, raw.title, raw.page_count, raw.paged, (note, *raw.notes))
    return raw
