"""Accuracy of the figure extractor: the labelled sample and the Recognizers-Text specs.

    python bench/figures_accuracy.py            # both
    python bench/figures_accuracy.py --failures # also list what was missed or wrong

Prints span precision, recall and F1 against tests/data/sample_figures.json and
tests/data/heldout_figures.json (two eval-data articles labelled by hand; a
predicted figure counts when its span is exactly a labelled one), the accuracy of
value, kind, qualifier and unit on the matched figures, and the pass rate of each
French and English Number, Ordinal and Percent spec file (conventions in
store/figures_eval.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELS = ROOT / "tests" / "data" / "sample_figures.json"
HELDOUT = ROOT / "tests" / "data" / "heldout_figures.json"
EVAL_ARTICLES = ROOT.parent / "shared" / "eval-data" / "articles"
SPECS = ROOT.parent / "shared" / "eval-data" / "recognizers_specs"


def label_report(name: str, labels: Path, folder: Path, show_failures: bool) -> None:
    """Precision, recall, F1 and field accuracy against one labelled file."""
    from store.figures import extract_figures
    from store.figures.evaluation import score_labels
    from store.library import parse_txt

    labelled = json.loads(labels.read_text(encoding="utf-8"))
    bodies = {
        a["file"]: parse_txt((folder / a["file"]).read_text(encoding="utf-8"), a["file"]).body
        for a in labelled["articles"]
    }
    score = score_labels(labelled, bodies, extract_figures)
    matched = score.span_matches or 1
    print(f"{name}: {score.gold} figures labelled, {score.predicted} extracted")
    print(f"  spans: precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}")
    print(
        f"  on matched figures: value {score.value_correct / matched:.1%}, "
        f"kind {score.kind_correct / matched:.1%}, "
        f"qualifier {score.qualifier_correct / matched:.1%}, "
        f"unit {score.unit_correct / matched:.1%} (same head noun), "
        f"{score.unit_exact / matched:.1%} (exactly as labelled)"
    )
    if show_failures:
        for line in score.missed:
            print(f"  missed: {line}")
        for line in score.spurious:
            print(f"  spurious: {line}")


def specs_report(show_failures: bool) -> None:
    """Pass rate per spec file."""
    from store.figures import extract_figures
    from store.figures.evaluation import run_specs

    if not SPECS.is_dir():
        print(f"specs: {SPECS} not found, skipped")
        return
    print("Recognizers-Text specs (cases passed):")
    total_cases = total_passed = 0
    for score in run_specs(SPECS, extract_figures):
        name = "/".join(Path(score.path).parts[-2:])
        print(f"  {name:32} {score.passed:4d}/{score.cases:<4d} {score.rate:6.1%}")
        total_cases += score.cases
        total_passed += score.passed
        if show_failures:
            for case in score.failures[:40]:
                print(f"      fails: {case[:90]!r}")
    print(
        f"  {'all six files':32} {total_passed:4d}/{total_cases:<4d} "
        f"{total_passed / total_cases:6.1%}"
    )


def main() -> None:
    """Print both reports."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--failures", action="store_true", help="list misses and failures")
    args = parser.parse_args()
    label_report("labelled sample", LABELS, ROOT / "sample_corpus", args.failures)
    if EVAL_ARTICLES.is_dir():
        label_report("held-out eval-data articles", HELDOUT, EVAL_ARTICLES, args.failures)
    specs_report(args.failures)


if __name__ == "__main__":
    main()
