"""Content-Encoding undone while streaming, with the inflated size capped at every layer.

httpx inflates a whole network chunk in one call, so a few kilobytes of gzip-inside-gzip become
gigabytes before any size check can run. Here every layer (gzip, x-gzip, deflate, br; stacked as
the header lists them) inflates at most 64 KiB per call, and each layer's running output
is checked against the cap before more is produced: memory stays within a few chunks, however
the body was packed.

>>> import gzip
>>> body = Inflater("gzip, gzip", cap=1000)
>>> len(body.feed(gzip.compress(gzip.compress(b"x" * 100))))
100
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

__all__ = ["ACCEPT_ENCODING", "DecodeError", "Inflater"]

_MAX_LAYERS = 3  # "gzip, gzip, gzip" is as deep as anything honest gets
_STEP = 65536  # bytes a layer may produce per call
_GZIP_MAGIC = b"\x1f\x8b"


def _brotli() -> Any:
    try:
        import brotli
    except ImportError:  # pragma: no cover - brotli is a dependency
        return None
    return brotli


# What the crawl offers servers (br only when the brotli module is there).
ACCEPT_ENCODING = "gzip, deflate, br" if _brotli() is not None else "gzip, deflate"


class DecodeError(Exception):
    """The body cannot be decoded (corrupt data, an unknown or too deep encoding)."""


class OversizeError(Exception):
    """A layer inflated past the cap (internal: ``Inflater.full`` tells the caller)."""


class _Layer:
    """One encoding: ``pieces(data)`` yields the output for ``data`` at most ``_STEP`` bytes at a
    time, so the caller can stop it between pieces."""

    def pieces(self, data: bytes) -> Iterator[bytes]:  # pragma: no cover - interface
        raise NotImplementedError


class _Zlib(_Layer):
    """gzip (several members too) and deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, wbits: int, *, raw_fallback: bool = False) -> None:
        self._wbits = wbits
        self._d = zlib.decompressobj(wbits)
        self._fallback = raw_fallback  # deflate: retry as raw deflate if the first bytes fail
        self._started = False
        self._done = False

    def pieces(self, data: bytes) -> Iterator[bytes]:
        while data and not self._done:
            try:
                piece = self._d.decompress(data, _STEP)
            except zlib.error as exc:
                if self._fallback and not self._started:
                    self._fallback = False
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise DecodeError(f"corrupt compressed body: {exc}") from exc
            self._started = True
            if piece:
                yield piece
            if not self._d.eof:
                data = self._d.unconsumed_tail
                continue
            rest = self._d.unused_data
            if self._wbits & 16 and rest.startswith(_GZIP_MAGIC):  # another gzip member
                self._d = zlib.decompressobj(self._wbits)
                data = rest
            else:  # the stream ended: trailing bytes are ignored (as browsers do)
                self._done = True


class _Brotli(_Layer):
    def __init__(self, module: Any) -> None:
        self._error = module.error
        self._d = module.Decompressor()

    def pieces(self, data: bytes) -> Iterator[bytes]:
        try:
            if self._d.is_finished():
                return
            piece = self._d.process(data, output_buffer_limit=_STEP)
            while True:
                if piece:
                    yield piece
                if self._d.can_accept_more_data() or self._d.is_finished():
                    return
                piece = self._d.process(b"", output_buffer_limit=_STEP)
        except self._error as exc:
            raise DecodeError(f"corrupt brotli body: {exc}") from exc


def _layer(name: str) -> _Layer | None:
    """The decoder of one Content-Encoding token (None for identity)."""
    if name in ("", "identity"):
        return None
    if name in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if name == "deflate":
        return _Zlib(zlib.MAX_WBITS, raw_fallback=True)
    if name == "br" and (module := _brotli()) is not None:
        return _Brotli(module)
    raise DecodeError(f"unsupported content encoding {name!r}")


class Inflater:
    """Decode a body packed as ``content_encoding`` says. ``feed`` takes raw network bytes and
    returns decoded ones; once any layer's output passes ``cap`` bytes the inflater is ``full``:
    the decoded output stops at exactly ``cap`` bytes and ``reason`` says why."""

    def __init__(self, content_encoding: str, *, cap: int) -> None:
        names = [t.strip().lower() for t in content_encoding.split(",") if t.strip()]
        if len(names) > _MAX_LAYERS:
            raise DecodeError(f"{len(names)} stacked content encodings ({content_encoding})")
        # the header lists encodings in the order applied: undo them last first
        self._layers = [lay for lay in (_layer(n) for n in reversed(names)) if lay is not None]
        self._sizes = [0] * (len(self._layers) + 1)  # output of each layer, then of the whole
        self._cap = cap
        self.encoding = ", ".join(n for n in names if n != "identity")
        self.full = False
        self.reason = ""

    def _through(self, index: int, data: bytes, out: list[bytes]) -> None:
        if index == len(self._layers):
            room = self._cap - self._sizes[index]
            out.append(data[:room])
            self._sizes[index] += len(data)
            if len(data) > room:
                raise OversizeError(self._too_big())
            return
        inner = index < len(self._layers) - 1  # the last layer's output is the body itself
        for piece in self._layers[index].pieces(data):
            self._sizes[index] += len(piece)
            if inner and self._sizes[index] > self._cap:
                raise OversizeError(self._too_big())
            self._through(index + 1, piece, out)

    def _too_big(self) -> str:
        if not self.encoding:
            return f"body exceeds the cap of {self._cap} bytes"
        return (
            f"body inflates past the cap of {self._cap} bytes (Content-Encoding: {self.encoding})"
        )

    def feed(self, data: bytes) -> bytes:
        """Decoded bytes for the next raw ``data`` (at most ``cap`` bytes in all)."""
        if self.full:
            return b""
        out: list[bytes] = []
        try:
            self._through(0, data, out)
        except OversizeError as exc:
            self.full, self.reason = True, str(exc)
        return b"".join(out)
