"""``FileReader``: text extraction in a worker process with a deadline and a memory cap.

Usage::

    async with FileReader(FileLimits()) as reader:
        text = await reader.read(data, "plan.pdf", "application/pdf")
    text.kind, text.pages, text.text[:40]
    # -> ('pdf', 12, 'ПЛАН мероприятий по реализации Соглашения')

One worker serves the files one at a time (extraction is CPU work; the crawl's fetching goes on
meanwhile). A file that takes longer than ``limits.seconds`` gets its worker killed; one that
breaks the worker (out of memory, a crash in a library) gets a fresh worker; either way the file
is an ``ExtractError`` of one line and the next file is read as usual.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
import tempfile
from dataclasses import dataclass
from types import TracebackType
from typing import IO, Any

from core.errors import ExtractError
from crawler._files._clean import clean_text
from crawler._files._raw import FileLimits, RawText

__all__ = ["FileReader", "FileText", "read_file"]


@dataclass(frozen=True)
class FileText:
    """A file's clean text and what is known of it; ``note`` says what was not read (one line)."""

    kind: str  # "pdf" | "docx" | "odt" | "rtf" | "doc": what the bytes are
    text: str
    title: str = ""
    pages: int = 1
    pages_read: int = 1
    note: str = ""


def _text(raw: RawText, limits: FileLimits) -> FileText:
    text = clean_text(raw, limits.max_chars)
    notes = list(raw.notes)
    if not text.strip():
        raise ExtractError(f"no text in this {raw.kind.upper()} file")
    if limits.max_chars and len(text) >= limits.max_chars:
        notes.append(f"text cut at {limits.max_chars} characters (cap attachments.max_chars)")
    return FileText(raw.kind, text, raw.title, raw.page_count, len(raw.pages), "; ".join(notes))


def _raw(reply: dict[str, Any]) -> RawText:
    fields = dict(reply)
    fields["pages"] = tuple(tuple(p) for p in fields["pages"])
    fields["notes"] = tuple(fields.get("notes", ()))
    return RawText(**fields)


class FileReader:
    """Reads files' text in a bounded worker process; use as ``async with``."""

    def __init__(self, limits: FileLimits) -> None:
        self.limits = limits
        self._proc: asyncio.subprocess.Process | None = None
        self._stderr: IO[bytes] | None = None
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> FileReader:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        await self.aclose()

    async def _worker(self) -> asyncio.subprocess.Process:
        if self._proc is None or self._proc.returncode is not None:
            self._stderr = tempfile.TemporaryFile()
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "crawler._files._worker", str(self.limits.memory_mb),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=self._stderr,
            )  # fmt: skip
        return self._proc

    async def _kill(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.returncode is None:
            proc.kill()
            await proc.wait()

    def _last_error_line(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        lines = self._stderr.read()[-4000:].decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else ""

    async def _ask(self, data: bytes, name: str, content_type: str) -> dict[str, Any]:
        proc = await self._worker()
        assert proc.stdin is not None and proc.stdout is not None
        head = {"name": name, "content_type": content_type, "size": len(data),
                "limits": dataclasses.asdict(self.limits)}  # fmt: skip
        try:
            async with asyncio.timeout(self.limits.seconds):
                proc.stdin.write(json.dumps(head).encode("utf-8") + b"\n" + data)
                await proc.stdin.drain()
                size = await proc.stdout.readline()
                payload = await proc.stdout.readexactly(int(size)) if size.strip() else b""
        except TimeoutError:
            await self._kill()
            raise ExtractError(
                f"text extraction took longer than {self.limits.seconds:g} s; stopped"
            ) from None
        except (BrokenPipeError, ConnectionResetError, asyncio.IncompleteReadError, ValueError):
            payload = b""
        if not payload:
            code = await proc.wait()
            self._proc = None
            why = self._last_error_line() or f"exit status {code}"
            raise ExtractError(f"text extraction failed: the worker ended ({why})"[:300])
        reply: dict[str, Any] = json.loads(payload)
        if proc.returncode is None and not reply["ok"] and "memory" in reply["error"]:
            await self._kill()
        return reply

    async def read(self, data: bytes, name: str, content_type: str = "") -> FileText:
        """The text of one file; ``ExtractError`` (one line) when it cannot be had."""
        async with self._lock:
            reply = await self._ask(data, name, content_type)
        if not reply["ok"]:
            raise ExtractError(str(reply["error"]))
        return _text(_raw(reply["raw"]), self.limits)

    async def aclose(self) -> None:
        """Stop the worker."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.returncode is None:
            assert proc.stdin is not None
            proc.stdin.close()
            try:
                async with asyncio.timeout(2):
                    await proc.wait()
            except TimeoutError:
                proc.kill()
                await proc.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


def read_file(data: bytes, name: str, content_type: str = "", *,
              limits: FileLimits | None = None) -> FileText:  # fmt: skip
    """``FileReader.read`` for one file from synchronous code."""

    async def once() -> FileText:
        async with FileReader(limits or FileLimits()) as reader:
            return await reader.read(data, name, content_type)

    return asyncio.run(once())
