"""The SQLite engine: recoupe's embedded default (one file, nothing to set up).

``connect`` opens a library file, refusing one that belongs to another program,
and migrates it; ``SqliteEngine`` holds what the feature packages ask of the engine.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from store.db.library import FullTextRequest, Library
from store.db.sqlite.connection import (
    BUSY_TIMEOUT_MS,
    bulk_load,
    configure,
    default_db_path,
    open_connection,
    transaction,
    tune_sqlite_library,
)
from store.db.sqlite.schema import (
    APPLICATION_ID,
    FTS_TOKENIZER,
    MIGRATIONS,
    SCHEMA_VERSION,
    TEXT_UPDATE_TRIGGER,
    UpgradeNotice,
    migrate,
    schema_version,
)
from store.errors import DatabaseError, ForeignDatabase

__all__ = [
    "APPLICATION_ID",
    "FTS_TOKENIZER",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "TEXT_UPDATE_TRIGGER",
    "SqliteEngine",
    "UpgradeNotice",
    "bulk_load",
    "connect",
    "connect_reader",
    "default_db_path",
    "schema_version",
    "transaction",
    "tune_sqlite_library",
]

FTS_INSERT_TRIGGER = "articles_ai"
"""The trigger (created by sqlite-utils in migration 1) that indexes each inserted row."""
BULK_INSERT_TRIGGERS = {
    FTS_INSERT_TRIGGER: "INSERT INTO articles_fts (rowid, title, body) "
    "SELECT id, title, body FROM articles WHERE id >= ?",
    # the search cache's write counter: any change makes kept rankings stale.
    "search_generation_ai": "UPDATE search_generation SET value = value + 1 WHERE id = 1",
}
"""Insert triggers on articles, and the statement that does the work of each for a whole
batch of rows inserted from the id given (see SqliteEngine.insert_articles)."""
BULK_FTS_MIN_ROWS = 50
"""From this many new articles in a batch, the index is filled in one pass, not by trigger."""
_ARTICLE_COLUMNS = (
    "id",
    "title",
    "outlet",
    "published",
    "url",
    "lang",
    "source_path",
    "source_key",
    "content_hash",
    "body",
    "imported_at",
    "updated_at",
)
# The body is bound as text or as UTF-8 bytes (see ParsedArticle): a CAST of bytes to
# TEXT stores them unchanged as text, a CAST of text to TEXT changes nothing.
_INSERT_ARTICLE = (
    f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) VALUES "
    f"({', '.join('CAST(? AS TEXT)' if c == 'body' else '?' for c in _ARTICLE_COLUMNS)})"
)


class SqliteEngine:
    """What differs on SQLite: FTS5, INSERT OR IGNORE, PRAGMAs, trigger-free bulk inserts."""

    name = "sqlite"
    OperationalError: type[Exception] = sqlite3.OperationalError
    ARTICLE_COLUMNS = _ARTICLE_COLUMNS

    def transaction(self, library: Library) -> AbstractContextManager[None]:
        """One write transaction (BEGIN IMMEDIATE), a savepoint when already inside one."""
        return transaction(library)

    def bulk_load(self, library: Library) -> AbstractContextManager[bool]:
        """A rollback journal, a large cache and FTS5 buffer for the load; then back."""
        return bulk_load(library)

    @contextmanager
    def without_waiting(self, library: Library) -> Iterator[None]:
        """Statements in the block fail at once (SQLITE_BUSY) instead of waiting."""
        conn = library.conn
        timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")

    def insert_ignore(self, table: str, columns: Sequence[str]) -> str:
        """INSERT OR IGNORE: rows whose key exists already are skipped."""
        marks = ", ".join("?" for _ in columns)
        return f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})"

    def upsert(self, table: str, columns: Sequence[str], key: Sequence[str]) -> str:
        """INSERT OR REPLACE: the row with the same key is replaced."""
        marks = ", ".join("?" for _ in columns)
        return f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({marks})"

    def insert_articles(self, library: Library, rows: list[tuple[Any, ...]], first_id: int) -> None:
        """Insert new articles (ARTICLE_COLUMNS); a large batch fills the index in one pass.

        Filling FTS5 with one INSERT ... SELECT is about twice as fast as its insert
        trigger firing per row, and the search cache's write counter needs one bump, not
        one per row (100k rows: about 1 s). The triggers are dropped and recreated inside
        the batch's transaction, so no other connection ever sees the table without them.
        """
        triggers = library.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'articles' "
            f"AND name IN ({', '.join('?' for _ in BULK_INSERT_TRIGGERS)})",
            list(BULK_INSERT_TRIGGERS),
        ).fetchall()
        names = {name for name, _ in triggers}
        if FTS_INSERT_TRIGGER not in names or len(rows) < BULK_FTS_MIN_ROWS:
            library.executemany(_INSERT_ARTICLE, rows)
            return
        for name, _ in triggers:
            library.execute(f"DROP TRIGGER {name}")
        library.executemany(_INSERT_ARTICLE, rows)
        for name, sql in triggers:
            replacement = BULK_INSERT_TRIGGERS[name]
            library.execute(replacement, [first_id] if "?" in replacement else [])
            library.execute(sql)

    def full_text_search(self, library: Library, request: FullTextRequest) -> list[tuple]:
        """FTS5 ranking (bm25, title weighted), snippets, and the kept top hits."""
        from store.db.sqlite.fulltext import full_text_search

        return full_text_search(library, request)

    def note_matches_sql(self) -> str:
        """A subquery of (rid, rank) for the notes matching its one parameter, best first."""
        return "(SELECT rowid AS rid, rank FROM annotations_fts WHERE annotations_fts MATCH ?)"

    def table_names(self, library: Library) -> list[str]:
        """The tables of the library (FTS5 shadow tables included)."""
        rows = library.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return [name for (name,) in rows]


ENGINE = SqliteEngine()


def _refuse_foreign(conn: sqlite3.Connection, path: str) -> None:
    """Raise ForeignDatabase, having written nothing, for a file that is not recoupe's.

    A file is recoupe's when it carries recoupe's application_id, or (files written
    before the mark existed) a schema version and an ``articles`` table; an empty file
    or one with no tables at all becomes a library.
    """
    try:
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            )
        }
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"cannot open the database {path}: {exc}") from exc
    if application_id == APPLICATION_ID or not tables:
        return
    if application_id == 0 and version > 0 and "articles" in tables:
        return  # a library written before recoupe marked its files
    raise ForeignDatabase(
        f"{path} is a database of another program, not a recoupe library: "
        "recoupe leaves it untouched (choose another --db)"
    )


@contextmanager
def _closed_on_error(conn: sqlite3.Connection, location: str) -> Iterator[None]:
    """Close `conn` if the block fails; SQLite's own errors become one-line store errors."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"cannot open the database {location}: {exc}") from exc
    except BaseException:
        conn.close()
        raise


def connect(path: str | Path, on_upgrade: UpgradeNotice | None = None) -> Library:
    """Open (creating if needed) and migrate the library at `path`; ":memory:" works too.

    ForeignDatabase, with nothing written, for a file of another program.
    """
    location = str(path)
    if location != ":memory:":
        Path(location).parent.mkdir(parents=True, exist_ok=True)
    conn = open_connection(location)
    with _closed_on_error(conn, location):
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _refuse_foreign(conn, location)
        library = Library(conn, ENGINE, location)
        configure(library)
        migrate(library, on_upgrade)
    return library


def connect_reader(path: str | Path, on_upgrade: UpgradeNotice | None = None) -> Library:
    """A library opened for reads (search) without loading sqlite-utils.

    Falls back to connect() (which creates and migrates) when the file is missing
    or has another schema version, so a reader never sees an old schema.
    """
    location = str(path)
    if location == ":memory:" or not Path(location).exists():
        return connect(location, on_upgrade)
    conn = open_connection(location)
    with _closed_on_error(conn, location):
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _refuse_foreign(conn, location)
        current = conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    if current:
        return Library(conn, ENGINE, location)
    conn.close()
    return connect(location, on_upgrade)
