"""Dates as the three sources write them. Each parser returns None rather than guess."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_WORD = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?"
    r"|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)


def month_number(word: str) -> int | None:
    return MONTHS.get(word.strip(" .").lower()[:3])


def make_date(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_DAY_MONTH_YEAR = re.compile(rf"^\s*(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_WORD})\s*,?\s+(\d{{4}})\s*$", re.I)
_MONTH_DAY_YEAR = re.compile(rf"^\s*({MONTH_WORD})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})\s*$", re.I)
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_listing_date(text: str) -> dt.date | None:
    """A line that is only a date: "18 May 2025", "May 18, 2025" or "2025-05-18"."""
    m = _DAY_MONTH_YEAR.match(text)
    if m:
        return make_date(int(m.group(3)), month_number(m.group(2)), int(m.group(1)))
    m = _MONTH_DAY_YEAR.match(text)
    if m:
        return make_date(int(m.group(3)), month_number(m.group(1)), int(m.group(2)))
    m = _ISO.match(text)
    if m:
        return make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def parse_day_first(text: str) -> dt.date | None:
    """The blog's numeric dates are day first: 07/10/2014 is 7 October 2014."""
    m = re.fullmatch(r"\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*", text)
    if not m:
        return None
    return make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))


def parse_any(text: str) -> dt.date | None:
    return parse_day_first(text) or parse_listing_date(text)


_FOOTER_DATE = re.compile(
    rf"({MONTH_WORD})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})|(\d{{1,2}})\s+({MONTH_WORD})\s*,?\s+(\d{{4}})", re.I
)


def find_date(text: str) -> dt.date | None:
    """The first written-out date inside a longer text, such as a footer."""
    for m in _FOOTER_DATE.finditer(text):
        if m.group(1):
            found = make_date(int(m.group(3)), month_number(m.group(1)), int(m.group(2)))
        else:
            found = make_date(int(m.group(6)), month_number(m.group(5)), int(m.group(4)))
        if found:
            return found
    return None


def year_for(month: int, day: int, anchor: dt.date) -> dt.date | None:
    """A dateline without a year takes the year of the publication date that follows it.

    A story dated in December and published in January belongs to the year before.
    """
    year = anchor.year
    candidate = make_date(year, month, day)
    if candidate is not None and candidate > anchor + dt.timedelta(days=31):
        candidate = make_date(year - 1, month, day)
    return candidate
