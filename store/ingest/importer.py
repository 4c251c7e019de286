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
from typing import Any

import sqlite_utils

from store.annotations import reanchor_article
from store.db import bulk_load, transaction
from store.figures import extract_figure_rows as extract_figures  # see _figures_of
from store.figures import (
    pack_figure_rows,
    replace_figure_rows,
    store_packed_figures,
    value_index_suspended,
)
from store.ingest.orphans import die_with_parent
from store.library import (  # re-exported: store.ingest.importer is where callers look for them
    ARTICLE_SUFFIXES,
    MAX_FILE_BYTES,
    ParsedArticle,
    content_digest,
    decode_bytes,
    finish_article,
    iter_article_files,
    iter_jsonl,
    parse_file,
    parse_html,
    parse_jsonl_line,
    parse_md,
    parse_txt,
    read_text_file,
    split_front_matter,
)
from store.models import FileOutcome, ImportReport

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_FILE_BYTES",
    "ParsedArticle",
    "ProgressCallback",
    "content_digest",
    "decode_bytes",
    "import_paths",
    "import_text",
    "iter_article_files",
    "iter_jsonl",
    "parse_file",
    "parse_html",
    "parse_jsonl_line",
    "parse_md",
    "parse_txt",
    "read_text_file",
    "split_front_matter",
    "store_article",
    "write_articles",
]

ProgressCallback = Callable[[int, int], None]
"""Called with (files done, files in all) as an import advances."""

BATCH_SIZE = 10_000
SMALL_BATCH_SIZE = 100
FIRST_BATCH_SIZE = 2_000


# --------------------------------------------------------------------------- writing

_COLUMNS = (
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
_BODY = "CAST(? AS TEXT)"
_INSERT = (
    f"INSERT INTO articles ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join(_BODY if column == 'body' else '?' for column in _COLUMNS)})"
)
_UPDATE = (
    "UPDATE articles SET title = ?, outlet = ?, published = ?, url = ?, lang = ?, "
    f"source_path = ?, content_hash = ?, body = {_BODY}, updated_at = ? WHERE id = ?"
)
FTS_INSERT_TRIGGER = "articles_ai"
"""The trigger (created by sqlite-utils in migration 1) that indexes each inserted row."""
BULK_INSERT_TRIGGERS = {
    FTS_INSERT_TRIGGER: "INSERT INTO articles_fts (rowid, title, body) "
    "SELECT id, title, body FROM articles WHERE id >= ?",
    # store.search.fulltext's write counter: any change makes kept rankings stale.
    "search_generation_ai": "UPDATE search_generation SET value = value + 1 WHERE id = 1",
}
"""Insert triggers on articles, and the statement that does the work of each for a whole
batch of rows inserted from the id given (see _insert_new)."""
BULK_FTS_MIN_ROWS = 50
"""From this many new articles in a batch, the index is filled in one pass, not by trigger."""
_LOOKUP_CHUNK = 500


@dataclass(frozen=True, slots=True)
class WrittenArticle:
    """An article just inserted or updated, handed to the derived-data hooks."""

    article_id: int
    stored_body: str | bytes  # bytes when it came from an import worker (ParsedArticle)
    status: str  # imported or updated
    derived: dict[str, object] | None = None  # computed by an import worker, else None

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

    def __init__(self, db: sqlite_utils.Database, articles: Sequence[ParsedArticle]) -> None:
        self.by_key = self._lookup(db, "source_key", {a.source_key for a in articles})
        self.by_url = self._lookup(db, "url", {a.url for a in articles if a.url})
        self.by_hash = self._lookup(db, "content_hash", {a.content_hash for a in articles})

    @staticmethod
    def _lookup(
        db: sqlite_utils.Database, column: str, values: set[str]
    ) -> dict[str, tuple[int, str]]:
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


def write_articles(
    db: sqlite_utils.Database, articles: Sequence[ParsedArticle]
) -> list[FileOutcome]:
    """Insert or update a batch of parsed articles in one transaction.

    Identical content changes nothing; a changed article (same source or same URL)
    is updated in place and keeps its id. The derived-data hooks run in the same
    transaction, so an error anywhere leaves nothing of the batch behind.
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
            derived = None if article.derived is None else unpack_derived(article.derived)
            # The text when this process parsed the article, else the bytes a worker sent.
            body = article.body or article.stored_body()
            written[article_id] = WrittenArticle(article_id, body, status, derived)
            outcomes.append(FileOutcome(article.source_key, status, article_id=article_id))
        if updates:
            db.conn.executemany(_UPDATE, list(updates.values()))  # the update trigger reindexes
        if inserts:
            _insert_new(db, list(inserts.values()), first_new_id)
        after_articles_written(db, list(written.values()))
    return outcomes


def _insert_new(db: sqlite_utils.Database, rows: list[tuple[object, ...]], first_id: int) -> None:
    """Insert new articles; a large batch does its insert triggers' work once, not per row.

    Filling FTS5 with one INSERT ... SELECT is about twice as fast as its insert
    trigger firing per row, and the search cache's write counter needs one bump, not
    one per row (100k rows: about 1 s). The triggers are dropped and recreated inside
    the batch's transaction, so no other connection ever sees the table without them.
    """
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles' "
        f"AND name IN ({', '.join('?' for _ in BULK_INSERT_TRIGGERS)})",
        list(BULK_INSERT_TRIGGERS),
    ).fetchall()
    names = {name for name, _ in triggers}
    if FTS_INSERT_TRIGGER not in names or len(rows) < BULK_FTS_MIN_ROWS:
        db.conn.executemany(_INSERT, rows)
        return
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER {name}")
    db.conn.executemany(_INSERT, rows)
    for name, sql in triggers:
        replacement = BULK_INSERT_TRIGGERS[name]
        db.execute(replacement, [first_id] if "?" in replacement else [])
        db.execute(sql)


def store_article(db: sqlite_utils.Database, article: ParsedArticle) -> FileOutcome:
    """Insert or update one parsed article; identical content changes nothing."""
    return write_articles(db, [article])[0]


def derive_from_body(body: str) -> dict[str, object]:
    """Derived data that depends only on an article's text (its key figures).

    Pure, so that a large import computes it in the parsing worker processes, in
    parallel with the writing, instead of in the process that writes.
    """
    return {"figures": _figures_of(body)}


def _figures_of(body: str) -> list[tuple]:
    """The key figures of a text as rows (store.figures.storage.extract_figure_rows: no Figure
    object for each of the millions an import writes); none when the extractor fails.

    Figures are derived data: an extractor bug on one odd text (a '²' where a
    number was expected once raised ValueError) must not abort the import of the
    article, nor of the whole folder.
    """
    try:
        return extract_figures(body)
    except Exception:
        return []


def derive_packed(body: str) -> tuple[tuple[object, ...], ...]:
    """derive_from_body packed to be cheap to pickle: the figures as columns
    (store.figures.storage.pack_figure_rows)."""
    return pack_figure_rows(_figures_of(body))


def unpack_derived(packed: tuple[tuple[object, ...], ...]) -> dict[str, object]:
    """What derive_packed packed, for after_articles_written (columns go straight to SQL)."""
    return {"figure_columns": packed}


def after_articles_written(db: sqlite_utils.Database, written: list[WrittenArticle]) -> None:
    """Derived data of a batch of written articles, same transaction: the figures import
    workers extracted are stored for the whole batch at once."""
    bodies = [article.body for article in written]  # decoded once for both uses
    store_packed_figures(
        db,
        [
            (article.article_id, body, article.derived["figure_columns"])  # type: ignore[misc]
            for article, body in zip(written, bodies, strict=True)
            if article.derived is not None
        ],
    )
    for article, body in zip(written, bodies, strict=True):
        if article.derived is None:
            after_article_written(db, article.article_id, body)
        else:
            reanchor_article(db, article.article_id, body)


def after_article_written(
    db: sqlite_utils.Database,
    article_id: int,
    body: str,
    derived: dict[str, object] | None = None,
) -> None:
    """Derived data kept with each article (figures, annotation anchors), same transaction.

    `derived` is derive_from_body(body) when an import worker computed it already.
    """
    data = derive_from_body(body) if derived is None else derived
    replace_figure_rows(db, article_id, data["figures"])  # type: ignore[arg-type]
    reanchor_article(db, article_id, body)


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


_stored_digests: frozenset[str] = frozenset()
"""In an import worker: the content hashes the database held when the import began."""


WORKER_NICENESS = 10
"""How much lower the parsing workers' scheduling priority is than the writer's."""


def _start_worker(digests: frozenset[str], parent_pid: int | None = None) -> None:
    """Set up an import worker: end with the parent, remember the stored hashes, yield
    the CPU to the writer.

    A worker whose import was killed (``kill -9``) ends at once (store.ingest.orphans).

    The single writer is what an import waits for; when the workers and the writer
    share too few cores, a lower priority for the workers keeps the writer running
    (100k articles on 2 cores: 16 s -> 13.5 s). The app's own process keeps its
    priority, so the screen stays responsive during an import too.
    """
    global _stored_digests
    if parent_pid is not None:
        die_with_parent(parent_pid)
    _stored_digests = digests
    if hasattr(os, "nice"):
        with suppress(OSError):
            os.nice(WORKER_NICENESS)


def parse_and_derive(paths: Sequence[str | Path]) -> list[ParsedArticle | FileOutcome]:
    """Parse files and compute the derived data of the articles the database lacks.

    Runs in an import worker: an article whose exact content is stored already will
    be `unchanged`, so its derived data is not computed (re-imports stay cheap).
    Workers never touch the database (a forked process must not use SQLite state
    it inherited); they get the stored hashes once, when they start.
    """
    return [
        (
            item._replace(derived=derive_packed(item.body))
            if item.content_hash not in _stored_digests
            else item
        ).for_transport()
        if isinstance(item, ParsedArticle)
        else item
        for item in parse_files(paths)
    ]


class _Workers:
    """Parsing and derived data, in worker processes when there are several, else here."""

    def __init__(self, count: int, db: sqlite_utils.Database) -> None:
        self.count = count
        self.pool: Any = None
        if count > 1:
            from concurrent.futures import ProcessPoolExecutor

            digests = frozenset(row[0] for row in db.execute("SELECT content_hash FROM articles"))
            # fork is cheapest, but unsafe in a process with threads (the app imports in one).
            method = "fork" if threading.active_count() == 1 else "spawn"
            self.pool = ProcessPoolExecutor(
                count,
                mp_context=multiprocessing.get_context(method),
                initializer=_start_worker,
                initargs=(digests, os.getpid()),
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
        window = deque(self.pool.submit(parse_and_derive, c) for c in chunks[:ahead])
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
                        window.append(self.pool.submit(parse_and_derive, next_chunk))
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


def _expected_new_articles(batch: Sequence[ParsedArticle], files_left: int) -> int:
    """The new articles an import still brings, judged by the batch it is about to write
    (workers compute derived data only for content the database lacks)."""
    new = sum(article.derived is not None for article in batch)
    return new + new * files_left // max(len(batch), 1)


def _keep_value_index(new_articles: int) -> bool:
    """An import in this process never drops the figures' value index."""
    return False


def _batch_size(files: int) -> int:
    """Articles per write: big batches merge less, but at least ~8 let writing overlap parsing."""
    return max(1000, min(BATCH_SIZE, files // 8))


def import_paths(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    on_progress: ProgressCallback | None = None,
    *,
    workers: int | None = None,
    follow_symlinks: bool = False,
) -> ImportReport:
    """Import files and folders; every file gets an outcome, bad ones never stop the rest.

    Large imports are parsed (and their derived data computed) by `workers`
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
    # In process, derived data is computed while writing: smaller batches keep the
    # progress bar honest (a file counts as done once its articles are written).
    batch = _batch_size(len(files)) if pool.pool is not None else SMALL_BATCH_SIZE
    # The writer starts with a small batch: it would otherwise sit idle while the
    # workers parse a whole batch before the first write.
    due = min(batch, FIRST_BATCH_SIZE)
    with ExitStack() as stack:
        suspend_value_index = _keep_value_index
        if pool.pool is not None:
            stack.enter_context(bulk_load(db))
            suspend_value_index = stack.enter_context(value_index_suspended(db))
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
                suspend_value_index(_expected_new_articles(pending, total - done))
                report.outcomes.extend(write_articles(db, pending))
                pending, due = [], batch
            if on_progress and (pool.pool is not None or not pending):
                # A file counts as done once parsed by a worker (the bar moves with the
                # workers; the writer is at most one batch behind), or, in process, once
                # its articles are written.
                on_progress(done, total)
        if pending:
            suspend_value_index(_expected_new_articles(pending, 0))
            report.outcomes.extend(write_articles(db, pending))
    if on_progress:
        on_progress(done, total)
    return report


def import_text(
    db: sqlite_utils.Database,
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
