"""Zip containers (DOCX, ODT) opened with their inflated size checked before anything is read.

A zip bomb declares, or decompresses to, far more than it weighs. The declared sizes are summed
first; each member is then read through a counting reader that stops at its declared size and at
the file's remaining budget, so a member lying about its size cannot inflate past the cap either.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from core.errors import ExtractError

__all__ = ["ZipReader", "open_zip"]

_CHUNK = 1 << 16


class ZipReader:
    """Reads members of one zip within ``budget`` inflated bytes in all."""

    def __init__(self, zf: zipfile.ZipFile, budget: int, what: str) -> None:
        self._zf, self._left, self._what, self._cap = zf, budget, what, budget

    def names(self) -> set[str]:
        """The member names."""
        return set(self._zf.namelist())

    def read(self, name: str) -> bytes:
        """One member's bytes; ``ExtractError`` past the budget or when it is damaged."""
        parts: list[bytes] = []
        try:
            with self._zf.open(name) as fh:
                while chunk := fh.read(_CHUNK):
                    self._left -= len(chunk)
                    if self._left < 0:
                        raise ExtractError(
                            f"{self._what} inflates past the cap of {self._cap // 1_000_000} MB "
                            "(a zip bomb?); not read"
                        )
                    parts.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError) as exc:
            raise ExtractError(f"damaged {self._what}: {exc}") from exc
        return b"".join(parts)


@contextmanager
def open_zip(data: bytes, budget: int, what: str) -> Iterator[ZipReader]:
    """Open ``data`` as a zip whose declared sizes fit ``budget`` (``what`` names it in errors)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExtractError(f"damaged {what} (not a readable zip): {exc}") from exc
    with zf:
        declared = sum(info.file_size for info in zf.infolist())
        if declared > budget:
            raise ExtractError(
                f"{what} declares {declared // 1_000_000} MB unpacked, past the cap of "
                f"{budget // 1_000_000} MB (a zip bomb?); not read"
            )
        yield ZipReader(zf, budget, what)
