"""The words around a number in text, read while its figure is built.

``_Raw`` is a figure while it is being built (mutable; turned into a frozen
Figure at the end). Around the number: the qualifier the words before it give
(``plus de``, ``près de``) or after it (``environ``), the noun after it, its
unit as written (``victimes potentielles``), and the word just before it.
Shared by the readers of digits, number words and compound figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from store.figures.lexicon import (
    ADJECTIVE_ENDINGS,
    DURATION_UNITS,
    EN_NUMBER_WORDS,
    FR_NUMBER_WORDS,
    MONTHS,
    QUALIFIER_LAST_WORDS,
    STOP_WORDS,
    VERB_ENDINGS,
)

_SPACES = " \u00a0\u202f"
_SP = "[ \u00a0\u202f]"

_WORD = r"[^\W\d_][\w'’/-]*"
_BEFORE_NOUN = (
    r"(?:premi[eè]re?s|derni[eè]re?s|autres|prochaine?s|mêmes|seule?s|other|first|last|next)"
)
"""Adjectives that stand between a number and its noun: 'les neuf premiers mois', 'les deux
autres points', 'trois derniers mois'. The noun after them is the figure's unit."""
_UNIT_AFTER = re.compile(
    _SP + r"*(?:(?:de|of)" + _SP + r"+|d['’]" + _SP + r"*)?"
    r"(?:" + _BEFORE_NOUN + _SP + r"+)?"
    r"(?P<w1>" + _WORD + r")"
    r"(?:" + _SP + r"+(?P<w2>" + _WORD + r"))?"
    r"(?:" + _SP + r"+(?P<w3>" + _WORD + r"))?"
)
_AFTER_QUALIFIER_STARTS = frozenset("eEaAoO")
_AFTER_ENVIRON = re.compile(_SP + r"*(?:environ|about|or so)\b", re.IGNORECASE)

_QUALIFIERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "at_least",
        re.compile(
            r"(?:pas moins d(?:e\s+|['’])|au moins|au minimum|plus d(?:e\s+|['’])|"
            r"supérieure?s? à|dépassant|au-delà de|more than|at least|over|upwards of|"
            r"no (?:fewer|less) than)\s*[«\"“]?\s*$"
        ),
    ),
    (
        "at_most",
        re.compile(
            r"(?:moins d(?:e\s+|['’])|jusqu['’](?:à|a)|au plus|au maximum|inférieure?s? à|"
            r"less than|fewer than|up to|at most|under)\s*[«\"“]?\s*$"
        ),
    ),
    (
        "about",
        re.compile(
            r"(?:près d(?:e\s+|['’])|environ|quelque|autour d(?:e\s+|['’])|approximativement|"
            r"à peu près|grosso modo|about|around|nearly|almost|roughly|approximately|"
            r"some|circa|~)\s*[«\"“]?\s*$"
        ),
    ),
]


@dataclass(slots=True)
class _Raw:
    """A figure while it is being built (mutable; turned into a frozen Figure at the end)."""

    start: int
    end: int
    value: float | None
    kind: str
    qualifier: str = "exact"
    value_max: float | None = None
    unit: str | None = None
    currency: str | None = None
    month: int | None = None
    year: int | None = None
    plain_day: bool = False  # a bare integer 1..31 that a following month may turn into a date


def _qualifier_before(text: str, start: int) -> str:
    """The qualifier the words just before a figure give it ('plus de', 'près de'...)."""
    if start == 0 or text[start - 1] not in _QUALIFIER_GAP:
        return "exact"
    if start >= 2 and text[start - 1] == " " and text[start - 2] not in _QUALIFIER_GAP:
        # The common case, a word and one space: decided with fewer operations than the
        # general steps further down, with the same answer. First the word's last two
        # letters (most words end in no qualifier's last two), then its lower-cased end.
        tail = text[max(0, start - 3) : start - 1].lower()[-2:]
        if tail not in _QUALIFIER_ENDINGS:
            return "exact"
        window = text[max(0, start - 24) : start].lower()
        head = window[:-1]
        if not head.endswith(_QUALIFIER_WORDS):
            return "exact"  # no qualifier's last word ends here
        if head.endswith(_LAST_WORD_DE):  # the last word is "de"
            if not _BEFORE_DE.search(window):
                return "exact"
            return _qualifier_in(window)
    end = start - 1
    while end > 0 and text[end - 1] in _QUALIFIER_GAP and text[end] != "'":
        end -= 1
    if text[end] in "'’":
        end += 1  # "jusqu'à", "d'": the apostrophe ends the word
    low = max(0, end - 30)
    # The word ends at `end` and starts after the last space, newline or U+00A0: find the
    # last space, then look for the two rarer breaks in the few characters after it only.
    space = text.rfind(" ", low, end)
    last = text[space + 1 if space >= 0 else low : end]
    cut = max(last.rfind("\n"), last.rfind("\u00a0"))
    last = (last[cut + 1 :] if cut >= 0 else last).lower()
    if last not in QUALIFIER_LAST_WORDS:
        if not _ELISION.search(last):
            return "exact"  # the common case, decided without the regular expressions
        # "qu'environ", "«environ": the word after an elision or a quote counts too
        if _ELISION.split(last)[-1] not in QUALIFIER_LAST_WORDS:
            return "exact"
    window = text[max(0, start - 24) : start].lower()
    if last == "de" and not _BEFORE_DE.search(window):
        return "exact"  # "de 358": the most frequent case, decided without the patterns
    return _qualifier_in(window)


def _qualifier_in(window: str) -> str:
    """The qualifier whose words end the lower-cased text just before a figure."""
    for name, pattern in _QUALIFIERS:
        if pattern.search(window):
            return name
    return "exact"


_QUALIFIER_GAP = " \u00a0\u202f'’«\"“~"
_QUALIFIER_WORDS = tuple(sorted(QUALIFIER_LAST_WORDS))
"""For str.endswith: a word before a figure may start a qualifier only if it ends so."""
_QUALIFIER_ENDINGS = frozenset(
    {word[-2:] for word in QUALIFIER_LAST_WORDS}
    | {f" {word}" for word in QUALIFIER_LAST_WORDS if len(word) == 1}
)
"""The last two characters before the space that precedes a figure, when the word there
may end a qualifier: its last two letters, or a space and a one-letter word ('à')."""
_LAST_WORD_DE = (" de", "\nde", "\u00a0de")
_BEFORE_DE = re.compile("moins|plus|près|autour|au-delà")
"""The words of every qualifier in _QUALIFIERS that ends in 'de' ('plus de', 'près de')."""
_ELISION = re.compile("['’\"«“(]")


_ALL_NUMBER_WORDS = frozenset(FR_NUMBER_WORDS) | frozenset(EN_NUMBER_WORDS)


def _is_verb(word: str) -> bool:
    return word.lower().endswith(VERB_ENDINGS)


def _unit_after(text: str, pos: int) -> tuple[str | None, int]:
    """The context noun after a figure, as written ('victimes potentielles'), and its end."""
    match = _UNIT_AFTER.match(text, pos, min(len(text), pos + 80))
    if not match:
        return None, pos
    w1, w2, w3 = match.groups()  # one call for the three words
    size = _noun_length(w1)
    if not size:
        return None, pos
    w1_start = match.start(1)
    end = w1_start + size
    if w2:
        second = _second_word(w2)
        if second < 0:  # "pays et territoires"
            if w3:
                third = _coordinated_length(w3)
                if third:
                    end = match.start(3) + third
        elif second:  # "victimes potentielles"
            end = match.start(2) + second
    return text[w1_start:end], end


# The three word tests below are cached: they run for almost every figure, on words
# that come back again and again ("personnes", "euros", "ans").
_ELIDED = ("d'", "d’", "l'", "l’", "qu'", "qu’")


@lru_cache(maxsize=16384)
def _noun_length(word: str) -> int:
    """The length of a word read after a figure, its trailing apostrophes and hyphens
    dropped, when it may be the figure's noun; 0 for a stop word, month, verb, elision."""
    word = word.rstrip("'’-")
    low = word.lower()
    if low in STOP_WORDS or low in MONTHS or _is_verb(low) or low.startswith(_ELIDED):
        return 0
    return len(word)


@lru_cache(maxsize=16384)
def _second_word(word: str) -> int:
    """-1 for 'et'/'and' (a third word may join the noun); else the length of the word
    (stripped as in _noun_length) when it is an adjective that belongs to the noun, or 0."""
    word = word.rstrip("'’-")
    low = word.lower()
    if low in ("et", "and"):
        return -1
    if (
        word[0].islower()
        and low not in STOP_WORDS
        and low.endswith(ADJECTIVE_ENDINGS)
        and not _is_verb(low)
    ):
        return len(word)
    return 0


@lru_cache(maxsize=16384)
def _coordinated_length(word: str) -> int:
    """The length of the word after 'et' when it is a second noun ('pays et territoires'),
    else 0."""
    word = word.rstrip("'’-")
    low = word.lower()
    if (
        word[0].islower()
        and low not in STOP_WORDS
        and low not in _ALL_NUMBER_WORDS
        and not _is_verb(low)
        and low not in DURATION_UNITS
    ):
        return len(word)
    return 0


def _previous_word(text: str, start: int) -> str:
    """The word just before `start`, separated from it by one space only."""
    if start < 2 or text[start - 1] not in _SPACES:
        return ""
    i = start - 1
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "-'’"):
        j -= 1
    return text[j:i]


def _with_trailing_qualifier(text: str, raw: _Raw, after: int | None = None) -> _Raw:
    """'105 km/h environ': a qualifier written after the figure."""
    position = after or raw.end
    if (
        raw.qualifier == "exact"
        and text[position + 1 : position + 2] in _AFTER_QUALIFIER_STARTS
        and _AFTER_ENVIRON.match(text, position)
    ):
        raw.qualifier = "about"
    return raw
