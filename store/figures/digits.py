"""Figures written in digits: ``2 500`` with any space, ``2.500``, ``3,5``, ``2,500`` in English.

One pass of a compiled regular expression finds every number in digits;
``parse_number`` gives its value in French or English conventions; the
currency symbol or sign just before it is read here, what follows it in
``store.figures.kinds``.
"""

from __future__ import annotations

import bisect
import re

from store.figures.context import _SP, _SPACES, _Raw
from store.figures.kinds import _finish
from store.figures.lexicon import CURRENCY_SYMBOLS
from store.figures.numeric_dates import numeric_date_at

_NUMBER = re.compile(
    r"\d(?:\d{0,2}(?:" + _SP + r"\d{3})+(?!\d)"
    r"|\d{0,2}(?:\.\d{3})+(?![\d])"
    r"|\d{0,2}(?:,\d{3})+(?![\d])"
    r"|\d*)"
    r"(?P<frac>[.,]\d+(?![.,]?\d))?"
)
"""A number in digits (starting with a digit so the regex engine can skip ahead fast)."""
_NOT_BEFORE_NUMBER = frozenset(".,/:_")
_SIGNS = ("-", "−")
_DATE_SEPARATORS = frozenset("/.-")


def parse_number(surface: str, lang: str = "fr") -> float | None:
    """The value of a number written in digits in French or English conventions."""
    if surface.isdecimal():  # not isdigit(): '²' and '①' are digits float() refuses
        return float(surface)
    grouped = surface.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if grouped.isdecimal():  # "2 500": the common case, decided without the steps below
        return float(grouped)
    s = surface.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if not s:
        return None
    negative = s[0] in "-−–"
    if negative:
        s = s[1:].strip()
    s = s.replace(" ", "")
    if not s:
        return None
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
    elif commas:
        groups = s.split(",")
        thousands = len(groups) > 2 or (lang == "en" and len(groups[-1]) == 3)
        decimal = None if thousands else ","
    elif dots:
        groups = s.split(".")
        thousands = len(groups) > 2 or (lang == "fr" and len(groups[-1]) == 3)
        decimal = None if thousands else "."
    else:
        decimal = None
    if decimal:
        whole, _, fraction = s.rpartition(decimal)
        whole = whole.replace(".", "").replace(",", "")
        s = f"{whole or '0'}.{fraction}"
    else:
        s = s.replace(".", "").replace(",", "")
    try:
        value = float(s)
    except ValueError:
        return None
    return -value if negative else value


def _after_sentence_end(text: str, position: int) -> bool:
    """Whether a spaced dash follows a full stop: '10 novembre 2012. - 19 des 20 skippers'
    is a dateline's dash, not the sign of -19."""
    head = text[max(0, position - 4) : position].rstrip(_SPACES)
    return head.endswith((".", "!", "?", ":", ";"))


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    """Whether a position falls in one of sorted, disjoint spans."""
    i = bisect.bisect_right(spans, (position, len(spans) and 1 << 62)) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]


def _digit_figures(text: str, lang: str, skip: list[tuple[int, int]]) -> list[_Raw]:
    """Figures written with digits."""
    found: list[_Raw] = []
    covered = 0  # end of the last figure: digits inside it ('2024' of '4 novembre 2024') are read
    size = len(text)
    for match in _NUMBER.finditer(text):
        start, num_end = match.span()
        if start < covered or (skip and _inside(skip, start)):
            continue
        before = text[start - 1] if start else " "
        if before.isalnum() or before in _NOT_BEFORE_NUMBER:
            continue  # digits inside a word, a time or a longer number
        if num_end < size and text[num_end].isdigit():
            continue  # "3²", "10³": a power, not a figure
        if num_end < size and text[num_end] in _DATE_SEPARATORS and num_end - start <= 5:
            date = numeric_date_at(text, start)  # "8/08/2008", "le 01/09"
            if date is not None:
                found.append(date)
                covered = date.end
                continue
        whole, frac = match.group(0, 1)
        # parse_number's first step, inline: most numbers are plain digits
        value = float(whole) if whole.isdecimal() else parse_number(whole, lang)
        if value is None:
            continue
        symbol = None
        num_start = start
        if before == " ":  # the common case: only the character before the space matters
            ahead = text[start - 2] if start >= 2 else ""
            if ahead in CURRENCY_SYMBOLS:
                symbol, start = ahead, start - 2
            # A sign right before: "- 33 %" (never the hyphen of "24-27").
            sign_at = num_start - 2 if ahead in _SIGNS else -1
        else:
            if before in CURRENCY_SYMBOLS:
                symbol, start = before, start - 1
            elif before in _SPACES and start >= 2 and text[start - 2] in CURRENCY_SYMBOLS:
                symbol, start = text[start - 2], start - 2
            sign_at = num_start - 1 if before in _SIGNS else -1  # "-9,5"
        if sign_at >= 0:
            before_sign = text[sign_at - 1] if sign_at > 0 else " "
            if (
                symbol is None
                and (before_sign in _SPACES or before_sign in "(\n")
                and not (sign_at < num_start - 1 and _after_sentence_end(text, sign_at))
            ):
                value, start = -value, sign_at
        integer = value == int(value)
        plain = not frac and whole.isdecimal()
        raw = _finish(text, start, num_end, value, integer, plain, symbol, lang)
        if raw is not None:
            found.append(raw)
            covered = raw.end
    return found
