"""Cross-source comparison: the figures of several articles lined up fact by fact.

Two figures state the same fact when they are quantities of the same family
(counts with the same context noun, amounts in the same currency, percentages,
durations; an age such as "Julien Carmona, 38 ans" only with that person's age),
their values are of the same order (within a factor of two) and the clauses
around them share words or acronyms ("perte", "Caisse d'Épargne", "gouvernement
tibétain en exil", "PSA"; who said it and when do not count; a shared acronym
counts twice): one word for counts giving the same value, which already share
their noun, two for different values, amounts and percentages. An amount or a
percentage must also share a word that stands next to it ("une perte de", "le
SMIC de"): that is what it is of. A part ("dont 660 millions") is never the
same fact as a whole, and each item of a list ("5 122 postes à Air France ; de
1 000 à 4 000 emplois chez Sanofi") is read with its own words only.
One article stating two incompatible counts of one thing states two facts; an
amount it revises (600, then 695, then 751 millions d'euros) stays one fact.
Facts are formed by linking such pairs, closest values first (single linkage
under those constraints), then each fact gets a status:

* ``agree``: every article gives the same value with the same qualifier, however
  written ("3.222" and "3 222");
* ``compatible``: the values can all be true together: a bound and a value inside
  it ("plus de 2 500" and "2 517"), or a round figure and a precise one it rounds
  ("5 milliards" and "4,9 milliards": a round value of 100 or more stands for
  anything within half its last significant digit, at most 5 % away);
* ``conflict``: no single value satisfies them all ("600 millions d'euros" and
  "751 millions d'euros");
* ``single-source``: only one article states it.

Facts are sorted conflicts first, then compatible, agree and single-source; within a
status, facts stated by more articles come first.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store.figures import (
    EN_NUMBER_WORDS,
    FR_NUMBER_WORDS,
    STOP_WORDS,
    figure_source,
    figures_for_article,
    fold,
    headline_figures,
    stem,
    unit_stems,
    units_match,
)
from store.library import get_article
from store.models import Comparison, Fact, FactCell, Figure

STATUS_ORDER = {"conflict": 0, "revised": 1, "compatible": 2, "agree": 3, "single-source": 4}
STATUS_WORDS = {
    "conflict": "conflict",
    "revised": "revised",
    "compatible": "compatible",
    "agree": "agree",
    "single-source": "single source",
}
"""How each status is written for a reader, the same in the app and on the command line."""
QUANTITY_KINDS = frozenset({"count", "range", "money", "percent", "duration", "other"})
MAX_RATIO = 2.0
"""Two values further apart than this factor are never the same fact."""
SHARED_CONTEXT = {"count": 1, "duration": 1, "money": 2, "percent": 2, "date": 1}
"""Words two sentences must share for figures of two articles to be linked: counts
already share their noun, amounts and percentages share only a currency or a sign."""
CONFLICT_CONTEXT = 2
"""Words two sentences must share before different values are called one fact."""
PREFIX = 6
NEAR_BEFORE, NEAR_AFTER = 2, 1
"""Content words before and after a figure (after: in its phrase) that say what it is of."""
_PHRASE_END = re.compile(r"[,;:.()«»\"]")
"""Context words are compared on their first letters ('identifier' ~ 'identifiés')."""

_CONTEXT_WORD = re.compile(r"[^\W\d_]{4,}|\b[A-Z]{2,3}\b")
"""Content words, and acronyms that name who is concerned ("PSA", "HP", "SFR")."""
_FOLDED_STOP_WORDS = frozenset(fold(w) for w in (*STOP_WORDS, *FR_NUMBER_WORDS, *EN_NUMBER_WORDS))
_ATTRIBUTION = frozenset(
    (
        "lundi", "mardi", "mercre", "jeudi", "vendre", "samedi", "dimanc", "hier", "aujour",
        "matin", "soir", "selon", "indiqu", "annonc", "ajout", "declar", "precis", "affirm",
        "rappor", "estim", "communi", "direct", "source", "said", "accord", "report",
    )
)  # fmt: skip
"""Who said it and when (first letters of the stems): words any two news sentences may
share, which say nothing about whether they state the same fact."""
_ATTRIBUTION_KEYS = frozenset(word[:PREFIX] for word in _ATTRIBUTION)


@dataclass(slots=True)
class _Candidate:
    """A figure taking part in the comparison, with what linking needs."""

    cell: FactCell
    family: tuple[str, ...]
    magnitude: float
    context: frozenset[str]
    words: dict[str, str]  # context stem -> the word as written
    acronyms: frozenset[str]  # the context stems written as acronyms ("PSA", "HP")
    part: bool  # "dont 660 millions": a part of another figure, not the whole
    near: frozenset[str]  # the context stems next to the figure ("perte de", "du SMIC de")


_PART_OF = re.compile(
    r"\b(?:dont|parmi (?:eux|elles|lesquel(?:le)?s)|including|of (?:which|whom))"
    r"(?:\W+\w+){0,2}\W+$",
    re.IGNORECASE,
)

if TYPE_CHECKING:
    from store.db import Library

"""Words that make the figure after them a part of a figure before ("1,9 milliard de
goodwill, dont 660 millions sur la BFI"): the part and the whole are different facts."""
_AGE_OF = re.compile(r"([A-ZÀ-Ý][\w'’-]+(?:[ \u00a0][A-ZÀ-Ý][\w'’-]+)*),[ \u00a0]*$")


def _family(body: str, figure: Figure) -> tuple[str, ...] | None:
    """What a figure must share with another to state the same fact; None when it cannot."""
    if figure.kind == "date" and figure.value is not None:
        return ("date",)
    if figure.kind not in QUANTITY_KINDS or figure.value is None:
        return None
    if figure.kind == "money":
        return ("money", figure.currency or "")
    if figure.kind == "percent":
        return ("percent",)
    if not unit_stems(figure.unit):
        return None  # "dont 850 concernaient": a count of nothing named
    if figure.kind != "duration":
        return ("count",)
    if (figure.unit or "").split()[0].lower() in ("an", "ans"):
        # "Julien Carmona, 38 ans,": an age, comparable only with that person's age
        person = _AGE_OF.search(body, max(0, figure.start - 60), figure.start)
        if person:
            return ("duration", fold(person.group(1)))
    return ("duration",)


def _candidate(
    article_id: int,
    body: str,
    figure: Figure,
    family: tuple[str, ...],
    list_item: bool = False,
    field: str = "body",
) -> _Candidate:
    """A figure with the content words of its clause (stems), without the unit's own words.

    The clause is the sentence, or its part between semicolons: a list such as "5 122
    postes à Air France ; de 1 000 à 4 000 emplois chez Sanofi ; idem chez PSA" states
    one fact per item, and the words of the other items say nothing about this one.
    Also notes which of the words are acronyms ("PSA", "SFR"): the company or body
    concerned, firmer evidence of one fact than a common word. (Not every name: the
    place of the story, "Lhassa", is in every article's sentences.) And which are
    near the figure: what an amount or a percentage is of. In a list written with commas
    (`list_item`: "Crédit Agricole 3 milliards, BNP Paribas 2,55 milliards, ...") the
    clause is the item between commas.
    """
    start = figure.sentence_start if figure.sentence_start is not None else figure.start
    end = figure.sentence_end if figure.sentence_end is not None else figure.end
    if list_item:
        start = max(start, body.rfind(",", start, figure.start) + 1)
        item_end = body.find(",", figure.end, end)
        end = item_end if item_end != -1 else end
    start = max(start, body.rfind(";", start, figure.start) + 1)
    clause_end = body.find(";", figure.end, end)
    end = clause_end if clause_end != -1 else end
    sentence = body[start : figure.start] + " " + body[figure.end : end]
    own = set(unit_stems(figure.unit))
    words: dict[str, str] = {}
    acronyms: set[str] = set()
    before: list[str] = []
    after: list[str] = []
    figure_at = figure.start - start
    phrase_end = figure_at + 1 + _phrase_length(body[figure.end : end])
    for match in _CONTEXT_WORD.finditer(sentence):
        word = match.group()
        folded = fold(word)
        if folded in _FOLDED_STOP_WORDS:
            continue
        key = stem(word)[:PREFIX]
        if key in _ATTRIBUTION_KEYS:
            continue
        if not any(key.startswith(o[:PREFIX]) for o in own):
            words.setdefault(key, word)
            if word.isupper() and len(word) <= 5:
                acronyms.add(key)
            if match.start() < figure_at:
                before.append(key)
            elif match.start() < phrase_end:
                after.append(key)
    return _Candidate(
        cell=FactCell(article_id, figure, figure_source(body, figure), field),
        family=family,
        magnitude=_magnitude(figure),
        context=frozenset(words),
        words=words,
        acronyms=frozenset(acronyms),
        part=_is_part(body, figure),
        near=frozenset(before[-NEAR_BEFORE:]) | frozenset(after[:NEAR_AFTER]),
    )


def _phrase_length(text: str) -> int:
    """Characters up to the end of the phrase ("d'euros évaporés, selon ..." stops at the comma)."""
    found = _PHRASE_END.search(text)
    return found.start() if found else len(text)


def _is_part(body: str, figure: Figure) -> bool:
    """Whether the figure is introduced as a part of another ("dont 660 millions")."""
    return _PART_OF.search(body, max(0, figure.start - 40), figure.start) is not None


def _day_of_year(value: float) -> float:
    """A date's value (YYYYMMDD or MMDD) as month and day only: 20081017 -> 1017."""
    return value % 10000


def _magnitude(figure: Figure) -> float:
    if figure.kind == "date":
        low = _day_of_year(figure.value or 0.0)
        high = _day_of_year(figure.value_max) if figure.value_max is not None else low
        return (low + high) / 2
    low = figure.value or 0.0
    high = figure.value_max if figure.value_max is not None else low
    return (low + high) / 2


def _close(a: float, b: float) -> bool:
    if a == b:
        return True
    if a == 0 or b == 0 or (a > 0) != (b > 0):
        return False
    big, small = max(abs(a), abs(b)), min(abs(a), abs(b))
    return big / small <= MAX_RATIO


def _linked(a: _Candidate, b: _Candidate) -> bool:
    """Whether two figures may state the same fact."""
    if a.family != b.family or a.part != b.part or not _close(a.magnitude, b.magnitude):
        return False
    fa, fb = a.cell.figure, b.cell.figure
    counted = a.family[0] in ("count", "duration")
    if counted and not units_match(fa.unit, fb.unit):
        return False
    if a.family[0] == "date" and not _dates_overlap(fa, fb):
        return False  # "2 juillet" and "4 juillet": two events, not one date misreported
    if (
        a.family[0] in ("money", "percent")
        and _values(fa) != _values(fb)
        and not _near_keys(a) & _near_keys(b)
    ):
        # Two different amounts are one fact when what stands next to each is the same:
        # "une perte de 600 millions", "avoir perdu 751 millions"; not "une augmentation
        # de capital de 5,5 milliards" and "fait perdre près de 5 milliards", in one
        # article or two.
        return False
    if a.cell.article_id == b.cell.article_id:
        # One article giving two incompatible counts of one thing gives two facts ("600
        # personnes se sont rendues", "381 personnes"); an amount it revises is one fact.
        if counted or _compatible([fa, fb]):
            return not counted or _compatible([fa, fb])
        # An amount it revises (600, then 751 millions) is one fact when the sentences
        # say so and what stands next to both is the same; "dont 660 millions d'euros sur
        # ses activités de BFI" is another, and so is "une augmentation de capital de 5,5
        # milliards" beside a loss of 5 milliards.
        return len(a.context & b.context) >= CONFLICT_CONTEXT and bool(a.near & b.near)
    if a.family[0] in ("money", "percent") and not (a.near & b.context or b.near & a.context):
        # An amount or a percentage has no noun of its own: what it is of stands next to
        # it ("une perte de 600 millions", "le SMIC de 2 %", "une croissance de 0,7 %").
        return False
    needed = SHARED_CONTEXT[a.family[0]]
    if _values(fa) != _values(fb):
        # Different values ("520 postes", "556 postes") need firmer evidence of one fact
        # than the same value written twice.
        needed = max(needed, CONFLICT_CONTEXT)
    return _evidence(a, b) >= needed


def _dates_overlap(a: Figure, b: Figure) -> bool:
    """Whether two dates may name one event: the same day, or periods that meet ('du 29
    septembre au 4 octobre', 'entre le 29 septembre et le 5 octobre')."""
    a_low, a_high = _values(a)
    b_low, b_high = _values(b)
    if a_low is None or b_low is None:
        return False
    return a_low <= (b_high if b_high is not None else b_low) and b_low <= (
        a_high if a_high is not None else a_low
    )


def _values(figure: Figure) -> tuple[float | None, float | None]:
    """What a figure states: its value and high end (dates by month and day)."""
    if figure.kind == "date" and figure.value is not None:
        high = figure.value_max
        return _day_of_year(figure.value), _day_of_year(high) if high is not None else None
    return figure.value, figure.value_max


_WORD_FAMILIES = {
    "perdu": "pert",
    "perdr": "pert",
    "perd": "pert",
    "vendu": "vent",
    "vendr": "vent",
}
"""Verbs and the noun of what they do ("perdre", "une perte"): one thing next to a figure."""


def _near_keys(candidate: _Candidate) -> frozenset[str]:
    """The words next to a figure, verbs folded onto their noun and cut to four letters."""
    return frozenset(_WORD_FAMILIES.get(word, word)[:4] for word in candidate.near)


def _evidence(a: _Candidate, b: _Candidate) -> int:
    """Shared context words, a shared acronym counting twice ("PSA" in both sentences)."""
    shared = a.context & b.context
    return len(shared) + len(shared & a.acronyms & b.acronyms)


def _distance(a: _Candidate, b: _Candidate) -> tuple[float, int]:
    """Closest values first, then most shared words: the order in which links are made."""
    ratio = abs(math.log(abs(a.magnitude) / abs(b.magnitude))) if a.magnitude and b.magnitude else 0
    return ratio, -len(a.context & b.context)


def _clusters(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    """Groups of linked candidates, closest links first (constrained single linkage).

    A link is refused when it would put two different counts from one article in
    the same fact: that article is then stating two facts, not one.
    """
    by_family: dict[tuple[str, ...], list[int]] = {}
    for index, candidate in enumerate(candidates):
        by_family.setdefault(candidate.family, []).append(index)
    # Only figures of one family can be linked: pairing within families keeps the
    # comparison of many articles fast.
    pairs = [
        (_distance(candidates[i], candidates[j]), i, j)
        for members_of_family in by_family.values()
        for n, i in enumerate(members_of_family)
        for j in members_of_family[n + 1 :]
        if _linked(candidates[i], candidates[j])
    ]
    pairs.sort()
    members = {i: [i] for i in range(len(candidates))}
    owner = list(range(len(candidates)))
    for _, i, j in pairs:
        ri, rj = owner[i], owner[j]
        if ri == rj or not _may_merge(candidates, members[ri], members[rj]):
            continue
        for k in members[rj]:
            owner[k] = ri
        members[ri].extend(members.pop(rj))
    return [[candidates[k] for k in group] for group in members.values()]


def _may_merge(candidates: list[_Candidate], left: list[int], right: list[int]) -> bool:
    """False when one article would give two incompatible counts in the merged fact."""
    if candidates[left[0]].family[0] not in ("count", "duration"):
        return True
    by_article: dict[int, list[Figure]] = {}
    for k in left + right:
        by_article.setdefault(candidates[k].cell.article_id, []).append(candidates[k].cell.figure)
    return all(_compatible(figures) for figures in by_article.values() if len(figures) > 1)


def rounding_tolerance(value: float) -> float:
    """How far a round value of 100 or more may be from the truth: half its last
    significant digit, at most 5 % of it ('5 milliards' covers 4,9; '1 000' not 556)."""
    magnitude = abs(value)
    if magnitude < 100 or magnitude != int(magnitude):
        return 0.0
    step = 10 ** int(math.log10(magnitude))
    while step >= 100 and magnitude % step:
        step //= 10
    return min(step / 2, magnitude * 0.05) if step >= 100 else 0.0


def interval(figure: Figure) -> tuple[float, float]:
    """The values a figure allows, given its qualifier and roundness."""
    if figure.kind == "date":
        low, high = _values(figure)
        return low or 0.0, high if high is not None else low or 0.0
    value = figure.value or 0.0
    if figure.value_max is not None:
        low, high = value, figure.value_max
    else:
        tolerance = rounding_tolerance(value)
        low, high = value - tolerance, value + tolerance
    if figure.qualifier == "at_least":
        return value, math.inf
    if figure.qualifier == "at_most":
        return -math.inf, figure.value_max if figure.value_max is not None else value
    if figure.qualifier == "about":
        spread = max(abs(value) * 0.1, high - value)
        return min(low, value - spread), max(high, value + spread)
    return low, high


def fact_status(cells: list[FactCell]) -> str:
    """agree, compatible, conflict or single-source for the figures of one fact."""
    if len({cell.article_id for cell in cells}) < 2:
        return "single-source"
    figures = [cell.figure for cell in cells]
    first = figures[0]
    if all(_values(f) == _values(first) and f.qualifier == first.qualifier for f in figures):
        return "agree"
    return "compatible" if _compatible(figures) else "conflict"


def _compatible(figures: list[Figure]) -> bool:
    """Whether one value can make every figure true (dates: the same day or period; "du
    29 septembre au 4 octobre" and "au 5 octobre" disagree on when it ended)."""
    if any(f.kind == "date" for f in figures):
        return len({_values(f) for f in figures}) == 1
    bounds = [interval(f) for f in figures]
    return max(b[0] for b in bounds) <= min(b[1] for b in bounds)


def _label(group: list[_Candidate]) -> str:
    """A name for the fact: its most common unit; for amounts and percentages, a shared word."""
    units = Counter(fold(c.cell.figure.unit or "") for c in group if c.cell.figure.unit)
    written = {fold(c.cell.figure.unit or ""): c.cell.figure.unit for c in group}
    unit = written.get(units.most_common(1)[0][0]) if units else None
    if group[0].family[0] not in ("money", "percent", "date"):
        return unit or ""
    counts = Counter(stem_ for c in group for stem_ in c.context)
    # Sorted by count, then alphabetically: the label must not depend on set order.
    shared = [s for s, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= 2]
    if shared:
        word = next(c.words[shared[0]] for c in group if shared[0] in c.words)
        return f"{word.lower()} ({unit})" if unit else word.lower()
    return unit or group[0].family[0]


def _fact(group: list[_Candidate], published: dict[int, str | None]) -> Fact:
    """One fact: its cells in order of publication when every article has a date."""
    cells = sorted((c.cell for c in group), key=lambda c: (c.article_id, c.figure.start))
    dated = all(published.get(c.article_id) for c in cells)
    if dated:
        cells.sort(key=lambda c: (published[c.article_id] or "", c.article_id, c.figure.start))
    kinds = Counter("count" if c.figure.kind == "range" else c.figure.kind for c in cells)
    status = fact_status(cells)
    note = None
    if status == "conflict":
        if dated and _revised(cells, published):
            status = "revised"
        elif not dated:
            note = "dates unknown"
    return Fact(
        label=_label(group),
        kind=kinds.most_common(1)[0][0],
        status=status,
        cells=tuple(cells),
        note=note,
    )


def _revised(cells: list[FactCell], published: dict[int, str | None]) -> bool:
    """Whether the values differ only from one date to the next (600 -> 695 -> 751 M€): the
    figures published on one day agree with each other, and a later day says something else."""
    by_day: dict[str, list[Figure]] = {}
    for cell in cells:
        by_day.setdefault((published[cell.article_id] or "")[:10], []).append(cell.figure)
    return len(by_day) > 1 and all(_compatible(figures) for figures in by_day.values())


def _list_sentences(figures: list[Figure]) -> set[tuple[int | None, str]]:
    """(sentence, kind) of sentences listing three figures or more of one kind: each item
    is its own fact ("Crédit Agricole 3 milliards, BNP Paribas 2,55 milliards, ...")."""
    counts = Counter((f.sentence_start, f.kind) for f in figures if f.kind in QUANTITY_KINDS)
    return {key for key, n in counts.items() if n >= 3}


def compare_articles(db: Library, article_ids: list[int]) -> Comparison:
    """Line up the figures of several articles; NotFoundError for an unknown id."""
    ids = list(dict.fromkeys(article_ids))
    candidates: list[_Candidate] = []
    published: dict[int, str | None] = {}
    for article_id in ids:
        article = get_article(db, article_id)
        body = article.body
        published[article_id] = article.published
        headline = article.title.strip()
        title_figures = headline_figures(article.title, body, article.lang)
        for figure in title_figures:
            # The headline's figures ("Ouragan Sandy : 39 morts") are compared too.
            family = _family(headline, figure)
            if family is not None:
                candidates.append(_candidate(article_id, headline, figure, family, field="title"))
        figures = figures_for_article(db, article_id)
        lists = _list_sentences(figures)
        for figure in figures:
            family = _family(body, figure)
            if family is None:
                continue
            in_list = (figure.sentence_start, figure.kind) in lists
            candidates.append(_candidate(article_id, body, figure, family, in_list))
    facts = [_fact(group, published) for group in _clusters(candidates)]
    order = {article_id: i for i, article_id in enumerate(ids)}
    facts.sort(
        key=lambda f: (
            STATUS_ORDER[f.status],
            -len({c.article_id for c in f.cells}),
            min((order[c.article_id], c.figure.start) for c in f.cells),
        )
    )
    return Comparison(article_ids=tuple(ids), facts=tuple(facts))
