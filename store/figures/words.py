"""Figures written in words: ``vingt-quatre femmes``, ``deux mille``, ``vingt-cinquième``.

Number words (and ordinal endings) are found in the lower-cased text with one
compiled alternation, grouped into runs of neighbouring words, and each run
is read by text2num, run by run, so offsets always point into the original
text. What follows a run is read as for digits (``store.figures.kinds``).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from text_to_num import alpha2digit

from store.figures.context import _SPACES, _previous_word, _Raw, _unit_after
from store.figures.kinds import _SUFFIX, _finish
from store.figures.lexicon import EN_NUMBER_WORDS, FR_NUMBER_WORDS

_CONVERTED = re.compile(r"(\d+(?:[,.]\d+)?)(ème|eme|e|er|ère|re|st|nd|rd|th)?s?")


@lru_cache(maxsize=8192)
def _word_value(run: str, lang: str) -> tuple[float, bool] | None:
    """(value, is_ordinal) of a run of number words, via text2num; None if not one number.

    Cached: text2num costs tens of microseconds a call, and the same few runs
    ('millions', 'deuxième', 'vingt-quatre') come back in article after article."""
    words = run.lower().replace("\n", " ")
    if lang == "fr":
        words = words.replace("ieme", "ième")
        if words.rstrip("s") in ("premier", "première"):
            return 1.0, True  # kept only where it names a rank (_word_figure)
        if words.rstrip("s") == "tierce":
            return 3.0, True  # the old feminine of "troisième": "une tierce personne"
        words = words.replace("dizième", "dixième")  # a common misspelling
    converted = alpha2digit(words, lang, threshold=0)
    match = _CONVERTED.fullmatch(converted.strip())
    if not match:
        return _scale_ordinal(converted.strip(), lang)
    return float(match.group(1).replace(",", ".")), bool(match.group(2))


_SCALE_ORDINAL = re.compile(r"(?:(\d+) )?(billion|trillion)i[eè]mes?")
_SCALE_ORDINAL_VALUES = {"fr": {"billion": 1e12, "trillion": 1e12}}
"""As the reader of '3 trillions' does (lexicon.SCALES): French news mostly writes
'trillion' for the English one, 10^12."""


def _scale_ordinal(converted: str, lang: str) -> tuple[float, bool] | None:
    """'trois billionièmes' (text2num leaves the ordinal of a scale word alone): 3e12."""
    match = _SCALE_ORDINAL.fullmatch(converted) if lang in _SCALE_ORDINAL_VALUES else None
    if not match:
        return None
    times = float(match.group(1)) if match.group(1) else 1.0
    return times * _SCALE_ORDINAL_VALUES[lang][match.group(2)], True


_BARE_WORDS_SKIPPED = frozenset(
    {"un", "une", "one", "zéro", "zero", "neuf", "cent", "cents", "mille"}
    | {"million", "millions", "milliard", "milliards"}
)


_WORD_SEEDS = {
    "fr": (frozenset(FR_NUMBER_WORDS) - {"un", "une"}) | {"tierce"},
    "en": frozenset(EN_NUMBER_WORDS) - {"one"},
}


_SEED_ENDINGS = {"fr": ("ième", "ieme", "premi"), "en": ("th", "first", "second", "third")}


def _trie_pattern(words: list[str]) -> str:
    """An alternation factored on common prefixes: Python's engine scans it about twice
    as fast as a flat alternation of the same words."""
    branches: dict[str, list[str]] = {}
    for word in words:
        branches.setdefault(word[0], []).append(word[1:])
    parts = []
    for first, rests in sorted(branches.items()):
        if len(rests) == 1:
            parts.append(re.escape(first + rests[0]))
            continue
        longer = [r for r in rests if r]
        inner = f"(?:{_trie_pattern(longer)})" if longer else ""
        parts.append(re.escape(first) + inner + ("?" if "" in rests and longer else ""))
    return "|".join(parts)


@lru_cache(maxsize=2)
def _seed_re(lang: str) -> re.Pattern[str]:
    """Number words and ordinal endings, to find in lower-cased text."""
    return re.compile(_trie_pattern(sorted({*_WORD_SEEDS[lang], *_SEED_ENDINGS[lang]})))


def _seed_hits(lowered: str, lang: str) -> list[tuple[int, int]]:
    """Where number words (and ordinal endings) occur as whole words."""
    hits: list[tuple[int, int]] = []
    endings = _SEED_ENDINGS[lang]
    size = len(lowered)
    for match in _seed_re(lang).finditer(lowered):
        i, j = match.span()
        word = match.group()
        if word in ("premi", "first", "second", "third"):  # a word start: "première"
            keep = not (i and lowered[i - 1].isalpha())
        elif word in endings:
            keep = j >= size or not lowered[j].isalpha() or lowered[j] == "s"
        else:
            before = lowered[i - 1] if i else " "
            after = lowered[j] if j < size else " "
            keep = not before.isalpha() and (not after.isalpha() or after == "s")
            if keep and after == "s" and word == "mille":
                keep = False  # the number is invariable: "24.000 milles" are nautical miles
        if keep:
            hits.append((i, j))
    return hits


_RUN_GAP = re.compile(
    r"[-\s]+(?:(?:et|and|virgule|point)[-\s]+)?(?:(?:un|une|one|zéro|zero)[-\s]+)?"
)
_ONE_AFTER = {
    "fr": re.compile(r"[-\s]+(?:et[-\s]+)?(?:un|une|unième)(?![\w-])"),
    "en": re.compile(r"[-\s]+(?:and[-\s]+)?one(?![\w-])"),
}
_ONE_BEFORE = {"fr": ("un ", "une "), "en": ("one ",)}


def _lowered(text: str) -> str:
    """The text lower-cased, or as it is when a character changes length lower-cased
    (offsets into the lowered text must be offsets into the text)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


def _word_runs(
    text: str,
    lowered: str,
    lang: str,
    taken: list[tuple[int, int]],
    taken_starts: list[int],
) -> list[tuple[int, int]]:
    """Spans of consecutive number words ('vingt-quatre', 'deux mille', 'un million',
    'vingt et un', 'vingt-cinquième') not already read as digits ('2,5 millions').
    `lowered` is _lowered(text)."""
    size = len(text)
    runs: list[list[int]] = []
    for a, b in _seed_hits(lowered, lang):
        i = bisect.bisect_right(taken_starts, a)
        if i and taken[i - 1][1] >= b:
            continue
        if lowered[a - 1 : a].isalpha() or (b < size and lowered[b].isalpha()):
            # an ordinal ending or "premi": the whole word ("vingt-cinquième", "première")
            while a > 0 and (lowered[a - 1].isalpha() or lowered[a - 1] == "-"):
                a -= 1
            while b < size and lowered[b].isalpha():
                b += 1
        if runs and (a <= runs[-1][1] or _RUN_GAP.fullmatch(lowered, runs[-1][1], a)):
            runs[-1][1] = max(runs[-1][1], b)
        else:
            runs.append([a, b])
    spans = []
    for start, end in runs:
        after = _ONE_AFTER[lang].match(lowered, end)
        if after:
            end = after.end()
        for one in _ONE_BEFORE[lang]:
            word_start = start - len(one)
            if (
                lowered.endswith(one, 0, start)
                and not lowered[word_start - 1 : word_start].isalpha()
            ):
                start = word_start
                break
        spans.append((start, end))
    return spans


def _word_figures(text: str, lowered: str, lang: str, taken: list[tuple[int, int]]) -> list[_Raw]:
    """Figures written in words ('vingt-quatre femmes', 'deux mille', 'vingt-cinquième');
    `lowered` is _lowered(text)."""
    found: list[_Raw] = []
    taken = sorted(taken)
    taken_starts = [a for a, _ in taken]
    for start, end in _word_runs(text, lowered, lang, taken, taken_starts):
        i = bisect.bisect_left(taken_starts, end)
        if i and taken[i - 1][1] > start:
            continue  # digits already cover it
        found.extend(_run_figures(text, start, end, lang))
    return found


_WORD_PIECE = re.compile(r"[^\s-]+")


def _run_figures(text: str, start: int, end: int, lang: str) -> list[_Raw]:
    """The figures of one run of number words: one number, or several side by side
    ('cinquante soixante trente et onze' reads as four)."""
    found: list[_Raw] = []
    while start < end:
        run = text[start:end]
        result = _word_value(run, lang)
        stop = end
        if result is None:
            result, stop = _longest_prefix_value(text, start, run, lang)
        if result is not None:
            raw = _word_figure(text, start, stop, result, lang)
            if raw is not None:
                found.append(raw)
        else:
            first = _WORD_PIECE.search(text, start, end)
            stop = first.end() if first else end  # not a number: skip one word
        following = _WORD_PIECE.search(text, stop, end)
        while following and following.group().lower() in ("et", "and"):
            following = _WORD_PIECE.search(text, following.end(), end)
        start = following.start() if following else end
    return found


def _word_figure(
    text: str, start: int, end: int, result: tuple[float, bool], lang: str
) -> _Raw | None:
    """The figure number words give, or None for a bare 'un', a title ('premier ministre')."""
    value, ordinal = result
    low = text[start:end].lower()
    unit, _ = _unit_after(text, end)
    if ordinal:
        if low.rstrip("s") in ("premier", "première") and not _STANDS_ALONE.match(text, end):
            # "premier conseil", "la première perte de son histoire", "premier semestre":
            # in news text the word means leading or first-ever far more often than rank 1
            # (docs/figures.md). Alone it names one of several: "le premier, âgé de 30 ans".
            return None
        if unit and unit.lower().startswith(("ministre", "secrétaire", "minister")):
            return None  # a title, not a rank
        if start >= 2 and text[start - 1] in _SPACES and text[start - 2].isdigit():
            return None  # "100 millionths", "3 cinquièmes": a fraction, not a rank
        return _Raw(start, end, value, "ordinal", unit=unit)
    if low in _VAGUE_SCALES and _previous_word(text, start).lower() in _VAGUE_BEFORE:
        return None  # "des millions de Français": many, not 1 000 000
    if low in _BARE_WORDS_SKIPPED and not (
        low not in ("un", "une", "one") and (unit or _percent_after(text, end))
    ):
        return None
    return _finish(text, start, end, value, value == int(value), False, None, lang)


_VAGUE_SCALES = frozenset(("millions", "milliards", "milliers", "millions", "billions"))
_VAGUE_BEFORE = frozenset(("des", "plusieurs", "quelques", "de", "by", "many"))
_STANDS_ALONE = re.compile(r"[ \u00a0]*(?:[.,;:!?»)]|$)")


def _percent_after(text: str, end: int) -> bool:
    """Whether _finish will read a percentage after `end` ('cent pour cent')."""
    suffix = _SUFFIX.match(text, end, min(len(text), end + 60))
    return suffix is not None and suffix.group("pct") is not None


def _longest_prefix_value(
    text: str, start: int, run: str, lang: str
) -> tuple[tuple[float, bool] | None, int]:
    """The longest leading words of a run that read as one number ('trois cinq' -> trois)."""
    pieces = list(_WORD_PIECE.finditer(run))
    for count in range(len(pieces) - 1, 0, -1):
        prefix = run[: pieces[count - 1].end()]
        result = _word_value(prefix, lang)
        if result is not None:
            return result, start + len(prefix)
    return None, start
