"""Dates as readouts print them: "November 13, 2022", "2022年11月13日", "令和4年11月13日"."""

from __future__ import annotations

import datetime
import re
import unicodedata

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTH_NAMES = [name.capitalize() for name in MONTHS]

# First year of each Japanese era ("令和元年" is 2019).
ERA_FIRST_YEARS = {"令和": 2019, "平成": 1989, "昭和": 1926}

# A month name or its abbreviation: "November", "Nov.", "Sept."
_MONTH = (
    r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?"
    r"|Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
# An optional weekday in front of an English date: "Sunday, "
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
# Month-first English date: "November 13, 2022"
_MONTH_FIRST = rf"{_WEEKDAY}{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
# Day-first English date: "13 November 2022"
_DAY_FIRST = rf"{_WEEKDAY}(?P<day>\d{{1,2}})\s+{_MONTH},?\s+(?P<year>\d{{4}})"
# Gregorian Japanese date: "2022年11月13日"
_JA_GREGORIAN = r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
# Era Japanese date: "令和4年11月13日", "平成元年1月8日"
_JA_ERA = (
    r"(?P<era>令和|平成|昭和)\s*(?P<year>元|\d{1,2})\s*年"
    r"\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
)
# ISO date: "2022-11-13"
_ISO = r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
# A weekday in brackets after a Japanese date: "（日）", "(Sun.)"
_JA_WEEKDAY = r"(?:\s*\([^()]{1,5}\))?"

# Date forms, each as a whole line (trailing full stop allowed).
DATE_LINE_PATTERNS = tuple(
    re.compile(rf"^{form}{_JA_WEEKDAY}\.?$", re.IGNORECASE)
    for form in (_MONTH_FIRST, _DAY_FIRST, _JA_ERA, _JA_GREGORIAN, _ISO)
)
# Date forms anywhere in a sentence, for readouts without a date line.
DATE_IN_TEXT_PATTERNS = tuple(
    re.compile(rf"(?<![\w]){form}(?![\w])", re.IGNORECASE)
    for form in (_MONTH_FIRST, _DAY_FIRST, _JA_ERA, _JA_GREGORIAN)
)


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    key = text.lower().rstrip(".")
    for name, number in MONTHS.items():
        if name.startswith(key):
            return number
    return 0


def _date_from_match(found: re.Match[str]) -> datetime.date | None:
    """The date a pattern matched, or None if it is not a real calendar date."""
    parts = found.groupdict()
    year_text = parts["year"]
    if parts.get("era"):
        year = ERA_FIRST_YEARS[parts["era"]] + (0 if year_text == "元" else int(year_text) - 1)
    else:
        year = int(year_text)
    try:
        return datetime.date(year, _month_number(parts["month"]), int(parts["day"]))
    except ValueError:
        return None


def parse_date_line(line: str) -> datetime.date | None:
    """The date when a whole line is a date ("November 13, 2022"), else None."""
    plain = unicodedata.normalize("NFKC", line).strip()
    for pattern in DATE_LINE_PATTERNS:
        found = pattern.match(plain)
        if found:
            return _date_from_match(found)
    return None


def find_date_in_text(text: str) -> datetime.date | None:
    """The first full date (with a year) anywhere in a text, else None."""
    plain = unicodedata.normalize("NFKC", text)
    for pattern in DATE_IN_TEXT_PATTERNS:
        for found in pattern.finditer(plain):
            value = _date_from_match(found)
            if value:
                return value
    return None


def format_date_line(value: datetime.date, language: str) -> str:
    """The date line as the issuing sites print it."""
    if language == "ja":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{MONTH_NAMES[value.month - 1]} {value.day}, {value.year}"
