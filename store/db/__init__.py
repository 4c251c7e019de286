"""The database engine seam: opening a library, transactions, schema and migrations.

Everything that differs between database engines lives below this package (one
module per engine, with its schema); the feature packages above it take a
``Library`` handle and ask ``library.engine`` for what is not portable SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from store.db.library import ArticleFilters, Engine, FullTextRequest, Library
from store.db.sqlite import (
    FTS_TOKENIZER,
    SCHEMA_VERSION,
    UpgradeNotice,
    default_db_path,
    schema_version,
)
from store.db.sqlite import connect as _connect_sqlite
from store.db.sqlite import connect_reader as _connect_sqlite_reader
from store.db.sqlite.guard import SEARCH_BUDGET_SECONDS, cancel_all_searches
from store.errors import LocationError

__all__ = [
    "FTS_TOKENIZER",
    "SCHEMA_VERSION",
    "SEARCH_BUDGET_SECONDS",
    "ArticleFilters",
    "Engine",
    "FullTextRequest",
    "Library",
    "UpgradeNotice",
    "bulk_load",
    "cancel_all_searches",
    "check_location",
    "connect",
    "connect_reader",
    "default_db_path",
    "schema_version",
    "transaction",
    "write_unless_busy",
]


def check_location(location: str | Path) -> str:
    """The library location as a string; LocationError for a URL recoupe cannot open.

    Only files are libraries for now: a ``scheme://`` location is refused before
    anything is created, instead of becoming a folder named after the scheme.
    """
    text = str(location)
    scheme, separator, _ = text.partition("://")
    if separator and scheme and scheme.replace("+", "").isalnum():
        raise LocationError(
            f"--db {scheme}://…: recoupe opens library files only, not {scheme} URLs"
        )
    return text


def connect(location: str | Path, on_upgrade: UpgradeNotice | None = None) -> Library:
    """Open (creating and migrating if needed) the library at `location`."""
    return _connect_sqlite(check_location(location), on_upgrade)


def connect_reader(location: str | Path, on_upgrade: UpgradeNotice | None = None) -> Library:
    """The library at `location` opened for reads (search, lists); created if missing."""
    return _connect_sqlite_reader(check_location(location), on_upgrade)


@contextmanager
def transaction(library: Library) -> Iterator[None]:
    """Run the block in one write transaction (a savepoint when already inside one)."""
    with library.engine.transaction(library):
        yield


def write_unless_busy(library: Library, write: Callable[[Library], None]) -> bool:
    """Run `write` in a transaction now, or not at all if another writer holds the library.

    For what is worth keeping but not worth waiting for (derived data computed on
    demand: computed again next time). Inside a caller's transaction it just runs.
    Returns whether it was written.
    """
    if library.in_transaction:
        write(library)
        return True
    try:
        with library.engine.without_waiting(library), transaction(library):
            write(library)
    except library.engine.OperationalError:
        return False
    return True


@contextmanager
def bulk_load(library: Library) -> Iterator[bool]:
    """Engine settings for a large load, restored afterwards; yields whether they changed."""
    with library.engine.bulk_load(library) as switched:
        yield switched
