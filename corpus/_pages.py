"""Fetched pages (the ``pages`` table): what each URL gave last, its raw bytes (zlib) and the
validators (ETag, Last-Modified) of conditional requests."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from core.enums import PageState
from core.records import Page, PageFetch
from corpus._db import now_iso

if TYPE_CHECKING:
    from corpus._sql import Connection

__all__ = ["PagesTable"]

_RAW_LEVEL = 3  # zlib level of stored raw pages: ~6% larger than level 6, ~40% less CPU


def _page(row: Any) -> Page:
    fields = {k: row[k] for k in Page.__dataclass_fields__}
    return Page(**dict(fields, state=PageState(fields["state"])))


class PagesTable:
    """Page methods of the store (mixin; uses ``self._conn``)."""

    _conn: Connection

    def record_fetch(self, fetch: PageFetch) -> None:
        """Record what one fetch of ``fetch.url`` gave (upsert into ``pages``)."""
        now = now_iso()
        conn = self._conn
        with conn.transaction("cannot record a fetch"):
            found = conn.execute(
                "SELECT content_hash, first_seen, changed_at FROM pages WHERE url = ?", (fetch.url,)
            )
            old = found[0] if found else None
            if fetch.state == "not_modified" and old is not None:
                conn.execute(
                    "UPDATE pages SET fetched_at = ?, status = ?, error = '', state = 'ok' "
                    "WHERE url = ?",
                    (now, fetch.status, fetch.url),
                )
                return
            first_seen = old["first_seen"] if old else now
            changed = old is None or old["content_hash"] != fetch.content_hash
            changed_at = now if old is None or changed else old["changed_at"]
            raw = zlib.compress(fetch.raw_html, _RAW_LEVEL) if fetch.raw_html else None
            keep_raw = fetch.state in ("error", "skipped") and old is not None
            conn.execute(
                """INSERT INTO pages(url, site, canonical_url, status, state, etag, last_modified,
                       content_hash, raw_html, encoding, error, first_seen, fetched_at, changed_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(url) DO UPDATE SET
                       site = excluded.site, status = excluded.status, state = excluded.state,
                       error = excluded.error, fetched_at = excluded.fetched_at""",
                (
                    fetch.url, fetch.site, fetch.canonical_url, fetch.status, str(fetch.state),
                    fetch.etag, fetch.last_modified, fetch.content_hash, raw, fetch.encoding,
                    fetch.error, first_seen, now, changed_at,
                ),
            )  # fmt: skip
            if old is not None and not keep_raw:
                conn.execute(
                    """UPDATE pages SET canonical_url = ?, etag = ?, last_modified = ?,
                           content_hash = ?, raw_html = ?, encoding = ?, changed_at = ?
                       WHERE url = ?""",
                    (
                        fetch.canonical_url, fetch.etag, fetch.last_modified, fetch.content_hash,
                        raw, fetch.encoding, changed_at, fetch.url,
                    ),
                )  # fmt: skip

    def get_page(self, url: str) -> Page | None:
        """The ``pages`` row of ``url``, or None."""
        rows = self._conn.query("SELECT * FROM pages WHERE url = ?", (url,))
        return _page(rows[0]) if rows else None

    def page_html(self, url: str) -> bytes:
        """The raw bytes last fetched from ``url`` (empty when none are stored)."""
        rows = self._conn.query("SELECT raw_html FROM pages WHERE url = ?", (url,))
        if not rows or rows[0]["raw_html"] is None:
            return b""
        return zlib.decompress(bytes(rows[0]["raw_html"]))

    def iter_pages(self, site: str | None = None, state: str | None = None) -> Iterator[Page]:
        """Stream ``pages`` rows, optionally of one site and/or state."""
        sql, params = "SELECT * FROM pages WHERE 1=1", list[object]()
        if site:
            sql, params = sql + " AND site = ?", [*params, site]
        if state:
            sql, params = sql + " AND state = ?", [*params, str(state)]
        for row in self._conn.iterate(sql + " ORDER BY url", tuple(params)):
            yield _page(row)
