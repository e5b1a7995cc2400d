"""A dossier as text, JSON or CSV (``vestnik region NAME --format ...``; the UI's download).

The CSV holds every row the «Регион» page shows, one section after another, in these columns:
``section,date,value,unit,object,detail,sentence,url,site`` (RFC 4180, UTF-8; cells a spreadsheet
would run as a formula are neutralized, numbers in ``value`` stay numbers).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from indexer.facts import safe_cell

if TYPE_CHECKING:
    from indexer.dossier._build import Dossier, FactEntry

__all__ = ["CSV_COLUMNS", "NO_DATA", "dossier_csv", "dossier_json", "dossier_rows", "dossier_text"]

CSV_COLUMNS = ("section", "date", "value", "unit", "object", "detail", "sentence", "url", "site")
NO_DATA = "нет данных"


def _fact_row(section: str, e: FactEntry, value: str, unit: str, detail: str) -> dict[str, str]:
    return {
        "section": section, "date": e.source.day, "value": value, "unit": unit,
        "object": e.object, "detail": detail, "sentence": e.sentence, "url": e.source.url,
        "site": e.source.site,
    }  # fmt: skip


def _count(e: FactEntry) -> tuple[str, str, str]:
    """An agreement count as (number, what is counted, with whom): ("81", "соглашение",
    "с 73 регион") or, for "договоры с семью районами", ("7", "район", "договор")."""
    if e.value:
        partner = f"с {e.counterpart_value} {e.counterpart_object}" if e.counterpart_value else ""
        return e.value, e.object, partner
    return e.counterpart_value, e.counterpart_object, e.object


def dossier_rows(d: Dossier) -> list[dict[str, str]]:
    """Every row of the dossier as CSV cells (before neutralizing)."""
    rows: list[dict[str, str]] = []
    empty = dict.fromkeys(CSV_COLUMNS, "")
    for m in d.months:
        rows.append({**empty, "section": "documents", "date": m.month, "value": str(m.documents),
                     "unit": "документов", "detail": f"сюжетов: {m.stories}"})  # fmt: skip
    for e in d.agreements:
        value, unit, detail = _count(e)
        rows.append(
            _fact_row("agreement", e, value, unit, " ".join(x for x in (e.qualifier, detail) if x))
        )
    for e in d.trade:
        rows.append(_fact_row("trade", e, e.value, e.counterpart_object, e.period))
    for e in d.signed:
        rows.append(_fact_row("signed_document", e, "", "", e.period))
    for p in d.persons:
        rows.append({**empty, "section": "person", "date": p.last_seen, "value": str(p.mentions),
                     "object": p.name, "detail": "; ".join(p.roles)})  # fmt: skip
    for r in d.partners:
        rows.append({**empty, "section": "partner", "value": str(r.facts), "object": r.region,
                     "detail": f"сюжетов: {r.stories}"})  # fmt: skip
    return rows


def dossier_csv(d: Dossier) -> bytes:
    """The CSV bytes (UTF-8, CRLF line ends as RFC 4180 says)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in dossier_rows(d):
        writer.writerow([safe_cell(row[c]) for c in CSV_COLUMNS])
    return out.getvalue().encode("utf-8")


def dossier_json(d: Dossier) -> str:
    """The dossier as one JSON object (every field of ``Dossier``)."""
    data: dict[str, Any] = asdict(d)
    return json.dumps(data, ensure_ascii=False, indent=1)


def _line(e: FactEntry, what: str) -> str:
    return (
        f"  {e.source.day or '—'}  {what}  [{e.source.site}] {e.source.url}\n      «{e.sentence}»"
    )


def dossier_text(d: Dossier) -> str:
    """A plain-text report, one section per part of the dossier («нет данных» when empty)."""
    out = [f"Регион: {d.region}", f"Документов: {d.documents}", "", "Документы по месяцам:"]
    out += [f"  {m.month}  {m.documents} (сюжетов: {m.stories})" for m in d.months] or [
        f"  {NO_DATA}"
    ]
    out += ["", "Соглашения (последние сведения первыми):"]
    for e in d.agreements:
        value, unit, detail = _count(e)
        out.append(_line(e, " ".join(x for x in (e.qualifier, value, unit, detail) if x)))
    out += [] if d.agreements else [f"  {NO_DATA}"]
    out += ["", "Изменения торговли:"]
    for e in d.trade:
        out.append(_line(e, f"{e.object} {e.value} {e.counterpart_object} ({e.period or '—'})"))
    out += [] if d.trade else [f"  {NO_DATA}"]
    out += ["", "Подписанные документы:"]
    for e in d.signed:
        out.append(_line(e, e.object + (f" ({e.period})" if e.period else "")))
    out += [] if d.signed else [f"  {NO_DATA}"]
    out += ["", "Персоны:"]
    out += [f"  {p.name} — {'; '.join(p.roles)} ({p.mentions}, {p.last_seen})" for p in d.persons]
    out += [] if d.persons else [f"  {NO_DATA}"]
    out += ["", "Регионы-партнёры:"]
    out += [f"  {r.region}: фактов {r.facts}, сюжетов {r.stories}" for r in d.partners]
    out += [] if d.partners else [f"  {NO_DATA}"]
    return "\n".join(out) + "\n"
