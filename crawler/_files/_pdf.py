"""PDF text with pypdf: physical lines per page in layout mode, where a blank line is vertical
space (a paragraph break); encrypted, damaged and text-less files are one clear ``ExtractError``."""

from __future__ import annotations

import io
import logging
import re

from core.errors import ExtractError
from crawler._files._raw import FileLimits, RawText

__all__ = ["read_pdf"]

_SPACES = re.compile(r"[ \t\u00a0]+")


def _lines(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for line in text.splitlines():
        line = _SPACES.sub(" ", line).strip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def _title(reader: object) -> str:
    from pypdf.errors import PyPdfError

    try:
        meta = getattr(reader, "metadata", None)
        title = str(meta.title or "") if meta is not None else ""
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError):
        return ""  # damaged metadata is no reason to lose the text
    return " ".join(title.split())


def read_pdf(data: bytes, limits: FileLimits) -> RawText:
    """The text of a PDF, at most ``limits.max_pages`` pages of it."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files log many warnings
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (NotImplementedError, PyPdfError) as exc:
                raise ExtractError(f"encrypted PDF that cannot be opened: {exc}") from exc
            if not opened:
                raise ExtractError("encrypted PDF (a password is needed to read it)")
        count = len(reader.pages)
        pages = []
        for number in range(min(count, limits.max_pages)):
            text = reader.pages[number].extract_text(extraction_mode="layout")
            pages.append(_lines(text))
    except ExtractError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, OSError,
            RecursionError, ZeroDivisionError, AssertionError) as exc:  # fmt: skip
        raise ExtractError(f"damaged PDF: {type(exc).__name__}: {exc}"[:300]) from exc
    if count == 0:
        raise ExtractError("damaged PDF: no pages")
    if not any(pages):
        raise ExtractError(
            f"PDF without a text layer ({count} page(s) of images, a scan?); OCR is not done"
        )
    notes: tuple[str, ...] = ()
    if count > limits.max_pages:
        notes = (f"read {limits.max_pages} of {count} pages (cap attachments.max_pages)",)
    return RawText("pdf", tuple(pages), _title(reader), count, paged=True, notes=notes)
