"""Facts streamed as CSV or JSON with exactly the bytes ``vestnik facts`` writes.

Rows are rendered in batches by ``indexer.facts.write_facts``, the function the command writes with
(same columns, quoting and formula neutralisation); the batches are joined the way one call would
have written them: the CSV header (and Excel's BOM) once, JSON's brackets and commas around all.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.records import FactRow

__all__ = ["BATCH", "fact_chunks"]

BATCH = 500


def _render(rows: list[FactRow], fmt: str, excel: bool) -> str:
    from indexer.facts import write_facts

    buf = io.StringIO(newline="")
    write_facts(rows, buf, fmt=fmt, excel=excel)
    return buf.getvalue()


def _batches(rows: Iterable[FactRow]) -> Iterator[list[FactRow]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


def fact_chunks(rows: Iterable[FactRow], fmt: str = "csv", excel: bool = False) -> Iterator[bytes]:
    """UTF-8 chunks whose concatenation is ``write_facts(rows, out, fmt=fmt, excel=excel)``."""
    if fmt == "csv":
        header = _render([], "csv", excel)
        yield header.encode("utf-8")
        for batch in _batches(rows):
            text = _render(batch, "csv", excel)
            yield text[len(header) :].encode("utf-8")
        return
    count = 0
    for batch in _batches(rows):
        inner = _render(batch, "json", False)[1:-3]  # "[\n{…},\n{…}\n]\n" -> "\n{…},\n{…}"
        yield (("[" if count == 0 else ",") + inner).encode("utf-8")
        count += len(batch)
    yield b"\n]\n" if count else b"[]\n"
