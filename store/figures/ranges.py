"""Figures read one by one, then joined: ranges and halves.

Neighbouring figures merge into ranges (``24-27 novembre``, ``du 29 septembre
au 4 octobre``, ``entre 10 et 20``): ``value`` is the low end, ``value_max``
the high end. A figure followed by ``et demi`` grows by half its scale
(``un million et demi``, ``deux ans et demi``).
"""

from __future__ import annotations

import re

from store.figures.context import _SP, _SPACES, _is_verb, _Raw, _unit_after
from store.figures.kinds import _CURRENCY_WORD_RE, _date_value
from store.figures.lexicon import CURRENCY_SYMBOLS, CURRENCY_WORDS, SCALES, STOP_WORDS

_RANGE_JOIN = re.compile(r"^" + _SP + r"?[-–‑]" + _SP + r"?$")
_RANGE_WORDS = re.compile(
    r"^" + _SP + r"+(?:et|à|au|and|to)" + _SP + r"+(?:(?:le|the)" + _SP + r"+)?$",
    re.IGNORECASE,
)
_RANGE_OPENERS = re.compile(
    r"(?:\b(?:entre|de|du|from|between|les)" + _SP + r"+(?:(?:le|the)" + _SP + r"+)?)$",
    re.IGNORECASE,
)


def _merge_ranges(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Join neighbours into ranges: '24-27 novembre', 'du 29 septembre au 4 octobre'."""
    merged: list[_Raw] = []
    i = 0
    while i < len(raws):
        first = raws[i]
        second = raws[i + 1] if i + 1 < len(raws) else None
        # _joins needs at most 8 characters between the two: most pairs are further apart.
        if second is not None and second.start - first.end <= 8 and _joins(text, first, second):
            joined = _range_of(first, second)
            if joined.unit is None and joined.kind in ("range", "count"):
                joined.unit = _noun_before_range(text, joined.start)
            merged.append(joined)
            i += 2
            continue
        if second is not None and second.start - first.end == 1 and _is_score(text, first, second):
            i += 2  # "6-1, 6-2": a score counts nothing
            continue
        merged.append(first)
        i += 1
    return merged


_NOUN_BEFORE_RANGE = re.compile(
    r"(?P<noun>[^\W\d_]{3,})" + _SP + r"+(?:(?:compris|situ[ée]|allant|variant|oscillant)"
    r"[a-zé]{0,3}" + _SP + r"+)?(?:entre|de)" + _SP + r"+$",
    re.IGNORECASE,
)
"""'des notes comprises entre 8 et 10': the noun before a range is what it counts."""


def _noun_before_range(text: str, start: int) -> str | None:
    """The head noun written before a range ('notes' in 'des notes comprises entre')."""
    match = _NOUN_BEFORE_RANGE.search(text, max(0, start - 40), start)
    if match is None:
        return None
    noun = match.group("noun")
    low = noun.lower()
    if low in STOP_WORDS or not noun[0].islower() or _is_verb(low) or low.endswith(("é", "és")):
        return None
    return noun


def _joins(text: str, first: _Raw, second: _Raw) -> bool:
    """Whether two figures written one after the other are the two ends of one range."""
    between = text[first.end : second.start]
    if len(between) > 8:
        return False
    compatible_kinds = first.kind == second.kind or (second.kind == "date" and first.plain_day)
    if first.kind in ("count", "other") and second.kind in ("money", "percent", "duration"):
        compatible_kinds = first.unit is None  # "1,75 à 2,25 %", "13 à 16 ans"
    if first.kind == "ordinal" or second.kind == "ordinal":
        return False
    if (first.kind == "year") != (second.kind == "year"):
        return False
    if not compatible_kinds:
        return False
    if _descending(first, second):
        return False  # "6-1, 6-2": a score, not a range
    if first.kind == "count" and first.unit and second.unit and first.unit != second.unit:
        return False
    if _RANGE_JOIN.match(between):
        return True
    if _RANGE_WORDS.match(between):
        if first.kind == "year" and between.strip(_SPACES) in ("à", "to"):
            return True  # "(1999 à 2005)"
        opener = text[max(0, first.start - 12) : first.start]
        return bool(_RANGE_OPENERS.search(opener))
    return False


def _is_score(text: str, first: _Raw, second: _Raw) -> bool:
    """Two small bare numbers joined by a hyphen, the second below the first: '6-1'."""
    return (
        text[first.end] in "-–"
        and first.kind == second.kind == "count"
        and first.unit is None
        and first.value is not None
        and second.value is not None
        and 0 <= second.value < first.value < 100
    )


def _descending(first: _Raw, second: _Raw) -> bool:
    """Whether the second end is below the first (dates: '29 septembre au 4 octobre' is
    not; a day before a later month's day is compared in _range_of)."""
    if first.value is None or second.value is None or second.kind == "date":
        return False
    if first.kind in ("count", "other") and second.kind in ("money", "duration"):
        return False  # "1 à 2 milliards": the scale of the second end applies to the first
    return second.value < first.value


def _range_of(first: _Raw, second: _Raw) -> _Raw:
    """One figure spanning two: the low and high ends, the second's kind, unit and currency."""
    low = first.value
    if second.kind == "date" and first.kind != "date" and first.value is not None:
        low = _date_value(int(first.value), second.month or 0, second.year)
    elif second.kind == "date" and first.kind == "date" and first.year is None and second.year:
        low = _date_value(int(first.value or 0) % 100, first.month or 0, second.year)
    elif second.kind == "money" and first.kind == "count" and first.value is not None:
        # "entre 1 et 2 milliards d'euros": the scale of the second applies to the first
        scale = _implied_scale(first.value, second.value)
        low = first.value * scale
    kind = second.kind if second.kind != "count" else "range"
    qualifier = first.qualifier if first.qualifier != "exact" else second.qualifier
    return _Raw(
        first.start,
        second.end,
        low,
        kind,
        qualifier,
        value_max=second.value,
        unit=second.unit or first.unit,
        currency=second.currency,
        month=second.month,
        year=second.year,
    )


def _implied_scale(low: float, high: float | None) -> float:
    """The multiplier a bare low end takes from its high end ('1 à 2 milliards')."""
    if not high or low == 0 or low >= high:
        return 1.0
    for scale in (1e12, 1e9, 1e6, 1e3):
        if high >= scale and low * scale <= high:
            return scale
    return 1.0


_AND_A_HALF = re.compile(r"[ \u00a0]et[ \u00a0]demie?(?![\w-])")
_CURRENCY_AFTER = re.compile(
    _SP + r"?(?:d['’]" + _SP + r"?|de" + _SP + r"+)?(?P<cur>" + _CURRENCY_WORD_RE + r")(?![^\W\d_])"
)
_SCALE_AT_END = re.compile(r"(milliards?|millions?|mille)$", re.IGNORECASE)


def _with_halves(text: str, raws: list[_Raw]) -> list[_Raw]:
    """'un million et demi', '3 millions et demi d'euros': half the scale more."""
    for raw in raws:
        if raw.kind == "duration" and raw.unit and raw.unit.endswith((" et demi", " et demie")):
            raw.value = (raw.value or 0.0) + 0.5  # "deux ans et demi"
            raw.unit = raw.unit.split()[0]
            continue
        if raw.value is None or raw.kind not in ("count", "money"):
            continue
        half = _AND_A_HALF.match(text, raw.end)
        scale = _SCALE_AT_END.search(text, raw.start, raw.end) if half else None
        if half is None or scale is None:
            continue
        raw.value += SCALES[scale.group(1).lower()] / 2
        raw.end = half.end()
        currency = _CURRENCY_AFTER.match(text, raw.end)
        if currency:
            word = currency.group("cur")
            raw.kind, raw.end, raw.unit = "money", currency.end(), word
            raw.currency = CURRENCY_SYMBOLS.get(word) or CURRENCY_WORDS.get(word.split()[0].lower())
        else:
            raw.unit = _unit_after(text, raw.end)[0]
    return raws
