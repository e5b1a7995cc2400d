"""Dates and periods in a sentence: "29 сентября 2020 г." -> 2020-09-29, "2023-2025 годы" -> 2023-2025."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DateMention", "find_dates", "is_year"]

_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_MONTH_RX = r"(январ[ьяею]|феврал[ьяею]|март[ае]?|апрел[ьяею]|ма[йяею]|июн[ьяею]|июл[ьяею]|август[ае]?|сентябр[ьяею]|октябр[ьяею]|ноябр[ьяею]|декабр[ьяею])"
_FULL = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH_RX}\s+(\d{{4}})", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{2})\.(\d{4})\b")
_PERIOD = re.compile(r"\b((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})\b")
_YEAR = re.compile(r"\b((?:19|20)\d{2})(?=\s*(?:год|г\.|гг\.|г\b))", re.IGNORECASE)
# "по сравнению с 2021 годом", "к уровню 2020 года": a comparison base, not the period
_BASE = re.compile(
    r"(?:сравнению\s+с|против|к\s+уровню|к|чем\s+в|чем)\s*$", re.IGNORECASE
)  # "на 5 % больше, чем в 2022 году"


@dataclass(frozen=True)
class DateMention:
    """A date (``kind`` "day"), period or year at ``text[start:stop]``."""

    iso: str
    kind: str  # "day" | "period" | "year"
    start: int
    stop: int
    base: bool = False  # a comparison base ("по сравнению с 2021 годом")


def _month(word: str) -> int:
    low = word.lower()
    for stem, number in sorted(_MONTHS.items(), key=lambda kv: -len(kv[0])):
        if low.startswith(stem):
            return number
    return 0


def find_dates(text: str) -> list[DateMention]:
    """Dates, periods and years of ``text`` in text order, overlaps removed."""
    found: list[DateMention] = []
    for m in _FULL.finditer(text):
        iso = f"{m.group(3)}-{_month(m.group(2)):02d}-{int(m.group(1)):02d}"
        found.append(DateMention(iso, "day", m.start(), m.end()))
    for m in _NUMERIC.finditer(text):
        iso = f"{m.group(3)}-{m.group(2)}-{int(m.group(1)):02d}"
        found.append(DateMention(iso, "day", m.start(), m.end()))
    if "-" in text or "–" in text or "—" in text:
        for m in _PERIOD.finditer(text):
            found.append(DateMention(f"{m.group(1)}-{m.group(2)}", "period", m.start(), m.end()))
    if "г" in text or "Г" in text:
        for m in _YEAR.finditer(text):
            base = bool(_BASE.search(text[max(0, m.start() - 40) : m.start()]))  # a short tail
            found.append(DateMention(m.group(1), "year", m.start(), m.end(), base))
    out: list[DateMention] = []
    for d in sorted(found, key=lambda d: (d.start, -d.stop)):
        if out and d.start < out[-1].stop:
            continue
        out.append(d)
    return out


def is_year(value: float) -> bool:
    """A number that reads as a year."""
    return float(value).is_integer() and 1900 <= value <= 2100
