"""The store calls the screens make, in one place (run them in worker threads).

`store.figures` and `store.compare` arrive with the figures work; until they do,
an article simply has no figures and a comparison no facts.
"""

from __future__ import annotations

import sqlite_utils

from store.articles import SortKey, list_articles
from store.models import ArticleSummary, Comparison, Figure
from tui.db_access import LibraryDatabase


def figures_for_article(db: sqlite_utils.Database, article_id: int) -> list[Figure]:
    """The key figures of one article, in text order (none when figures are not available)."""
    try:
        from store.figures import figures_for_article as store_figures
    except ImportError:
        return []
    return sorted(store_figures(db, article_id), key=lambda figure: figure.start)


def compare_articles(db: sqlite_utils.Database, ids: list[int]) -> Comparison | None:
    """The cross-source figures table of the articles, or None when comparison is not available."""
    try:
        from store.compare import compare_articles as store_compare
    except ImportError:
        return None
    return store_compare(db, ids)


class LibraryPages:
    """Pages of the library in one sort order, read through the app's locked connection."""

    def __init__(self, database: LibraryDatabase, sort: SortKey, descending: bool) -> None:
        self.database = database
        self.sort = sort
        self.descending = descending

    def fetch(self, offset: int, limit: int) -> list[ArticleSummary]:
        """Rows `offset` to `offset + limit` of the library in this order."""
        with self.database.use() as db:
            return list_articles(
                db, sort=self.sort, descending=self.descending, limit=limit, offset=offset
            )
