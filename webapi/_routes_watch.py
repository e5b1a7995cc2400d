"""Read-only routes over the saved searches: the list, one search with its items, its Atom feed."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from core.records import SavedSearch, WatchItem
from corpus import MAX_WATCH_NAME
from ops import watch_entries
from webapi._atom import ATOM_TYPE, atom_feed
from webapi._data import ApiData
from webapi._errors import ApiError, responses
from webapi._models import WatchDetail, WatchItemOut, WatchOut
from webapi._params import WHOLE_NUMBER

__all__ = ["FEED_ITEMS", "feed_path", "router"]

FEED_ITEMS = 50
router = APIRouter(prefix="/api")

_ATOM = {"content": {"application/atom+xml": {"schema": {"type": "string"}}}, "description": "Atom"}
Name = Annotated[str, Path(max_length=MAX_WATCH_NAME, description="the saved search's name")]


def feed_path(name: str) -> str:
    """The path of a saved search's Atom feed."""
    return f"/api/watches/{quote(name, safe='')}/feed.atom"


def _watch_out(search: SavedSearch) -> dict[str, object]:
    return {
        "name": search.name, "query": search.query, "since": search.since, "until": search.until,
        "site": search.site, "lang": search.lang, "region": search.region,
        "created_at": search.created_at, "items": search.items, "unseen": search.unseen,
        "feed": feed_path(search.name),
    }  # fmt: skip


def _item_out(item: WatchItem) -> WatchItemOut:
    return WatchItemOut(
        id=item.id, run_id=item.run_id, doc_id=item.doc_id, version=item.version,
        change=item.change, facts=item.facts, found_at=item.found_at, url=item.url,
        title=item.title, published=item.published, site=item.site, lang=item.lang,
    )  # fmt: skip


def _get(request: Request, name: str) -> SavedSearch:
    data: ApiData = request.app.state.data
    search = data.store().get_watch(name)
    if search is None:
        raise ApiError(404, f"no saved search named {name[:MAX_WATCH_NAME]!r}")
    return search


@router.get(
    "/watches",
    response_model=list[WatchOut],
    responses=responses(401),
    summary="Saved searches",
)
def watches(request: Request) -> list[WatchOut]:
    """Every saved search with its item counts and feed path."""
    data: ApiData = request.app.state.data
    return [WatchOut.model_validate(_watch_out(s)) for s in data.store().list_watches()]


@router.get(
    "/watches/{name}",
    response_model=WatchDetail,
    responses=responses(401, 404, 422),
    summary="A saved search and its items",
)
def watch(
    request: Request,
    name: Name,
    new: Annotated[bool, Query(description="only the items the UI has not shown yet")] = False,
    run: Annotated[
        int | None, Query(ge=1, le=2**63 - 1, description="only this run's"), WHOLE_NUMBER
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100), WHOLE_NUMBER] = 50,
) -> WatchDetail:
    """The saved search with its items, newest first."""
    search = _get(request, name)
    data: ApiData = request.app.state.data
    items = data.store().watch_items(
        search.id, after=search.seen_item if new else 0, run_id=run, limit=limit
    )
    return WatchDetail.model_validate(
        _watch_out(search) | {"entries": [_item_out(i) for i in items]}
    )


@router.get(
    "/watches/{name}/feed.atom",
    response_class=Response,
    responses=responses(401, 404, 422, ok=_ATOM),
    summary="The Atom feed of a saved search",
)  # fmt: skip
def feed(request: Request, name: Name) -> Response:
    """The newest items of the saved search as an Atom 1.0 feed."""
    search = _get(request, name)
    data: ApiData = request.app.state.data
    store = data.store()
    entries = watch_entries(store, store.watch_items(search.id, limit=FEED_ITEMS))
    self_url = str(request.base_url).rstrip("/") + feed_path(search.name)  # encoded, no token
    return Response(atom_feed(search, entries, self_url=self_url), media_type=ATOM_TYPE)
