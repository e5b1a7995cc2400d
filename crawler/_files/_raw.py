"""What a file reader gives before clean-up, and the limits every reader works within."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FileLimits", "RawText"]


@dataclass(frozen=True, kw_only=True)
class FileLimits:
    """Caps of one file's text extraction (``[attachments]`` settings).

    ``max_bytes`` caps the download, ``max_unpacked`` the inflated size of a DOCX/ODT's parts
    (a zip bomb stops there), ``max_pages`` the PDF pages read (the rest is noted, not read),
    ``max_chars`` the text kept, ``memory_mb`` the address space of the extraction worker and
    ``seconds`` the time one file may take.
    """

    max_bytes: int = 20_000_000
    max_unpacked: int = 100_000_000
    max_pages: int = 100
    max_chars: int = 2_000_000
    memory_mb: int = 768
    seconds: float = 30.0


@dataclass(frozen=True)
class RawText:
    """A file's text as read: pages of lines, "" marking a blank line (a paragraph break).

    Formats without pages (DOCX, ODT, RTF, DOC) give one page of paragraphs. ``page_count`` is
    the whole document's, ``pages`` only those read (see ``FileLimits.max_pages``).
    """

    kind: str
    pages: tuple[tuple[str, ...], ...]
    title: str = ""
    page_count: int = 1
    paged: bool = False  # True for PDF: lines are physical lines, headers/footers may repeat
    notes: tuple[str, ...] = ()  # what was not read, or read otherwise than named
