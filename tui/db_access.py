"""The app's one database connection, shared by worker threads under a lock.

`store.db.connect` opens the connection with ``check_same_thread=False``; SQLite
connections are not safe to use from two threads at once, so every use goes
through `LibraryDatabase.use()`, which holds a lock for the duration.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from store.db import connect


class LibraryDatabase:
    """A lazily opened connection to the library and the lock that guards it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db: sqlite_utils.Database | None = None

    @contextmanager
    def use(self) -> Iterator[sqlite_utils.Database]:
        """Hold the connection for the block (opening it the first time)."""
        with self._lock:
            if self._db is None:
                self._db = connect(self.path)
            yield self._db

    def close(self) -> None:
        """Close the connection if it is open."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
