"""Figures a fact-checker can trust, on hand labels of real multi-outlet stories (rpm2-dev).

The labels (tests/data/figures_rpm2_precision.json, figures_rpm2_links.json) were written
by hand before recoupe's output on those texts was looked at; rules in docs/figures.md.
The scores are computed as bench/figures_trust.py prints them (store.evaluation.trust).
The floors are the scores measured when they were set: raise them as recoupe improves,
never lower them. The issue's targets are higher still (strict precision and recall
0.95; pairwise precision 0.95 and recall 0.90; the same links for every subset).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from store.compare import compare_articles
from store.evaluation.trust import (
    StoryDatabase,
    check_subsets,
    compare_links,
    figure_sources,
    load,
    score_attribution,
    score_story_links,
    score_strict,
    story_database,
    story_files,
    sum_link_scores,
)
from tests.conftest import EVAL_DATA, ROOT

RPM2 = EVAL_DATA / "rpm2-dev"
DATA = ROOT / "tests" / "data"

pytestmark = pytest.mark.skipif(not RPM2.is_dir(), reason="shared eval-data not present")

STRICT_PRECISION = 0.97
STRICT_RECALL = 0.96
LINK_PRECISION = 0.97
LINK_RECALL = 0.55
ATTRIBUTION = 0.95
PAIR_SUBSETS = 0.80


@pytest.fixture(scope="module")
def links() -> dict:
    return load(DATA / "figures_rpm2_links.json")


@pytest.fixture(scope="module")
def stories(links: dict) -> Iterator[StoryDatabase]:
    files = [name for story in links["stories"] for name in story_files(story)]
    with story_database(RPM2, files) as store:
        yield store


def test_strict_precision_and_recall_on_fresh_articles() -> None:
    score = score_strict(load(DATA / "figures_rpm2_precision.json"), RPM2)
    print(f"\nstrict precision {score.precision:.3f} recall {score.recall:.3f}")
    assert score.gold >= 170
    assert score.precision >= STRICT_PRECISION
    assert score.recall >= STRICT_RECALL


def test_labels_cover_what_the_issue_asks(links: dict) -> None:
    precision = load(DATA / "figures_rpm2_precision.json")
    assert len(precision["articles"]) >= 15
    assert len(links["stories"]) >= 6
    scores = [score_story_links(story, set()) for story in links["stories"]]
    assert sum_link_scores(scores).gold_links >= 60
    assert sum(len(story["attribution"]) for story in links["stories"]) >= 40


def test_fact_grouping_pairwise_precision_and_recall(links: dict, stories) -> None:
    scores = []
    for story in links["stories"]:
        ids = [stories.ids[name] for name in story_files(story)]
        scores.append(score_story_links(story, compare_links(stories, ids, compare_articles)))
    total = sum_link_scores(scores)
    print(f"\npairwise precision {total.precision:.3f} recall {total.recall:.3f}")
    assert total.precision >= LINK_PRECISION
    assert total.recall >= LINK_RECALL
    assert len(total.non_links_made) <= 5


def test_attribution_accuracy(links: dict, stories) -> None:
    right = labelled = 0
    for story in links["stories"]:
        ids = [stories.ids[name] for name in story_files(story)]
        sources, available = figure_sources(stories, ids, compare_articles)
        score = score_attribution(story, sources, available)
        right += score.right
        labelled += score.labelled
    print(f"\nattribution {right}/{labelled}")
    assert right / labelled >= ATTRIBUTION


def test_two_articles_compared_alone_link_as_in_their_whole_story(links: dict, stories) -> None:
    """Every pair of articles of two stories against the story compared whole."""
    consistent = checked = 0
    for story in links["stories"][:2]:
        ids = [stories.ids[name] for name in story_files(story)]
        check = check_subsets(stories, ids, compare_articles, sample=0)
        consistent += check.consistent
        checked += check.subsets
    print(f"\nsubsets with the whole story's links: {consistent}/{checked}")
    assert checked == 2 * (45 + 10)
    assert consistent / checked >= PAIR_SUBSETS
