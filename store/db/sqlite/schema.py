"""SQLite schema: every table's definition, as migrations from one version to the next.

The schema version lives in ``PRAGMA user_version`` and recoupe's files are marked with
``PRAGMA application_id``. Each entry of ``MIGRATIONS`` takes a database from version N
to N + 1 inside one transaction, so a file written by any earlier version of recoupe
opens and upgrades in place. Table definitions live here, not in the feature packages,
so that this package imports none of them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from store.db.sqlite.connection import transaction
from store.errors import SchemaError

if TYPE_CHECKING:
    import sqlite_utils

    from store.db.library import Library

FTS_TOKENIZER = "unicode61 remove_diacritics 2"
APPLICATION_ID = 0x72637570
"""``PRAGMA application_id`` of recoupe's files ('rcup'): how a file says it is recoupe's."""

UpgradeNotice = Callable[[str], None]
"""Told, in words, that an existing file is about to be upgraded (which may take a while)."""


def schema_version(db: Library) -> int:
    """The schema version stored in the file."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _tables(db: Library) -> sqlite_utils.Database:
    """sqlite-utils' table API on the library's connection (migrations only)."""
    import sqlite_utils

    return sqlite_utils.Database(db.conn)


def _execute_script(db: Library, script: str) -> None:
    """Run several statements inside the current transaction (executescript would commit it)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        db.execute(statement)


def _migration_1_articles(db: Library) -> None:
    """Articles and their full-text index over title, body and normalised numbers."""
    tables = _tables(db)
    tables["articles"].create(
        {
            "id": int,
            "title": str,
            "outlet": str,
            "published": str,
            "url": str,
            "lang": str,
            "source_path": str,
            "source_key": str,
            "content_hash": str,
            "body": str,
            "numbers": str,
            "imported_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"title", "body", "content_hash", "imported_at", "updated_at"},
    )
    articles = tables["articles"]
    articles.create_index(["source_key"], unique=True)  # type: ignore[union-attr]
    articles.create_index(["content_hash"])  # type: ignore[union-attr]
    articles.create_index(["url"])  # type: ignore[union-attr]
    articles.create_index(["outlet"])  # type: ignore[union-attr]
    articles.create_index(["published"])  # type: ignore[union-attr]
    articles.enable_fts(  # type: ignore[union-attr]
        ["title", "body", "numbers"], tokenize=FTS_TOKENIZER, create_triggers=True
    )


def _migration_2_figures(db: Library) -> None:
    """Key figures of each article, with character offsets into its body (until schema 6)."""
    # Raw SQL: sqlite-utils cannot declare ON DELETE CASCADE.
    db.execute(
        """CREATE TABLE figures (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            surface TEXT NOT NULL,
            value REAL,
            value_max REAL,
            kind TEXT NOT NULL,
            unit TEXT,
            currency TEXT,
            qualifier TEXT NOT NULL,
            sentence_start INTEGER,
            sentence_end INTEGER
        )"""
    )
    db.execute("CREATE INDEX idx_figures_article ON figures(article_id, start)")
    db.execute("CREATE INDEX idx_figures_kind_value ON figures(kind, value)")


_TAGS_OF = (
    "(SELECT group_concat(t.name, ' ') FROM annotation_tags x "
    "JOIN tags t ON t.id = x.tag_id WHERE x.annotation_id = {id})"
)


def _migration_3_annotations(db: Library) -> None:
    """Annotations (W3C quote and position selectors), tags, and a search index over both."""
    # AUTOINCREMENT so the id of a deleted annotation is never reused: undo restores it.
    db.execute(
        """CREATE TABLE annotations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'anchored'
                CHECK (status IN ('anchored', 'moved', 'orphaned')),
            previous_exact TEXT
        )"""
    )
    db.execute("CREATE INDEX idx_annotations_article ON annotations(article_id, start)")
    db.execute("CREATE INDEX idx_annotations_status ON annotations(status)")
    db.execute(
        """CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            folded TEXT NOT NULL UNIQUE
        )"""
    )
    db.execute(
        """CREATE TABLE annotation_tags (
            annotation_id INTEGER NOT NULL REFERENCES annotations(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (annotation_id, tag_id)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX idx_annotation_tags_tag ON annotation_tags(tag_id)")
    db.execute(
        "CREATE VIRTUAL TABLE annotations_fts USING fts5("
        f"note, exact, tags, tokenize='{FTS_TOKENIZER}')"
    )
    _execute_script(
        db,
        f"""
        CREATE TRIGGER annotations_ai AFTER INSERT ON annotations BEGIN
            INSERT INTO annotations_fts(rowid, note, exact, tags)
            VALUES (new.id, new.note, new.exact, '');
        END;
        CREATE TRIGGER annotations_au AFTER UPDATE OF note, exact ON annotations BEGIN
            UPDATE annotations_fts SET note = new.note, exact = new.exact
            WHERE rowid = new.id;
        END;
        CREATE TRIGGER annotations_ad AFTER DELETE ON annotations BEGIN
            DELETE FROM annotations_fts WHERE rowid = old.id;
        END;
        CREATE TRIGGER annotation_tags_ai AFTER INSERT ON annotation_tags BEGIN
            UPDATE annotations_fts
            SET tags = coalesce({_TAGS_OF.format(id="new.annotation_id")}, '')
            WHERE rowid = new.annotation_id;
        END;
        CREATE TRIGGER annotation_tags_ad AFTER DELETE ON annotation_tags BEGIN
            UPDATE annotations_fts
            SET tags = coalesce({_TAGS_OF.format(id="old.annotation_id")}, '')
            WHERE rowid = old.annotation_id;
        END;
        CREATE TRIGGER tags_au AFTER UPDATE OF name ON tags BEGIN
            UPDATE annotations_fts
            SET tags = coalesce({_TAGS_OF.format(id="annotations_fts.rowid")}, '')
            WHERE rowid IN (SELECT annotation_id FROM annotation_tags WHERE tag_id = new.id);
        END;
        """,
    )


_BUMP = "BEGIN UPDATE search_generation SET value = value + 1 WHERE id = 1; END"
TEXT_UPDATE_TRIGGER = (
    f"CREATE TRIGGER search_generation_au AFTER UPDATE OF title, body ON articles {_BUMP}"
)
"""The trigger that bumps the search write counter when an article's indexed text changes."""


def _migration_4_search_cache(db: Library) -> None:
    """The exact top hits of frequent words, and the write counter that says when they are stale.

    The triggers see writes to ``articles`` only: a later migration that rebuilds
    ``articles_fts`` another way (tokenizer, columns) must bump ``search_generation``.
    """
    db.execute(
        """CREATE TABLE search_generation (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            value INTEGER NOT NULL
        )"""
    )
    db.execute("INSERT INTO search_generation (id, value) VALUES (1, 0)")
    db.execute(f"CREATE TRIGGER search_generation_ai AFTER INSERT ON articles {_BUMP}")
    db.execute(f"CREATE TRIGGER search_generation_ad AFTER DELETE ON articles {_BUMP}")
    db.execute(TEXT_UPDATE_TRIGGER)
    db.execute(
        """CREATE TABLE search_top (
            term TEXT PRIMARY KEY,
            weights TEXT NOT NULL,
            generation INTEGER NOT NULL,
            hits TEXT NOT NULL
        )"""
    )


def _migration_5_index_title_and_body(db: Library) -> None:
    """The full-text index over title and body only: numbers are matched at search time.

    Versions 1 to 4 kept each article's numbers in a ``numbers`` column, indexed too;
    store.numbers now searches a number under each way FTS5 splits it. The index is
    rebuilt without the column, and the kept rankings go (their scores counted it).
    """
    tables = _tables(db)
    db.execute("DROP TRIGGER IF EXISTS search_generation_au")  # it names the column
    tables["articles"].disable_fts()  # type: ignore[union-attr]
    if sqlite3.sqlite_version_info >= (3, 35):  # DROP COLUMN came with 3.35 (2021)
        db.execute("ALTER TABLE articles DROP COLUMN numbers")
    # An older SQLite keeps the column: it may stay empty, nothing reads it.
    tables["articles"].enable_fts(  # type: ignore[union-attr]
        ["title", "body"], tokenize=FTS_TOKENIZER, create_triggers=True
    )
    db.execute(TEXT_UPDATE_TRIGGER)
    db.execute("UPDATE search_generation SET value = value + 1 WHERE id = 1")
    db.execute("DELETE FROM search_top")


def _migration_6_derived_data(db: Library) -> None:
    """Derived data off the import path: computed once per text, stored compactly.

    ``derived`` holds what a deriver computed from one text (``content_hash``), packed;
    ``derived_articles`` says which articles have their derived data of each kind, at
    which deriver version (an article without a row is pending); ``figure_values`` is
    the only per-figure table, for search by value. The old figures table (a row per
    figure with its surface text, and two indexes: as large as the corpus text) goes:
    figures are computed again, in the background or when an article is opened.
    """
    db.execute("DROP TABLE figures")
    db.execute(
        """CREATE TABLE derived (
            content_hash TEXT NOT NULL,
            kind TEXT NOT NULL,
            version INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (content_hash, kind)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE derived_articles (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (article_id, kind)
        ) WITHOUT ROWID"""
    )
    db.execute(
        """CREATE TABLE figure_values (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            n INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value REAL NOT NULL,
            value_max REAL,
            currency TEXT,
            PRIMARY KEY (article_id, n)
        ) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX idx_figure_values ON figure_values(kind, value)")
    # A new text makes an article's derived data pending again; a text no article
    # holds any more takes its derived data with it.
    _execute_script(
        db,
        """
        CREATE TRIGGER derived_text_changed AFTER UPDATE OF content_hash ON articles
        WHEN new.content_hash IS NOT old.content_hash BEGIN
            DELETE FROM derived_articles WHERE article_id = new.id;
            DELETE FROM figure_values WHERE article_id = new.id;
            DELETE FROM derived WHERE content_hash = old.content_hash
                AND NOT EXISTS (SELECT 1 FROM articles WHERE content_hash = old.content_hash);
        END;
        CREATE TRIGGER derived_article_deleted AFTER DELETE ON articles BEGIN
            DELETE FROM derived WHERE content_hash = old.content_hash
                AND NOT EXISTS (SELECT 1 FROM articles WHERE content_hash = old.content_hash);
        END;
        """,
    )


Migration = Callable[["Library"], None]

MIGRATIONS: list[Migration] = [
    _migration_1_articles,
    _migration_2_figures,
    _migration_3_annotations,
    _migration_4_search_cache,
    _migration_5_index_title_and_body,
    _migration_6_derived_data,
]
"""MIGRATIONS[i] upgrades a database from version i to version i + 1."""

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: Library, on_upgrade: UpgradeNotice | None = None) -> None:
    """Apply every migration the file has not seen yet, each in its own transaction.

    `on_upgrade` hears about it first when the file holds an older schema (not when it
    is new): some migrations rebuild the search index, about 15 s at 100k articles.
    """
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaError(
            f"this database has schema version {current}, newer than this recoupe "
            f"understands ({SCHEMA_VERSION}): upgrade recoupe"
        )
    if on_upgrade is not None and 0 < current < SCHEMA_VERSION:
        on_upgrade(
            f"upgrading the library from schema {current} to {SCHEMA_VERSION}; this happens "
            "once, and takes a while for a large library"
        )
    for version in range(current, SCHEMA_VERSION):
        with transaction(db):
            # Re-check under the write lock: another process may have migrated meanwhile.
            if schema_version(db) > version:
                continue
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version + 1}")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
