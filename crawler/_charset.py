"""Bytes to text: the BOM, then a body that is UTF-8 (whatever the header claims), then the declared
charsets (header, then ``<meta>``) unless they turn Cyrillic into mojibake, then detection. NUL and
other control characters are dropped from the text.

>>> decode_html("<meta charset=windows-1251><p>Привет".encode("cp1251"), None)[0][-6:]
'Привет'
>>> decode_html("<p>Привет, мир</p>".encode(), "text/html; charset=windows-1251")
('<p>Привет, мир</p>', 'utf-8')
>>> decode_html("<p>Министерство сообщает о встрече</p>".encode("cp1251"), "text/html; charset=koi8-r")[1]
'cp1251'
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
# Single-byte Cyrillic charsets a lying header may name instead of the real one.
_CYRILLIC = ("cp1251", "koi8_r", "koi8_u", "iso8859_5", "cp866", "mac_cyrillic")
_CYR = re.compile(r"[А-яЁёІіЎўЄєЇїҐґ]")
_CYR_LOWER = re.compile(r"[а-яёіўєїґ]")
# Control characters that no page means (NUL first): dropped; tab, newlines and form feed kept.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]+")
_ASCII_SUPERSETS = frozenset((
    "utf-8", "ascii", "cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic",
    "iso8859-1", "iso8859-15", "cp1252", "cp1250", "iso8859-2",
))  # fmt: skip
_CONTROL_BYTES = bytes((*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F))


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


def _lower_share(text: str) -> float:
    """Share of lower-case letters among the Cyrillic ones (1.0 when there are few): real
    Russian or Belarusian text is mostly lower case, mojibake of it mostly is not."""
    sample = text[:200_000]
    cyrillic = len(_CYR.findall(sample))
    if cyrillic < 20:
        return 1.0
    return len(_CYR_LOWER.findall(sample)) / cyrillic


def _latin_mojibake(text: str, codec: str) -> bool:
    """True when a Western single-byte charset gave text whose letters are mostly accented: not
    French or German (a tenth at most) but Cyrillic bytes read as Latin-1 (Apache's old default
    header)."""
    if codec not in ("iso8859-1", "iso8859-15", "cp1252"):
        return False
    sample = text[:200_000]
    letters = sum(1 for ch in sample if ch.isalpha())
    high = letters - sum(1 for ch in sample if ch.isascii() and ch.isalpha())
    return letters >= 40 and high > 0.3 * letters


def _mostly_utf8(raw: bytes) -> str | None:
    """``raw`` as UTF-8 when it is UTF-8 with at most a few broken bytes (replaced by U+FFFD)."""
    if raw.isascii():
        return None
    text = raw.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    wide = len(text) - len(text.encode("ascii", "ignore")) if broken else 0
    if broken == 0 or (wide >= 20 and broken <= 2 + wide // 100):
        return text
    return None


def _plausible(raw: bytes, name: str) -> tuple[str, str] | None:
    """``raw`` decoded with the declared charset ``name``; if that gives Cyrillic mojibake, the
    single-byte Cyrillic charset that reads it as text instead."""
    text = _try(raw, name)
    if text is None:
        return None
    if _lower_share(text) >= 0.6 and not _latin_mojibake(text, _codec(name)):
        return text, _codec(name)
    for other in _CYRILLIC:  # the most common first
        alt = _try(raw, other)
        if alt is not None and _lower_share(alt) >= 0.8:
            return alt, _codec(other)
    return text, _codec(name)


def decode_html(raw: bytes, content_type: str | None) -> tuple[str, str]:
    """``(text, encoding)``: a BOM wins; then UTF-8 when the body is UTF-8 (a header naming a
    single-byte charset for UTF-8 bytes lies: no real cp1251 text is valid UTF-8); then a
    declared charset that decodes cleanly (Cyrillic mojibake re-read with the right one); else
    charset-normalizer's guess; else UTF-8 with replacement characters. Control characters
    (NUL...) are dropped."""
    text, encoding = _decode(raw, content_type)
    if _ascii_compatible(encoding) and len(raw.translate(None, _CONTROL_BYTES)) == len(raw):
        return text, encoding  # no control byte, so no control character (a C-speed check)
    return _CONTROLS.sub("", text), encoding


def _ascii_compatible(encoding: str) -> bool:
    """Whether the codec maps bytes below 0x80 to ASCII and makes no control character out of
    other bytes (UTF-8 and the common single-byte charsets; not UTF-16/32 nor EBCDIC)."""
    return _codec(encoding) in _ASCII_SUPERSETS


def _decode(raw: bytes, content_type: str | None) -> tuple[str, str]:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(name, errors="replace"), name
    declared = [header_charset(content_type)]
    meta = _META.search(raw[:4096])
    if meta:
        declared.append(meta.group(1).decode("ascii", "replace"))
    if any(_codec(n).startswith("utf_16") for n in declared if n):
        text = _try(raw, "utf-16")
        if text is not None:
            return text, "utf-16"
    utf8 = _mostly_utf8(raw)
    if utf8 is not None:
        return utf8, "utf-8"
    for name in declared:
        if name:
            found = _plausible(raw, name)
            if found is not None:
                return found
    text = _try(raw, "utf-8")
    if text is not None:
        return text, "utf-8"
    for name in _CYRILLIC:  # undeclared and not UTF-8: the sites crawled write Cyrillic
        text = _try(raw, name)
        if text is not None and _CYR.search(text) and _lower_share(text) >= 0.8:
            if len(_CYR.findall(text[:200_000])) >= 20:
                return text, _codec(name)
    from charset_normalizer import from_bytes

    guess = from_bytes(raw[:1_000_000]).best()
    if guess is not None and guess.encoding:
        codec = _codec(guess.encoding) or guess.encoding
        found = _plausible(raw, codec) if _codec(codec) else None
        if found is not None:
            return found
    return raw.decode("utf-8", errors="replace"), "utf-8"
