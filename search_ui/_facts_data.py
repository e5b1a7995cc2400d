"""The facts of a search state: the same rows, and the same bytes, as ``vestnik facts``.

``fact_rows`` builds exactly the ``FactFilter`` that ``vestnik facts QUERY --type … --since …
--until … --site … --region …`` builds, and the downloads go through ``indexer.facts.write_facts``,
the function the command writes with, so a download is byte-identical to the command's output.
``cli_command`` spells out that equivalent command for the page.
"""

from __future__ import annotations

import io
import shlex
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from search_ui._state import SearchState

if TYPE_CHECKING:
    from core.records import FactRow
    from corpus import Store
    from indexer import SearchBackend

__all__ = [
    "agreements_by_region",
    "agreements_by_year",
    "cli_command",
    "effective_query",
    "fact_rows",
    "facts_bytes",
    "rows_frame",
    "trade_changes",
]

AGREEMENT_TYPES = ("agreement_count", "signed_document")


def _quoted(value: str) -> str:
    return f'"{value}"' if any(c.isspace() for c in value) else value


def effective_query(state: SearchState) -> str:
    """The query with the search-only filters (language, document region) as query fields.

    ``vestnik facts`` has no ``--lang`` and its ``--region`` filters facts, not documents; the
    query syntax expresses both (``lang:be``, ``region:"Курская область"``), so the page's facts
    are exactly those of one ``vestnik facts`` command.
    """
    parts = [state.query.strip()] if state.query.strip() else []
    if state.lang:
        parts.append(f"lang:{state.lang}")
    if state.region:
        parts.append(f"region:{_quoted(state.region)}")
    return " ".join(parts)


def fact_rows(store: Store, index: SearchBackend | None, state: SearchState) -> list[FactRow]:
    """The fact rows ``vestnik facts`` gives for ``state`` (``index`` may be None without a query)."""
    from core.records import FactFilter

    query = effective_query(state)
    doc_ids: tuple[int, ...] | None = None
    if query:
        if index is None:
            return []
        doc_ids = tuple(  # as vestnik/_cmd_facts.py: --region also narrows the documents
            index.doc_ids(
                query,
                since=state.since,
                until=state.until,
                site=state.site,
                region=state.fact_region,
            )
        )
    flt = FactFilter(
        types=state.types,
        since=state.since,
        until=state.until,
        site=state.site,
        regions=(state.fact_region,) if state.fact_region else (),
        doc_ids=doc_ids,
    )
    return list(store.iter_facts(flt))


def facts_bytes(rows: Iterable[FactRow], *, excel: bool = False) -> bytes:
    """What ``vestnik facts … [--excel] --output FILE`` writes for ``rows``."""
    from indexer.facts import write_facts

    out = io.BytesIO()
    write_facts(rows, out, fmt="csv", excel=excel)
    return out.getvalue()


def cli_command(state: SearchState, *, excel: bool = False) -> str:
    """The ``vestnik facts`` command line that writes the same file."""
    args = ["vestnik", "facts"]
    query = effective_query(state)
    if query:
        args.append(query)
    for fact_type in state.types:
        args += ["--type", fact_type]
    for option, value in (
        ("--since", state.since),
        ("--until", state.until),
        ("--site", state.site),
        ("--region", state.fact_region),
    ):
        if value:
            args += [option, value]
    if excel:
        args.append("--excel")
    return shlex.join(args)


def _year(row: FactRow) -> str:
    for value in (row.fact.date, row.published):
        if len(value) >= 4 and value[:4].isdigit():
            return value[:4]
    return ""


def rows_frame(rows: list[FactRow]) -> pd.DataFrame:
    """The rows as a table (CSV columns; lists joined with "; ")."""
    return pd.DataFrame(
        [
            {
                "fact_type": r.fact.fact_type,
                "value": r.fact.value,
                "qualifier": r.fact.qualifier,
                "object": r.fact.object,
                "counterpart_value": r.fact.counterpart_value,
                "counterpart_object": r.fact.counterpart_object,
                "regions": "; ".join(r.fact.regions),
                "persons": "; ".join(r.fact.persons),
                "date": r.fact.date,
                "sentence": r.fact.sentence,
                "doc_url": r.doc_url,
                "doc_title": r.doc_title,
                "published": r.published,
                "site": r.site,
            }
            for r in rows
        ],
        columns=[
            "fact_type", "value", "qualifier", "object", "counterpart_value",
            "counterpart_object", "regions", "persons", "date", "sentence", "doc_url",
            "doc_title", "published", "site",
        ],
    )  # fmt: skip


def agreements_by_year(rows: list[FactRow]) -> pd.DataFrame:
    """Agreement facts (counts and signed documents) per year: ``Год``, ``Соглашений``."""
    years = [_year(r) for r in rows if r.fact.fact_type in AGREEMENT_TYPES]
    counts = pd.Series([y for y in years if y], dtype="object").value_counts().sort_index()
    return pd.DataFrame({"Год": counts.index.astype(str), "Соглашений": counts.to_numpy()})


def agreements_by_region(rows: list[FactRow], top: int = 15) -> pd.DataFrame:
    """Agreement facts per region named with them: ``Регион``, ``Соглашений`` (largest first)."""
    regions = [g for r in rows if r.fact.fact_type in AGREEMENT_TYPES for g in r.fact.regions]
    counts = pd.Series(regions, dtype="object").value_counts().head(top)
    return pd.DataFrame({"Регион": counts.index.astype(str), "Соглашений": counts.to_numpy()})


def trade_changes(rows: list[FactRow]) -> pd.DataFrame:
    """Trade changes in percent over time: ``Дата`` (publication), ``Изменение, %``, ``Показатель``."""
    records = []
    for r in rows:
        if r.fact.fact_type != "trade_change" or r.fact.counterpart_object != "%":
            continue
        try:
            value = float(r.fact.value)
        except ValueError:
            continue
        date = pd.to_datetime(r.published[:10], errors="coerce")
        if pd.isna(date):
            continue
        records.append({"Дата": date, "Изменение, %": value, "Показатель": r.fact.object})
    return pd.DataFrame(records, columns=["Дата", "Изменение, %", "Показатель"])
