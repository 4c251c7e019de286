"""Figures that neither digits nor number words give alone: collective nouns and proportions.

A collective noun is about its value (``une centaine de moines``, ``trois
douzaines de``, ``3 centaines de milliers de``); a proportion is a ratio
(``un salarié sur dix``, ``1 sur 3``) or a fraction (``deux tiers``, ``trois
quarts``). Digits and words they contain are part of them, not figures of
their own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from store.figures.context import (
    _ALL_NUMBER_WORDS,
    _SP,
    _previous_word,
    _qualifier_before,
    _Raw,
    _unit_after,
)
from store.figures.lexicon import APPROX_NOUNS
from store.figures.words import _word_value

_APPROX = re.compile(
    # The noun first: it is rare, so the scan is quick; the word before it is read after.
    r"(?P<half>demi-)?(?P<noun>"
    + "|".join(APPROX_NOUNS)
    + r")(?P<plural>s)?"
    + _SP
    + r"+(?:de"
    + _SP
    + r"+|d['’])(?:(?P<thousands>milliers)"
    + _SP
    + r"+(?:de"
    + _SP
    + r"+|d['’]))?",
    re.IGNORECASE,
)
_APPROX_BEFORE = re.compile(
    r"(?<![\w])(?:(?P<about>une?|quelque)"
    r"|(?P<times>\d{1,3}|deux|trois|quatre|cinq|six|sept|huit|neuf|dix))" + _SP + r"+$",
    re.IGNORECASE,
)
_SMALL_NUMBER_WORDS = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
}  # fmt: skip


def _approximate_figures(text: str) -> list[_Raw]:
    """Figures written with a collective noun ('une centaine de moines': about 100).

    'une douzaine de', 'une demi-douzaine de' (about 6), 'trois douzaines de',
    '3 centaines de milliers de' (about 36, 300 000) are about their value. Vague
    plurals ('des dizaines de morts') are not figures: too loose to compare, they
    conflicted with precise tolls of other events in the eval stories.
    """
    found: list[_Raw] = []
    if "aine d" not in text and "aines d" not in text and "millier" not in text:
        return found
    for match in _APPROX.finditer(text):
        if match.start() and text[match.start() - 1].isalnum():
            continue  # inside a longer word
        before = _APPROX_BEFORE.search(text, max(0, match.start() - 12), match.start())
        value = _approximate_value(match, before) if before else None
        if value is None:
            continue
        if match.group("thousands"):
            value *= 1000
            end = match.end("thousands")
        else:
            end = match.end("noun") + (1 if match.group("plural") else 0)
        unit, _ = _unit_after(text, match.end())
        found.append(_Raw(before.start(), end, value, "count", "about", unit=unit))
    return found


def _approximate_value(match: re.Match[str], before: re.Match[str]) -> float | None:
    """The value of 'une douzaine', 'une demi-douzaine', 'trois douzaines'."""
    base = float(APPROX_NOUNS[match.group("noun").lower()])
    plural = match.group("plural") is not None
    if match.group("half"):
        base /= 2
    if before.group("about"):
        return None if plural else base  # "une centaines" is not French
    times = before.group("times").lower()
    count = int(times) if times.isdigit() else _SMALL_NUMBER_WORDS[times]
    if count < 2 or not plural:
        return None  # "1 centaine", "deux centaine": not a collective figure
    return count * base


_FRACTION_NOUNS = {"tiers": 3, "quart": 4, "quarts": 4, "demi": 2, "demie": 2, "moitié": 2}
_PROPORTION = re.compile(
    r"[ \u00a0](?:sur|out of|in)[ \u00a0](?P<b>\d+(?![\d.,])|[^\W\d_][\w-]*)(?![\w-])"
)
_NUMERATORS = {"fr": {"un": 1.0, "une": 1.0}, "en": {"one": 1.0, "a": 1.0, "an": 1.0}}


@lru_cache(maxsize=4096)
def _numerator(word: str, lang: str) -> float | None:
    """The value of a word or digits that may start a proportion ('un', 'deux', '1')."""
    low = word.lower()
    if low in _NUMERATORS[lang]:
        return _NUMERATORS[lang][low]
    if low.isdecimal():  # not isdigit(): float() refuses '²'
        return float(low)
    parts = low.replace("-", " ").split()
    is_words = bool(parts) and all(p in _ALL_NUMBER_WORDS or p == "et" for p in parts)
    result = _word_value(low, lang) if is_words else None
    return result[0] if result and not result[1] else None


def _proportion_figures(text: str, lang: str) -> list[_Raw]:
    """'un salarié sur dix', '1 sur 3' (a ratio) and 'deux tiers', 'trois quarts' (fractions)."""
    found: list[_Raw] = []
    for needle in (" sur ", " out of ", " in ") if lang == "en" else (" sur ",):
        i = text.find(needle)
        while i >= 0:
            match = _PROPORTION.match(text, i)
            if match:
                found.extend(_ratio_at(text, match, lang))
            i = text.find(needle, i + len(needle))
    if lang == "fr" and ("tiers" in text or "quart" in text or "demi" in text):
        for noun, denominator in _FRACTION_NOUNS.items():
            i = text.find(" " + noun)
            while i >= 0:
                end = i + 1 + len(noun)
                if end >= len(text) or not text[end].isalpha():
                    word = _previous_word(text, i + 1)
                    value = _numerator(word, lang) if word else None
                    if value is not None and noun not in ("demi", "demie", "moitié"):
                        unit, _ = _unit_after(text, end)
                        start = i - len(word)
                        found.append(_Raw(start, end, value / denominator, "other", unit=unit))
                i = text.find(" " + noun, end)
    if lang == "fr" and ("ième" in text or "ieme" in text):
        found.extend(_ordinal_fractions(text))
    if lang == "fr" and "moitié" in text:
        for match in _HALF.finditer(text):
            unit, _ = _unit_after(text, match.end())
            qualifier = _qualifier_before(text, match.start())
            found.append(_Raw(match.start(), match.end(), 0.5, "other", qualifier, unit=unit))
    return found


_HALF = re.compile(
    r"(?i:\b(?:la|une)[ \u00a0]moitié|\bmoitié(?=[ \u00a0](?:moins|plus)\b))(?![\w-])"
)
"""A half: 'dont la moitié en France', 'moins de la moitié', 'moitié moins'."""


def _ratio_at(text: str, match: re.Match[str], lang: str) -> list[_Raw]:
    """The ratio ' sur N' closes, when a number (and maybe a noun) comes before it:
    'un salarié sur dix', '1 sur 3', 'deux sur trois'."""
    denominator_word = match.group("b")
    denominator = _numerator(denominator_word, lang)
    if not denominator or denominator_word.lower() in _NUMERATORS[lang]:
        return []
    word = _previous_word(text, match.start() + 1)
    noun = None
    start = match.start() - len(word)
    if word and _numerator(word, lang) is None:
        noun = word
        word = _previous_word(text, start)
        start -= len(word) + 1
    numerator = _numerator(word, lang) if word else None
    if not numerator or numerator >= denominator:
        return []
    if noun and numerator != 1:
        return []  # "500 manifestants sur 10 000": too often two separate figures
    unit = noun or _unit_after(text, match.end())[0]
    return [_Raw(start, match.end(), numerator / denominator, "other", unit=unit)]


_ORDINAL_FRACTION = re.compile(
    r"(?<![\w-])(?P<num>\d+|(?:(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze"
    r"|douze|treize|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|cent)"
    r"(?:[ -](?:et[ -])?(?:un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|vingt|cent))*))"
    r"[ \u00a0-](?P<den>(?:[a-zé]+-)*[a-zé]*i[eè]mes?)$",
    re.IGNORECASE,
)
_ORDINAL_END = re.compile(r"i[eè]mes?(?![\w-])", re.IGNORECASE)
"""'un cinquième', 'trois cinquièmes', 'cinq-huitièmes', 'un vingt-et-unième': a fraction."""


def _ordinal_fractions(text: str) -> list[_Raw]:
    """Fractions written as a count of ordinal parts: 'trois cinquièmes' is 0,6.

    The parts are plural after a numerator above one ('trois cinquièmes'), singular
    after 'un'/'une' ('un cinquième'): 'le cinquième' or 'trois cinquième' alone are
    a rank or a misreading, not a fraction."""
    found = []
    for end_match in _ORDINAL_END.finditer(text):
        # Searched backwards from each ordinal ending: the whole-text regex was the
        # dearest step of the reader.
        end = end_match.end()
        window_start = max(0, end - 90)
        match = _ORDINAL_FRACTION.search(text, window_start, end)
        if match is None:
            continue
        numerator = _numerator(match.group("num"), "fr")
        denominator = _word_value(match.group("den"), "fr")
        if numerator is None or denominator is None or not denominator[1]:
            continue
        plural = match.group("den").lower().endswith("s")
        if not 3 <= denominator[0] < 1000 or plural != (numerator > 1):
            continue  # "un millième": text2num's and many readers' rank 1000
        unit, _ = _unit_after(text, match.end())
        qualifier = _qualifier_before(text, match.start())
        value = numerator / denominator[0]
        found.append(_Raw(match.start(), match.end(), value, "other", qualifier, unit=unit))
    return found
