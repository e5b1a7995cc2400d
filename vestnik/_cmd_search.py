"""``vestnik search``: a ranked list of results, or ``--json``.

Text output shows, per hit, the title, date, site, URL and a snippet. Matched word forms are shown in
ANSI bold when stdout is a terminal, else between asterisks (``*Курской*``); the snippet's HTML is
turned back into plain text. ``--json`` prints a list of objects with exactly the keys
``url, title, published, site, lang, score, snippet, cluster, copies, kind, file_type, parent_url``
(the snippet as HTML with ``<mark>``; ``cluster`` the story's id, ``copies`` its other documents as
objects with ``url``, ``site``, ``title``, ``published``; ``kind`` is ``page`` or ``attachment``, a
file's ``file_type`` such as ``pdf`` and ``parent_url`` the article it hangs under, both empty for a
page). One row per story; ``--all-copies`` gives one per document.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from typing import Any

from core.errors import SearchIndexError
from core.settings import Settings

__all__ = ["run"]

_JSON_KEYS = (
    "url", "title", "published", "site", "lang", "score", "snippet", "cluster", "copies",
    "kind", "file_type", "parent_url",
)  # fmt: skip


def _plain(fragment: str, tty: bool) -> str:
    start, stop = ("\x1b[1m", "\x1b[0m") if tty else ("*", "*")
    return html.unescape(fragment.replace("<mark>", start).replace("</mark>", stop))


def _request(args: argparse.Namespace) -> Any:
    from indexer import SearchRequest

    return SearchRequest(
        query=args.query or "",
        page=max(1, args.page or 1),
        per_page=args.limit if args.limit else 1_000_000,
        sort=args.sort,
        since=args.since or "",
        until=args.until or "",
        site=args.site or "",
        lang=args.lang or "",
        region=args.region or "",
        kind=getattr(args, "kind", None) or "",
    )


def _store_listing(args: argparse.Namespace, settings: Settings) -> list[dict[str, Any]]:
    """No index yet: an empty query sorted by date lists stored documents newest first."""
    from corpus import open_store
    from indexer import Hit

    rows = []
    with open_store(settings.store_url) as store:
        for doc in store.iter_documents(newest_first=True, site=args.site or None):
            if (args.lang and doc.lang != args.lang) or (
                args.region and args.region not in doc.regions
            ):
                continue
            day = doc.published[:10]
            if (args.since and day < args.since) or (args.until and day > args.until):
                continue
            hit = Hit(
                doc.id, doc.url, doc.title, html.escape(doc.title), doc.published, doc.site,
                doc.lang, 0.0, html.escape(" ".join(doc.body.split())[:240]), tuple(doc.regions),
                kind=str(doc.kind or "page"), parent_url=doc.parent_url or "",
                file_type=doc.file_type if doc.kind == "attachment" else "",
            )  # fmt: skip
            rows.append({**hit.as_dict(), "cluster": doc.id, "copies": []})
    limit = args.limit or len(rows)
    page = max(1, args.page or 1)
    return rows[(page - 1) * limit : page * limit]


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Search the index of the data directory and print the results."""
    from indexer import open_search

    req = _request(args)
    try:
        index = open_search(settings)
    except SearchIndexError:
        if req.query.strip() or req.sort != "date":
            raise
        rows = _store_listing(args, settings)
        _print(rows, None, args)
        return 0
    from corpus import open_store
    from indexer.clusters import search_stories

    with index, open_store(settings.store_url) as store:
        results = search_stories(index, store, req, collapse=not getattr(args, "all_copies", False))
    rows = [
        {**s.hit.as_dict(), "cluster": s.cluster, "copies": [c.as_dict() for c in s.copies],
         "also": s.also}
        for s in results.stories
    ]  # fmt: skip
    _print(rows, results, args)
    return 0


def _print(rows: list[dict[str, Any]], results: Any, args: argparse.Namespace) -> None:
    if args.json:
        print(
            json.dumps([{k: r[k] for k in _JSON_KEYS} for r in rows], ensure_ascii=False, indent=1)
        )
        return
    tty = sys.stdout.isatty()
    if results is not None:
        pages = max(1, -(-results.total // results.per_page))
        docs = results.documents
        about = "" if results.exact else "≈"  # a story total estimated (many matches)
        found = f"{about}{results.total}" + (
            f" сюжетов в {docs} документах" if docs != results.total else ""
        )
        print(f"Найдено: {found} (страница {results.page} из {pages}, {results.elapsed_ms:.0f} мс)")
        if results.suggestion:
            print(f"Возможно, вы имели в виду: {results.suggestion}")
    first = (max(1, args.page or 1) - 1) * (args.limit or 0)
    for n, row in enumerate(rows, first + 1):
        print()
        print(f"{n}. {row['title'] or row['url']}")
        print(f"   {row['published'][:10] or '—'}  {row['site']}  {row['url']}")
        if row["kind"] == "attachment":
            kind = f"{row['file_type'].upper() or 'файл'} · вложение"
            print(f"   {kind} к статье {row['parent_url']}" if row["parent_url"] else f"   {kind}")
        if row["snippet"]:
            print(f"   {_plain(row['snippet'], tty)}")
        if row.get("also"):
            print(f"   также: {', '.join(row['also'])}")
