"""The extractor against Microsoft Recognizers-Text specs (French and English Number,
Ordinal and Percent models, in ../shared/eval-data/recognizers_specs/).

How the spec conventions map onto ours (implemented in ``store.figures.evaluation``):

* files are JSON arrays read as ``utf-8-sig`` (they start with a byte-order mark);
* ``End`` is inclusive in supported cases and not always in the others, so the
  expected span is ``[Start, Start + len(Text))`` (Python slice, end exclusive, as
  our ``Figure.end``); when ``Text`` is not at ``Start`` it is looked up in ``Input``,
  ignoring case (English specs lower-case ``Text``);
* ``Resolution.value`` is read as a float: French decimal commas ("0,2") and dots
  both accepted, a trailing "%" dropped (our percent figures hold 12 for "12 %");
* each model is asked only about the figure kinds it covers: OrdinalModel about our
  ``ordinal`` figures, PercentModel about ``percent``, NumberModel about every kind but
  ``ordinal`` and ``date`` (its specs expect nothing for "le 4 mai" or "première classe");
* a case passes when each expected result has a figure of those kinds with the same
  span and value, and we report no other one (an empty ``Results`` means: none).

Deliberate differences, which cost pass rate: bare "un"/"une"/"one" are articles, not
figures; "premier"/"première" before a noun ("première classe", "premier mot") is not
a rank (in news it means leading or first-ever: docs/figures.md), alone it is ("le
premier."); bare "cent"/"mille"/"neuf" without a noun are not figures; fractions are
read with "tiers", "quart(s)" ("deux tiers") and ordinals ("un cinquième", "trois
cinquièmes": a plural after a numerator above one), ratios too ("un sur trois", "2 sur
3"); not "3/4", mixed numbers ("trois et un cinquième"), exponents ("1,1^23") or
relative ordinals ("dernier", "next").
The floors below are the rates measured when they were set: raise them as
the extractor improves, never lower them.
"""

from __future__ import annotations

import pytest

from store.figures import extract_figures
from store.figures.evaluation import SPEC_FILES, run_spec_file
from tests.conftest import EVAL_DATA

SPECS = EVAL_DATA / "recognizers_specs"

FLOORS = {
    "Number/French/NumberModel.json": 0.46,
    "Number/French/OrdinalModel.json": 0.60,
    "Number/French/PercentModel.json": 0.85,
    "Number/English/NumberModel.json": 0.28,
    "Number/English/OrdinalModel.json": 0.35,
    "Number/English/PercentModel.json": 0.60,
}

pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason="shared eval-data not present")


@pytest.mark.parametrize(("relative", "lang"), SPEC_FILES, ids=[rel for rel, _ in SPEC_FILES])
def test_spec_pass_rate(relative: str, lang: str) -> None:
    score = run_spec_file(SPECS / relative, lang, extract_figures)
    print(f"\n{relative}: {score.passed}/{score.cases} passed ({score.rate:.1%})")
    assert score.cases > 0
    assert score.rate >= FLOORS[relative]


def test_every_spec_file_has_a_floor() -> None:
    assert set(FLOORS) == {rel for rel, _ in SPEC_FILES}
