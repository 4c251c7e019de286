"""Import of articles from files and folders: .txt, .md, .html/.htm and .jsonl.

Every file is read, decoded, parsed and normalised before anything is written;
articles are then written in batches, each batch in one transaction. A file
that cannot be imported becomes one ``skipped`` outcome with its reason and the
rest of the folder imports.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import multiprocessing
import os
import re
import stat
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from store.anchoring import reanchor_article
from store.dates import normalize_date
from store.db import bulk_load, transaction
from store.errors import ImportFailure
from store.figures import extract_figure_rows as extract_figures  # see _figures_of
from store.figures import (
    pack_figure_rows,
    replace_figure_rows,
    store_packed_figures,
    value_index_suspended,
)
from store.models import FileOutcome, ImportReport
from store.numbers import numbers_column
from store.text import normalize_line, normalize_text

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"}
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TITLE_CHARS = 200
BATCH_SIZE = 10_000
SMALL_BATCH_SIZE = 100
MIN_HTML_WORDS = 5

ProgressCallback = Callable[[int, int], None]
"""Called with (files done, files in all) as an import advances."""


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article read from a file, normalised, not yet stored.

    `numbers` (the canonical figures for the search index) and `content_hash` are
    computed where the article is parsed, so a worker process does that work too.
    """

    source_key: str
    source_path: str
    title: str
    body: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    lang: str | None = None
    numbers: str = ""
    content_hash: str = ""
    derived: Any = None  # derived data computed by an import worker (see derive_packed)


def content_digest(*fields: str | None) -> str:
    """A digest of everything the file says about the article."""
    joined = "\x00".join(field or "" for field in fields)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- reading


def decode_bytes(data: bytes) -> str:
    """Decode file bytes: BOMs, UTF-8, UTF-16 without BOM, then a detected encoding."""
    if not data.strip():
        raise ImportFailure("empty file")
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ImportFailure(f"not valid {codec} despite its byte-order mark") from exc
    sample = data[:8192]
    if b"\x00" in sample:
        return _decode_utf16_without_bom(sample, data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _cut_in_last_character(data, exc):
            # A download or copy cut short mid-character: keep the text, drop the broken tail.
            return data[: exc.start].decode("utf-8")
    western = _decode_western(data)
    if western is not None:
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ImportFailure("undecodable text (not UTF-8, no encoding detected)")
    return str(best)


def _cut_in_last_character(data: bytes, error: UnicodeDecodeError) -> bool:
    """True when UTF-8 text is valid up to a multi-byte character cut off at its very end.

    The text before must hold UTF-8 characters already: ASCII ending in one high
    byte is more likely Latin-1 (``café`` ends in 0xE9, a UTF-8 lead byte).
    """
    if error.reason != "unexpected end of data" or error.start < len(data) - 3:
        return False
    return not data[: error.start].isascii()


# Non-ASCII characters of French (and German, Spanish) text and its typography.
_WESTERN_LETTERS = frozenset(
    "àâäáãåçéèêëíìîïñóòôöõúùûüÿœæßÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜŸŒÆ«»‘’“”–—…€°·§ª©®×\u00a0"
)


_HIGH_PAIR = re.compile(r"[^\x00-\x7f]{2}")


def _decode_western(data: bytes) -> str | None:
    """Windows-1252 / Latin-1 text, when its accented characters read as a Western language.

    Encoding detectors guess poorly on short French texts (``à`` read as ``ŕ`` of
    Windows-1250); the old encodings of French news are Latin-1 and Windows-1252.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [char for char in text if ord(char) > 127]
    plausible = sum(1 for char in high if char in _WESTERN_LETTERS)
    # In French, an accented letter sits between plain ones; a run of them is another script.
    runs = len(_HIGH_PAIR.findall(text))
    if high and plausible >= 0.9 * len(high) and runs <= 0.2 * len(high):
        return text
    return None


def _decode_utf16_without_bom(sample: bytes, data: bytes) -> str:
    """Text with NUL bytes is UTF-16 when the NULs sit on one side of each pair, else binary."""
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        codec = "utf-16-le"
    elif even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        codec = "utf-16-be"
    else:
        raise ImportFailure("binary file (contains NUL bytes)")
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ImportFailure("binary file (contains NUL bytes)") from exc


def read_text_file(path: Path) -> str:
    """Read and decode a file, refusing what is too large, unreadable or not text."""
    try:
        data = _read_regular_file(path)
    except PermissionError as exc:
        raise ImportFailure("unreadable (permission denied)") from exc
    except OSError as exc:
        raise ImportFailure(f"unreadable ({exc.strerror or exc})") from exc
    return decode_bytes(data)


def _too_large(size: int) -> ImportFailure:
    return ImportFailure(
        f"too large ({size / 1_048_576:.0f} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB)"
    )


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES of them.

    Opened without blocking and checked on the open descriptor: a FIFO would block
    the import forever, and a device such as /dev/zero (size 0) never ends.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailure("not a regular file (a device, pipe or socket)")
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(info.st_size)
        data = handle.read(MAX_FILE_BYTES + 1)  # bounded even when the size lies (/proc)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(len(data))
    return data


# --------------------------------------------------------------------------- metadata

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_MATTER_KEYS = {
    "title": "title",
    "titre": "title",
    "outlet": "outlet",
    "source": "outlet",
    "site": "outlet",
    "media": "outlet",
    "média": "outlet",
    "date": "published",
    "published": "published",
    "url": "url",
    "link": "url",
    "lang": "lang",
    "language": "lang",
}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Read `key: value` front matter between --- lines; return (fields, rest of the text)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        name = _FRONT_MATTER_KEYS.get(key.strip().lower())
        value = value.strip().strip("\"'").strip()
        if name and value:
            fields[name] = value
    return fields, text[match.end() :]


# --------------------------------------------------------------------------- parsers

_BYLINE = re.compile(r"^(?P<outlet>[^\n—]{1,80}?) — (?P<date>[^\n—]{6,40})$")
_SENTENCE_END = re.compile(r"(?<=[.!?»])\s")


def _title_from_first_line(text: str) -> tuple[str, str]:
    """Split text into (title, body): the first line when it is short, else its first sentence."""
    stripped = text.strip("\n ")
    first, _, rest = stripped.partition("\n")
    if len(first) <= MAX_TITLE_CHARS:
        return first, rest
    # A long first line is a paragraph, not a title: keep it in the body, name it by its start.
    sentence = _SENTENCE_END.split(first, maxsplit=1)[0]
    if len(sentence) > 120:
        sentence = sentence[:119].rsplit(" ", 1)[0] + "…"
    return sentence, stripped


def _finish(
    source_key: str,
    source_path: str,
    title: str,
    body: str,
    meta: dict[str, str | None],
    *,
    body_normalized: bool = False,
) -> ParsedArticle:
    """Normalise fields and check that something readable is left.

    `body_normalized`: the body is a part of a text normalize_text already cleaned
    (text and Markdown files), so only its ends need trimming.
    """
    body = body.strip("\n ") if body_normalized else normalize_text(body)
    title = normalize_line(title)
    if not body:
        raise ImportFailure("no article text")
    if not title:
        title, _ = _title_from_first_line(body)
        title = normalize_line(title)
    outlet = normalize_line(meta.get("outlet") or "") or None
    url = normalize_line(meta.get("url") or "") or None
    lang = normalize_line(meta.get("lang") or "") or None
    published = normalize_date(meta.get("published"))
    return ParsedArticle(
        source_key=source_key,
        source_path=source_path,
        title=title,
        body=body,
        outlet=outlet,
        published=published,
        url=url,
        lang=lang,
        numbers=numbers_column(body),
        content_hash=content_digest(title, body, outlet, published, url, lang),
    )


def parse_txt(text: str, path: str) -> ParsedArticle:
    """Plain text: optional front matter, first line the title, an optional `Outlet — date` line."""
    text = normalize_text(text)
    meta, rest = split_front_matter(text)
    if "title" in meta:
        title, body = meta["title"], rest
    else:
        title, body = _title_from_first_line(rest)
    body = body.lstrip("\n")
    first, _, after = body.partition("\n")
    byline = _BYLINE.match(first.strip())
    if byline and normalize_date(byline.group("date")):
        meta.setdefault("outlet", byline.group("outlet"))
        meta.setdefault("published", byline.group("date"))
        body = after
    return _finish(path, path, title, body, dict(meta), body_normalized=True)


_MD_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)


def parse_md(text: str, path: str) -> ParsedArticle:
    """Markdown: front matter, else the first `# heading` as title."""
    text = normalize_text(text)
    meta, rest = split_front_matter(text)
    title = meta.get("title", "")
    if not title:
        heading = _MD_HEADING.search(rest)
        if heading and not rest[: heading.start()].strip():
            title = heading.group(1)
            rest = rest[heading.end() :]
        else:
            title, rest = _title_from_first_line(rest)
    return _finish(path, path, title, rest, dict(meta), body_normalized=True)


_BOILERPLATE_LINE = re.compile(
    r"^(?:(?:à )?lire aussi|voir aussi|lire la suite|read more|see also|related)\b",
    re.IGNORECASE,
)


def parse_html(text: str, path: str) -> ParsedArticle:
    """HTML: main text and metadata by trafilatura; menus and 'Lire aussi' links dropped."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            text,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds on hostile markup
        raise ImportFailure(f"HTML could not be parsed ({type(exc).__name__})") from exc
    if doc is None or not (doc.text or "").strip():
        raise ImportFailure("no article text found in the HTML")
    title = doc.title or ""
    lines = [line for line in doc.text.split("\n") if not _BOILERPLATE_LINE.match(line.strip())]
    if lines and title and lines[0].strip() == title.strip():
        lines = lines[1:]
    body = "\n\n".join(line for line in lines if line.strip())
    if len(body.split()) < MIN_HTML_WORDS:
        # What is left of a page without an article is a menu entry or a cookie banner.
        raise ImportFailure("no article text found in the HTML")
    meta: dict[str, str | None] = {
        "outlet": doc.sitename,
        "published": doc.date,
        "url": doc.url,
        "lang": doc.language,
    }
    return _finish(path, path, title, body, meta)


_JSON_FIELDS = {
    "title": ("title", "titre", "headline"),
    "body": ("text", "body", "content", "contenu"),
    "outlet": ("outlet", "source", "sitename", "site", "media"),
    "published": ("date", "published", "published_at", "pubdate"),
    "url": ("url", "link"),
    "lang": ("lang", "language"),
}


def _json_field(record: dict[str, object], name: str, line_no: int) -> str | None:
    """The first present key among a field's aliases; a non-string value is an error."""
    for key in _JSON_FIELDS[name]:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ImportFailure(
                f"line {line_no}: '{key}' must be a string, not {type(value).__name__}"
            )
        return value
    return None


def parse_jsonl_line(line: str, line_no: int, path: str) -> ParsedArticle:
    """One JSON object: title, text or body, outlet, date, url (and an optional id)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportFailure(f"line {line_no}: malformed JSON ({exc.msg})") from exc
    if not isinstance(record, dict):
        raise ImportFailure(f"line {line_no}: expected a JSON object")
    body = _json_field(record, "body", line_no)
    if not body:
        raise ImportFailure(f"line {line_no}: no 'text' or 'body'")
    record_id = record.get("id")
    suffix = str(record_id) if isinstance(record_id, str | int) else f"L{line_no}"
    meta = {name: _json_field(record, name, line_no) for name in ("outlet", "published", "url")}
    meta["lang"] = _json_field(record, "lang", line_no)
    title = _json_field(record, "title", line_no) or ""
    try:
        return _finish(f"{path}#{suffix}", path, title, body, meta)
    except ImportFailure as exc:
        raise ImportFailure(f"line {line_no}: {exc}") from exc


def iter_jsonl(text: str, path: str) -> Iterator[ParsedArticle | FileOutcome]:
    """Articles of a JSONL file, one per line; a bad line becomes a skipped outcome."""
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield parse_jsonl_line(line, line_no, path)
        except ImportFailure as exc:
            yield FileOutcome(path=f"{path}:{line_no}", status="skipped", reason=str(exc))


_PARSERS: dict[str, Callable[[str, str], ParsedArticle]] = {
    ".txt": parse_txt,
    ".md": parse_md,
    ".markdown": parse_md,
    ".html": parse_html,
    ".htm": parse_html,
}


@functools.lru_cache(maxsize=256)
def _resolved_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _source_key(path: Path) -> str:
    """The file's absolute path, symlinks resolved: what identifies it across imports."""
    if path.is_symlink():
        try:
            return str(path.resolve())
        except (OSError, RuntimeError):  # a symlink loop: reading it will say so
            return os.path.abspath(path)
    # Resolving each folder once, not each file, saves a few lstat calls per file.
    return os.path.join(_resolved_folder(str(path.parent)), path.name)


def parse_file(path: Path) -> list[ParsedArticle | FileOutcome]:
    """Parse one file into articles (or skipped outcomes for what cannot be imported)."""
    key = _source_key(path)
    suffix = path.suffix.lower()
    try:
        if suffix not in ARTICLE_SUFFIXES:
            raise ImportFailure(f"not an article file type ({suffix or 'no extension'})")
        text = read_text_file(path)
        if suffix == ".jsonl":
            items = list(iter_jsonl(text, key))
            if not items:
                raise ImportFailure("no articles in the file")
            return items
        return [_PARSERS[suffix](text, key)]
    except ImportFailure as exc:
        return [FileOutcome(path=str(path), status="skipped", reason=str(exc))]
    except RecursionError:
        return [FileOutcome(path=str(path), status="skipped", reason="too deeply nested")]


# --------------------------------------------------------------------------- walking


def iter_article_files(paths: Iterable[str | Path]) -> Iterator[Path | FileOutcome]:
    """Files to import under `paths`, recursively, in a stable order; missing paths reported."""
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            yield from _walk_folder(path)
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield FileOutcome(path=str(path), status="skipped", reason="no such file or folder")


def _walk_folder(folder: Path) -> Iterator[Path | FileOutcome]:
    """Article files under a folder; symlinked folders are not followed (no loops)."""

    def report(error: OSError) -> None:
        errors.append(error)

    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=report, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            if path.suffix.lower() in ARTICLE_SUFFIXES:
                yield path
    for error in errors:
        yield FileOutcome(
            path=str(error.filename or folder),
            status="skipped",
            reason=f"unreadable folder ({error.strerror or error})",
        )


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
    "numbers",
    "imported_at",
    "updated_at",
)
_INSERT = (
    f"INSERT INTO articles ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})"
)
_UPDATE = (
    "UPDATE articles SET title = ?, outlet = ?, published = ?, url = ?, lang = ?, "
    "source_path = ?, content_hash = ?, body = ?, numbers = ?, updated_at = ? WHERE id = ?"
)
FTS_INSERT_TRIGGER = "articles_ai"
"""The trigger (created by sqlite-utils in migration 1) that indexes each inserted row."""
BULK_FTS_MIN_ROWS = 50
"""From this many new articles in a batch, the index is filled in one pass, not by trigger."""
_LOOKUP_CHUNK = 500


@dataclass(frozen=True, slots=True)
class WrittenArticle:
    """An article just inserted or updated, handed to the derived-data hooks."""

    article_id: int
    body: str
    status: str  # imported or updated
    derived: dict[str, object] | None = None  # computed by an import worker, else None


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
        article.body,
        article.numbers,
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
                # title, outlet, published, url, lang, source_path, hash, body, numbers, now, id
                updates[article_id] = (*row[1:7], row[8], row[9], row[10], now, article_id)
            stored.remember(article, article_id)
            derived = None if article.derived is None else unpack_derived(article.derived)
            written[article_id] = WrittenArticle(article_id, article.body, status, derived)
            outcomes.append(FileOutcome(article.source_key, status, article_id=article_id))
        if updates:
            db.conn.executemany(_UPDATE, list(updates.values()))  # the update trigger reindexes
        if inserts:
            _insert_new(db, list(inserts.values()), first_new_id)
        after_articles_written(db, list(written.values()))
    return outcomes


def _insert_new(db: sqlite_utils.Database, rows: list[tuple[object, ...]], first_id: int) -> None:
    """Insert new articles; a large batch is indexed in one pass instead of row by row.

    Filling FTS5 with one INSERT ... SELECT is about twice as fast as its insert
    trigger firing per row. The trigger is dropped and recreated inside the batch's
    transaction, so no other connection ever sees the table without it.
    """
    trigger = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [FTS_INSERT_TRIGGER]
    ).fetchone()
    if trigger is None or len(rows) < BULK_FTS_MIN_ROWS:
        db.conn.executemany(_INSERT, rows)
        return
    db.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
    db.conn.executemany(_INSERT, rows)
    db.execute(
        "INSERT INTO articles_fts (rowid, title, body, numbers) "
        "SELECT id, title, body, numbers FROM articles WHERE id >= ?",
        [first_id],
    )
    db.execute(trigger[0])


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
    """The key figures of a text as rows (store.figures.extract_figure_rows: no Figure
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
    (store.figures.pack_figure_rows)."""
    return pack_figure_rows(_figures_of(body))


def unpack_derived(packed: tuple[tuple[object, ...], ...]) -> dict[str, object]:
    """What derive_packed packed, for after_articles_written (columns go straight to SQL)."""
    return {"figure_columns": packed}


def after_articles_written(db: sqlite_utils.Database, written: list[WrittenArticle]) -> None:
    """Derived data of a batch of written articles, same transaction: the figures import
    workers extracted are stored for the whole batch at once."""
    store_packed_figures(
        db,
        [
            (article.article_id, article.body, article.derived["figure_columns"])  # type: ignore[misc]
            for article in written
            if article.derived is not None
        ],
    )
    for article in written:
        if article.derived is None:
            after_article_written(db, article.article_id, article.body)
        else:
            reanchor_article(db, article.article_id, article.body)


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


def parse_files(paths: Sequence[Path]) -> list[ParsedArticle | FileOutcome]:
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


def _parse_work(files: Sequence[Path]) -> int:
    return sum(20 if path.suffix.lower() in (".html", ".htm") else 1 for path in files)


def _default_workers(files: Sequence[Path]) -> int:
    cores = os.cpu_count() or 1
    return min(cores, 4) if cores > 1 and _parse_work(files) >= POOL_MIN_WORK else 1


_stored_digests: frozenset[str] = frozenset()
"""In an import worker: the content hashes the database held when the import began."""


def _remember_stored_digests(digests: frozenset[str]) -> None:
    global _stored_digests
    _stored_digests = digests


def parse_and_derive(paths: Sequence[Path]) -> list[ParsedArticle | FileOutcome]:
    """Parse files and compute the derived data of the articles the database lacks.

    Runs in an import worker: an article whose exact content is stored already will
    be `unchanged`, so its derived data is not computed (re-imports stay cheap).
    Workers never touch the database (a forked process must not use SQLite state
    it inherited); they get the stored hashes once, when they start.
    """
    return [
        dataclasses.replace(item, derived=derive_packed(item.body))
        if isinstance(item, ParsedArticle) and item.content_hash not in _stored_digests
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
                initializer=_remember_stored_digests,
                initargs=(digests,),
            )

    def close(self) -> None:
        """Stop the workers (pending work is cancelled)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def parsed_chunks(
        self, files: Sequence[Path], batch: int = 0
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


def _batch_size(files: int) -> int:
    """Articles per write: big batches merge less, but at least ~8 let writing overlap parsing."""
    return max(1000, min(BATCH_SIZE, files // 8))


def import_paths(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    on_progress: ProgressCallback | None = None,
    *,
    workers: int | None = None,
) -> ImportReport:
    """Import files and folders; every file gets an outcome, bad ones never stop the rest.

    Large imports are parsed (and their derived data computed) by `workers`
    processes, one per core by default, while this process writes batches of
    BATCH_SIZE articles, each in one transaction.
    """
    report = ImportReport()
    files: list[Path] = []
    for entry in iter_article_files(paths):
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
    with ExitStack() as stack:
        if pool.pool is not None:
            stack.enter_context(bulk_load(db))
            stack.enter_context(value_index_suspended(db, len(files)))
        stack.callback(pool.close)
        for count, items in pool.parsed_chunks(files, batch):
            for item in items:
                if isinstance(item, FileOutcome):
                    report.outcomes.append(item)
                else:
                    pending.append(item)
            done += count
            if len(pending) >= batch:
                report.outcomes.extend(write_articles(db, pending))
                pending = []
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
    article = _finish(source_key, source_key, title, text, meta)
    return store_article(db, article)
