"""An announced URL — a feed entry or a sitemap ``<url>`` — with the dates its source gives.

>>> parse_stamp("2024-11-15T12:00:00+03:00")
datetime.datetime(2024, 11, 15, 9, 0, tzinfo=datetime.timezone.utc)
>>> parse_stamp("2024-11-15")  # a bare date: the end of that day, so it never looks older
datetime.datetime(2024, 11, 15, 23, 59, 59, tzinfo=datetime.timezone.utc)
>>> parse_stamp("15/11/2024") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

__all__ = ["FUTURE_SLACK", "Entry", "parse_http_date", "parse_stamp", "plausible"]

FUTURE_SLACK = timedelta(days=2)  # a date further ahead than this is not believed
_EARLIEST = datetime(1991, 1, 1, tzinfo=UTC)  # the web's first year: older dates are junk
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Entry:
    """A URL a feed or sitemap names. ``modified`` is a modification time (sitemap ``lastmod``,
    Atom ``updated``); ``published`` a publication time (RSS ``pubDate``, Atom ``published``).
    Either is None when the source gives none or an unreadable one."""

    url: str
    modified: datetime | None = None
    published: datetime | None = None

    @property
    def day(self) -> str:
        """The entry's date as ``YYYY-MM-DD`` (publication first), "" when it has none."""
        stamp = self.published or self.modified
        return stamp.date().isoformat() if stamp is not None else ""


def plausible(stamp: datetime | None, now: datetime | None = None) -> datetime | None:
    """``stamp`` when it could be true (after 1991, not days in the future), else None."""
    if stamp is None:
        return None
    now = now or datetime.now(UTC)
    return stamp if _EARLIEST <= stamp <= now + FUTURE_SLACK else None


def parse_stamp(text: str) -> datetime | None:
    """A W3C/ISO 8601 date or date-time (sitemap ``lastmod``, stored fetch times) as an aware
    UTC datetime; a bare date is the last second of that day; None when unreadable."""
    text = text.strip()
    if not text or len(text) > 40:
        return None
    try:
        if _DATE_ONLY.match(text):
            stamp = datetime.fromisoformat(text).replace(hour=23, minute=59, second=59)
        else:
            stamp = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC)


def parse_http_date(text: str) -> datetime | None:
    """An HTTP date (``Last-Modified``) as an aware UTC datetime; None when unreadable."""
    if not text.strip():
        return None
    try:
        stamp = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC)
