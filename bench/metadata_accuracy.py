"""Metadata read from text, and page furniture dropped from plain-text scrapes.

    python bench/metadata_accuracy.py             # figures
    python bench/metadata_accuracy.py --failures  # also each mistake

Prints:

* read_metadata: precision, recall and F1 of the publication date, the outlet and the
  authors against tests/data/metadata_labels.json (101 hand-labelled texts: 37 from
  ../shared/eval-data, 64 written for the purpose, of which 34 held out in three batches,
  each labelled before the reader ran on it), for all of them and for each part;
  targets precision >= 0.95, recall >= 0.8;
* clean_furniture on the 31 labelled scrapes (tests/data/scrape_labels.json: 20 written
  for the purpose, the Le Monde sample, 10 held out): article lines and sentences kept,
  furniture lines removed; targets 100 % kept, >= 90 % removed;
* clean_furniture on the 200 real articles of eval-data/rpm2-dev, which carry almost no
  furniture: lines dropped and sentences lost (none should be);
* the cost: read_metadata + clean_furniture per article, beside parse_txt of the same
  texts (the plain-text import's parser), measured in the same run (CPU time).

eval-data is looked for in $RECOUPE_EVAL_DATA, else ../shared/eval-data beside the checkout
or its parent; without it, the figures cover the texts of tests/data only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def metadata_report(show_failures: bool) -> None:
    """Per-field precision and recall, on all labelled texts and on each part."""
    from store.library.metadata_eval import METADATA_LABELS, metadata_cases, score_metadata

    labels = json.loads(METADATA_LABELS.read_text(encoding="utf-8"))["files"]
    batch = {entry["file"]: entry.get("heldout", 0) for entry in labels}
    cases = metadata_cases()
    parts = {
        "all": cases,
        "eval-data": [c for c in cases if c.name.startswith("eval-data/")],
        "written": [c for c in cases if not c.name.startswith("eval-data/") and not batch[c.name]],
    }
    for number in sorted({b for b in batch.values() if b}):
        parts[f"held out {number}"] = [c for c in cases if batch[c.name] == number]
    print("read_metadata (targets: precision >= 0.95, recall >= 0.8)")
    print(f"{'texts':<16}{'field':<11}{'tp':>4}{'fp':>4}{'fn':>4}{'P':>8}{'R':>8}{'F1':>8}")
    all_mistakes: list[str] = []
    for part, part_cases in parts.items():
        if not part_cases:
            continue
        scores, mistakes = score_metadata(part_cases)
        if part == "all":
            all_mistakes = mistakes
        for score in scores.values():
            print(
                f"{part + f' ({len(part_cases)})':<16}{score.field:<11}"
                f"{score.true_positives:>4}{score.false_positives:>4}{score.false_negatives:>4}"
                f"{score.precision:>8.3f}{score.recall:>8.3f}{score.f1:>8.3f}"
            )
    if show_failures:
        for mistake in all_mistakes:
            print("  ", mistake)


def furniture_report(show_failures: bool) -> None:
    """Lines and sentences kept, furniture removed, on the labelled scrapes and RPM2."""
    from store.library.metadata_eval import (
        SCRAPE_LABELS,
        eval_data_folder,
        score_furniture,
        score_unlabelled,
        scrape_cases,
    )

    cases = scrape_cases()
    batches = {
        name: entry.get("heldout", 0)
        for name, entry in json.loads(SCRAPE_LABELS.read_text(encoding="utf-8"))["files"].items()
    }
    parts = {
        "all": cases,
        "written first": [case for case in cases if not batches[case[0]]],
        "held out, batch 1": [case for case in cases if batches[case[0]] == 1],
        "held out, batch 2": [case for case in cases if batches[case[0]] == 2],
    }
    print()
    print("clean_furniture on labelled scrapes (targets: 100 % kept, >= 90 % removed)")
    for part, part_cases in parts.items():
        score, mistakes = score_furniture(part_cases)
        print(f"  {part} ({len(part_cases)} texts)")
        print(
            f"    article lines kept      {score.article_lines_kept}/{score.article_lines}"
            f" = {score.kept_share:.1%}"
        )
        print(
            f"    article sentences kept  {score.article_sentences_kept}/"
            f"{score.article_sentences} = {score.sentences_kept_share:.1%}"
        )
        print(
            f"    furniture removed       {score.furniture_lines_dropped}/"
            f"{score.furniture_lines} = {score.removed_share:.1%}"
        )
        if show_failures and part == "all":
            for mistake in mistakes:
                print("    ", mistake)
    eval_data = eval_data_folder()
    if eval_data is None:
        print("  (eval-data not found: RPM2 check skipped)")
        return
    rpm2 = score_unlabelled(eval_data / "rpm2-dev")
    print(f"clean_furniture on {rpm2.articles} real articles (eval-data/rpm2-dev, no labels)")
    print(
        f"  lines dropped           {rpm2.lines_dropped}/{rpm2.lines}"
        f" = {rpm2.lines_dropped / rpm2.lines:.1%}"
    )
    print(f"  sentences lost          {len(rpm2.sentences_lost)}/{rpm2.sentences}")
    for sentence in rpm2.sentences_lost if show_failures else ():
        print("  ", sentence)


def speed_report() -> None:
    """read_metadata + clean_furniture per article, beside parse_txt on the same texts."""
    from store.library.furniture import clean_furniture
    from store.library.metadata import read_metadata
    from store.library.metadata_eval import eval_data_folder
    from store.library.parsing import parse_txt

    eval_data = eval_data_folder()
    folder = eval_data / "rpm2-dev" if eval_data else ROOT / "tests" / "data" / "scrapes"
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted(folder.glob("*.txt"))]

    def ours() -> None:
        for text in texts:
            read_metadata(text)
            title, _, body = text.partition("\n")
            clean_furniture(body, title)

    def baseline() -> None:
        for index, text in enumerate(texts):
            parse_txt(text, f"{index}.txt")

    # Rounds alternate between the two, and CPU time is read, not wall time: on a shared
    # machine a burst of load then weighs on both alike.
    ours_times, base_times = [], []
    for _ in range(7):
        for run, times in ((ours, ours_times), (baseline, base_times)):
            start = time.process_time()
            run()
            times.append(time.process_time() - start)
    ours_s, base_s = min(ours_times), min(base_times)
    print()
    print(f"cost on {len(texts)} articles ({folder.name}), CPU time, best of 7 alternate rounds")
    print(f"  read_metadata + clean_furniture  {ours_s / len(texts) * 1e6:8.1f} µs/article")
    print(f"  parse_txt (baseline)             {base_s / len(texts) * 1e6:8.1f} µs/article")
    print(f"  ratio                            {ours_s / base_s:8.2f}")


def main() -> None:
    """Print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--failures", action="store_true", help="list each mistake")
    args = parser.parse_args()
    metadata_report(args.failures)
    furniture_report(args.failures)
    speed_report()


if __name__ == "__main__":
    main()
