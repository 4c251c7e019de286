"""Import of articles from files and folders: .txt, .md, .html/.htm and .jsonl.

Every file is read, decoded, parsed and normalised before anything is written;
articles are then written in batches, each batch in one transaction. A file
that cannot be imported becomes one ``skipped`` outcome with its reason and the
rest of the folder imports.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from store.anchoring import reanchor_article
from store.db import transaction
from store.errors import ImportFailure
from store.models import FileOutcome, ImportReport
from store.numbers import numbers_column
from store.text import normalize_line, normalize_text

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"}
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TITLE_CHARS = 200
BATCH_SIZE = 500
MIN_HTML_WORDS = 5

ProgressCallback = Callable[[int, int], None]
"""Called with (files done, files in all) as an import advances."""


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article read from a file, normalised, not yet stored."""

    source_key: str
    source_path: str
    title: str
    body: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    lang: str | None = None

    @property
    def content_hash(self) -> str:
        """A digest of everything the file says about the article."""
        parts = (self.title, self.body, self.outlet, self.published, self.url, self.lang)
        joined = "\x00".join(p or "" for p in parts)
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
    except UnicodeDecodeError:
        pass
    western = _decode_western(data)
    if western is not None:
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ImportFailure("undecodable text (not UTF-8, no encoding detected)")
    return str(best)


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
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFailure(
                f"too large ({size / 1_048_576:.0f} MB; the limit is "
                f"{MAX_FILE_BYTES // 1_048_576} MB)"
            )
        data = path.read_bytes()
    except PermissionError as exc:
        raise ImportFailure("unreadable (permission denied)") from exc
    except OSError as exc:
        raise ImportFailure(f"unreadable ({exc.strerror or exc})") from exc
    return decode_bytes(data)


# --------------------------------------------------------------------------- metadata

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_FRENCH_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("janvier", "janv"),
            ("février", "fevrier", "févr", "fevr"),
            ("mars",),
            ("avril", "avr"),
            ("mai",),
            ("juin",),
            ("juillet", "juil"),
            ("août", "aout"),
            ("septembre", "sept"),
            ("octobre", "oct"),
            ("novembre", "nov"),
            ("décembre", "decembre", "déc", "dec"),
        ),
        start=1,
    )
    for name in names
}
# "mercredi 6 juin 2017", "1er janvier 2020", "6 juin 2017": how French bylines give dates.
_FRENCH_DATE = re.compile(
    r"^(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
    r"(\d{1,2})(?:er)?\s+([a-zéû]+)\.?\s+(\d{4})$",
    re.IGNORECASE,
)


def normalize_date(value: object) -> str | None:
    """An ISO date (YYYY-MM-DD) from common spellings; None when it cannot be read."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY_DATE.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
        else:
            match = _FRENCH_DATE.match(text)
            month = _FRENCH_MONTHS.get(match.group(2).lower(), 0) if match else 0
            if not match or not month:
                return None
            day, year = int(match.group(1)), int(match.group(3))
    try:
        return datetime(year, month, day).date().isoformat()
    except ValueError:
        return None


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
) -> ParsedArticle:
    """Normalise fields and check that something readable is left."""
    body = normalize_text(body)
    title = normalize_line(title)
    if not body:
        raise ImportFailure("no article text")
    if not title:
        title, _ = _title_from_first_line(body)
        title = normalize_line(title)
    outlet = normalize_line(meta.get("outlet") or "") or None
    url = normalize_line(meta.get("url") or "") or None
    lang = normalize_line(meta.get("lang") or "") or None
    return ParsedArticle(
        source_key=source_key,
        source_path=source_path,
        title=title,
        body=body,
        outlet=outlet,
        published=normalize_date(meta.get("published")),
        url=url,
        lang=lang,
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
    return _finish(path, path, title, body, dict(meta))


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
    return _finish(path, path, title, rest, dict(meta))


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


def parse_file(path: Path) -> list[ParsedArticle | FileOutcome]:
    """Parse one file into articles (or skipped outcomes for what cannot be imported)."""
    key = str(path.resolve()) if path.exists() else str(path)
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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _find_existing(db: sqlite_utils.Database, article: ParsedArticle) -> tuple[int, str] | None:
    """The stored article this one replaces: same source, else same URL, else same content."""
    row = db.execute(
        "SELECT id, content_hash FROM articles WHERE source_key = ?", [article.source_key]
    ).fetchone()
    if row is None and article.url:
        row = db.execute(
            "SELECT id, content_hash FROM articles WHERE url = ? ORDER BY id LIMIT 1",
            [article.url],
        ).fetchone()
    if row is None:
        row = db.execute(
            "SELECT id, content_hash FROM articles WHERE content_hash = ? LIMIT 1",
            [article.content_hash],
        ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def store_article(db: sqlite_utils.Database, article: ParsedArticle) -> FileOutcome:
    """Insert or update one parsed article; identical content changes nothing."""
    existing = _find_existing(db, article)
    digest = article.content_hash
    if existing and existing[1] == digest:
        return FileOutcome(article.source_key, "unchanged", article_id=existing[0])
    fields = {
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "url": article.url,
        "lang": article.lang,
        "source_path": article.source_path,
        "body": article.body,
        "numbers": numbers_column(article.body),
        "content_hash": digest,
        "updated_at": _now(),
    }
    if existing:
        article_id = existing[0]
        assignments = ", ".join(f"{name} = :{name}" for name in fields)
        db.execute(
            f"UPDATE articles SET {assignments} WHERE id = :id", {**fields, "id": article_id}
        )
        after_article_written(db, article_id, article.body)
        return FileOutcome(article.source_key, "updated", article_id=article_id)
    fields |= {"source_key": article.source_key, "imported_at": fields["updated_at"]}
    names = ", ".join(fields)
    placeholders = ", ".join(f":{name}" for name in fields)
    cursor = db.execute(f"INSERT INTO articles ({names}) VALUES ({placeholders})", fields)
    article_id = int(cursor.lastrowid or 0)
    after_article_written(db, article_id, article.body)
    return FileOutcome(article.source_key, "imported", article_id=article_id)


def after_article_written(db: sqlite_utils.Database, article_id: int, body: str) -> None:
    """Derived data kept with each article (figures, annotation anchors), same transaction."""
    reanchor_article(db, article_id, body)


def import_paths(
    db: sqlite_utils.Database,
    paths: Iterable[str | Path],
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import files and folders; every file gets an outcome, bad ones never stop the rest."""
    report = ImportReport()
    entries = list(iter_article_files(paths))
    total = len(entries)
    pending: list[ParsedArticle] = []

    def flush() -> None:
        if not pending:
            return
        with transaction(db):
            outcomes = [store_article(db, article) for article in pending]
        report.outcomes.extend(outcomes)
        pending.clear()

    for done, entry in enumerate(entries, start=1):
        if isinstance(entry, FileOutcome):
            report.outcomes.append(entry)
        else:
            for item in parse_file(entry):
                if isinstance(item, FileOutcome):
                    report.outcomes.append(item)
                else:
                    pending.append(item)
        if len(pending) >= BATCH_SIZE:
            flush()
        if on_progress:
            on_progress(done, total)
    flush()
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
    with transaction(db):
        return store_article(db, article)
