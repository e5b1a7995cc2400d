"""RTF text with striprtf, in the code page the file declares (``\\ansicpg1251``)."""

from __future__ import annotations

import codecs
import re

from core.errors import ExtractError
from crawler._files._raw import FileLimits, RawText

__all__ = ["read_rtf"]

_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")


def read_rtf(data: bytes, limits: FileLimits) -> RawText:
    """The text of an RTF file."""
    from striprtf.striprtf import rtf_to_text

    found = _CODEPAGE.search(data[:4096])
    encoding = f"cp{int(found[1])}" if found else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        text: str = rtf_to_text(  # type: ignore[no-untyped-call]
            data.decode("latin-1"), encoding=encoding, errors="replace"
        )
    except (ValueError, IndexError, KeyError, OverflowError) as exc:
        raise ExtractError(f"damaged RTF: {exc}") from exc
    lines: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            lines += [line, ""]
    return RawText("rtf", (tuple(lines[:-1]),))
