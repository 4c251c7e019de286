"""Numbers as search terms.

FTS5 splits French figures: ``2 517``, ``2.517`` and ``2\u202f517`` are the two tokens
``2`` and ``517``, ``2517`` is one token, ``3,5`` is ``3`` and ``5``. A number typed in a
query is therefore searched in each way it can be tokenised (``"2517" OR "2 517"``),
and where one of those ways is a phrase of several tokens, which could also be part of
another number (``2 517 000``) or of a list (``2, 517``), each article found is checked
for the number itself (``states_numbers``). ``2517``, ``2 517`` and ``2.517`` then find
the same articles, and nothing is stored per article for it.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# Thousands separators French and English text uses between digit groups.
THOUSANDS_SEPARATORS = " \u00a0\u202f.,'"
# A number: digit groups ("2 517", "2.517", "2\u202f517") or a run of digits, with an
# optional decimal part ("3,5"); not inside a word, a longer number or a decimal.
# The pattern starts with a digit (the lookbehind comes after it) so that the regex
# engine scans for digits quickly: a number search runs it over each article it checks.
NUMBER_RE = re.compile(
    r"[0-9](?<![\w.,][0-9])"
    r"(?:[0-9]{0,2}(?:[ \u00a0\u202f.][0-9]{3})+|[0-9]*)"
    r"(?:,[0-9]+)?(?![\w]|[.,][0-9])"
)
_NUMBER = NUMBER_RE
_SEPARATORS = re.compile(r"[ \u00a0\u202f.]")
_LEADING_ZEROS = re.compile(r"^0+(?=[0-9])", re.MULTILINE)


def canonical_numbers(surfaces: Collection[str]) -> list[str]:
    """The canonical spellings of written numbers: '2 517' -> '2517', '3,5' -> '3d5'.

    All at once, one number per line: a few string operations for all of a text's
    numbers instead of several for each of them.
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


_DIGIT_RUN = re.compile(r"[0-9]+")


def digit_groups(digits: str) -> list[str]:
    """A run of digits in groups of three from the right, as French writes it:
    '2517' -> ['2', '517']."""
    head = len(digits) % 3 or 3
    return [digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))]


def token_forms(surface: str) -> tuple[tuple[str, ...], ...]:
    """The token sequences under which FTS5 may have indexed the number `surface`.

    Its digits in one run (``2517``) and in groups of three (``2 517``, ``2.517``), a
    decimal part as one more token (``3,5``: ``3`` then ``5``), and the digit runs as
    typed (``007``). The first form is the canonical one.
    """
    whole, _, fraction = canonical_number(surface).partition("d")
    tail = (fraction,) if fraction else ()
    forms = [(whole, *tail)]
    if len(whole) > 3:
        forms.append((*digit_groups(whole), *tail))
    forms.append(tuple(_DIGIT_RUN.findall(surface)))
    return tuple(dict.fromkeys(forms))


def states_numbers(text: str | None, wanted: str) -> bool:
    """Whether `text` states every number of `wanted` (canonical spellings, space-separated).

    What a search checks where the tokens of a number could belong to another one too:
    ``2 500`` is the start of ``2 500 000``, ``3,5`` the tokens of ``3, 5``.
    """
    if not text:
        return False
    return set(wanted.split()) <= set(canonical_numbers(_NUMBER.findall(text)))
