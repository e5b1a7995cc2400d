"""The extraction worker: ``python -m crawler._files._worker MEMORY_MB``.

Reads requests from stdin (a JSON header line, then the file's bytes) and answers each with a
length line and a JSON reply on stdout. Its address space is capped at MEMORY_MB, so a file that
inflates past it ends as a ``MemoryError`` reply (or a dead worker) instead of a swapping host;
the parent enforces the time limit by killing it.
"""

from __future__ import annotations

import dataclasses
import json
import resource
import sys
from typing import Any, BinaryIO

__all__ = ["main"]


def _answer(out: BinaryIO, reply: dict[str, Any]) -> None:
    payload = json.dumps(reply, ensure_ascii=False).encode("utf-8")
    out.write(b"%d\n" % len(payload) + payload)
    out.flush()


def _serve(inp: BinaryIO, out: BinaryIO) -> int:
    from core.errors import ExtractError
    from crawler._files._raw import FileLimits
    from crawler._files._read import read_raw

    while True:
        line = inp.readline()
        if not line:
            return 0
        head = json.loads(line)
        data = inp.read(int(head["size"]))
        limits = FileLimits(**head["limits"])
        try:
            raw = read_raw(data, str(head["name"]), str(head["content_type"]), limits)
        except ExtractError as exc:
            _answer(out, {"ok": False, "error": str(exc)})
            continue
        except MemoryError:
            _answer(out, {"ok": False, "error": f"ran out of memory (cap {limits.memory_mb} MB)"})
            return 3  # the heap may be in pieces: the parent starts a fresh worker
        _answer(out, {"ok": True, "raw": dataclasses.asdict(raw)})


def main(argv: list[str] | None = None) -> int:
    """Serve extraction requests until stdin closes."""
    args = sys.argv[1:] if argv is None else argv
    memory = int(args[0]) * 1024 * 1024 if args else 0
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    return _serve(sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    sys.exit(main())
