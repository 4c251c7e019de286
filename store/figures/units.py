"""Matching context nouns across wording and inflection.

"arrestations" and "arrestations effectuées", "victimes" and "victimes
potentielles", "Togolaises" and "femmes togolaises" name the same thing. Units
are compared on light stems (lower case, no accents, no plural ending) and,
for spelling variants, with rapidfuzz.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TOKEN = re.compile(r"[^\W\d_]+")
_FILLER = frozenset(
    (
        "de",
        "des",
        "du",
        "d",
        "et",
        "la",
        "le",
        "les",
        "l",
        "en",
        "a",
        "au",
        "aux",
        "of",
        "and",
        "the",
    )
)
_CURRENCY_UNITS = frozenset(
    ("€", "$", "£", "¥", "euro", "euros", "dollar", "dollars", "livre", "livres", "yuan", "yuans")
)


def fold(text: str) -> str:
    """Lower case without accents ('Opérations' -> 'operations')."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light French/English stem: folded, plural and feminine endings dropped."""
    word = fold(word)
    if len(word) > 4 and word.endswith("aux"):
        word = word[:-3] + "al"
    elif len(word) > 3 and word.endswith(("s", "x")):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    if len(word) > 4 and word.endswith("e"):  # "effectuees" -> "effectu"
        word = word[:-1]
    return word


@lru_cache(maxsize=4096)
def unit_stems(unit: str | None) -> tuple[str, ...]:
    """The stems of a unit's content words ('pays et territoires' -> ('pay', 'territoir'))."""
    if not unit:
        return ()
    return tuple(stem(w) for w in _TOKEN.findall(unit) if fold(w) not in _FILLER)


def _stems_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)):
        return True
    if min(len(a), len(b)) < 5:
        return False
    from rapidfuzz import fuzz  # here: reading figures without comparing units skips it

    return fuzz.ratio(a, b) >= 88


def units_match(a: str | None, b: str | None) -> bool:
    """Whether two units name the same thing: the head noun of one occurs in the other."""
    stems_a, stems_b = unit_stems(a), unit_stems(b)
    if not stems_a or not stems_b:
        return False
    # The first content word is the head noun in French ("victimes potentielles");
    # "femmes togolaises" and "Togolaises" share their last word instead.
    return any(_stems_match(x, y) for x in stems_a for y in stems_b)


def is_currency_unit(unit: str | None) -> bool:
    """Whether a unit is only a currency ('euros', '€')."""
    return bool(unit) and fold(unit or "").strip() in _CURRENCY_UNITS
