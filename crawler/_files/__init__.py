"""Text of attached files: PDF (pypdf), DOCX (python-docx), ODT (content.xml), RTF (striprtf) and
legacy DOC (Debian's catdoc), read in a worker process with a time limit and a memory cap.

Usage::

    from crawler._files import FileLimits, read_file
    read_file(pdf_bytes, "plan.pdf").text[:30]
    # -> 'План мероприятий по реализации'

The kind is told by the bytes (``sniff``) and checked against the name and Content-Type; the
clean-up (``clean_text``) drops repeated headers, footers and page numbers, rejoins hyphenated
words and paragraphs cut by page breaks. See docs/crawling.md, "Attachments".
"""

from __future__ import annotations

from crawler._files._clean import clean_text, join_hyphenated
from crawler._files._kinds import (
    FILE_KINDS,
    FILE_MIME_TYPES,
    file_name_of,
    kind_of_name,
    kind_of_type,
    sniff,
)
from crawler._files._pool import FileReader, FileText, read_file
from crawler._files._raw import FileLimits, RawText
from crawler._files._read import read_raw

__all__ = [
    "FILE_KINDS",
    "FILE_MIME_TYPES",
    "FileLimits",
    "FileReader",
    "FileText",
    "RawText",
    "clean_text",
    "file_name_of",
    "join_hyphenated",
    "kind_of_name",
    "kind_of_type",
    "read_file",
    "read_raw",
    "sniff",
]
