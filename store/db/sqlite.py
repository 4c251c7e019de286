"""Opening the database: location, connection settings, schema and migrations.

The schema version lives in ``PRAGMA user_version``. Each entry of ``MIGRATIONS``
takes a database from version N to N + 1 inside one transaction, so a file
written by any earlier version of recoupe opens and upgrades in place.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import SchemaError

if TYPE_CHECKING:  # imported where needed: it costs ~35 ms, too much for `recoupe search`
    import sqlite_utils

FTS_TOKENIZER = "unicode61 remove_diacritics 2"
BUSY_TIMEOUT_MS = 30_000


def default_db_path() -> Path:
    """Where the database lives: $RECOUPE_DB, else $XDG_DATA_HOME/recoupe, else ~/.local/share."""
    explicit = os.environ.get("RECOUPE_DB")
    if explicit:
        return Path(explicit).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "recoupe" / "recoupe.db"


_SQLITE_CONFIG_MEMSTATUS = 9
_tuning_lock = threading.Lock()
_statistics_off: bool | None = None
"""None until the first connection of the process settles it, once and for all."""


def tune_sqlite_library() -> bool:
    """Switch off SQLite's memory statistics, if no connection is open yet; whether they are off.

    With statistics on (the default of the system library), every allocation takes one
    mutex shared by the whole process: two threads searching at once slowed each other
    down so much that ranking each half of the library on its own core was slower than
    one thread (100k articles, `inflation`: 22 ms against 16 ms; 11 ms with them off).
    SQLite recommends building without them (SQLITE_DEFAULT_MEMSTATUS=0); the library
    here is the system's, so it is reconfigured at run time, which SQLite allows only
    while it is shut down. That is tried once, when the store opens its first
    connection (connect() and connect_reader() call this first, under one lock), and
    only if SQLite holds no memory at all, so no connection is open anywhere in the
    process; the store's other connections (search threads, tokenizer) open only once
    a store connection exists. Linux only: the variadic call is safe there.
    """
    global _statistics_off
    with _tuning_lock:
        if _statistics_off is None:
            _statistics_off = _memory_statistics_switched_off()
        return bool(_statistics_off)


def _memory_statistics_switched_off() -> bool:
    """Whether SQLite's memory statistics are off now (left on while it holds memory)."""
    if sys.platform != "linux":
        return False
    try:
        import _sqlite3
        import ctypes

        # PyDLL: the GIL stays held during each call. Its SQLite, linked in or shared.
        library = ctypes.PyDLL(_sqlite3.__file__)
        library.sqlite3_memory_used.restype = ctypes.c_int64
        library.sqlite3_malloc.restype = ctypes.c_void_p
        library.sqlite3_free.argtypes = [ctypes.c_void_p]
        probe = library.sqlite3_malloc(64)
        counted = library.sqlite3_memory_used()
        library.sqlite3_free(probe)
        if counted == 0:
            return True  # built without statistics: nothing to do
        if library.sqlite3_memory_used() != 0:
            return False  # something holds SQLite memory: a connection is open
        library.sqlite3_shutdown()
        switched = library.sqlite3_config(_SQLITE_CONFIG_MEMSTATUS, ctypes.c_int(0)) == 0
        library.sqlite3_initialize()
    except (OSError, AttributeError, ImportError):
        return False
    return switched


UpgradeNotice = Callable[[str], None]
"""Told, in words, that an existing file is about to be upgraded (which may take a while)."""


def connect(path: str | Path, on_upgrade: UpgradeNotice | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at `path`; ":memory:" works too.

    A URL is refused before anything is created (store.db.location).
    """
    from store.db.location import check_db_location

    check_db_location(path)
    tune_sqlite_library()
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(
        str(path),
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,  # we open transactions ourselves, see transaction()
        check_same_thread=False,  # TUI workers run in threads; each uses the db under a lock
    )
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    configure(db)
    migrate(db, on_upgrade)
    return db


def connect_reader(path: str | Path, on_upgrade: UpgradeNotice | None = None) -> sqlite3.Connection:
    """A plain connection for reads (search), opened without loading sqlite-utils.

    Falls back to connect() (which creates and migrates) when the file is missing
    or has another schema version, so a reader never sees an old schema.
    """
    if str(path) == ":memory:" or not Path(path).exists():
        return connect(path, on_upgrade).conn
    tune_sqlite_library()
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        current = conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    except sqlite3.DatabaseError:
        conn.close()
        raise
    if current:
        return conn
    conn.close()
    return connect(path, on_upgrade).conn


def configure(db: sqlite_utils.Database) -> None:
    """Connection settings: WAL for concurrent readers, a busy timeout, foreign keys."""
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "wal" and mode != "memory":
        # A bulk import (see bulk_load) may hold the file in rollback-journal mode: that
        # mode works too, and the importer switches back to WAL when it is done.
        db.execute("PRAGMA busy_timeout = 1000")
        with suppress(sqlite3.OperationalError):
            db.execute("PRAGMA journal_mode = WAL")
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA synchronous = NORMAL")


@contextmanager
def bulk_load(db: sqlite_utils.Database) -> Iterator[bool]:
    """A large load with a rollback journal, then back to WAL; yields whether it switched.

    Loading is about 40% faster without WAL. The switch only happens when no other
    connection has the file open (SQLite refuses it otherwise), so readers are never
    disturbed; each write transaction stays atomic either way.
    """
    conn = db.conn
    switched = False
    if not conn.in_transaction:
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            switched = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        except sqlite3.OperationalError:
            switched = False
        finally:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if switched:
        conn.execute("PRAGMA synchronous = FULL")  # the safe setting for a rollback journal
    _set_fts_hash_size(db, FTS_BULK_HASH_BYTES)
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    secure_delete = conn.execute("PRAGMA secure_delete").fetchone()[0]
    # Some SQLite builds (Debian's) zero every deleted record and freed page, which
    # FTS5 merges make by the thousand: 100k articles, 416 000 page writes instead of
    # 262 000, 0.4 s more system time. A bulk load only deletes what derives from the
    # articles (merged index segments, replaced versions), never a note.
    conn.execute("PRAGMA secure_delete = OFF")
    try:
        yield switched
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(secure_delete)}")
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
        _reset_fts_hash_size(db)
        if switched:
            conn.execute("PRAGMA synchronous = NORMAL")
            _back_to_wal(conn)


FTS_DEFAULT_HASH_BYTES = 1024 * 1024
FTS_BULK_HASH_BYTES = 32 * 1024 * 1024
"""FTS5 keeps this much pending index in memory before it writes a segment: during a
bulk load, fewer and larger segments mean less merging (measured 15 to 25 % faster).
Merging itself stays on: with automerge off a 100k import took about 1.5 s less CPU but
left 11 segments instead of 4, and every look-up by id (snippets, filtered searches)
reads each segment: snippets of 20 hits took 3.4 ms instead of 0.4 to 1 ms."""
BULK_CACHE_KIB = 128 * 1024
"""Page cache of a bulk load: FTS5 merges and the content-hash index reread pages that
the default 2 MB cache has dropped (100k articles: 5.6 s of system time, 2.8 s with it)."""


def _set_fts_hash_size(db: sqlite_utils.Database, size: int) -> None:
    if db.conn.in_transaction:
        return
    with transaction(db):
        db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', ?)", [size])


def _reset_fts_hash_size(db: sqlite_utils.Database) -> None:
    """The default FTS5 hash size again, if another writer lets us within a few seconds.

    Everything is committed by then: an import must not end in "database is locked"
    because another import holds the file. A larger hash size left behind only
    means more memory for pending index data; the next bulk load resets it.
    """
    conn = db.conn
    conn.execute("PRAGMA busy_timeout = 5000")
    try:
        with suppress(sqlite3.OperationalError):
            _set_fts_hash_size(db, FTS_DEFAULT_HASH_BYTES)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _back_to_wal(conn: sqlite3.Connection, attempts: int = 50) -> None:
    """Return the file to WAL after a bulk load, waiting a little for other writers.

    Leaving rollback-journal mode needs the file to itself, and SQLite answers
    "database is locked" at once (no busy wait) while another process (a second
    import started meanwhile) is writing. Everything is committed by then: when
    the other writer keeps the file, the next connect() puts it back in WAL.
    """
    for _ in range(attempts):
        try:
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.1)


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """Run the block in one write transaction (a savepoint when already inside one)."""
    conn = db.conn
    if conn.in_transaction:
        name = f"sp_{id(object())}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def schema_version(db: sqlite_utils.Database) -> int:
    """The schema version stored in the file."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _migration_1_articles(db: sqlite_utils.Database) -> None:
    """Articles and their full-text index over title, body and normalised numbers."""
    db["articles"].create(
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
    db["articles"].create_index(["source_key"], unique=True)
    db["articles"].create_index(["content_hash"])
    db["articles"].create_index(["url"])
    db["articles"].create_index(["outlet"])
    db["articles"].create_index(["published"])
    db["articles"].enable_fts(
        ["title", "body", "numbers"], tokenize=FTS_TOKENIZER, create_triggers=True
    )


def _migration_2_figures(db: sqlite_utils.Database) -> None:
    """Key figures of each article, with character offsets into its body."""
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
    # A file written before figures existed: extract them for the articles it holds.
    from store.figures import extract_all

    extract_all(db)


def _migration_3_annotations(db: sqlite_utils.Database) -> None:
    """Annotations (W3C quote and position selectors), tags, and a search index over both."""
    from store.annotations import create_annotation_schema

    create_annotation_schema(db)


def _migration_4_search_cache(db: sqlite_utils.Database) -> None:
    """The exact top hits of frequent words, and the write counter that says when they are stale."""
    from store.search import create_search_cache_schema

    create_search_cache_schema(db)


def _migration_5_index_title_and_body(db: sqlite_utils.Database) -> None:
    """The full-text index over title and body only: numbers are matched at search time.

    Versions 1 to 4 kept each article's numbers in a ``numbers`` column, indexed too;
    store.numbers now searches a number under each way FTS5 splits it. The index is
    rebuilt without the column, and the kept rankings go (their scores counted it).
    """
    from store.search import create_text_update_trigger

    db.execute("DROP TRIGGER IF EXISTS search_generation_au")  # it names the column
    db["articles"].disable_fts()
    if sqlite3.sqlite_version_info >= (3, 35):  # DROP COLUMN came with 3.35 (2021)
        db.execute("ALTER TABLE articles DROP COLUMN numbers")
    # An older SQLite keeps the column: it may stay empty, nothing reads it.
    db["articles"].enable_fts(["title", "body"], tokenize=FTS_TOKENIZER, create_triggers=True)
    create_text_update_trigger(db)
    db.execute("UPDATE search_generation SET value = value + 1 WHERE id = 1")
    db.execute("DELETE FROM search_top")


def _migration_6_changed_status(db: sqlite_utils.Database) -> None:
    """Annotations get the status ``changed``: their quoted words changed on a re-import.

    Until now such a note was only ``moved``, as if its words were the same. The CHECK
    on ``status`` is widened in place, as SQLite documents for changing a constraint
    that existing rows already satisfy (writable_schema, then a new schema_version so
    every connection re-reads it); the table, its ids and triggers stay as they are.
    Notes marked ``moved`` whose quote differs from the one kept become ``changed``.
    """
    old_check = "CHECK (status IN ('anchored', 'moved', 'orphaned'))"
    new_check = "CHECK (status IN ('anchored', 'moved', 'changed', 'orphaned'))"
    (sql,) = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'annotations'"
    ).fetchone()
    if old_check in sql:
        version = int(db.execute("PRAGMA schema_version").fetchone()[0])
        db.execute("PRAGMA writable_schema = ON")
        try:
            db.execute(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'annotations'",
                [sql.replace(old_check, new_check)],
            )
            db.execute(f"PRAGMA schema_version = {version + 1}")
        finally:
            db.execute("PRAGMA writable_schema = OFF")
    db.execute(
        "UPDATE annotations SET status = 'changed' WHERE status = 'moved' "
        "AND previous_exact IS NOT NULL AND previous_exact != exact"
    )


Migration = Callable[["sqlite_utils.Database"], None]

MIGRATIONS: list[Migration] = [
    _migration_1_articles,
    _migration_2_figures,
    _migration_3_annotations,
    _migration_4_search_cache,
    _migration_5_index_title_and_body,
    _migration_6_changed_status,
]
"""MIGRATIONS[i] upgrades a database from version i to version i + 1."""

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite_utils.Database, on_upgrade: UpgradeNotice | None = None) -> None:
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
