"""Dates written in digits: ``8/08/2008``, ``08-08-2008``, ``le 01/09``.

Read as one date figure (``YYYYMMDD``, or ``MMDD`` without a year) instead of three
numbers. Day first, as French and British texts write them. A day and month without
a year (``01/09``) are read only after ``le``, ``du`` or ``au``: ``3/4`` alone is a
fraction.
"""

from __future__ import annotations

import re

from store.figures.context import _Raw
from store.figures.kinds import _date_value

_NUMERIC_DATE = re.compile(
    r"(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})"
    r"(?:(?P=sep)(?P<year>\d{4}|\d{2}))?(?![\w/-]|[.,]\d)"
)
"""Matched where the reader of digits found a number (store.figures.digits), which has
checked the character before it."""
_DAY_CUE = re.compile(r"(?:\b(?:le|du|au|the|on)[ \u00a0])$", re.IGNORECASE)


def numeric_date_at(text: str, start: int) -> _Raw | None:
    """The date written in digits that starts at `start` ('8/08/2008'), or None.

    Called by the reader of digits for each number of one or two digits followed by '/',
    '.' or '-': one pass over the text for both."""
    match = _NUMERIC_DATE.match(text, start)
    if match is None:
        return None
    day, month = int(match.group("day")), int(match.group("month"))
    year_digits = match.group("year")
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    if year_digits is None:
        if match.group("sep") != "/" or not _DAY_CUE.search(text, max(0, start - 4), start):
            return None
        year = None
    else:
        year = int(year_digits)
        if len(year_digits) == 2:
            if match.group("sep") != "/":
                return None  # "12-10-08" could be a score or a code
            year += 2000 if year < 50 else 1900
    raw = _Raw(match.start(), match.end(), _date_value(day, month, year), "date")
    raw.month, raw.year = month, year
    return raw
