"""Figures a fact-checker can trust: strict accuracy, fact links, subsets, attribution, speed.

    python bench/figures_trust.py              # every score
    python bench/figures_trust.py --failures   # also list what is missed, wrong or linked wrongly
    python bench/figures_trust.py --all-subsets  # check all 1 013 subsets of each story

Prints, on the hand labels of rpm2-dev (rules in docs/figures.md):

* strict precision and recall of the figures read, title included
  (tests/data/figures_rpm2_precision.json): a figure is right when it overlaps a
  labelled one and its value, value_max, kind and unit are right;
* span F1 on the older labelled sets (tests/data/sample_figures.json and
  heldout_figures.json), which must stay 1.000;
* compare's fact grouping on six stories (tests/data/figures_rpm2_links.json): pairwise
  precision and recall over pairs of labelled figures from two articles, the tempting
  non-links it makes, and whether the links of each subset of a story are those of the
  whole story (every pair, every story minus one, and 20 random subsets per story);
* attribution accuracy (0 while compare names no source);
* extraction CPU time per article on the 200 rpm2-dev articles, and its ratio to parsing
  the same files (measured in the same run, so the ratio holds across machines).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT / "tests" / "data"
RPM2 = ROOT.parent / "shared" / "eval-data" / "rpm2-dev"
EVAL_ARTICLES = ROOT.parent / "shared" / "eval-data" / "articles"


def strict_report(show: bool) -> None:
    """Strict precision and recall on the rpm2-dev precision set."""
    from store.evaluation.trust import load, score_strict

    labelled = load(DATA / "figures_rpm2_precision.json")
    score = score_strict(labelled, RPM2)
    matched = score.matched or 1
    print(
        f"rpm2-dev strict ({len(labelled['articles'])} articles, {score.gold} figures labelled, "
        f"{score.predicted} read):"
    )
    print(
        f"  precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}  "
        f"(overlapping {score.matched}, same span {score.exact_spans})"
    )
    print(
        f"  on overlapping figures: value {score.value_ok / matched:.1%}, kind "
        f"{score.kind_ok / matched:.1%}, unit {score.unit_ok / matched:.1%}, qualifier "
        f"{score.qualifier_ok / matched:.1%}"
    )
    if show:
        for kind, lines in (
            ("missed", score.missed),
            ("spurious", score.spurious),
            ("wrong", score.wrong),
        ):
            for line in lines:
                print(f"    {kind}: {line}")


def span_report() -> None:
    """Span F1 on the older labelled sets (must stay 1.000)."""
    import json

    from store.figures import extract_figures
    from store.figures.evaluation import score_labels
    from store.library import parse_txt

    for name, labels, folder in (
        ("sample", DATA / "sample_figures.json", ROOT / "sample_corpus"),
        ("held-out", DATA / "heldout_figures.json", EVAL_ARTICLES),
    ):
        if not folder.is_dir():
            continue
        labelled = json.loads(labels.read_text(encoding="utf-8"))
        bodies = {
            a["file"]: parse_txt((folder / a["file"]).read_text(encoding="utf-8"), a["file"]).body
            for a in labelled["articles"]
        }
        score = score_labels(labelled, bodies, extract_figures)
        print(f"span F1 on the {name} set: {score.f1:.3f} ({score.gold} figures)")


def links_report(show: bool, sample: int) -> None:
    """Fact grouping, subsets and attribution on the labelled stories."""
    from store.compare import compare_articles
    from store.evaluation.trust import (
        check_subsets,
        compare_links,
        figure_sources,
        load,
        score_attribution,
        score_story_links,
        story_database,
        story_files,
        sum_link_scores,
    )

    labelled = load(DATA / "figures_rpm2_links.json")
    files = [name for story in labelled["stories"] for name in story_files(story)]
    scores = []
    attributed = right = 0
    available = False
    subsets = consistent = differing = 0
    started = time.perf_counter()
    with story_database(RPM2, files) as store:
        print("fact grouping (pairs of labelled figures from two articles of a story):")
        for story in labelled["stories"]:
            ids = [store.ids[name] for name in story_files(story)]
            score = score_story_links(story, compare_links(store, ids, compare_articles))
            scores.append(score)
            check = check_subsets(store, ids, compare_articles, sample)
            sources, has_sources = figure_sources(store, ids, compare_articles)
            attribution = score_attribution(story, sources, has_sources)
            available |= has_sources
            attributed += attribution.labelled
            right += attribution.right
            subsets += check.subsets
            consistent += check.consistent
            differing += check.differing_pairs
            print(
                f"  {story['story']}: precision {score.precision:.3f}  recall "
                f"{score.recall:.3f}  ({score.true_links}/{score.predicted_links} made, "
                f"{score.gold_links} labelled); non-links made {len(score.non_links_made)}/"
                f"{score.non_links}; subsets with the whole story's links "
                f"{check.consistent}/{check.subsets}; attribution "
                f"{attribution.right}/{attribution.labelled}"
            )
            if show:
                for line in score.non_links_made:
                    print(f"    non-link made: {line}")
                for line in score.false_links[:15]:
                    print(f"    false link: {line}")
                for line in check.examples:
                    print(f"    subset differs: {line}")
                for line in attribution.wrong:
                    print(f"    attribution: {line}")
    total = sum_link_scores(scores)
    print(
        f"  all six stories: pairwise precision {total.precision:.3f}  recall "
        f"{total.recall:.3f}  ({total.true_links}/{total.predicted_links} made, "
        f"{total.gold_links} labelled); tempting non-links made "
        f"{len(total.non_links_made)}/{total.non_links}"
    )
    print(
        f"  same links for every subset checked: {consistent == subsets} "
        f"({consistent}/{subsets} subsets agree with the whole story, "
        f"{differing} pairs differ)"
    )
    accuracy = right / attributed if attributed and available else 0.0
    note = "" if available else " (compare names no source yet)"
    print(f"attribution accuracy: {accuracy:.3f} ({right}/{attributed}){note}")
    print(f"  ({time.perf_counter() - started:.1f} s for the stories)")


def speed_report(rounds: int = 5) -> None:
    """Extraction time per article, and its ratio to parsing the same files."""
    from store.evaluation.labels import read_labelled_text
    from store.evaluation.trust import read_figures
    from store.library import parse_txt

    files = sorted(p.name for p in RPM2.glob("T*.txt"))
    raws = [(RPM2 / name).read_text(encoding="utf-8-sig") for name in files]
    texts = [read_labelled_text(str(RPM2), name) for name in files]

    def best(work) -> float:
        times = []
        for _ in range(rounds):
            # CPU time: the machine is shared, and wall time swings with the others' load.
            start = time.process_time()
            work()
            times.append(time.process_time() - start)
        return min(times)

    extract = best(lambda: [read_figures(t) for t in texts])
    parse = best(lambda: [parse_txt(raw, name) for raw, name in zip(raws, files, strict=True)])
    per_article = extract / len(files) * 1000
    print(
        f"extraction: {per_article:.3f} CPU ms per article ({len(files)} rpm2-dev articles, title "
        f"and body), {extract / parse:.2f} x the time to parse them"
    )


def main() -> None:
    """Print every report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--failures", action="store_true", help="list misses and errors")
    parser.add_argument(
        "--all-subsets", action="store_true", help="check every subset of each story"
    )
    args = parser.parse_args()
    if not RPM2.is_dir():
        sys.exit(f"{RPM2} not found: the rpm2-dev articles are needed")
    strict_report(args.failures)
    span_report()
    links_report(args.failures, -1 if args.all_subsets else 20)
    speed_report()


if __name__ == "__main__":
    main()
