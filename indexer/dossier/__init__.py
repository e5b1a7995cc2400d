"""Region dossiers: one region's documents over time, agreements, trade, signed documents,
persons and partner regions, read from the store (``build_dossier``), as text, JSON or CSV.

>>> resolve_region("курской")
'Курская область'
"""

from __future__ import annotations

from indexer.dossier._build import (
    Dossier,
    FactEntry,
    MonthCount,
    Partner,
    PersonEntry,
    Source,
    build_dossier,
)
from indexer.dossier._export import (
    CSV_COLUMNS,
    NO_DATA,
    dossier_csv,
    dossier_json,
    dossier_rows,
    dossier_text,
)
from indexer.dossier._resolve import resolve_region

__all__ = [
    "CSV_COLUMNS",
    "NO_DATA",
    "Dossier",
    "FactEntry",
    "MonthCount",
    "Partner",
    "PersonEntry",
    "Source",
    "build_dossier",
    "dossier_csv",
    "dossier_json",
    "dossier_rows",
    "dossier_text",
    "resolve_region",
]
