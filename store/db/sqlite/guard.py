"""What keeps a search from running forever: a time budget and a way to cancel it.

SQLite calls a connection's progress handler every few hundred virtual-machine steps,
FTS5's reads of its index included; when the handler answers non-zero the statement
stops with ``interrupted``. A search installs one handler on every connection it uses
(its own and the ranking thread's) that stops it once its time budget is spent or once
someone cancels it (a newer query in the app, the app quitting). The caller then gets
QueryTooCostly or SearchCancelled instead of a search that never ends.

Some work happens between two handler calls, inside FTS5's C code: matching one row
against a NEAR group of n phrases costs about n² steps. Such work is bounded where the
query is read (store.search.limits), so that no row takes long.

The guard is SQLite's (a progress handler); store.db exports cancel_all_searches and
the budget, and FullTextRequest carries a search's budget and cancel event.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from store.errors import QueryTooCostly, SearchCancelled

SEARCH_BUDGET_SECONDS = 1.5
"""How long a search may run before it stops with "query too costly: refine it"."""
PROGRESS_STEPS = 500
"""SQLite virtual-machine steps between two checks (a check costs about 1 µs; at 10k
articles a search checks every 0.1 to 40 ms, the longest for a query of 100 words)."""

_live_guards: weakref.WeakSet[SearchGuard] = weakref.WeakSet()
_live_lock = threading.Lock()


class SearchGuard:
    """One search's deadline and cancellation, checked by SQLite while the search runs."""

    def __init__(
        self, budget: float | None = SEARCH_BUDGET_SECONDS, cancel: threading.Event | None = None
    ) -> None:
        self.budget = budget
        self.deadline = None if budget is None else time.monotonic() + budget
        self.cancel = cancel if cancel is not None else threading.Event()
        self.stopped_by: str | None = None  # "budget" or "cancel" once it has stopped the search
        with _live_lock:
            _live_guards.add(self)

    def check(self) -> int:
        """SQLite's progress handler: non-zero stops the running statement."""
        if self.cancel.is_set():
            self.stopped_by = self.stopped_by or "cancel"
            return 1
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.stopped_by = self.stopped_by or "budget"
            return 1
        return 0

    def _ctrl_c(self, signum: int, frame: object) -> None:
        """Ctrl+C during the search: stop it, and raise KeyboardInterrupt once it stopped."""
        self.stopped_by = "keyboard"
        self.cancel.set()

    @contextmanager
    def watching(self, conn: sqlite3.Connection) -> Iterator[None]:
        """Have `conn` check this guard while the block runs (and nothing after it)."""
        if self.check():  # already cancelled or out of time: do not start
            raise sqlite3.OperationalError("interrupted")
        conn.set_progress_handler(self.check, PROGRESS_STEPS)
        # A KeyboardInterrupt raised in the progress handler would be swallowed by SQLite
        # (the statement just stops as "interrupted"): Ctrl+C is caught as a flag instead.
        catching = (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler
        )
        if catching:
            signal.signal(signal.SIGINT, self._ctrl_c)
        try:
            yield
        finally:
            conn.set_progress_handler(None, 0)
            if catching:
                signal.signal(signal.SIGINT, signal.default_int_handler)

    def error(
        self, query_excerpt: str
    ) -> QueryTooCostly | SearchCancelled | KeyboardInterrupt | None:
        """The error to raise when this guard stopped the search (None when it did not)."""
        if self.stopped_by == "keyboard":
            return KeyboardInterrupt()
        if self.stopped_by == "cancel":
            return SearchCancelled(f"search cancelled: {query_excerpt}")
        if self.stopped_by == "budget":
            return QueryTooCostly(
                f"query too costly: refine it ({query_excerpt} ran over {self.budget:g} s)"
            )
        return None


def cancel_all_searches() -> None:
    """Stop every search running in this process (the app calls it when it quits)."""
    with _live_lock:
        guards = list(_live_guards)
    for guard in guards:
        guard.cancel.set()
