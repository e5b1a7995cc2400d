"""Publication dates as pages write them: ISO meta values and Russian/Belarusian date lines.

>>> parse_date("9 января 2023")
'2023-01-09'
>>> parse_date("09.01.2023 10:15")
'2023-01-09T10:15'
>>> parse_date("2023-01-09T10:15:00+03:00")
'2023-01-09T10:15'
>>> parse_date("Published September 4th, 2025"), parse_date("4 Sept. 2025")
('2025-09-04', '2025-09-04')
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["MONTHS", "find_date", "find_dates", "leading_date", "parse_date"]

# Month names by stem: Russian genitive/nominative, Belarusian, English.
MONTHS: dict[str, int] = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "студзен": 1, "лют": 2, "сакавік": 3, "красавік": 4, "траўн": 5, "травен": 5, "чэрвен": 6,
    "ліпен": 7, "жнів": 8, "жніўн": 8, "верас": 9, "кастрычнік": 10, "лістапад": 11, "снеж": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_WORDS = (
    r"январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|"
    r"октябр[ья]|ноябр[ья]|декабр[ья]|студзен[ья]|лют(?:ага|ы)|сакавіка?|красавіка?|"
    r"траўн[яь]|травень|мая|чэрвен[ья]|ліпен[ья]|жніўн[яь]|жнівень|верас(?:ня|ень)|"
    r"кастрычніка?|лістапада?|снеж(?:ня|ань)|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_TIME = r"(?:[\s,]+(?:в\s+|а\s+|at\s+)?(?P<hh>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?![\d.]))?"
_PATTERNS = (
    re.compile(
        r"(?P<y>(?:19|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
        r"(?:[T ](?P<hh>[0-2]\d):(?P<mi>[0-5]\d))?"
    ),
    re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)(?!\d)"),
    # 10/31/2024: month first (US habit) unless the first number cannot be a month
    re.compile(r"(?<![\d/])(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>(?:19|20)\d{2})(?!\d)"),
    re.compile(r"(?<![\d/])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>(?:19|20)\d{2})(?!\d)"),
    re.compile(
        r"(?<!\d)(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>"
        + _MONTH_WORDS
        + r")\.?,?\s+(?P<y>(?:19|20)\d{2})"
        r"(?:\s*(?:г\.|года|год|гада))?" + _TIME,
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<mon>" + _MONTH_WORDS + r")\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+"
        r"(?P<y>(?:19|20)\d{2})" + _TIME,
        re.IGNORECASE,
    ),
)
_DIGIT = re.compile(r"\d")


def _month(word: str) -> int | None:
    word = word.lower()
    for stem in sorted(MONTHS, key=len, reverse=True):
        if word.startswith(stem):
            return MONTHS[stem]
    return None


def _build(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = _month(groups["mon"]) if groups.get("mon") else int(groups["m"])
    if month is None:
        return None
    try:
        day = date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None
    if groups.get("hh") is not None and groups.get("mi") is not None:
        return f"{day.isoformat()}T{int(groups['hh']):02d}:{groups['mi']}"
    return day.isoformat()


def find_dates(text: str) -> list[tuple[str, int]]:
    """Every date written in ``text`` as (ISO value, offset), in text order (one per place)."""
    if not _DIGIT.search(text):
        return []
    found: dict[int, str] = {}
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            value = _build(match)
            if value is not None:
                found[start] = value
                taken.append((start, end))
    return [(found[k], k) for k in sorted(found)]


def find_date(text: str) -> tuple[str, int] | None:
    """The first date written in ``text`` as (ISO value, offset), or None."""
    dates = find_dates(text)
    return dates[0] if dates else None


_LEAD_SEP = re.compile(r"[\s|/,:.\-–—]*")


def leading_date(text: str) -> tuple[str, int]:
    """The date ``text`` starts with and how many characters it takes with the separators
    after it (("", 0) when it starts otherwise).

    >>> leading_date("03.04.2024 | 15:40 Министерство провело совещание")
    ('2024-04-03T15:40', 19)
    """
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match is not None:
            value = _build(match)
            if value is not None:
                end = match.end()
                time = re.match(r"[\s|,]+([01]?\d|2[0-3]):([0-5]\d)\b", text[end:])
                if time is not None and "T" not in value:
                    value += f"T{int(time.group(1)):02d}:{time.group(2)}"
                    end += time.end()
                return value, end + _LEAD_SEP.match(text, end).end() - end  # type: ignore[union-attr]
    return "", 0


def parse_date(text: str) -> str:
    """The first date in ``text`` as "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM"; "" when none."""
    found = find_date(text)
    return found[0] if found else ""
