"""Numbers as search terms.

FTS5 splits French figures (``2 517``, ``2.517`` and ``2 517`` are two tokens
each), so every article also stores its figures in one canonical spelling in an
indexed ``numbers`` column, and a number typed in a query is rewritten to the
same spelling. ``2517``, ``2 517`` and ``2.517`` then all find the same articles.
"""

from __future__ import annotations

import re

# Thousands separators French and English text uses between digit groups.
THOUSANDS_SEPARATORS = " \u00a0\u202f.,'"
_GROUPED = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+"
_NUMBER = re.compile(rf"(?<![\w.,])(?:{_GROUPED}|\d+)(?:,\d+)?(?![\w]|[.,]\d)")
_SEPARATORS = re.compile(r"[ \u00a0\u202f.]")


def canonical_number(surface: str) -> str:
    """The canonical spelling of a written number: '2 517' -> '2517', '3,5' -> '3d5'."""
    whole, _, fraction = surface.partition(",")
    digits = _SEPARATORS.sub("", whole).lstrip("0") or "0"
    # A decimal point cannot survive FTS5 tokenising, so the fraction hangs on a letter.
    return f"{digits}d{fraction}" if fraction else digits


def find_numbers(text: str) -> list[tuple[int, int, str]]:
    """Every number in `text` as (start, end, canonical spelling)."""
    return [(m.start(), m.end(), canonical_number(m.group())) for m in _NUMBER.finditer(text)]


def numbers_column(text: str) -> str:
    """The distinct canonical numbers of a text, space-separated, for the FTS index."""
    seen = dict.fromkeys(canonical for _, _, canonical in find_numbers(text))
    return " ".join(seen)
