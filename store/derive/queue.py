"""What is pending, and the loop that computes it: in order of article id, resumable.

Nothing is queued explicitly: an article is pending while ``derived_articles`` lacks
its row for a kind at the deriver's current version (a new text deletes the rows, see
the schema). So a run killed at any point loses at most the write in progress (each
write is one transaction) and the next run starts where it stopped.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.db import transaction
from store.derive.derivers import BACKGROUND
from store.derive.workers import compute_texts, worker_pool

if TYPE_CHECKING:
    from store.db import Library

ProgressCallback = Callable[[int, int], None]
"""Told (articles done, articles in all) as derivation advances."""

CHUNK = 100
"""Texts per task sent to a worker."""
WRITE_EVERY = 1000
"""Articles per write transaction: fewer commits, and little lost if killed."""
POOL_MIN_PENDING = 300
"""Below this many pending articles, computing in this process beats starting workers."""
_PAGE = 2000
Computed = tuple[int, str, str, tuple[bytes, ...]]
"""An article's id, content hash and body, and its data from each deriver."""


@dataclass(frozen=True, slots=True)
class DeriveStatus:
    """How far derived data has got: articles done (every kind) of articles in all."""

    done: int
    total: int
    running: bool = False

    @property
    def pending(self) -> int:
        """Articles whose derived data is not computed yet."""
        return self.total - self.done

    @property
    def complete(self) -> bool:
        """Whether every article has its derived data."""
        return self.done >= self.total

    def describe(self) -> str:
        """'figures for 12 345 of 100 000 articles so far', or that all are done."""
        if self.complete:
            return f"figures for all {self.total:,} articles".replace(",", " ")
        return f"figures for {self.done:,} of {self.total:,} articles so far".replace(",", " ")


@dataclass(frozen=True, slots=True)
class DeriveRun:
    """What one run_pending did: articles computed, and whether another process was at it."""

    computed: int
    busy: bool = False
    stopped: bool = False


def _pending_condition() -> tuple[str, list[object]]:
    conditions = []
    params: list[object] = []
    for deriver in BACKGROUND:
        conditions.append(
            "NOT EXISTS (SELECT 1 FROM derived_articles d WHERE d.article_id = a.id "
            "AND d.kind = ? AND d.version = ?)"
        )
        params += [deriver.kind, deriver.version]
    return " OR ".join(conditions), params


def derive_status(library: Library) -> DeriveStatus:
    """Articles done and in all, and whether a derivation runs now (any process)."""
    condition, params = _pending_condition()
    total = int(library.execute("SELECT count(*) FROM articles").fetchone()[0])
    pending = int(
        library.execute(f"SELECT count(*) FROM articles a WHERE {condition}", params).fetchone()[0]
    )
    return DeriveStatus(total - pending, total, _someone_derives(library))


def _pending_page(library: Library, after: int) -> list[tuple[int, str, str]]:
    condition, params = _pending_condition()
    return library.execute(
        f"SELECT a.id, a.content_hash, a.body FROM articles a WHERE a.id > ? AND ({condition}) "
        "ORDER BY a.id LIMIT ?",
        [after, *params, _PAGE],
    ).fetchall()


def _pending_articles(library: Library) -> Iterator[tuple[int, str, str]]:
    """Every pending (id, content hash, body), a page at a time, in id order."""
    after = 0
    while True:
        page = _pending_page(library, after)
        if not page:
            return
        yield from page
        after = page[-1][0]


def _known(library: Library, digests: list[str]) -> dict[str, tuple[bytes, ...]]:
    """Derived data already computed for these texts (another article had the same text)."""
    found: dict[str, dict[str, bytes]] = {}
    marks = ", ".join("?" for _ in digests)
    for digest, kind, version, data in library.execute(
        f"SELECT content_hash, kind, version, data FROM derived WHERE content_hash IN ({marks})",
        digests,
    ):
        found.setdefault(digest, {})[f"{kind}:{version}"] = data
    wanted = [f"{d.kind}:{d.version}" for d in BACKGROUND]
    return {
        digest: tuple(kinds[w] for w in wanted)
        for digest, kinds in found.items()
        if all(w in kinds for w in wanted)
    }


def _write(library: Library, done: list[Computed]) -> None:
    """Keep computed data of a group of articles, in one transaction."""
    with transaction(library):
        for index, deriver in enumerate(BACKGROUND):
            deriver.store(
                library,
                [
                    (article_id, digest, data[index], body)
                    for article_id, digest, body, data in done
                ],
            )


_local_locks: dict[str, threading.Lock] = {}


@contextmanager
def _exclusive(library: Library) -> Iterator[bool]:
    """Whether this run may derive: one at a time per library, across processes.

    A lock file beside the library (flock: released by the system when a holder dies).
    """
    location = library.location
    if location == ":memory:" or not location:
        lock = _local_locks.setdefault(str(id(library)), threading.Lock())
        got = lock.acquire(blocking=False)
        try:
            yield got
        finally:
            if got:
                lock.release()
        return
    import fcntl

    path = Path(location + ".derive-lock")
    try:
        handle = open(path, "a+b")  # noqa: SIM115 (held across the yield)
    except OSError:  # a folder we cannot write to: derive without the lock
        yield True
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _someone_derives(library: Library) -> bool:
    location = library.location
    if location == ":memory:" or not location:
        return False
    import fcntl

    path = Path(location + ".derive-lock")
    try:
        handle = open(path, "rb")  # noqa: SIM115
    except OSError:  # no lock file: nobody has derived here yet
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def _computed(library: Library, workers: int, pending: int) -> Iterator[list[Computed]]:
    """Groups of (id, hash, body, data per deriver) in id order, computed in parallel.

    Texts whose data exists already (same text as another article) are not computed
    again. Workers get a bounded window of chunks so memory stays small.
    """
    pool: Any = worker_pool(workers) if workers > 1 and pending >= POOL_MIN_PENDING else None
    window: deque[tuple[list[tuple[int, str, str]], Any]] = deque()
    ahead = max(2, workers * 3)

    def finish(chunk: list[tuple[int, str, str]], result: Any) -> list[Computed]:
        datas = result.result() if pool is not None else result
        return [(*row, data) for row, data in zip(chunk, datas, strict=True)]

    try:
        chunk: list[tuple[int, str, str]] = []
        for row in _pending_articles(library):
            chunk.append(row)
            if len(chunk) < CHUNK:
                continue
            yield from _submit(library, pool, chunk, window)
            chunk = []
            while len(window) > ahead:
                yield finish(*window.popleft())
        if chunk:
            yield from _submit(library, pool, chunk, window)
        while window:
            yield finish(*window.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _submit(
    library: Library,
    pool: Any,
    chunk: list[tuple[int, str, str]],
    window: deque[tuple[list[tuple[int, str, str]], Any]],
) -> Iterator[list[Computed]]:
    """Queue one chunk: texts computed before are answered at once, the rest computed."""
    known = _known(library, sorted({digest for _, digest, _ in chunk}))
    ready = [(*row, known[row[1]]) for row in chunk if row[1] in known]
    todo = [row for row in chunk if row[1] not in known]
    if ready:
        yield ready
    if todo:
        bodies = [body for _, _, body in todo]
        result = pool.submit(compute_texts, bodies) if pool is not None else compute_texts(bodies)
        window.append((todo, result))


def default_workers() -> int:
    """Every core this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def run_pending(
    library: Library,
    *,
    workers: int | None = None,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> DeriveRun:
    """Compute every pending article's derived data; returns what it did.

    Runs `workers` processes (every core by default). When another process is deriving
    this library already, returns at once with `busy` (callers wait on derive_status).
    `should_stop` is asked between writes: the app stops a run when it closes.
    """
    with _exclusive(library) as allowed:
        if not allowed:
            return DeriveRun(0, busy=True)
        status = derive_status(library)
        done, total = status.done, status.total
        if on_progress:
            on_progress(done, total)
        if status.complete:
            return DeriveRun(0)
        computed = 0
        group: list[Computed] = []
        last_write = time.monotonic()
        for batch in _computed(library, workers or default_workers(), status.pending):
            group += batch
            if len(group) >= WRITE_EVERY or time.monotonic() - last_write > 1.0:
                _write(library, group)
                computed, done = computed + len(group), done + len(group)
                group, last_write = [], time.monotonic()
                if on_progress:
                    on_progress(min(done, total), total)
                if should_stop is not None and should_stop():
                    return DeriveRun(computed, stopped=True)
        if group:
            _write(library, group)
            computed += len(group)
        if on_progress:
            on_progress(total, total)
        return DeriveRun(computed)
