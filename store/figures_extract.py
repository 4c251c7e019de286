"""Key figures in French (and English) text: spans, normalised values, units, qualifiers.

One pass of a compiled regular expression finds every written number in digits
(``2 500`` with any space, ``2.500``, ``3,5``, ``2,500`` in English); what
follows it decides its kind (``%``, ``millions d'euros``, ``M€``, ``93e``,
``4 octobre``); the words before it give its qualifier (``plus de``, ``près
de``); the noun after it is its unit ("victimes potentielles"). Number words
(``vingt-quatre femmes``) are read by text2num, run by run, so offsets always
point into the original text. Neighbouring figures then merge into ranges
(``24-27 novembre``, ``du 29 septembre au 4 octobre``, ``entre 10 et 20``).

Conventions of the values:

* counts, money, percent: the number itself (``1,2 milliard`` -> 1.2e9);
* dates: ``YYYYMMDD`` as a number when the year is written, else ``MMDD``;
  a month and year without a day gives ``YYYYMM00``; a bare year is kind
  ``year`` with the year as value;
* ranges: ``value`` is the low end, ``value_max`` the high end.
"""

from __future__ import annotations

import bisect
import operator
import re
from functools import lru_cache

from store.figures_context import _ALL_NUMBER_WORDS, _SP, _previous_word, _Raw, _unit_after
from store.figures_digits import _digit_figures, parse_number
from store.figures_lexicon import APPROX_NOUNS
from store.figures_ranges import (
    _merge_ranges,
    _with_halves,
)
from store.figures_skip import _furniture_spans, _phone_spans, _url_spans
from store.figures_words import _lowered, _word_figures, _word_value
from store.models import Figure
from store.spans import merge_spans

__all__ = [
    "FIGURE_ROW_FIELDS",
    "extract_figure_rows",
    "extract_figures",
    "figure_from_row",
    "guess_lang",
    "parse_number",
]
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
_SENTENCE_BREAK = re.compile(r"[.!?…\n](?:(?<=\n)\n*|(?<!\n)[\"»”)\]]*[ \t\u00a0]+(?=\S))")
"""A sentence end ('. ', '?» ') or a run of newlines. One character class first: the
regex engine then skips to candidate characters in C instead of trying every position
(with two alternatives up front it cannot)."""


def guess_lang(text: str) -> str:
    """'en' when English function words outnumber French ones, else 'fr'."""
    return _lang_of_lowered(text[:1500].lower())


def _lang_of_lowered(head: str) -> str:
    """guess_lang given the lower-cased first 1500 characters."""
    sample = f" {head} "
    english = sample.count(" the ") + sample.count(" and ") + sample.count(" of ")
    french = sample.count(" le ") + sample.count(" la ") + sample.count(" les ")
    return "en" if english > french else "fr"


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
    return found


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


def _sentence_starts(text: str) -> list[int]:
    """Offsets where sentences (and lines) begin."""
    return [0] + [m.end() for m in _SENTENCE_BREAK.finditer(text)]


_START = operator.attrgetter("start")


def _raw_figures(text: str, lang: str | None) -> list[_Raw]:
    """Every figure of a non-empty text while being built, ordered by position."""
    lowered = _lowered(text)
    if not lang:
        # The lowered head is the one guess_lang would make, unless lowering changed
        # lengths (then `lowered` is the text itself).
        lang = guess_lang(text) if lowered is text else _lang_of_lowered(lowered[:1500])
    phones = merge_spans(_phone_spans(text) + _furniture_spans(text) + _url_spans(text))
    raws = _digit_figures(text, lang, phones)
    approximate = _approximate_figures(text)
    if approximate:
        # "3 douzaines de": the digits are part of the collective figure, not one of their own
        raws = [r for r in raws if not any(a.start <= r.start < a.end for a in approximate)]
        raws.extend(approximate)
    proportions = _proportion_figures(text, lang)
    if proportions:
        raws = [r for r in raws if not any(p.start <= r.start < p.end for p in proportions)]
        raws.extend(proportions)
    taken = [(r.start, r.end) for r in raws] + phones
    raws.extend(_word_figures(text, lowered, lang, taken))
    raws.sort(key=_START)
    raws = _merge_ranges(text, raws)
    if " et demi" in text:
        raws = _with_halves(text, raws)
    return raws


def extract_figure_rows(text: str, lang: str | None = None) -> list[tuple]:
    """extract_figures as plain tuples in FIGURE_ROW_FIELDS order (the figures table's
    columns): an import stores millions of figures and needs no dataclass for each."""
    if not text:
        return []
    raws = _raw_figures(text, lang)
    starts = _sentence_starts(text)
    size = len(text)
    last = len(starts) - 1
    trimmed: dict[int, int] = {}  # sentence index -> its end, trailing spaces dropped
    rows = []
    for raw in raws:
        start, end = raw.start, raw.end
        index = bisect.bisect_right(starts, start) - 1
        sentence_end = trimmed.get(index)
        if sentence_end is None:
            sentence_end = starts[index + 1] if index < last else size
            while sentence_end > starts[index] and text[sentence_end - 1].isspace():
                sentence_end -= 1
            trimmed[index] = sentence_end
        rows.append(
            (
                start,
                end,
                text[start:end],
                raw.value,
                raw.value_max,
                raw.kind,
                raw.unit,
                raw.currency,
                raw.qualifier,
                starts[index],
                sentence_end if sentence_end > end else end,  # a figure may overrun it
            )
        )
    return rows


FIGURE_ROW_FIELDS = (
    "start",
    "end",
    "surface",
    "value",
    "value_max",
    "kind",
    "unit",
    "currency",
    "qualifier",
    "sentence_start",
    "sentence_end",
)
"""The Figure fields, in the order of extract_figure_rows's tuples."""


def figure_from_row(row: tuple, *, article_id: int | None = None, id: int | None = None) -> Figure:
    """A Figure from a tuple in FIGURE_ROW_FIELDS order (as extracted or as stored)."""
    return Figure(**dict(zip(FIGURE_ROW_FIELDS, row, strict=True)), article_id=article_id, id=id)


def extract_figures(text: str, lang: str | None = None) -> list[Figure]:
    """Every figure of a text, ordered by position, with offsets into `text` itself."""
    return [figure_from_row(row) for row in extract_figure_rows(text, lang)]
