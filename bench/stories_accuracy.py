"""Accuracy of story grouping on labelled real articles, beside a baseline run on the same data.

    python bench/stories_accuracy.py            # figures
    python bench/stories_accuracy.py --sweep    # also recoupe's F1 at other thresholds

Sets (shared/eval-data, labels given by the data's authors, see store/stories/evaluation.py):
- rpm2-dev: 200 articles, 20 stories (`TNN_CK`), 10 subjects (`TNN`), two stories per subject
  about a month apart; no dates, no outlets.
- mixed: rpm2-dev plus eval-data/articles/ (its exact copies of rpm2-dev texts dropped, as an
  import drops them) and the sample corpus, which belong to other stories.
- dated: rpm2-dev with publication dates simulated from what its README states (a subject's
  second story about a month after its first): story 1 on days 0-9 of its subject, story 2
  on days 30-39 (seeded random); then again with each story spread over 21 days. It shows
  what known dates add; rpm2 itself has none.

Printed for each: B-cubed precision, recall, F1 at story level and subject level, for
- baseline: TF-IDF of lower-cased words (smooth idf, raw counts), cosine (times recoupe's date
  factor when articles are dated), average-link (scipy) at its best threshold on that very
  set (an oracle advantage for the baseline);
- recoupe rebuild: StoryIndex.rebuild at its fixed default threshold;
- recoupe add: the same articles added one by one (file order) without regrouping.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval-data"
SAMPLE = ROOT / "sample_corpus"


def baseline_similarities(articles):
    """Cosine of plain TF-IDF vectors (lower-cased \\w+ words, raw counts, smooth idf)."""
    import numpy as np

    bags = [Counter(re.findall(r"\w+", (a.title + " " + a.body).lower())) for a in articles]
    df = Counter(word for bag in bags for word in bag)
    vocabulary = {word: i for i, word in enumerate(df)}
    n = len(bags)
    matrix = np.zeros((n, len(vocabulary)))
    for row, bag in enumerate(bags):
        for word, count in bag.items():
            matrix[row, vocabulary[word]] = count * (math.log((1 + n) / (1 + df[word])) + 1)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    return matrix @ matrix.T


def _day(published):
    """An ISO date's day number, NaN when missing."""
    from datetime import date

    return date.fromisoformat(published).toordinal() if published else float("nan")


def baseline_best(articles):
    """The baseline's grouping at the threshold that maximises its story F1: (F1s, threshold)."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    from store.stories.evaluation import bcubed

    similarities = baseline_similarities(articles)
    days = np.array([_day(a.published) for a in articles])
    if not np.isnan(days).all():
        # Dated articles: the baseline gets the same date factor as recoupe, to be fair.
        from store.stories.index import DATE_SCALE

        apart = (days[:, None] - days[None, :]) / DATE_SCALE
        similarities = similarities * np.nan_to_num(1 / (1 + apart * apart), nan=1.0)
    distances = np.clip(1 - similarities, 0, None)
    np.fill_diagonal(distances, 0)
    tree = linkage(squareform(distances, checks=False), method="average")
    best = None
    for threshold in np.arange(0.01, 0.95, 0.01):
        labels = fcluster(tree, 1 - threshold, criterion="distance")
        predicted = {a.key: int(label) for a, label in zip(articles, labels, strict=True)}
        story = bcubed(predicted, {a.key: a.story for a in articles})
        if best is None or story.f1 > best[0].f1:
            subject = bcubed(predicted, {a.key: a.subject for a in articles})
            best = (story, subject, float(threshold))
    return best


def recoupe_groupings(articles, threshold=None):
    """recoupe's groupings: (rebuild, add one by one), each article key -> story id."""
    from store.stories import StoryIndex, story_signature
    from store.stories.index import THRESHOLD

    threshold = THRESHOLD if threshold is None else threshold
    signatures = [
        (i, story_signature(a.title, a.body, a.published)) for i, a in enumerate(articles)
    ]
    rebuilt = StoryIndex.from_signatures(signatures, threshold=threshold).assignments()
    index = StoryIndex(threshold=threshold)
    for i, signature in signatures:
        index.add(i, signature)
    added = index.assignments()
    # A library regrouped with three quarters of the articles, then receiving the rest.
    rest = signatures[::4]
    first = [s for s in signatures if s not in rest]
    index = StoryIndex.from_signatures(first, threshold=threshold)
    for i, signature in rest:
        index.add(i, signature)
    grown = index.assignments()
    return tuple(
        {a.key: grouping[i] for i, a in enumerate(articles)} for grouping in (rebuilt, added, grown)
    )


def report(name, articles, scope=None, sweep=False):
    """Print baseline and recoupe figures for one set (scored on `scope` keys, default all)."""
    from store.stories.evaluation import bcubed

    scope = scope or [a.key for a in articles]
    gold_story = {a.key: a.story for a in articles if a.key in set(scope)}
    gold_subject = {a.key: a.subject for a in articles if a.key in set(scope)}
    story, subject, threshold = baseline_best(articles)
    print(f"\n## {name}: {len(articles)} articles, {len(set(gold_story.values()))} stories scored")
    print(
        f"{'method':36s} {'story P':>8s} {'R':>6s} {'F1':>6s}   "
        f"{'subject P':>9s} {'R':>6s} {'F1':>6s}"
    )
    line(f"baseline TF-IDF avg-link (best t={threshold:.2f})", story, subject)
    started = time.perf_counter()
    rebuilt, added, grown = recoupe_groupings(articles)
    elapsed = time.perf_counter() - started
    for label, grouping in (
        ("recoupe rebuild", rebuilt),
        ("recoupe add all, one by one", added),
        ("recoupe rebuild 3/4, add 1/4", grown),
    ):
        line(label, bcubed(grouping, gold_story), bcubed(grouping, gold_subject))
    print(
        f"agreement with rebuild (B-cubed F1): add all {bcubed(added, rebuilt).f1:.3f}, "
        f"rebuild 3/4 + add 1/4 {bcubed(grown, rebuilt).f1:.3f}; all three in {elapsed:.2f} s"
    )
    if sweep:
        for t in (0.04, 0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.20):
            rebuilt, _, _ = recoupe_groupings(articles, t)
            print(f"  t={t:.2f}: story F1 {bcubed(rebuilt, gold_story).f1:.3f}")
    return story.f1, bcubed(rebuilt, gold_story).f1


def line(label, story, subject):
    print(
        f"{label:36s} {story.precision:8.3f} {story.recall:6.3f} {story.f1:6.3f}   "
        f"{subject.precision:9.3f} {subject.recall:6.3f} {subject.f1:6.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sweep", action="store_true", help="recoupe's F1 at other thresholds")
    args = parser.parse_args()

    from store.stories.evaluation import (
        read_eval_articles,
        read_rpm2,
        read_sample_corpus,
        with_simulated_dates,
        without_duplicates,
    )

    rpm2 = read_rpm2(EVAL / "rpm2-dev")
    report("rpm2-dev", rpm2, sweep=args.sweep)
    extra = read_eval_articles(EVAL / "articles") + read_sample_corpus(SAMPLE)
    mixed = without_duplicates(rpm2 + extra)
    print(
        f"\n(mixed: {len(rpm2) + len(extra) - len(mixed)} exact copies of rpm2-dev texts dropped)"
    )
    report("mixed, all articles scored", mixed)
    report("mixed, rpm2-dev articles scored", mixed, scope=[a.key for a in rpm2])
    report("dated rpm2-dev (simulated: each story over 10 days)", with_simulated_dates(rpm2))
    report(
        "dated rpm2-dev (simulated: each story over 21 days, 9 days between)",
        with_simulated_dates(rpm2, spread=21),
    )


if __name__ == "__main__":
    main()
