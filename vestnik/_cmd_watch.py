"""``vestnik watch``: saved searches — ``add NAME QUERY [filters]``, ``list``, ``show NAME [--new]``,
``remove NAME``.

After each ``vestnik update`` the new documents matching each saved search are recorded with the
run that found them (``webapi.after_update``); ``show`` lists them newest first, ``--new`` only those
not yet seen (the UI's «Подписки» page, or ``show --mark-seen``, marks them seen).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from core.errors import SearchIndexError, StoreError
from core.settings import Settings

__all__ = ["run"]


def _day(value: str) -> str:
    return value[:10] or "—"


def _filters(search: Any) -> str:
    return ", ".join(f"{k}={v}" for k, v in search.filters().items())


def _add(args: argparse.Namespace, store: Any, settings: Settings) -> int:
    from core.records import SavedSearch
    from indexer import open_search
    from ops import save_search

    try:
        index: Any = open_search(settings)
    except SearchIndexError:
        index = None
    search = SavedSearch(
        name=args.name, query=args.query or "", since=args.since or "", until=args.until or "",
        site=args.site or "", lang=args.lang or "", region=args.region or "",
    )  # fmt: skip
    try:
        saved = save_search(store, index, search)
    finally:
        if index is not None:
            index.close()
    print(
        f"saved search {saved.name!r}: {saved.query or '(all documents)'} {_filters(saved)}".rstrip()
    )
    return 0


def _list(args: argparse.Namespace, store: Any) -> int:
    searches = store.list_watches()
    if args.json:
        print(json.dumps([asdict(s) for s in searches], ensure_ascii=False, indent=1))
        return 0
    if not searches:
        print("no saved searches (add one: vestnik watch add NAME QUERY)")
    for s in searches:
        print(f"{s.name}\t{s.unseen} new / {s.items} items\t{s.query} {_filters(s)}".rstrip())
    return 0


def _show(args: argparse.Namespace, store: Any) -> int:
    search = store.get_watch(args.name)
    if search is None:
        raise StoreError(f"no saved search named {args.name!r} (see: vestnik watch list)")
    items = store.watch_items(
        search.id, after=search.seen_item if args.new else 0, run_id=args.run, limit=args.limit
    )
    if args.json:
        print(json.dumps({"search": asdict(search), "items": [asdict(i) for i in items]},
                         ensure_ascii=False, indent=1))  # fmt: skip
    else:
        print(f"{search.name}: {search.query or '(all documents)'} {_filters(search)}".rstrip())
        print(f"{search.unseen} new / {search.items} items; showing {len(items)}")
        for item in items:
            print()
            print(f"[{item.change}] {_day(item.published)}  {item.site}  {item.title or item.url}")
            print(f"   {item.url}")
            print(f"   run #{item.run_id}, version {item.version}, facts {item.facts}")
    if args.mark_seen and items:
        store.mark_watch_seen(search.id, max(i.id for i in items))
    return 0


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Dispatch ``watch add|list|show|remove``."""
    from corpus import open_store

    with open_store(settings.store_url) as store:
        if args.watch_command == "add":
            return _add(args, store, settings)
        if args.watch_command == "list":
            return _list(args, store)
        if args.watch_command == "show":
            return _show(args, store)
        if not store.remove_watch(args.name):
            raise StoreError(f"no saved search named {args.name!r} (see: vestnik watch list)")
        print(f"removed saved search {args.name!r}")
        return 0
