"""Import of articles from files and folders: .txt, .md, .html/.htm and .jsonl.

Files are read and parsed (store.library.parsing) in worker processes on a large import;
this process writes the articles in batches, each batch in one transaction. A file
that cannot be imported becomes one ``skipped`` outcome with its reason and the
rest of the folder imports.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.annotations import reanchor_article
from store.db import bulk_load, transaction
from store.derive.workers import die_with_parent
from store.library import ParsedArticle, finish_article, iter_article_files, parse_file
from store.models import FileOutcome, ImportReport

if TYPE_CHECKING:
    from store.db import Library


__all__ = ["ProgressCallback", "import_paths", "import_text", "store_article", "write_articles"]

ProgressCallback = Callable[[int, int], None]
"""Called with (files done, files in all) as an import advances."""

BATCH_SIZE = 4_000
"""Articles per transaction of a large import. 4 000 rather than 10 000 keeps the writer's
peak at 191 MiB instead of 326 MiB on 100k articles (with the 64 MiB bulk page cache), in
the same time (17.8 s against 18.5 s): the batch's texts are held twice in memory while
SQLite writes them."""
SMALL_BATCH_SIZE = 100
FIRST_BATCH_SIZE = 2_000


# --------------------------------------------------------------------------- writing

_UPDATE = (
    "UPDATE articles SET title = ?, outlet = ?, published = ?, url = ?, lang = ?, "
    "source_path = ?, content_hash = ?, body = CAST(? AS TEXT), updated_at = ? WHERE id = ?"
)
_LOOKUP_CHUNK = 500


@dataclass(frozen=True, slots=True)
class WrittenArticle:
    """An article just updated, whose notes are re-anchored in the same transaction."""

    article_id: int
    stored_body: str | bytes  # bytes when it came from an import worker (ParsedArticle)
    status: str  # imported or updated

    @property
    def body(self) -> str:
        """The article's text."""
        if isinstance(self.stored_body, bytes):
            return self.stored_body.decode("utf-8")
        return self.stored_body


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _StoredArticles:
    """What the database already holds that a batch may replace: by source, URL, content."""

    def __init__(self, db: Library, articles: Sequence[ParsedArticle]) -> None:
        self.by_key = self._lookup(db, "source_key", {a.source_key for a in articles})
        self.by_url = self._lookup(db, "url", {a.url for a in articles if a.url})
        self.by_hash = self._lookup(db, "content_hash", {a.content_hash for a in articles})

    @staticmethod
    def _lookup(db: Library, column: str, values: set[str]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        wanted = sorted(values)
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start : start + _LOOKUP_CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = db.execute(
                f"SELECT {column}, id, content_hash FROM articles WHERE {column} IN ({marks}) "
                "ORDER BY id",
                chunk,
            )
            for value, article_id, digest in rows:
                found.setdefault(value, (int(article_id), str(digest)))  # the oldest wins
        return found

    def find(self, article: ParsedArticle) -> tuple[int, str] | None:
        """The stored article this one replaces: same source, else same URL, else same text."""
        return (
            self.by_key.get(article.source_key)
            or (self.by_url.get(article.url) if article.url else None)
            or self.by_hash.get(article.content_hash)
        )

    def remember(self, article: ParsedArticle, article_id: int) -> None:
        """Make an article written earlier in the batch findable by the ones after it."""
        entry = (article_id, article.content_hash)
        self.by_key[article.source_key] = entry
        if article.url and self.by_url.get(article.url, entry)[0] == article_id:
            self.by_url[article.url] = entry
        self.by_hash.setdefault(article.content_hash, entry)


def _row(article: ParsedArticle, article_id: int, now: str) -> tuple[object, ...]:
    return (
        article_id,
        article.title,
        article.outlet,
        article.published,
        article.url,
        article.lang,
        article.source_path,
        article.source_key,
        article.content_hash,
        article.stored_body(),
        now,
        now,
    )


def write_articles(db: Library, articles: Sequence[ParsedArticle]) -> list[FileOutcome]:
    """Insert or update a batch of parsed articles in one transaction.

    Identical content changes nothing; a changed article (same source or same URL)
    is updated in place and keeps its id, and its notes are re-anchored in the same
    transaction, so an error anywhere leaves nothing of the batch behind. Derived data
    (figures...) is not computed here: see store.derive.
    """
    outcomes: list[FileOutcome] = []
    with transaction(db):
        stored = _StoredArticles(db, articles)
        now = _now()
        first_new_id = int(
            db.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0]
        )
        inserts: dict[int, tuple[object, ...]] = {}
        updates: dict[int, tuple[object, ...]] = {}
        written: dict[int, WrittenArticle] = {}
        for article in articles:
            existing = stored.find(article)
            if existing and existing[1] == article.content_hash:
                outcomes.append(
                    FileOutcome(article.source_key, "unchanged", article_id=existing[0])
                )
                continue
            if existing is None:
                article_id, status = first_new_id + len(inserts), "imported"
                inserts[article_id] = _row(article, article_id, now)
            elif existing[0] in inserts:  # a second version of an article new in this batch
                article_id, status = existing[0], "updated"
                inserts[article_id] = _row(article, article_id, now)
            else:
                article_id, status = existing[0], "updated"
                row = _row(article, article_id, now)
                # title, outlet, published, url, lang, source_path, hash, body, now, id
                updates[article_id] = (*row[1:7], row[8], row[9], now, article_id)
            stored.remember(article, article_id)
            if status == "updated":
                # The text when this process parsed the article, else the bytes a worker sent.
                body = article.body or article.stored_body()
                written[article_id] = WrittenArticle(article_id, body, status)
            outcomes.append(FileOutcome(article.source_key, status, article_id=article_id))
        if updates:
            db.conn.executemany(_UPDATE, list(updates.values()))  # the update trigger reindexes
        if inserts:
            db.engine.insert_articles(db, list(inserts.values()), first_new_id)
        reanchor_notes(db, list(written.values()))
    return outcomes


def store_article(db: Library, article: ParsedArticle) -> FileOutcome:
    """Insert or update one parsed article; identical content changes nothing."""
    return write_articles(db, [article])[0]


def reanchor_notes(db: Library, written: list[WrittenArticle]) -> None:
    """Re-anchor the notes of updated articles on their new text (same transaction)."""
    for article in written:
        reanchor_article(db, article.article_id, article.body)


# --------------------------------------------------------------------------- importing

POOL_MIN_WORK = 400
"""Below this much work (a text file counts 1, an HTML page 20) parsing stays in process."""
PARSE_CHUNK = 200
"""Files per task sent to a parsing worker."""


def parse_files(paths: Sequence[str | Path]) -> list[ParsedArticle | FileOutcome]:
    """Parse files (in a worker process or in process); a failure is that file's outcome."""
    items: list[ParsedArticle | FileOutcome] = []
    for path in paths:
        try:
            items.extend(parse_file(path))
        except Exception as exc:  # one bad file never stops the others, whatever it raises
            reason = f"could not be parsed ({type(exc).__name__}: {exc})"
            items.append(
                FileOutcome(path=str(path), status="skipped", reason=" ".join(reason.split()))
            )
    return items


def _parse_work(files: Sequence[str]) -> int:
    return sum(20 if name.lower().endswith((".html", ".htm")) else 1 for name in files)


def _default_workers(files: Sequence[str]) -> int:
    cores = os.cpu_count() or 1
    return min(cores, 4) if cores > 1 and _parse_work(files) >= POOL_MIN_WORK else 1


WORKER_NICENESS = 10
"""How much lower the parsing workers' scheduling priority is than the writer's."""


def _start_worker(parent: int) -> None:
    """Set up an import worker: end with the importing process, yield the CPU to the writer.

    The single writer is what an import waits for; when the workers and the writer
    share too few cores, a lower priority for the workers keeps the writer running
    (100k articles on 2 cores: 16 s -> 13.5 s). The app's own process keeps its
    priority, so the screen stays responsive during an import too.
    """
    die_with_parent(parent)
    if hasattr(os, "nice"):
        with suppress(OSError):
            os.nice(WORKER_NICENESS)


def parse_for_transport(paths: Sequence[str | Path]) -> list[ParsedArticle | FileOutcome]:
    """Parse files in an import worker; bodies travel to the writer as UTF-8 bytes.

    Workers never touch the database (a forked process must not use SQLite state it
    inherited).
    """
    return [
        item.for_transport() if isinstance(item, ParsedArticle) else item
        for item in parse_files(paths)
    ]


class _Workers:
    """Parsing, in worker processes when there are several, else here."""

    def __init__(self, count: int, db: Library) -> None:
        self.count = count
        self.pool: Any = None
        if count > 1:
            from concurrent.futures import ProcessPoolExecutor

            # fork is cheapest, but unsafe in a process with threads (the app imports in one).
            method = "fork" if threading.active_count() == 1 else "spawn"
            self.pool = ProcessPoolExecutor(
                count,
                mp_context=multiprocessing.get_context(method),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )

    def close(self) -> None:
        """Stop the workers (pending work is cancelled)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def parsed_chunks(
        self, files: Sequence[str], batch: int = 0
    ) -> Iterator[tuple[int, list[ParsedArticle | FileOutcome]]]:
        """(files parsed, their articles and outcomes), in file order.

        Workers run up to one write batch ahead of the writer, so that they keep
        parsing while it writes (a shorter window leaves them idle during each write).
        """
        if self.pool is None or not files:
            for path in files:
                yield 1, parse_files([path])
            return
        from concurrent.futures.process import BrokenProcessPool

        chunks = [files[i : i + PARSE_CHUNK] for i in range(0, len(files), PARSE_CHUNK)]
        # Bounded: parsed text must not pile up beyond about one batch while the writer works.
        ahead = max(self.count * 3, batch // PARSE_CHUNK + self.count)
        window = deque(self.pool.submit(parse_for_transport, c) for c in chunks[:ahead])
        broken = False
        for index, chunk in enumerate(chunks):
            items = None
            if not broken:
                try:
                    items = window.popleft().result()
                except BrokenProcessPool:  # a worker died (out of memory, killed): go on here
                    broken = True
                else:
                    if index + ahead < len(chunks):
                        next_chunk = chunks[index + ahead]
                        window.append(self.pool.submit(parse_for_transport, next_chunk))
            if items is None:
                items = parse_files(chunk)
            yield len(chunk), items


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a large import writes, back on afterwards.

    The batches the writer holds are many small tuples, freed by reference counting:
    the collector only walks them, and the outcomes piling up, again and again
    (100k articles: 0.5 s of the writer's 12.7 s of CPU, 820 collections).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _batch_size(files: int) -> int:
    """Articles per write: big batches merge less, but at least ~8 let writing overlap parsing."""
    return max(1000, min(BATCH_SIZE, files // 8))


def import_paths(
    db: Library,
    paths: Iterable[str | Path],
    on_progress: ProgressCallback | None = None,
    *,
    workers: int | None = None,
    follow_symlinks: bool = False,
) -> ImportReport:
    """Import files and folders; every file gets an outcome, bad ones never stop the rest.

    Large imports are parsed by `workers`
    processes, one per core by default, while this process writes batches of
    BATCH_SIZE articles, each in one transaction. Links in a folder that lead out of
    it are skipped (reported) unless `follow_symlinks`.
    """
    report = ImportReport()
    files: list[str] = []
    for entry in iter_article_files(paths, follow_symlinks=follow_symlinks):
        if isinstance(entry, FileOutcome):
            report.outcomes.append(entry)
        else:
            files.append(entry)
    total = len(files) + len(report.outcomes)
    done = len(report.outcomes)
    pending: list[ParsedArticle] = []
    pool = _Workers(_default_workers(files) if workers is None else workers, db)
    # In process, parsing happens while writing: smaller batches keep the
    # progress bar honest (a file counts as done once its articles are written).
    batch = _batch_size(len(files)) if pool.pool is not None else SMALL_BATCH_SIZE
    # The writer starts with a small batch: it would otherwise sit idle while the
    # workers parse a whole batch before the first write.
    due = min(batch, FIRST_BATCH_SIZE)
    with ExitStack() as stack:
        if pool.pool is not None:
            stack.enter_context(bulk_load(db))
            stack.enter_context(_cyclic_gc_paused())
        stack.callback(pool.close)
        for count, items in pool.parsed_chunks(files, batch):
            for item in items:
                if isinstance(item, FileOutcome):
                    report.outcomes.append(item)
                else:
                    pending.append(item)
            done += count
            if len(pending) >= due:
                report.outcomes.extend(write_articles(db, pending))
                pending, due = [], batch
            if on_progress and (pool.pool is not None or not pending):
                # A file counts as done once parsed by a worker (the bar moves with the
                # workers; the writer is at most one batch behind), or, in process, once
                # its articles are written.
                on_progress(done, total)
        if pending:
            report.outcomes.extend(write_articles(db, pending))
    if on_progress:
        on_progress(done, total)
    return report


def import_text(
    db: Library,
    text: str,
    *,
    source_key: str,
    title: str = "",
    outlet: str | None = None,
    published: str | None = None,
    url: str | None = None,
) -> FileOutcome:
    """Import one article given as text (tests, scripts); same rules as a file import."""
    meta: dict[str, str | None] = {"outlet": outlet, "published": published, "url": url}
    article = finish_article(source_key, source_key, title, text, meta)
    return store_article(db, article)
