"""The store calls the screens make, in one place (run them in worker threads).

`store.figures.storage` and `store.compare` arrive with the figures work; until they do,
an article simply has no figures and a comparison no facts.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from store.library import SortKey, article_ids, count_articles, get_summaries
from store.models import Annotation, ArticleSummary, Comparison, Figure, ImportReport
from tui.db_access import LibraryDatabase

if TYPE_CHECKING:
    from store.db import Library


def figures_for_article(db: Library, article_id: int) -> list[Figure]:
    """The key figures of one article, in text order (none when figures are not available)."""
    try:
        from store.figures import figures_for_article as store_figures
    except ImportError:
        return []
    return sorted(store_figures(db, article_id), key=lambda figure: figure.start)


def compare_articles(db: Library, ids: list[int]) -> Comparison | None:
    """The cross-source figures table of the articles, or None when comparison is not available."""
    try:
        from store.compare import compare_articles as store_compare
    except ImportError:
        return None
    return store_compare(db, ids)


def annotations_and_tag_names(
    db: Library, article_ids: list[int]
) -> tuple[list[Annotation], list[str]]:
    """The annotations of some articles, and every tag name (the dialog completes them)."""
    # Imported here: the first screen (the library list) does without annotations.
    from store.annotations import list_annotations, list_tags

    return list_annotations(db, article_ids=article_ids), [tag.name for tag in list_tags(db)]


class LibraryPages:
    """The library in one order: its ids in a compact array, rows read a page at a time.

    Holding the ordered ids (8 bytes each) instead of paging with OFFSET keeps every
    page as fast as the first, whatever the sort and however far down the list. The
    first page is shown before the ids are all read: `fetch` waits for them.
    """

    def __init__(self, database: LibraryDatabase, total: int) -> None:
        self.database = database
        self.total = total
        self._ids: Sequence[int] = ()
        self._ready = threading.Event()

    def __len__(self) -> int:
        return self.total

    def set_ids(self, ids: Sequence[int]) -> None:
        """Every id in order; pages can be fetched from now on."""
        self._ids = ids
        self._ready.set()

    def fetch(self, offset: int, limit: int) -> list[ArticleSummary]:
        """Rows `offset` to `offset + limit` of the library (waits for the ids if needed)."""
        self._ready.wait()
        wanted = list(self._ids[offset : offset + limit])
        with self.database.read() as db:
            return get_summaries(db, wanted)


def import_sample_if_empty(database: LibraryDatabase) -> ImportReport | None:
    """Import the sample corpus into an empty library (None when it holds articles)."""
    with database.read() as reader:
        if count_articles(reader) > 0:
            return None
    # Imported here: the import machinery is only needed for an empty library.
    from store.ingest import load_sample_if_empty

    with database.use() as db:
        return load_sample_if_empty(db)


def read_first_page(
    database: LibraryDatabase, sort: SortKey, descending: bool, rows: int
) -> tuple[LibraryPages, list[ArticleSummary]]:
    """How many articles there are and the first `rows` of them in this order (fast)."""
    with database.read() as db:
        total = count_articles(db)
        first = get_summaries(
            db, list(article_ids(db, sort=sort, descending=descending, limit=rows))
        )
    return LibraryPages(database, total), first


def read_library_order(pages: LibraryPages, sort: SortKey, descending: bool) -> None:
    """Give `pages` every id in this order (the slower part: call it after the first screen)."""
    try:
        with pages.database.read() as db:
            ids = article_ids(db, sort=sort, descending=descending)
    except BaseException:
        pages.set_ids(())  # never leave a page fetch waiting
        raise
    pages.set_ids(ids)
