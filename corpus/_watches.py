"""Saved searches and the new items each update found for them (tables ``saved_searches``,
``saved_search_items``).

A saved search is a query and filters under a unique name. After each update the documents that
are new or changed since the search last looked (the store's change counter, ``checked_seq``) and
that match it become its *items*, one per document version, with the run that found them. The UI
remembers the newest item the user has seen (``seen_item``): later items are "new since the last
visit".

``Watches`` is the protocol the rest of vestnik uses (part of ``Store``); ``WatchesTable``
implements it for both databases (a mixin of the SQL store, in the SQL they share). Its records (``SavedSearch``, ``NewItem``, ``WatchItem``) are in
``core.records``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from core.enums import ItemChange
from core.errors import StoreError
from core.records import NewItem, SavedSearch, WatchItem
from corpus._db import now_iso

if TYPE_CHECKING:
    from corpus._sql import Connection

__all__ = ["MAX_WATCH_NAME", "Watches", "WatchesTable", "check_watch_name"]

MAX_WATCH_NAME = 80


def check_watch_name(name: str) -> str:
    """``name`` stripped, or ``StoreError``: 1-80 printable characters (no control or bidi
    characters), no ``/`` or ``\\`` (it names a URL path segment), starting with a letter or digit."""
    clean = name.strip()
    if (
        not clean
        or len(clean) > MAX_WATCH_NAME
        or not clean.isprintable()
        or "/" in clean
        or "\\" in clean
        or not clean[0].isalnum()
    ):
        raise StoreError(
            f"bad saved search name {name[:100]!r}: use 1-{MAX_WATCH_NAME} characters starting "
            "with a letter or digit, without '/', '\\' or control characters"
        )
    return clean


class Watches(Protocol):
    """Saved searches and their items."""

    def add_watch(self, search: SavedSearch, checked_seq: int) -> SavedSearch: ...
    def get_watch(self, name: str) -> SavedSearch | None: ...
    def list_watches(self) -> list[SavedSearch]: ...
    def remove_watch(self, name: str) -> bool: ...
    def record_watch_items(
        self, search_id: int, run_id: int | None, items: Iterable[NewItem], checked_seq: int
    ) -> int: ...
    def watch_items(
        self, search_id: int, *, after: int = 0, run_id: int | None = None, limit: int = 100
    ) -> list[WatchItem]: ...
    def mark_watch_seen(self, search_id: int, item_id: int) -> None: ...


def _search(row: Any) -> SavedSearch:
    return SavedSearch(
        name=row["name"], query=row["query"], since=row["since"], until=row["until"],
        site=row["site"], lang=row["lang"], region=row["region"], id=int(row["id"]),
        created_at=row["created_at"], checked_seq=int(row["checked_seq"]),
        seen_item=int(row["seen_item"]), items=int(row["items"]), unseen=int(row["unseen"]),
    )  # fmt: skip


def _item(row: Any) -> WatchItem:
    run_id = row["run_id"]
    return WatchItem(
        id=int(row["id"]), search_id=int(row["search_id"]),
        run_id=int(run_id) if run_id is not None else None, doc_id=int(row["doc_id"]),
        version=int(row["version"]), change=ItemChange(row["change"]), facts=int(row["facts"]),
        found_at=row["found_at"], url=row["url"], title=row["title"],
        published=row["published"], site=row["site"], lang=row["lang"],
    )  # fmt: skip


_SELECT_SEARCH = """
    SELECT s.*,
        (SELECT COUNT(*) FROM saved_search_items i WHERE i.search_id = s.id) AS items,
        (SELECT COUNT(*) FROM saved_search_items i
            WHERE i.search_id = s.id AND i.id > s.seen_item) AS unseen
    FROM saved_searches s"""


class WatchesTable:
    """``Watches`` on SQL: saved-search methods of the store (mixin; uses ``self._conn``)."""

    _conn: Connection

    def add_watch(self, search: SavedSearch, checked_seq: int) -> SavedSearch:
        """Save ``search`` under its (checked) name; documents up to ``checked_seq`` are old news.

        ``StoreError`` when the name is taken or malformed.
        """
        name = check_watch_name(search.name)
        with self._conn.transaction("cannot save the search"):
            if self._conn.execute("SELECT 1 FROM saved_searches WHERE name = ?", (name,)):
                raise StoreError(f"a saved search named {name!r} exists already")
            self._conn.execute(
                "INSERT INTO saved_searches(name, query, since, until, site, lang, region, "
                "created_at, checked_seq, seen_item) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                (
                    name, search.query, search.since, search.until, search.site, search.lang,
                    search.region, now_iso(), checked_seq,
                ),
            )  # fmt: skip
        saved = self.get_watch(name)
        if saved is None:  # pragma: no cover - it was just written
            raise StoreError(f"the saved search {name!r} was not stored")
        return saved

    def get_watch(self, name: str) -> SavedSearch | None:
        """The saved search named ``name``, or None."""
        rows = self._conn.query(_SELECT_SEARCH + " WHERE s.name = ?", (name.strip(),))
        return _search(rows[0]) if rows else None

    def list_watches(self) -> list[SavedSearch]:
        """Every saved search, by name."""
        return [_search(r) for r in self._conn.query(_SELECT_SEARCH + " ORDER BY s.name")]

    def remove_watch(self, name: str) -> bool:
        """Delete a saved search and its items; False when there is none of that name."""
        with self._conn.transaction("cannot remove the saved search"):
            found = self._conn.execute(
                "SELECT id FROM saved_searches WHERE name = ?", (name.strip(),)
            )
            if not found:
                return False
            search_id = int(found[0]["id"])
            self._conn.execute("DELETE FROM saved_search_items WHERE search_id = ?", (search_id,))
            self._conn.execute("DELETE FROM saved_searches WHERE id = ?", (search_id,))
            return True

    def record_watch_items(
        self, search_id: int, run_id: int | None, items: Iterable[NewItem], checked_seq: int
    ) -> int:
        """Record what a run found and move the search's ``checked_seq`` on, in one transaction.

        A document version already recorded for the search is not recorded again. Returns how
        many items were added.
        """
        now = now_iso()
        added = 0
        with self._conn.transaction("cannot record saved search items"):
            for item in items:
                added += self._conn.changed(
                    "INSERT INTO saved_search_items(search_id, run_id, doc_id, version, change, "
                    "facts, found_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (search_id, doc_id, version) DO NOTHING",
                    (
                        search_id, run_id, item.doc_id, item.version, str(item.change),
                        item.facts, now,
                    ),
                )  # fmt: skip
            self._conn.execute(
                "UPDATE saved_searches SET checked_seq = CASE WHEN checked_seq < ? THEN ? "
                "ELSE checked_seq END WHERE id = ?",
                (checked_seq, checked_seq, search_id),
            )
        return added

    def watch_items(
        self, search_id: int, *, after: int = 0, run_id: int | None = None, limit: int = 100
    ) -> list[WatchItem]:
        """Items of a saved search, newest first: those after item id ``after`` (of one run)."""
        sql = (
            "SELECT i.*, d.url, d.title, d.published, d.site, d.lang "
            "FROM saved_search_items i JOIN documents d ON d.id = i.doc_id "
            "WHERE i.search_id = ? AND i.id > ?"
        )
        params: list[object] = [search_id, after]
        if run_id is not None:
            sql, params = sql + " AND i.run_id = ?", [*params, run_id]
        rows = self._conn.query(sql + " ORDER BY i.id DESC LIMIT ?", (*params, max(0, limit)))
        return [_item(r) for r in rows]

    def mark_watch_seen(self, search_id: int, item_id: int) -> None:
        """Remember that the items up to ``item_id`` were seen (never moves back)."""
        self._conn.write(
            "UPDATE saved_searches SET seen_item = CASE WHEN seen_item < ? THEN ? "
            "ELSE seen_item END WHERE id = ?",
            (item_id, item_id, search_id),
            "cannot mark items seen",
        )
