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
# A number: digit groups ("2 517", "2.517", "2\u202f517") or a run of digits, with an
# optional decimal part ("3,5"); not inside a word, a longer number or a decimal.
# The pattern starts with a digit (the lookbehind comes after it) so that the regex
# engine scans for digits quickly: imports run it over every article.
NUMBER_RE = re.compile(
    r"[0-9](?<![\w.,][0-9])"
    r"(?:[0-9]{0,2}(?:[ \u00a0\u202f.][0-9]{3})+|[0-9]*)"
    r"(?:,[0-9]+)?(?![\w]|[.,][0-9])"
)
_NUMBER = NUMBER_RE
_SEPARATORS = re.compile(r"[ \u00a0\u202f.]")


def canonical_number(surface: str) -> str:
    """The canonical spelling of a written number: '2 517' -> '2517', '3,5' -> '3d5'."""
    whole, _, fraction = surface.partition(",")
    if not (whole.isascii() and whole.isdigit()):
        whole = _SEPARATORS.sub("", whole)
    digits = whole.lstrip("0") or "0"
    # A decimal point cannot survive FTS5 tokenising, so the fraction hangs on a letter.
    return f"{digits}d{fraction}" if fraction else digits


def find_numbers(text: str) -> list[tuple[int, int, str]]:
    """Every number in `text` as (start, end, canonical spelling)."""
    return [(m.start(), m.end(), canonical_number(m.group())) for m in _NUMBER.finditer(text)]


def numbers_column(text: str) -> str:
    """The canonical spellings, space-separated, of the numbers FTS5 splits in a text.

    Only digit groups and decimals ('2 517', '2.517', '3,5') are listed: a plain run
    of digits ('2517') is a token of the body already, and a query for a number
    matches the body as well as this column.
    """
    # findall (no match objects) and one canonical spelling per distinct surface: this
    # runs over every imported article.
    surfaces = dict.fromkeys(NUMBER_RE.findall(text))
    return " ".join(
        dict.fromkeys(canonical_number(surface) for surface in surfaces if not surface.isdigit())
    )
