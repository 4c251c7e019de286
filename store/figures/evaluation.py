"""Measuring the figure extractor: against hand labels and against Recognizers-Text specs.

Used by ``tests/store/test_figures.py``, ``tests/store/test_recognizers_specs.py`` and
``bench/figures_accuracy.py``, so the numbers a test asserts and a benchmark prints are
computed the same way.

Spec conventions and how they map onto ours:

* a spec result is ``Text`` at ``Start``; ``End`` is inclusive in supported cases but
  not in all others, so the expected span is ``[Start, Start + len(Text))``; when
  ``Text`` is not found at ``Start`` it is searched for in ``Input``;
* ``Resolution.value`` is a string: French values may use a decimal comma ("0,2")
  or a dot; percent values end with "%"; both are read as plain floats;
* each model is asked only about the figure kinds it covers (MODEL_KINDS): the
  ordinal model about ordinals, the percent model about percentages, the number
  model about every figure but ranks and dates ("le 4 mai" is no number for it);
* a case passes when every expected result has a figure of ours (of those kinds) with
  the same span and the same value (relative tolerance 1e-6), and we report no other
  figure of those kinds: ``Results: []`` means we must find none.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from store.figures.units import units_match
from store.models import Figure

Extractor = Callable[[str, str], list[Figure]]


@dataclass(frozen=True, slots=True)
class LabelScore:
    """Extraction measured against hand labels: span P/R/F1 and field accuracy on matches."""

    gold: int
    predicted: int
    span_matches: int
    value_correct: int
    kind_correct: int
    qualifier_correct: int
    unit_correct: int
    unit_exact: int
    missed: tuple[str, ...] = ()
    spurious: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        """Share of predicted figures whose span is a labelled figure's."""
        return self.span_matches / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of labelled figures found with their exact span."""
        return self.span_matches / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def score_labels(labelled: dict, bodies: dict[str, str], extract: Extractor) -> LabelScore:
    """Compare the extractor with the labelled file (``tests/data/sample_figures.json``)."""
    gold = predicted = matches = value_ok = kind_ok = qual_ok = unit_ok = unit_exact = 0
    missed: list[str] = []
    spurious: list[str] = []
    for article in labelled["articles"]:
        body = bodies[article["file"]]
        found = {(f.start, f.end): f for f in extract(body, "fr")}
        expected = {(g["start"], g["end"]): g for g in article["figures"]}
        gold += len(expected)
        predicted += len(found)
        for span, label in expected.items():
            figure = found.get(span)
            if figure is None:
                missed.append(f"{article['file']}: {label['surface']!r} at {span[0]}")
                continue
            matches += 1
            value_ok += _same_value(figure.value, label["value"]) and _same_value(
                figure.value_max, label["value_max"]
            )
            kind_ok += figure.kind == label["kind"]
            qual_ok += figure.qualifier == label["qualifier"]
            unit_exact += figure.unit == label["unit"]
            unit_ok += figure.unit == label["unit"] or units_match(figure.unit, label["unit"])
        spurious.extend(
            f"{article['file']}: {f.surface!r} at {span[0]}"
            for span, f in found.items()
            if span not in expected
        )
    return LabelScore(
        gold,
        predicted,
        matches,
        value_ok,
        kind_ok,
        qual_ok,
        unit_ok,
        unit_exact,
        tuple(missed),
        tuple(spurious),
    )


# --------------------------------------------------------------------------- specs


@dataclass(slots=True)
class SpecScore:
    """How many cases of one spec file pass."""

    path: str
    cases: int = 0
    passed: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Share of cases passed."""
        return self.passed / self.cases if self.cases else 0.0


def spec_value(raw: object) -> float | None:
    """A spec's resolution value as a float ('0,2', '1234567.89', '12%', '1E-12')."""
    if not isinstance(raw, str):
        return None
    text = raw.strip().rstrip("%").strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def _expected_span(case_input: str, result: dict) -> tuple[int, int] | None:
    text = result.get("Text") or ""
    start = result.get("Start")
    folded = case_input.lower()
    if isinstance(start, int) and folded[start : start + len(text)] == text.lower():
        return start, start + len(text)
    found = folded.find(text.lower()) if text else -1
    return (found, found + len(text)) if found >= 0 else None


MODEL_KINDS: dict[str, frozenset[str] | None] = {
    "NumberModel": frozenset({"count", "money", "percent", "year", "range", "duration", "other"}),
    "OrdinalModel": frozenset({"ordinal"}),
    "PercentModel": frozenset({"percent"}),
}
"""The figure kinds each Recognizers model covers: an ordinal model is not asked about
counts, and the number model reports neither ranks nor dates ("le 4 mai": nothing)."""


def run_spec_case(
    case: dict, lang: str, extract: Extractor, kinds: frozenset[str] | None = None
) -> bool:
    """Whether one spec case passes under the conventions of this module; only figures of
    `kinds` (all when None) take part."""
    text = case["Input"]
    figures = [f for f in extract(text, lang) if kinds is None or f.kind in kinds]
    by_span = {(f.start, f.end): f for f in figures}
    expected = case.get("Results") or []
    for result in expected:
        span = _expected_span(text, result)
        value = spec_value((result.get("Resolution") or {}).get("value"))
        figure = by_span.get(span) if span else None
        if figure is None or value is None or not _same_value(figure.value, value):
            return False
    return len(figures) == len(expected)


def run_spec_file(path: Path, lang: str, extract: Extractor) -> SpecScore:
    """Run every case of one spec file (read as utf-8-sig)."""
    cases = json.loads(path.read_text(encoding="utf-8-sig"))
    score = SpecScore(str(path))
    kinds = MODEL_KINDS.get(path.stem)
    for case in cases:
        score.cases += 1
        if run_spec_case(case, lang, extract, kinds):
            score.passed += 1
        else:
            score.failures.append(case["Input"])
    return score


SPEC_FILES: tuple[tuple[str, str], ...] = (
    ("Number/French/NumberModel.json", "fr"),
    ("Number/French/OrdinalModel.json", "fr"),
    ("Number/French/PercentModel.json", "fr"),
    ("Number/English/NumberModel.json", "en"),
    ("Number/English/OrdinalModel.json", "en"),
    ("Number/English/PercentModel.json", "en"),
)
"""The French and English Number, Ordinal and Percent specs the extractor is measured on."""


def run_specs(root: Path, extract: Extractor) -> list[SpecScore]:
    """Pass rates of every spec file in SPEC_FILES under `root` (recognizers_specs/)."""
    return [run_spec_file(root / rel, lang, extract) for rel, lang in SPEC_FILES]


def format_scores(scores: Iterable[SpecScore]) -> str:
    """One line per spec file: passed/cases and the rate."""
    return "\n".join(
        f"{Path(s.path).parent.name}/{Path(s.path).name}: {s.passed}/{s.cases} ({s.rate:.1%})"
        for s in scores
    )
