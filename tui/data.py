"""The store calls the screens make, in one place (run them in worker threads).

`store.figures` and `store.compare` arrive with the figures work; until they do,
an article simply has no figures and a comparison no facts.
"""

from __future__ import annotations

from array import array

import sqlite_utils

from store.articles import SortKey, article_ids, get_summaries
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
    """The library in one order: every id held in a compact array, rows read a page at a time.

    Holding the ordered ids (8 bytes each) instead of paging with OFFSET keeps every
    page as fast as the first, whatever the sort and however far down the list.
    """

    def __init__(self, database: LibraryDatabase, ids: list[int]) -> None:
        self.database = database
        self.ids = array("q", ids)

    def __len__(self) -> int:
        return len(self.ids)

    def fetch(self, offset: int, limit: int) -> list[ArticleSummary]:
        """Rows `offset` to `offset + limit` of the library in this order."""
        wanted = list(self.ids[offset : offset + limit])
        with self.database.use() as db:
            return get_summaries(db, wanted)


def load_library_order(
    database: LibraryDatabase, sort: SortKey, descending: bool, first_rows: int
) -> tuple[LibraryPages, list[ArticleSummary]]:
    """The library's ids in this order and its first rows (call from a worker thread)."""
    with database.use() as db:
        ids = article_ids(db, sort=sort, descending=descending)
        first = get_summaries(db, ids[:first_rows])
    return LibraryPages(database, ids), first
