"""Reading the library: list, count, fetch and delete articles."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from store.db import transaction
from store.errors import NotFoundError
from store.models import Article, ArticleSummary

if TYPE_CHECKING:
    from store.db import Library

SortKey = Literal["id", "title", "outlet", "published", "figures", "annotations"]

_ORDER_BY: dict[str, str] = {
    "id": "a.id",
    "title": "a.title COLLATE NOCASE, a.id",
    "outlet": "a.outlet IS NULL, a.outlet COLLATE NOCASE, a.id",
    "published": "a.published IS NULL, a.published, a.id",
    "figures": "figure_count, a.id",
    "annotations": "annotation_count, a.id",
}

_SUMMARY_COLUMNS = """
    a.id, a.title, a.outlet, a.published, a.url,
    (SELECT count(*) FROM figure_values f WHERE f.article_id = a.id) AS figure_count,
    (SELECT count(*) FROM annotations n WHERE n.article_id = a.id) AS annotation_count
"""


def _summary(row: tuple) -> ArticleSummary:
    return ArticleSummary(*row)


def count_articles(db: Library) -> int:
    """How many articles the library holds."""
    return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])


def list_articles(
    db: Library,
    *,
    sort: SortKey = "id",
    descending: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[ArticleSummary]:
    """A page of the library, sorted; without a limit, every article."""
    order = _ORDER_BY[sort]
    if descending:
        order = ", ".join(f"{part} DESC" for part in order.split(", "))
    sql = f"SELECT {_SUMMARY_COLUMNS} FROM articles a ORDER BY {order} LIMIT ? OFFSET ?"
    rows = db.execute(sql, [-1 if limit is None else limit, offset]).fetchall()
    return [_summary(row) for row in rows]


# Orders for article_ids(): "published" descending is written so that SQLite walks the
# published index (rowid breaks ties), which keeps the newest-first library instant at 100k.
_ID_ORDER: dict[tuple[str, bool], str] = {
    ("published", True): "a.published DESC, a.id DESC",
}
_COUNT_JOINS = {
    "figures": "LEFT JOIN (SELECT article_id, count(*) AS n FROM figure_values "
    "GROUP BY article_id) c "
    "ON c.article_id = a.id",
    "annotations": "LEFT JOIN (SELECT article_id, count(*) AS n FROM annotations "
    "GROUP BY article_id) c ON c.article_id = a.id",
}


def article_ids(
    db: Library,
    *,
    sort: SortKey = "id",
    descending: bool = False,
    limit: int | None = None,
) -> Sequence[int]:
    """Article ids in display order (all, or the first `limit`), to page through with get_summaries.

    Undated articles come last in both date orders. The ids come as a compact array
    (8 bytes each): a list of 100k rows would cost ten times the memory.
    """
    join = _COUNT_JOINS.get(sort, "")
    order = _ID_ORDER.get((sort, descending))
    if order is None:
        parts = _ORDER_BY[sort].split(", ")
        if descending:
            parts = [p if p.endswith("IS NULL") else f"{p} DESC" for p in parts]
        order = ", ".join(parts)
        order = order.replace("figure_count", "coalesce(c.n, 0)")
        order = order.replace("annotation_count", "coalesce(c.n, 0)")
    cursor = db.execute(
        f"SELECT a.id FROM articles a {join} ORDER BY {order} LIMIT ?",
        [-1 if limit is None else limit],
    )
    return array("q", (row[0] for row in cursor))


def get_summaries(db: Library, ids: list[int]) -> list[ArticleSummary]:
    """Summaries of the given articles, in the order asked; unknown ids are left out."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(
        f"SELECT {_SUMMARY_COLUMNS} FROM articles a WHERE a.id IN ({marks})", ids
    ).fetchall()
    by_id = {row[0]: _summary(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def get_article(db: Library, article_id: int) -> Article:
    """One whole article; NotFoundError when there is no such id."""
    row = db.execute(
        """SELECT id, title, body, outlet, published, url, lang, source_path,
                  content_hash, imported_at, updated_at
           FROM articles WHERE id = ?""",
        [article_id],
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no article with id {article_id}")
    return Article(*row)


def outlets(db: Library) -> list[str]:
    """The distinct outlets of the library, sorted."""
    rows = db.execute(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL "
        "ORDER BY outlet COLLATE NOCASE"
    ).fetchall()
    return [row[0] for row in rows]


def delete_article(db: Library, article_id: int) -> None:
    """Delete an article and what hangs on it; NotFoundError when there is no such id."""
    with transaction(db):
        cursor = db.execute("DELETE FROM articles WHERE id = ?", [article_id])
        if cursor.rowcount == 0:
            raise NotFoundError(f"no article with id {article_id}")
