"""Read-only routes over the corpus: search, facts, documents with versions, regions.

Every route calls the search API (``indexer.SearchIndex``) and the store interface; none touches
Whoosh or SQL. Parameters are validated (types, ranges, lengths) before any work is done.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator

from webapi._data import ApiData
from webapi._errors import ApiError, responses
from webapi._facts_stream import fact_chunks
from webapi._models import (
    DocumentOut,
    FacetValue,
    FactOut,
    HitOut,
    RegionOut,
    SearchOut,
    VersionFull,
    VersionOut,
)
from webapi._params import WHOLE_NUMBER

__all__ = ["FACT_TYPES", "MAX_LIMIT", "MAX_PAGE", "MAX_QUERY", "router"]

MAX_QUERY = 1000  # characters of a query
MAX_LIMIT = 100  # results per page
MAX_PAGE = 100  # pages: limit x page stays within 10,000 results
MAX_ID = 2**63 - 1
FactType = Literal[
    "agreement_count", "trade_change", "partner_count", "signed_document", "person_role"
]
FACT_TYPES: tuple[str, ...] = typing.get_args(FactType)

router = APIRouter(prefix="/api")

Q = Annotated[str, Query(max_length=MAX_QUERY, description="query in vestnik's search syntax")]


def _real_date(value: str | None) -> str | None:
    if value is not None:
        dt.date.fromisoformat(value)  # ValueError (a 422) for 2024-02-30
    return value


_DATE = {"pattern": r"^\d{4}-\d{2}-\d{2}$", "json_schema_extra": {"format": "date"}}
Since = Annotated[
    str | None,
    Query(description="published on or after (YYYY-MM-DD)", **_DATE),
    AfterValidator(_real_date),
]
Until = Annotated[
    str | None,
    Query(description="published on or before (YYYY-MM-DD)", **_DATE),
    AfterValidator(_real_date),
]
Site = Annotated[str, Query(max_length=200, description="site name, e.g. mpt")]
Lang = Annotated[Literal["ru", "be", "en"] | None, Query(description="document language")]
Region = Annotated[str, Query(max_length=200, description='region, e.g. "Курская область"')]
Kind = Annotated[
    Literal["page", "attachment"] | None, Query(description="only pages or only attachments")
]


def _data(request: Request) -> ApiData:
    data: ApiData = request.app.state.data
    return data


def _iso(value: str | None) -> str:
    return value or ""


@router.get(
    "/search",
    response_model=SearchOut,
    responses=responses(400, 401, 422, 503),
    summary="Search documents",
)
def search(
    request: Request,
    q: Q = "",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT), WHOLE_NUMBER] = 10,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE), WHOLE_NUMBER] = 1,
    since: Since = None,
    until: Until = None,
    site: Site = "",
    lang: Lang = None,
    region: Region = "",
    kind: Kind = None,
    sort: Literal["relevance", "date"] = "relevance",
) -> SearchOut:
    """Ranked (or newest-first) results with snippets, the total and facet counts over all matches.

    The query language and the hits' keys are those of ``vestnik search --json``.
    """
    from indexer import SearchRequest

    results = (
        _data(request)
        .index()
        .search(
            SearchRequest(
                query=q,
                page=page,
                per_page=limit,
                sort=sort,
                since=_iso(since),
                until=_iso(until),
                site=site,
                lang=lang or "",
                region=region,
                kind=kind or "",
            )  # fmt: skip
        )
    )
    hits = [HitOut(**h.as_dict()) for h in results.hits]
    facets = {
        name: [FacetValue(value=str(v), count=int(c)) for v, c in values]
        for name, values in results.facets.items()
    }
    return SearchOut(
        total=results.total, page=results.page, limit=results.per_page, hits=hits,
        facets=facets, suggestion=results.suggestion,
    )  # fmt: skip


_FACTS_CONTENT: dict[str, Any] = {
    "text/csv": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
}


@router.get(
    "/facts",
    response_class=StreamingResponse,
    responses=responses(400, 401, 422, 503, ok={"content": _FACTS_CONTENT, "description": "facts"}),
    summary="Export facts (CSV or JSON, streamed)",
)
def facts(
    request: Request,
    q: Q = "",
    type: Annotated[list[FactType] | None, Query(max_length=5, description="fact types")] = None,
    since: Since = None,
    until: Until = None,
    site: Site = "",
    region: Region = "",
    format: Literal["csv", "json"] = "csv",
    excel: Annotated[bool, Query(description="UTF-8 with BOM and ';' (CSV only)")] = False,
) -> StreamingResponse:
    """The facts ``vestnik facts`` exports for the same filters, byte for byte, streamed."""
    from core.records import FactFilter

    data = _data(request)
    doc_ids = None
    if q.strip():
        doc_ids = tuple(
            data.index().doc_ids(q, since=_iso(since), until=_iso(until), site=site, region=region)
        )
    flt = FactFilter(
        types=tuple(dict.fromkeys(type or ())), since=_iso(since), until=_iso(until), site=site,
        regions=(region,) if region else (), doc_ids=doc_ids,
    )  # fmt: skip
    rows = data.store().iter_facts(flt)
    if format == "json":
        return StreamingResponse(fact_chunks(rows, "json"), media_type="application/json")
    return StreamingResponse(
        fact_chunks(rows, "csv", excel),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="vestnik-facts.csv"'},
    )


DocId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="the document's id in the store"), WHOLE_NUMBER
]


def _fact_out(fact: Any) -> FactOut:
    return FactOut(
        fact_type=fact.fact_type, value=fact.value, qualifier=fact.qualifier, object=fact.object,
        counterpart_value=fact.counterpart_value, counterpart_object=fact.counterpart_object,
        regions=list(fact.regions), persons=list(fact.persons), date=fact.date,
        sentence=fact.sentence, start=fact.start, stop=fact.stop, rule=fact.rule,
    )  # fmt: skip


@router.get(
    "/documents/{doc_id}",
    response_model=DocumentOut,
    responses=responses(401, 404, 422),
    summary="A document with its versions and facts",
)
def document(request: Request, doc_id: DocId) -> DocumentOut:
    """The document's current version, the list of its stored versions and its facts."""
    store = _data(request).store()
    doc = store.get_document(doc_id)
    if doc is None:
        raise ApiError(404, f"no document {doc_id}")
    versions = [
        VersionOut(
            version=int(v["version"]),
            saved_at=str(v["saved_at"]),
            title=str(v["title"]),
            published=str(v["published"]),
            content_hash=str(v["content_hash"]),
        )  # fmt: skip
        for v in store.document_versions(doc_id)
    ]
    return DocumentOut(
        id=doc.id, url=doc.url, site=doc.site, lang=doc.lang, title=doc.title,
        published=doc.published, body=doc.body, version=doc.version, state=doc.state,
        first_seen=doc.first_seen, fetched_at=doc.fetched_at, changed_at=doc.changed_at,
        regions=list(doc.regions), aliases=list(doc.aliases), attachments=list(doc.attachments),
        versions=versions, facts=[_fact_out(f) for f in store.facts_for_document(doc_id)],
    )  # fmt: skip


@router.get(
    "/documents/{doc_id}/versions/{version}",
    response_model=VersionFull,
    responses=responses(401, 404, 422),
    summary="One stored version of a document, with its text",
)
def document_version(
    request: Request, doc_id: DocId, version: Annotated[int, Path(ge=1, le=MAX_ID), WHOLE_NUMBER]
) -> VersionFull:
    """A stored version's title, date and text."""
    for v in _data(request).store().document_versions(doc_id):
        if int(v["version"]) == version:
            return VersionFull(
                doc_id=doc_id, version=version, saved_at=str(v["saved_at"]),
                title=str(v["title"]), published=str(v["published"]),
                content_hash=str(v["content_hash"]), body=str(v["body"]),
            )  # fmt: skip
    raise ApiError(404, f"no version {version} of document {doc_id}")


@router.get(
    "/regions",
    response_model=list[RegionOut],
    responses=responses(400, 401, 422, 503),
    summary="Regions with their document counts",
)
def regions(
    request: Request,
    q: Q = "",
    since: Since = None,
    until: Until = None,
    site: Site = "",
    lang: Lang = None,
) -> list[RegionOut]:
    """Every region the documents matching the query are about, most documents first."""
    from indexer import SearchRequest

    results = (
        _data(request)
        .index()
        .search(
            SearchRequest(
                query=q,
                page=1,
                per_page=1,
                since=_iso(since),
                until=_iso(until),
                site=site,
                lang=lang or "",
                snippets=False,
            )  # fmt: skip
        )
    )
    return [RegionOut(name=str(v), documents=int(c)) for v, c in results.facets.get("region", [])]
