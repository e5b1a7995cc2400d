"""Reading a local file a user named (``vestnik extract FILE``, ``vestnik ingest PATH``), bounded.

Only regular files are read, at most ``max_bytes`` of them: a device (``/dev/zero``), a FIFO, a
folder, a symlink loop or a file past the cap is refused with one line instead of being read until
memory runs out.
"""

from __future__ import annotations

import errno
import stat
from pathlib import Path

from core.errors import ExtractError

__all__ = ["MAX_LOCAL_BYTES", "read_local_file"]

MAX_LOCAL_BYTES = 50_000_000  # the default cap on one local file


def _why(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if exc.errno == errno.ENOENT:
        return "no such file"
    return exc.strerror or str(exc)


def read_local_file(path: Path, max_bytes: int = MAX_LOCAL_BYTES) -> bytes:
    """The bytes of the regular file ``path``; an ``ExtractError`` naming the file otherwise.

    >>> read_local_file(Path("/dev/zero"))
    Traceback (most recent call last):
    ...
    core.errors.ExtractError: /dev/zero: not a regular file (a device, pipe or socket); nothing read
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read: {_why(exc)}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ExtractError(f"{path}: is a folder; give a file (vestnik ingest takes folders)")
    if not stat.S_ISREG(info.st_mode):
        raise ExtractError(f"{path}: not a regular file (a device, pipe or socket); nothing read")
    if info.st_size > max_bytes:
        raise ExtractError(
            f"{path}: {info.st_size:,} bytes is larger than the {max_bytes:,}-byte cap; not read"
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise ExtractError(f"{path}: cannot read: {_why(exc)}") from exc
    if len(data) > max_bytes:  # grew while we read it
        raise ExtractError(f"{path}: larger than the {max_bytes:,}-byte cap; not read")
    return data
