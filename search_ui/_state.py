"""The search state (query, filters, sort, page) and its round trip through the URL.

The URL is the source of truth: every page reads a ``SearchState`` from ``st.query_params`` and writes
the changed state back, so a search (and a facts view) can be bookmarked and shared. Short,
stable parameter names keep the URLs readable: ``?q=соглашение&site=mpt&since=2023-01-01&p=2``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = [
    "FACT_TYPES",
    "KINDS",
    "LANGS",
    "MAX_DOC_ID",
    "MAX_PAGE",
    "MAX_QUERY",
    "SORTS",
    "SearchState",
    "bad_params",
    "from_params",
    "to_params",
]

SORTS: dict[str, str] = {"relevance": "по релевантности", "date": "по дате"}
LANGS: dict[str, str] = {"ru": "русский", "be": "белорусский", "en": "английский"}
FACT_TYPES: dict[str, str] = {
    "agreement_count": "число соглашений",
    "trade_change": "изменение товарооборота",
    "partner_count": "число партнёров",
    "signed_document": "подписанный документ",
    "person_role": "персона и должность",
}

MAX_QUERY = 1000  # characters of a query (a longer one is not run: the URL is refused)
MAX_TEXT = 200  # characters of a site, region or saved search name in the URL
MAX_PAGE = 10_000
MAX_DOC_ID = 2**63 - 1  # store ids are 64-bit

# field name -> URL parameter name
_PARAM = {
    "query": "q",
    "since": "since",
    "until": "until",
    "site": "site",
    "lang": "lang",
    "region": "region",
    "sort": "sort",
    "page": "p",
    "types": "type",
    "fact_region": "fregion",
    "doc": "doc",
    "watch": "watch",
    "kind": "kind",
}
KINDS = {"page": "страницы", "attachment": "вложения (файлы)"}  # the index's "kind" values


@dataclass(frozen=True)
class SearchState:
    """What the user asked for. Empty strings and ``()`` mean "no filter"."""

    query: str = ""
    since: str = ""  # YYYY-MM-DD
    until: str = ""
    site: str = ""
    lang: str = ""
    region: str = ""  # documents about this region (search filter)
    sort: str = "relevance"
    page: int = 1
    types: tuple[str, ...] = ()  # facts page: fact types
    fact_region: str = ""  # facts page: facts naming this region
    doc: int = 0  # document page: the document shown
    watch: str = ""  # «Подписки» page: the saved search shown
    kind: str = ""  # "page" | "attachment": pages or attached files only (search filter)

    def with_changes(self, **changes: Any) -> SearchState:
        """A copy with ``changes``; any change but the page number goes back to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        return replace(self, **changes)


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return ""


def _first(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name, "")
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value).strip()


def _all(params: Mapping[str, Any], name: str) -> list[str]:
    getter = getattr(params, "get_all", None)
    values = getter(name) if callable(getter) else params.get(name, [])
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        out += [v.strip() for v in str(value).split(",") if v.strip()]
    return out


def _int(value: str, default: int, high: int) -> int:
    """A positive whole number up to ``high`` written in ASCII digits, else ``default``."""
    if not (value.isascii() and value.isdigit()) or len(value) > 19:
        return default
    number = int(value)
    return number if 0 < number <= high else default


def _text(value: str, limit: int) -> str:
    """``value`` with control and bidi-override characters as spaces; "" when over ``limit``."""
    if len(value) > limit:
        return ""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


def from_params(params: Mapping[str, Any]) -> SearchState:
    """Read a state from URL parameters; unknown or malformed values fall back to defaults."""
    sort = _first(params, "sort")
    lang = _first(params, "lang")
    return SearchState(
        query=_text(_first(params, "q"), MAX_QUERY),
        since=_date(_first(params, "since")),
        until=_date(_first(params, "until")),
        site=_text(_first(params, "site"), MAX_TEXT),
        lang=lang if lang in LANGS else "",
        region=_text(_first(params, "region"), MAX_TEXT),
        sort=sort if sort in SORTS else "relevance",
        page=_int(_first(params, "p"), 1, MAX_PAGE),
        types=tuple(t for t in dict.fromkeys(_all(params, "type")) if t in FACT_TYPES),
        fact_region=_text(_first(params, "fregion"), MAX_TEXT),
        doc=_int(_first(params, "doc"), 0, MAX_DOC_ID),
        watch=_text(_first(params, "watch"), MAX_TEXT),
        kind=kind if (kind := _first(params, "kind")) in KINDS else "",
    )


def bad_params(params: Mapping[str, Any]) -> list[str]:
    """The URL parameters given with values ``from_params`` cannot use (it took the default).

    >>> bad_params({"doc": "99999999999999999999999", "p": "2", "since": "2024-02-30"})
    ['since', 'doc']
    """
    checks = {
        "q": lambda v: len(v) <= MAX_QUERY,
        "since": lambda v: bool(_date(v)),
        "until": lambda v: bool(_date(v)),
        "lang": lambda v: v in LANGS,
        "sort": lambda v: v in SORTS,
        "p": lambda v: bool(_int(v, 0, MAX_PAGE)),
        "doc": lambda v: bool(_int(v, 0, MAX_DOC_ID)),
        "kind": lambda v: v in KINDS,
    }
    bad = []
    for name in _PARAM.values():
        if name == "type":
            if any(t not in FACT_TYPES for t in _all(params, "type")):
                bad.append(name)
            continue
        value = _first(params, name)
        check = checks.get(name, lambda v: len(v) <= MAX_TEXT)
        if value and not check(value):
            bad.append(name)
    return bad


def to_params(state: SearchState, *, keep_doc: bool = False) -> dict[str, str | list[str]]:
    """URL parameters of ``state``, defaults left out (the inverse of ``from_params``)."""
    default = SearchState()
    out: dict[str, str | list[str]] = {}
    for f in fields(SearchState):
        value = getattr(state, f.name)
        if value == getattr(default, f.name) or (f.name == "doc" and not keep_doc):
            continue
        name = _PARAM[f.name]
        out[name] = list(value) if isinstance(value, tuple) else str(value)
    return out
