"""File kinds: what a file claims to be (extension, Content-Type) and what its bytes are.

>>> kind_of_name("plan-2023.PDF"), kind_of_type("application/vnd.oasis.opendocument.text")
('pdf', 'odt')
>>> sniff(b"%PDF-1.7 ..."), sniff(b"{\\\\rtf1\\\\ansi ..."), sniff(b"<!DOCTYPE html>")
('pdf', 'rtf', 'html')
"""

from __future__ import annotations

import io
import zipfile
from urllib.parse import unquote, urlsplit

__all__ = [
    "FILE_KINDS",
    "FILE_MIME_TYPES",
    "file_name_of",
    "kind_of_name",
    "kind_of_type",
    "sniff",
]

# Kinds whose text vestnik reads, by extension.
FILE_KINDS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".rtf": "rtf",
    ".doc": "doc",
}
_MIME: dict[str, str] = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/rtf": "rtf",
    "text/rtf": "rtf",
    "application/msword": "doc",
}
# Content types an attachment fetch accepts: the kinds above, the generic binary types servers
# use for downloads, and HTML/text (so that an error page served as a .pdf is reported as such).
FILE_MIME_TYPES: tuple[str, ...] = (
    *_MIME,
    "application/octet-stream",
    "application/x-download",
    "application/force-download",
    "binary/octet-stream",
    "application/zip",
    "text/html",
    "text/plain",
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file (legacy .doc, .xls, ...)


def kind_of_name(name: str) -> str:
    """The kind an extension claims ("" when it is not one vestnik reads)."""
    lower = name.lower()
    return next((k for ext, k in FILE_KINDS.items() if lower.endswith(ext)), "")


def kind_of_type(content_type: str) -> str:
    """The kind a Content-Type claims ("" for generic or unknown types)."""
    return _MIME.get(content_type.split(";", 1)[0].strip().lower(), "")


def file_name_of(url: str, disposition: str = "") -> str:
    """The file name: Content-Disposition's ``filename`` when given, else the URL's last part."""
    for part in disposition.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "filename*" and "''" in value:
            return unquote(value.split("''", 1)[1].strip('"')) or file_name_of(url)
        if key.lower() == "filename" and value.strip('" '):
            return value.strip('" ')
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and "content.xml" in names:
                mime = zf.read("mimetype")[:100].strip()
                return "odt" if mime == b"application/vnd.oasis.opendocument.text" else "zip"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return "zip-broken"
    return "zip"


def sniff(data: bytes) -> str:
    """What the bytes are: "pdf", "docx", "odt", "rtf", "doc" (any OLE file), "zip",
    "zip-broken", "html", "text", "empty" or "binary"."""
    head = data[:1024]
    if not data:
        return "empty"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_OLE):
        return "doc"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "html"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "binary"
    return "text"
