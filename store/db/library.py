"""The library handle (one open connection) and the Engine protocol every engine fills.

Feature packages write portable SQL themselves and ask the library's engine
(``library.engine``) for the rest: transactions, full-text match, ranking and snippets,
insert-or-ignore and upsert, bulk loads, and the engine's "busy" error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class ArticleFilters:
    """The outlet and date range asked for, as portable conditions on ``articles``.

    `per_article` is checked on one article at a time; `collected` selects the kept
    articles in one go, finding the outlet through its index (``COLLATE NOCASE`` alone
    cannot use the index, which made ``trafic`` in one outlet before 2024 cost 131 ms
    instead of 16 at 100k articles).
    """

    per_article: str = ""
    collected: str = ""
    params: tuple[object, ...] = ()


@dataclass(frozen=True, slots=True)
class FullTextRequest:
    """One search, as the engine ranks it.

    `match` is the query in FTS5 syntax (safe mode quotes every word); `terms` the
    words and numbers it searches (to key kept rankings); `checked` the numbers
    (canonical, space-separated) each article found must state.
    """

    query: str
    match: str
    terms: tuple[str, ...] = ()
    has_numbers: bool = False
    checked: str = ""
    advanced: bool = False
    filters: ArticleFilters = ArticleFilters()
    limit: int = 20
    offset: int = 0


class Library:
    """An open library. Store functions take one; nothing outside store/db names the engine.

    `conn` is the engine's DB-API connection, `engine` what differs between engines,
    `location` the file path (or ":memory:") it was opened from.
    """

    def __init__(self, conn: Any, engine: Engine, location: str) -> None:
        self.conn = conn
        self.engine = engine
        self.location = location

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        """Run one statement; returns the engine's cursor."""
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        """Run one statement for each row."""
        return self.conn.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on this connection."""
        return bool(self.conn.in_transaction)

    def table_names(self) -> list[str]:
        """The tables of the library."""
        return self.engine.table_names(self)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Library {self.engine.name}:{self.location}>"


class Engine(Protocol):
    """One database engine: SQLite (store.db.sqlite) today."""

    name: str
    OperationalError: type[Exception]
    """The engine's error for a lock not granted, a busy file or a query it refused."""

    def transaction(self, library: Library) -> AbstractContextManager[None]:
        """One write transaction (a savepoint when already inside one)."""
        ...

    def bulk_load(self, library: Library) -> AbstractContextManager[bool]:
        """Settings for a large load, restored afterwards; yields whether they changed."""
        ...

    def without_waiting(self, library: Library) -> AbstractContextManager[None]:
        """A block whose statements fail at once instead of waiting for another writer."""
        ...

    def insert_ignore(self, table: str, columns: Sequence[str]) -> str:
        """An INSERT that skips rows whose key exists already."""
        ...

    def upsert(self, table: str, columns: Sequence[str], key: Sequence[str]) -> str:
        """An INSERT that replaces the row with the same key."""
        ...

    def insert_articles(self, library: Library, rows: list[tuple[Any, ...]], first_id: int) -> None:
        """Insert new article rows (and index their text for full-text search)."""
        ...

    def full_text_search(self, library: Library, request: FullTextRequest) -> list[tuple]:
        """(id, title, outlet, published, snippet, score) of one page of the best hits.

        QueryError (store.errors) when the query cannot be run.
        """
        ...

    def note_matches_sql(self) -> str:
        """A subquery of (rid, rank) for the notes matching its one parameter, best first."""
        ...

    def table_names(self, library: Library) -> list[str]:
        """The tables of the library."""
        ...
