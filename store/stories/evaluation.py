"""Scoring story grouping against labelled stories (B-cubed), and reading the labelled sets.

Used by bench/stories_accuracy.py and tests/store/test_stories.py.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from store.library import parse_txt, read_text_file


@dataclass(frozen=True, slots=True)
class LabelledArticle:
    """An article of a labelled set: its text, metadata, story and subject labels."""

    key: str
    title: str
    body: str
    published: str | None
    outlet: str | None
    story: str
    subject: str


@dataclass(frozen=True, slots=True)
class BCubed:
    """B-cubed precision, recall and F1 of a grouping (each 0 to 1)."""

    precision: float
    recall: float
    f1: float


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> BCubed:
    """B-cubed scores of `predicted` (item -> cluster) against `gold` (item -> class).

    Per item: precision is the share of its predicted cluster that shares its class,
    recall the share of its class that shares its predicted cluster; both averaged.
    """
    items = list(gold)
    if not items:
        return BCubed(1.0, 1.0, 1.0)
    clusters: dict[Hashable, set[str]] = defaultdict(set)
    classes: dict[Hashable, set[str]] = defaultdict(set)
    for item in items:
        clusters[predicted[item]].add(item)
        classes[gold[item]].add(item)
    precision = recall = 0.0
    for item in items:
        cluster, cls = clusters[predicted[item]], classes[gold[item]]
        shared = len(cluster & cls)
        precision += shared / len(cluster)
        recall += shared / len(cls)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1)


def read_rpm2(folder: Path) -> list[LabelledArticle]:
    """The RPM2 articles of a folder: `TNN_CK_DD.txt`, story `TNN_CK`, subject `TNN`."""
    articles = []
    for path in sorted(folder.glob("T*_C*_*.txt")):
        parsed = parse_txt(read_text_file(path), path.name)
        story = path.stem[:6]
        articles.append(
            LabelledArticle(path.stem, parsed.title, parsed.body, None, None, story, story[:3])
        )
    return articles


def read_eval_articles(folder: Path) -> list[LabelledArticle]:
    """The eval-data `articles/` set, labelled by its manifest: an RPM2 text's story is its
    cluster, a `same_event_groups` group is a story, any other text a story of its own."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    groups = {
        name: group for group, names in manifest["same_event_groups"].items() for name in names
    }
    articles = []
    for entry in manifest["articles"]:
        name = entry["file"]
        parsed = parse_txt(read_text_file(folder / name), name)
        story = entry.get("cluster") or groups.get(name) or name
        subject = story[:3] if entry.get("cluster") else story
        articles.append(
            LabelledArticle(
                name, parsed.title, parsed.body, parsed.published, parsed.outlet, story, subject
            )
        )
    return articles


SAMPLE_STORIES = {
    "le-monde-interpol-liberterra-ii.txt": "liberterra-ii",
    "depeche-interpol-liberterra-ii.txt": "liberterra-ii",
    "interpol-93e-assemblee-generale.txt": "interpol-93e-assemblee",
}
"""The sample corpus's stories, from its README: two reports of operation Liberterra II and
one of Interpol's 93rd General Assembly (same subject, another event)."""


def read_sample_corpus(folder: Path) -> list[LabelledArticle]:
    """The sample corpus, labelled by SAMPLE_STORIES (subject: Interpol for all three)."""
    articles = []
    for name, story in sorted(SAMPLE_STORIES.items()):
        parsed = parse_txt(read_text_file(folder / name), name)
        articles.append(
            LabelledArticle(
                name, parsed.title, parsed.body, parsed.published, parsed.outlet, story, "interpol"
            )
        )
    return articles


def without_duplicates(articles: Sequence[LabelledArticle]) -> list[LabelledArticle]:
    """The articles without later exact copies (same title and body), as an import keeps them."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for article in articles:
        text = (article.title, article.body)
        if text not in seen:
            seen.add(text)
            kept.append(article)
    return kept


def with_simulated_dates(
    articles: Sequence[LabelledArticle], seed: int = 13, spread: int = 10
) -> list[LabelledArticle]:
    """RPM2 articles dated as its README says (a subject's second story, `_C2`, about a month
    after its first): story 1 on days 0 to spread-1 of its subject, story 2 from day 30 on,
    random days from a seeded generator. RPM2 has no dates: this shows what known dates add."""
    rng = random.Random(seed)
    starts: dict[str, date] = {}
    dated = []
    for article in articles:
        if article.subject not in starts:
            starts[article.subject] = date(2008, 1, 1) + timedelta(rng.randrange(300))
        offset = 30 if article.story.endswith("C2") else 0
        day = starts[article.subject] + timedelta(offset + rng.randrange(spread))
        dated.append(replace(article, published=day.isoformat()))
    return dated
