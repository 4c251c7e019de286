"""What differs between database engines: the Engine protocol every engine module fills.

Feature packages write portable SQL themselves and ask the library's engine
(``library.engine``) for the rest: transactions, full-text match, ranking and snippets,
insert-or-ignore and upsert, bulk loads, and whether an error means "busy".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from store.db.library import Library


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

    def note_matches(self, library: Library, query: str) -> Iterator[tuple[int, float]]:
        """(annotation id, rank) of the notes whose text, quote or tags match `query`."""
        ...

    def table_names(self, library: Library) -> list[str]:
        """The tables of the library."""
        ...
