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

This module runs the steps and turns their figures into rows; the steps live in
sibling modules:

* ``figures_context``: the figure being built (``_Raw``), its qualifier, the noun
  after it, the word before it;
* ``figures_kinds``: what follows a number decides its kind (``_finish``);
* ``figures_digits``: numbers in digits (``parse_number``);
* ``figures_words``: numbers in words, read by text2num;
* ``figures_compound``: collective nouns (``une centaine de``) and proportions;
* ``figures_skip``: phone numbers, web addresses and page furniture, no figures;
* ``figures_ranges``: neighbours joined into ranges, ``et demi`` added.
"""

from __future__ import annotations

import bisect
import operator
import re

from store.figures.compound import _approximate_figures, _proportion_figures
from store.figures.context import _Raw
from store.figures.digits import _digit_figures, parse_number
from store.figures.elision import _with_elided_currency
from store.figures.ranges import _merge_ranges, _with_halves
from store.figures.rows import FIGURE_ROW_FIELDS, figure_from_row
from store.figures.skip import _furniture_spans, _phone_spans, _reference_spans, _url_spans
from store.figures.words import _lowered, _word_figures
from store.models import Figure
from store.spans import merge_spans

__all__ = [
    "FIGURE_ROW_FIELDS",
    "extract_figure_rows",
    "extract_figures",
    "extract_title_figures",
    "figure_from_row",
    "guess_lang",
    "headline_figures",
    "parse_number",
]

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
    phones = merge_spans(
        _phone_spans(text) + _furniture_spans(text) + _url_spans(text) + _reference_spans(text)
    )
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
    if "illi" in text or "Md" in text or "Mrd" in text:
        raws = _with_elided_currency(text, raws)
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


def extract_figures(text: str, lang: str | None = None) -> list[Figure]:
    """Every figure of a text, ordered by position, with offsets into `text` itself."""
    return [figure_from_row(row) for row in extract_figure_rows(text, lang)]


def extract_title_figures(title: str, lang: str | None = None) -> list[Figure]:
    """The figures of a headline ('Ouragan Sandy : 39 morts'), offsets into the title.

    A headline is read as one sentence; its language is guessed from the headline alone
    unless given (an article's body says more: pass the body's)."""
    return extract_figures(title, lang)


def headline_figures(title: str, body: str, lang: str | None = None) -> list[Figure]:
    """The figures an article's headline adds to its body's, offsets into the stripped
    title; none when the title is taken from the body itself (it is read there)."""
    headline = title.strip()
    if not headline or headline in body:
        return []
    return extract_title_figures(headline, lang)
