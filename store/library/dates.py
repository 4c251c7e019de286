"""Publication dates as written in articles and bylines, read into ISO dates (YYYY-MM-DD)."""

from __future__ import annotations

import functools
import re
from datetime import datetime

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_FRENCH_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("janvier", "janv"),
            ("février", "fevrier", "févr", "fevr"),
            ("mars",),
            ("avril", "avr"),
            ("mai",),
            ("juin",),
            ("juillet", "juil"),
            ("août", "aout"),
            ("septembre", "sept"),
            ("octobre", "oct"),
            ("novembre", "nov"),
            ("décembre", "decembre", "déc", "dec"),
        ),
        start=1,
    )
    for name in names
}
# "mercredi 6 juin 2017", "1er janvier 2020", "6 juin 2017": how French bylines give dates.
_FRENCH_DATE = re.compile(
    r"^(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(\d{1,2})(?:er)?\s+([a-zéû]+)\.?\s+(\d{4})$",
    re.IGNORECASE,
)


def normalize_date(value: object) -> str | None:
    """An ISO date (YYYY-MM-DD) from common spellings; None when it cannot be read."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _read_date(value.strip())


@functools.lru_cache(maxsize=4096)
def _read_date(text: str) -> str | None:
    """normalize_date of a stripped string; cached, as a large import reads each date
    twice (byline, then metadata) and a corpus repeats its dates."""
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY_DATE.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
        else:
            match = _FRENCH_DATE.match(text)
            month = _FRENCH_MONTHS.get(match.group(2).lower(), 0) if match else 0
            if not match or not month:
                return None
            day, year = int(match.group(1)), int(match.group(3))
    try:
        return datetime(year, month, day).date().isoformat()
    except ValueError:
        return None
