"""Fact rows as CSV (RFC 4180, or Excel's ``;`` + BOM) or JSON, written one row at a time."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import IO, Any, cast

from core.records import FactRow

__all__ = ["FACT_COLUMNS", "fact_to_dict", "safe_cell", "write_facts"]

FACT_COLUMNS: tuple[str, ...] = (
    "fact_type", "value", "qualifier", "object", "counterpart_value", "counterpart_object",
    "regions", "persons", "date", "sentence", "doc_url", "doc_title", "published", "site",
)  # fmt: skip
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_BLANKS = " \u00a0\u2007\u202f\u3000"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def fact_to_dict(row: FactRow) -> dict[str, Any]:
    """The 14 columns of one row; ``regions`` and ``persons`` as lists."""
    f = row.fact
    return {
        "fact_type": f.fact_type, "value": f.value, "qualifier": f.qualifier, "object": f.object,
        "counterpart_value": f.counterpart_value, "counterpart_object": f.counterpart_object,
        "regions": list(f.regions), "persons": list(f.persons), "date": f.date,
        "sentence": f.sentence, "doc_url": row.doc_url, "doc_title": row.doc_title,
        "published": row.published, "site": row.site,
    }  # fmt: skip


def safe_cell(cell: str) -> str:
    """A CSV cell a spreadsheet will not run: one that would start a formula (``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return, also after leading blanks) gets a leading ``'``; a plain
    number is left as it is, so ``-3.4`` stays a number.

    >>> safe_cell("=SUM(A1)"), safe_cell("  @cmd"), safe_cell("-3.4"), safe_cell("+7 999")
    ("'=SUM(A1)", "'  @cmd", '-3.4', "'+7 999")
    """
    if not cell.lstrip(_BLANKS).startswith(_FORMULA_START):
        return cell
    if _NUMBER.fullmatch(cell):
        return cell
    return "'" + cell


def _csv_cells(row: FactRow) -> list[str]:
    data = fact_to_dict(row)
    cells = []
    for column in FACT_COLUMNS:
        value = data[column]
        text = ";".join(value) if isinstance(value, list) else str(value)
        cells.append(safe_cell(text))
    return cells


def _write_csv(rows: Iterable[FactRow], out: IO[str], excel: bool) -> int:
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        out.write("\ufeff")
    writer.writerow(FACT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(_csv_cells(row))
        count += 1
    return count


def _write_json(rows: Iterable[FactRow], out: IO[str]) -> int:
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(fact_to_dict(row), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_facts(
    rows: Iterable[FactRow], out: IO[str] | IO[bytes], *, fmt: str = "csv", excel: bool = False
) -> int:
    """Write ``rows`` to ``out`` one at a time; return how many were written.

    CSV has the columns ``FACT_COLUMNS`` (regions and persons ``;``-joined), RFC 4180 quoting and
    CRLF line ends; ``excel=True`` adds a UTF-8 BOM and uses ``;`` as separator. Cells starting
    with ``= + - @``, tab or CR get a leading ``'`` unless they are numbers in ``value`` columns.
    ``fmt="json"`` writes a JSON array of objects with the same keys. A binary ``out`` gets UTF-8.

    >>> import io; buf = io.StringIO(); write_facts([], buf)
    0
    """
    if fmt not in ("csv", "json"):
        raise ValueError(f"unknown facts format {fmt!r}")
    if isinstance(out, io.TextIOBase) or not hasattr(out, "readable") and hasattr(out, "encoding"):
        text: IO[str] = out  # type: ignore[assignment]
        wrapper = None
    else:
        wrapper = io.TextIOWrapper(cast(Any, out), encoding="utf-8", newline="", write_through=True)
        text = wrapper
    try:
        return _write_csv(rows, text, excel) if fmt == "csv" else _write_json(rows, text)
    finally:
        text.flush()
        if wrapper is not None:
            wrapper.detach()
