"""Bytes to text: charset from the Content-Type header, then the page's meta, then detection.

>>> decode_html("<meta charset=windows-1251><p>Привет".encode("cp1251"), None)[0][-6:]
'Привет'
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_html", "header_charset"]

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def header_charset(content_type: str | None) -> str:
    """The ``charset`` parameter of a Content-Type value ("" when absent)."""
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type or "", re.I)
    return match.group(1) if match else ""


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def _try(raw: bytes, name: str) -> str | None:
    codec = _codec(name)
    if not codec:
        return None
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


def decode_html(raw: bytes, content_type: str | None) -> tuple[str, str]:
    """``(text, encoding)``: a declared charset that decodes cleanly wins (BOM, header, meta),
    else charset-normalizer's guess, else UTF-8 with replacement characters."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(name, errors="replace"), name
    declared = [header_charset(content_type)]
    meta = _META.search(raw[:4096])
    if meta:
        declared.append(meta.group(1).decode("ascii", "replace"))
    for name in declared:
        if name:
            text = _try(raw, name)
            if text is not None:
                return text, _codec(name)
    text = _try(raw, "utf-8")
    if text is not None:
        return text, "utf-8"
    from charset_normalizer import from_bytes

    guess = from_bytes(raw).best()
    if guess is not None and guess.encoding:
        return str(guess), _codec(guess.encoding) or guess.encoding
    return raw.decode("utf-8", errors="replace"), "utf-8"
