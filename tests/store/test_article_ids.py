"""article_ids: the whole library in display order, as the app's list pages through it."""

from __future__ import annotations

import pytest

from store.db import Library
from store.ingest.importer import import_text
from store.library.articles import article_ids, get_summaries, list_articles

SORTS = ["id", "title", "outlet", "published", "figures", "annotations"]


@pytest.fixture
def library(db: Library) -> Library:
    """Articles with and without dates and outlets, some with figures."""
    rows = [
        ("b", "Bravo", "Le Monde", "2024-11-06", "Plus de 2 500 arrestations et 3 000 victimes."),
        ("a", "alpha", None, None, "Rien à compter ici."),
        ("c", "Charlie", "AFP", "2024-11-05", "Au total, 850 personnes."),
        ("d", "delta", "afp", None, "Le 4 novembre 2024, 17 793 migrants."),
        ("e", "Écho", "Le Monde", "2024-11-06", "Texte sans chiffre."),
    ]
    for key, title, outlet, published, body in rows:
        import_text(db, body, source_key=key, title=title, outlet=outlet, published=published)
    return db


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("descending", [False, True])
def test_ids_hold_every_article_once(library: Library, sort: str, descending: bool) -> None:
    ids = article_ids(library, sort=sort, descending=descending)
    assert sorted(ids) == sorted(s.id for s in list_articles(library))


@pytest.mark.parametrize(
    ("sort", "descending"),
    [(s, d) for s in ("id", "title", "figures", "annotations") for d in (False, True)]
    + [("outlet", False), ("published", False)],
)
def test_ids_follow_list_articles(library: Library, sort: str, descending: bool) -> None:
    expected = [s.id for s in list_articles(library, sort=sort, descending=descending)]
    assert list(article_ids(library, sort=sort, descending=descending)) == expected


def test_dates_newest_first_with_undated_last(library: Library) -> None:
    summaries = get_summaries(library, article_ids(library, sort="published", descending=True))
    dates = [s.published for s in summaries]
    assert dates[:3] == ["2024-11-06", "2024-11-06", "2024-11-05"]
    assert dates[3:] == [None, None]


def test_dates_oldest_first_with_undated_last(library: Library) -> None:
    summaries = get_summaries(library, article_ids(library, sort="published"))
    assert [s.published for s in summaries] == [
        "2024-11-05",
        "2024-11-06",
        "2024-11-06",
        None,
        None,
    ]


def test_figure_order_counts_figures(library: Library) -> None:
    summaries = get_summaries(library, article_ids(library, sort="figures", descending=True))
    counts = [s.figure_count for s in summaries]
    assert counts == sorted(counts, reverse=True)


def test_outlets_descending_with_missing_outlet_last(library: Library) -> None:
    summaries = get_summaries(library, article_ids(library, sort="outlet", descending=True))
    outlets = [s.outlet for s in summaries]
    assert outlets[-1] is None
    assert [o.casefold() for o in outlets[:-1]] == ["le monde", "le monde", "afp", "afp"]
