"""Numbers as search terms.

FTS5 splits French figures (``2 517``, ``2.517`` and ``2 517`` are two tokens
each), so every article also stores its figures in one canonical spelling in an
indexed ``numbers`` column, and a number typed in a query is rewritten to the
same spelling. ``2517``, ``2 517`` and ``2.517`` then all find the same articles.
"""

from __future__ import annotations

import re
from collections.abc import Collection

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
# The NUMBER_RE matches that are not a plain run of digits, for the numbers column:
# the same alternatives in the same order, less the plain run, so that each match is
# the one NUMBER_RE finds at that place (a test checks it). The plain runs, most of
# an article's numbers, then never become strings only to be dropped.
_SPLIT_NUMBER_RE = re.compile(
    r"[0-9](?<![\w.,][0-9])"
    r"(?:[0-9]{0,2}(?:[ \u00a0\u202f.][0-9]{3})+(?:,[0-9]+)?|[0-9]*,[0-9]+)"
    r"(?![\w]|[.,][0-9])"
)
_SEPARATORS = re.compile(r"[ \u00a0\u202f.]")
_LEADING_ZEROS = re.compile(r"^0+(?=[0-9])", re.MULTILINE)


def canonical_numbers(surfaces: Collection[str]) -> list[str]:
    """The canonical spellings of written numbers: '2 517' -> '2517', '3,5' -> '3d5'.

    All at once, one number per line, so that an import spends a few string
    operations on an article's numbers instead of several on each of them.
    """
    if not surfaces:
        return []
    lines = _SEPARATORS.sub("", "\n".join(surfaces))
    # A decimal point cannot survive FTS5 tokenising, so the fraction hangs on a letter.
    return _LEADING_ZEROS.sub("", lines.replace(",", "d")).split("\n")


def canonical_number(surface: str) -> str:
    """The canonical spelling of a written number: '2 517' -> '2517', '3,5' -> '3d5'."""
    return canonical_numbers([surface])[0]


def find_numbers(text: str) -> list[tuple[int, int, str]]:
    """Every number in `text` as (start, end, canonical spelling)."""
    matches = list(_NUMBER.finditer(text))
    spellings = canonical_numbers([m.group() for m in matches])
    return [(m.start(), m.end(), spelling) for m, spelling in zip(matches, spellings, strict=True)]


def numbers_column(text: str) -> str:
    """The canonical spellings, space-separated, of the numbers FTS5 splits in a text.

    Only digit groups and decimals ('2 517', '2.517', '3,5') are listed: a plain run
    of digits ('2517') is a token of the body already, and a query for a number
    matches the body as well as this column.
    """
    surfaces = _SPLIT_NUMBER_RE.findall(text)
    if not surfaces:
        return ""
    return " ".join(dict.fromkeys(canonical_numbers(dict.fromkeys(surfaces).keys())))
