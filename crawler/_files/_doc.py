"""Legacy Word (.doc) text with Debian's ``catdoc`` (installed by ``make system-deps``): a
maintained converter that reads Word 97-2003 files, Cyrillic included, in a process of its own."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from core.errors import ExtractError
from crawler._files._raw import FileLimits, RawText

__all__ = ["read_doc"]


def read_doc(data: bytes, limits: FileLimits) -> RawText:
    """The text of a .doc file."""
    catdoc = shutil.which("catdoc")
    if catdoc is None:
        raise ExtractError("legacy .doc files need Debian's catdoc (apt-get install catdoc)")
    with tempfile.TemporaryDirectory(prefix="vestnik-doc-") as tmp:
        path = Path(tmp) / "file.doc"
        path.write_bytes(data)
        try:
            done = subprocess.run(
                [catdoc, "-d", "utf-8", "-w", str(path)], capture_output=True,
                timeout=limits.seconds, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise ExtractError(f"catdoc took longer than {limits.seconds:g} s") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractError(f"damaged .doc: catdoc: {reason[-1] if reason else done.returncode}")
    lines: list[str] = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        line = " ".join(line.replace("\x0c", " ").split())
        if line:
            lines += [line, ""]
    return RawText("doc", (tuple(lines[:-1]),))
