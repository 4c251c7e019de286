"""Scoring name grouping and quotation alignment against hand labels (pairwise P/R/F1).

The labels (tests/data/names_quotes_rpm2.json, rules in docs/names-quotes.md) name each
mention or quotation by file, exact surface and occurrence. A labelled item counts as
found when a predicted cell of the same article overlaps it; two labelled items are a
predicted pair when the cells found for them lie in one predicted group. Pairs are counted
over labelled items only, so unlabelled predictions cost nothing: precision says whether
what was grouped among labelled items belongs together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from store.names.grouping import NameGroup, group_names
from store.quotes.align import QuoteGroup, align_quotes


@dataclass(slots=True)
class PairScore:
    """Pairwise counts and the figures derived from them."""

    true_pairs: int = 0
    predicted_pairs: int = 0
    gold_pairs: int = 0
    status_right: int = 0
    status_total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of predicted pairs that are labelled pairs."""
        return self.true_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        """Share of labelled pairs that are predicted."""
        return self.true_pairs / self.gold_pairs if self.gold_pairs else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Story:
    """The articles of one labelled story: file names and bodies, in a fixed order."""

    name: str
    files: tuple[str, ...]
    bodies: tuple[str, ...]

    def articles(self) -> list[tuple[int, str]]:
        """(article_id, body) pairs, the id being the position of the file."""
        return list(enumerate(self.bodies))


def locate(body: str, surface: str, occurrence: int) -> tuple[int, int]:
    """Offsets of the `occurrence`-th word-bounded `surface` in `body` (1-based)."""
    pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
    matches = list(pattern.finditer(body))
    if len(matches) < occurrence:
        raise ValueError(f"label not found: {surface!r} #{occurrence}")
    match = matches[occurrence - 1]
    return match.start(), match.end()


def load_stories(
    labels: dict, rpm_folder: Path, sample_folder: Path, read_body: Callable[[Path], str]
) -> dict[str, Story]:
    """Every story the labels refer to, with all its files (rpm2: the 10 of the cluster)."""
    names = {item["story"] for item in labels["names"] + labels["quotes"]}
    stories = {}
    for name in sorted(names):
        if name == "sample":
            paths = sorted(sample_folder.glob("*.txt"))
        else:
            paths = sorted(rpm_folder.glob(f"{name}_*.txt"))
        stories[name] = Story(
            name, tuple(p.name for p in paths), tuple(read_body(p) for p in paths)
        )
    return stories


def cell_owner(
    groups: Sequence[NameGroup] | Sequence[QuoteGroup], article_id: int, start: int, end: int
) -> int | None:
    """Index of the group whose cell in `article_id` overlaps [start, end) the most."""
    best, best_overlap = None, 0
    for index, group in enumerate(groups):
        for cell in group.cells:
            if cell.article_id != article_id:
                continue
            overlap = min(end, cell.end) - max(start, cell.start)
            if overlap > best_overlap:
                best, best_overlap = index, overlap
    return best


def score_items(
    items: list[dict],
    key: str,
    stories: dict[str, Story],
    predict: Callable[[Story], Sequence[NameGroup] | Sequence[QuoteGroup]],
    cross_article_only: bool,
    score: PairScore,
) -> None:
    """Add the pair counts of the labelled groups `items` (mentions under `key`) to `score`."""
    by_story: dict[str, list[dict]] = {}
    for item in items:
        by_story.setdefault(item["story"], []).append(item)
    for story_name, story_items in by_story.items():
        story = stories[story_name]
        groups = predict(story)
        labelled = []  # (gold group, article id, predicted group or None, description)
        for gold, item in enumerate(story_items):
            for cell in item[key]:
                article_id = story.files.index(cell["file"])
                start, end = locate(story.bodies[article_id], cell["surface"], cell["occurrence"])
                owner = cell_owner(groups, article_id, start, end)
                labelled.append((gold, article_id, owner, f"{cell['file']}:{cell['surface']}"))
        for a, b in combinations(labelled, 2):
            if cross_article_only and a[1] == b[1]:
                continue
            gold_same = a[0] == b[0]
            predicted_same = a[2] is not None and a[2] == b[2]
            score.gold_pairs += gold_same
            score.predicted_pairs += predicted_same
            score.true_pairs += gold_same and predicted_same
            if gold_same and not predicted_same:
                score.misses.append(f"{story_name}: missed {a[3]} ~ {b[3]}")
            elif predicted_same and not gold_same:
                score.misses.append(f"{story_name}: wrongly joined {a[3]} ~ {b[3]}")
        count_statuses(story_items, labelled, groups, score)


def count_statuses(
    items: list[dict],
    labelled: list[tuple[int, int, int | None, str]],
    groups: Sequence[NameGroup] | Sequence[QuoteGroup],
    score: PairScore,
) -> None:
    """Compare each multi-article labelled group's status with its main predicted group's."""
    for gold, item in enumerate(items):
        owners = Counter(owner for g, _, owner, _ in labelled if g == gold and owner is not None)
        files = {cell["file"] for cell in item.get("mentions", item.get("cells", []))}
        if len(files) < 2 or not owners:
            continue
        score.status_total += 1
        score.status_right += groups[owners.most_common(1)[0][0]].status == item["status"]


def score_names(labels: dict, stories: dict[str, Story], cache: dict | None = None) -> PairScore:
    """Pairwise scores of group_names on the labelled name groups."""
    score = PairScore()
    score_items(
        labels["names"],
        "mentions",
        stories,
        lambda s: cached(cache, ("n", s.name), lambda: group_names(s.articles())),
        False,
        score,
    )
    return score


def score_quotes(labels: dict, stories: dict[str, Story], cache: dict | None = None) -> PairScore:
    """Pairwise scores of align_quotes on the labelled alignments (pairs across articles)."""
    score = PairScore()
    score_items(
        labels["quotes"],
        "cells",
        stories,
        lambda s: cached(cache, ("q", s.name), lambda: align_quotes(s.articles())),
        True,
        score,
    )
    return score


def cached(cache: dict | None, key: tuple[str, str], compute: Callable[[], list]) -> list:
    """`compute()`, kept in `cache` under `key` when a cache is given."""
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def story_files(stories: Iterable[Story]) -> int:
    """How many articles the stories hold."""
    return sum(len(story.files) for story in stories)
