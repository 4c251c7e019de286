"""The app's database connections, shared by worker threads under locks.

SQLite connections are not safe to use from two threads at once, so each
connection has a lock held for the duration of a use:

* `use()`: the library opened for writing (`store.db.connect`: migrations), for
  everything that writes;
* `read()`: the library opened for reads (`store.db.connect_reader`), for the library
  list and search. It opens without the migration machinery, which keeps the first
  screen fast, and under WAL it reads while the other connection writes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from store.db import UpgradeNotice, connect, connect_reader

if TYPE_CHECKING:
    from store.db import Library


class LibraryDatabase:
    """Lazily opened connections to the library and the locks that guard them."""

    def __init__(self, path: Path | str, on_upgrade: UpgradeNotice | None = None) -> None:
        self.path = Path(path)
        self.on_upgrade = on_upgrade  # told when an older file is about to be upgraded
        self._lock = threading.Lock()
        self._db: Library | None = None
        self._read_lock = threading.Lock()
        self._reader: Library | None = None

    @contextmanager
    def use(self) -> Iterator[Library]:
        """Hold the full connection for the block (opening it the first time)."""
        with self._lock:
            if self._db is None:
                self._db = connect(self.path, self.on_upgrade)
            yield self._db

    @contextmanager
    def read(self) -> Iterator[Library]:
        """Hold the reader connection for the block (opening it the first time)."""
        with self._read_lock:
            if self._reader is None:
                self._reader = connect_reader(self.path, self.on_upgrade)
            yield self._reader

    def close(self) -> None:
        """Close the connections that are open."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None
