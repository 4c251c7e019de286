"""What follows a number decides its kind: the step from a number to a figure.

``_finish`` reads what follows a number, whether written in digits or in
words: an ordinal suffix (``93e``), a percent sign, a scale (``millions``,
``M€``), a currency, a month and year (``4 octobre 2024``); ``_quantity``
then tells a count from a year, a date, a duration, a time of day or the
number of a name (``France 2``). Dates get their ``YYYYMMDD`` value here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from store.figures.context import (
    _SP,
    _SPACES,
    _previous_word,
    _qualifier_before,
    _Raw,
    _unit_after,
    _with_trailing_qualifier,
)
from store.figures.lexicon import (
    CAPITALISED_NOT_NAMES,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DURATION_UNITS,
    MONTHS,
    SCALES,
    SUFFIX_STARTS,
    YEAR_CUES,
)

_CURRENCY_WORD_RE = (
    r"euros?|EUR|dollars?|USD|livres?(?: sterling)?|pounds?|GBP|yuans?|francs?(?: suisses)?"
    r"|CHF|yens?|[€$£¥]"
)
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

_SUFFIX = re.compile(
    r"(?P<ord>(?:ières?|ieres?|ièmes?|iemes?|ères?|eres?|ers?|res?|èmes?|emes?|e|è|nde?s?|st|nd|rd|th|°|º)(?![^\W\d_]))?"
    r"(?P<time>(?:" + _SP + r"?h" + _SP + r"?\d{2}|h(?![^\W\d_])|:\d{2}))?"
    r"(?:"
    + _SP
    + r"?(?P<pct>%|pourcentages?|pour"
    + _SP
    + r"?cents?|pour-cents?|per"
    + _SP
    + r"?cent|percentages?|percents?)"
    r"(?![^\W\d_]))?"
    r"(?:" + _SP + r"?(?P<scale>milliards?|millions?|mille|billions?|trillions?|thousand"
    r"|bn|mn|Mds?|Mrds?|Md|M|k)(?![^\W\d_]))?"
    r"(?:" + _SP + r"?(?:d['’]" + _SP + r"?|de" + _SP + r"+|of" + _SP + r"+)?"
    r"(?P<cur>" + _CURRENCY_WORD_RE + r")(?![^\W\d_]))?"
    r"(?:" + _SP + r"?(?P<month>(?i:" + _MONTH_RE + r"))(?![^\W\d_])"
    r"(?:,?" + _SP + r"+(?P<year>\d{4})(?!\d))?)?"
)
"""What may follow a number: ordinal suffix, time, percent, scale, currency, month (+ year)."""


_OF_BEFORE_NAME = re.compile(r"[ \u00a0]+(?:de|du|des|d['’])[ \u00a0]*[A-ZÀ-Ý]")
_TIME_CUES = frozenset(("à", "vers", "dès", "avant", "après", "jusqu'à", "jusqu’à", "at", "by"))


def _is_time_of_day(text: str, start: int, unit: str) -> bool:
    """'vers 17 heures', 'à 8 heures': an hour of the day, not a duration."""
    if not unit.lower().startswith(("heure", "h")):
        return False
    if _DURATION_COMPLEMENT.match(text, start, min(len(text), start + 60)):
        return False  # "après quatre heures d'entraînement": how long, not when
    return _previous_word(text, start).lower() in _TIME_CUES


_DURATION_COMPLEMENT = re.compile(
    r"[^\s]+(?:[ \u00a0\u202f][^\s]+)?[ \u00a0\u202f]+heures?[ \u00a0\u202f]+"
    r"(?:d['’]|de[ \u00a0\u202f]+)(?!l['’]après|la[ \u00a0\u202f]|l['’]heure)[^\W\d_]",
    re.IGNORECASE,
)
"""Hours followed by what they are of ('quatre heures d'entraînement', '8 heures de garde
à vue'): a duration, whatever word stands before the number."""


def _is_name_number(text: str, start: int, end: int, word: str) -> bool:
    """Digits that belong to a name: 'France 2', 'Paris 1', 'CAC 40', 'Covid-19'.

    `word` is the word just before the number (see _previous_word)."""
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
        return True
    if not word or not word[0].isupper() or word.lower() in CAPITALISED_NOT_NAMES:
        return False
    if word.lower() in MONTHS:
        return False
    following = text[end : end + 2]
    # "France 2 vraiment" would still be a name; "Paris 1 500 personnes" is not reached here.
    return not (following[:1] in _SPACES and following[1:2].islower())


def _year_context(text: str, start: int) -> bool:
    """Whether the words before a 4-digit number make it a year ('En 2024', 'depuis 1999')."""
    window = text[max(0, start - 12) : start].lower().rstrip(" \u00a0\u202f")
    return window.endswith(YEAR_CUES) or window.endswith(("-", "–"))


def _date_value(day: int | None, month: int, year: int | None) -> float:
    """A date as YYYYMMDD (or MMDD without a year; day 00 when unknown)."""
    base = month * 100 + (day or 0)
    return float(year * 10000 + base) if year else float(base)


def _may_have_suffix(text: str, pos: int) -> bool:
    """A cheap test: can anything _SUFFIX reads follow position `pos`? Most often not."""
    if pos >= len(text):
        return False
    first = text[pos]
    if first not in _SPACES:
        return first.isalpha() or first in "%€$£¥:°º"
    head = text[pos + 1 : pos + 3].lower()
    if not head or not head[0].isalpha():
        return head[:1] in ("%", "€", "$", "£", "¥")
    if len(head) == 1 or not head[1].isalpha():
        return head[0] in "kmh" or head in ("d'", "d’")  # "trois millions d'euros"
    return head in SUFFIX_STARTS


_WORD_SCALE_AT_END = re.compile(r"(?:million|milliard|billion|trillion)s?$", re.IGNORECASE)
"""A number in words ending with its scale ('trois millions'), before 'd'euros'."""


def _finish(
    text: str,
    start: int,
    num_end: int,
    value: float,
    integer: bool,
    plain: bool,
    symbol: str | None,
    lang: str,
) -> _Raw | None:
    """Read what follows a number and build the figure, or None when it is no figure."""
    qualifier = _qualifier_before(text, start)
    if symbol is None and not _may_have_suffix(text, num_end):
        # The common case: a bare number, maybe followed by its noun.
        return _quantity(text, start, num_end, value, integer, plain, False, qualifier)
    suffix = _SUFFIX.match(text, num_end, min(len(text), num_end + 60))
    assert suffix is not None  # every group is optional
    ordinal, clock, pct, scale_word, currency_word, month_name, year_digits = suffix.groups()
    if clock:
        return None
    if ordinal and not (plain and integer):
        return None
    end = suffix.end() if suffix.end() > num_end else num_end
    if month_name and (scale_word or currency_word):
        month_name = None
    if month_name and plain and integer and 1 <= value <= 31 and not pct:
        year = int(year_digits) if year_digits else None
        month = MONTHS[month_name.lower()]
        raw = _Raw(start, end, _date_value(int(value), month, year), "date", qualifier)
        raw.month, raw.year = month, year
        return raw
    # The suffix regex may have read a month after a non-day: cut it off.
    if month_name:
        end = suffix.start("month")
        end = len(text[:end].rstrip(_SPACES))
    if ordinal:
        unit, _ = _unit_after(text, end)
        return _Raw(start, end, value, "ordinal", qualifier, unit=unit)
    currency = CURRENCY_SYMBOLS.get(symbol or "")
    if currency_word:
        currency = CURRENCY_SYMBOLS.get(currency_word) or CURRENCY_WORDS.get(
            currency_word.split()[0].lower()
        )
    if scale_word:
        abbreviated = scale_word in ("M", "Md", "Mds", "Mrd", "Mrds", "k", "bn", "mn")
        glued = scale_word == "k" and suffix.start("scale") == num_end
        if abbreviated and not currency and scale_word != "bn" and not glued:
            # "100 M" alone is no amount; cut the scale and what follows off.
            end = suffix.start("scale")
            end = len(text[:end].rstrip(_SPACES))
            scale_word = None
            currency_word = None
        else:
            french_billion = lang == "fr" and scale_word.lower().startswith("billion")
            value *= 1e12 if french_billion else SCALES[scale_word.lower()]
    elif currency_word and suffix.start("cur") > num_end:
        between = text[num_end : suffix.start("cur")].strip(_SPACES)
        # "3 d'euros" without a scale: not an amount; "trois millions d'euros" has one.
        if between and not _WORD_SCALE_AT_END.search(text, start, num_end):
            end = num_end
            currency_word, currency = None, CURRENCY_SYMBOLS.get(symbol or "")
    if pct:
        if suffix.end("pct") < end and not currency_word:
            end = suffix.end("pct") if not scale_word else end
        raw = _Raw(start, end, value, "percent", qualifier, unit="%")
        return _with_trailing_qualifier(text, raw)
    if currency:
        unit = currency_word or symbol
        raw = _Raw(start, end, value, "money", qualifier, unit=unit, currency=currency)
        return _with_trailing_qualifier(text, raw)
    end = suffix.end("scale") if scale_word else num_end
    return _quantity(text, start, end, value, integer, plain, bool(scale_word), qualifier)


def _quantity(
    text: str,
    start: int,
    end: int,
    value: float,
    integer: bool,
    plain: bool,
    scaled: bool,
    qualifier: str,
) -> _Raw | None:
    """A number that is no amount, percentage or ordinal: a count, year, date, duration."""
    # The noun after the number is read only when needed: years, dates and names need
    # it rarely, and reading it is the dearest step for a figure.
    unit: str | None = None
    unit_end = end
    unit_read = False
    if plain and integer and not scaled:
        previous = _previous_word(text, start)
        month = MONTHS.get(previous.lower()) if previous else None
        year = 1000 <= value <= 2100 and (bool(month) or _year_context(text, start))
        if 1000 <= value <= 2100 and not year:
            unit, unit_end = _unit_after(text, end)
            unit_read = True
            # "2010 de Wimbledon": a name after "de" says which year, not what is counted
            year = unit is None or (unit[:1].isupper() and _OF_BEFORE_NAME.match(text, end))
        if year:
            if month:
                start -= len(previous) + 1
                raw = _Raw(start, end, _date_value(None, month, int(value)), "date", qualifier)
                raw.month, raw.year = month, int(value)
                return raw
            return _Raw(start, end, value, "year", "exact")
        if ((previous and previous[0].isupper()) or text[start - 1 : start] == "-") and (
            _is_name_number(text, start, end, previous)
        ):
            return None
        if month and 1 <= value <= 31:
            raw = _Raw(start, end, _date_value(int(value), month, None), "date", qualifier)
            raw.month = month
            return raw
    if not unit_read:
        unit, unit_end = _unit_after(text, end)
    kind = "count"
    if unit and _is_duration(unit):
        kind = "duration"
        if _is_time_of_day(text, start, unit):
            return None
    elif not unit and not integer:
        kind = "other"
    raw = _Raw(start, end, value, kind, qualifier, unit=unit)
    raw.plain_day = plain and integer and 1 <= value <= 31
    return _with_trailing_qualifier(text, raw, unit_end if unit else end)


@lru_cache(maxsize=4096)
def _is_duration(unit: str) -> bool:
    """Whether a unit is a duration ('ans', 'semaines', 'heures de garde')."""
    return unit.split()[0].lower() in DURATION_UNITS
