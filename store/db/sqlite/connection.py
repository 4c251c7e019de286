"""SQLite connections: where the file lives, settings, bulk loads and transactions."""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.db.library import Library

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


def open_connection(path: str | Path) -> sqlite3.Connection:
    """A connection to the file at `path` (":memory:" too), transactions left to us."""
    tune_sqlite_library()
    return sqlite3.connect(
        str(path),
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,  # we open transactions ourselves, see transaction()
        check_same_thread=False,  # TUI workers run in threads; each uses the db under a lock
    )


def configure(db: Library) -> None:
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
def bulk_load(db: Library) -> Iterator[bool]:
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
BULK_CACHE_KIB = 64 * 1024
"""Page cache of a bulk load: FTS5 merges and the content-hash index reread pages that
the default 2 MB cache has dropped (100k articles: 5.6 s of system time, 2.8 s with
128 MiB). 64 MiB keeps that gain (2.3 s of system time, with 4 000-article batches) and
the writer under its 200 MiB budget (191 MiB at its peak, against 326 MiB with 128)."""


def _set_fts_hash_size(db: Library, size: int) -> None:
    if db.conn.in_transaction:
        return
    with transaction(db):
        db.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', ?)", [size])


def _reset_fts_hash_size(db: Library) -> None:
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
def transaction(db: Library) -> Iterator[None]:
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
