"""Reading and parsing article files: .txt, .md, .html/.htm and .jsonl.

A file is read (bounded, regular files only), decoded (BOMs, UTF-8, UTF-16, then a
detected encoding), parsed and normalised into ParsedArticle values, or into one
``skipped`` FileOutcome with its reason; the folder walk lists the files to import.
Nothing here touches the database: parsing runs in the import's worker processes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from store.errors import ImportFailure
from store.library.dates import normalize_date
from store.library.text import normalize_line, normalize_text
from store.models import FileOutcome

ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"}
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TITLE_CHARS = 200
MIN_HTML_WORDS = 5


class ParsedArticle(NamedTuple):
    """An article read from a file, normalised, not yet stored.

    `content_hash` is computed where the article is parsed, so a worker process
    does that work too.
    A named tuple, not a dataclass: a large import sends 100 000 of them from the
    worker processes to the writer, and tuples pickle about three times faster.

    `body_utf8` is the body's UTF-8 encoding, made once for the content hash. From a
    worker the body travels only that way (`body` left empty): the writer stores those
    bytes as they are and decodes only what needs text, instead of decoding every
    body when it unpickles it and encoding it again for SQLite (100k articles: 0.75 s
    to unpickle bodies as text, 0.24 s as bytes).
    """

    source_key: str
    source_path: str
    title: str
    body: str
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    lang: str | None = None
    content_hash: str = ""
    body_utf8: bytes | None = None

    def stored_body(self) -> str | bytes:
        """The body as the database stores it: text, or its UTF-8 bytes."""
        return self.body if self.body_utf8 is None else self.body_utf8

    def for_transport(self) -> ParsedArticle:
        """This article with its body as UTF-8 bytes only, to send from a worker to the writer."""
        if self.body_utf8 is None:
            return self._replace(body="", body_utf8=self.body.encode("utf-8"))
        return self._replace(body="")


def content_digest(*fields: str | bytes | None) -> str:
    """A digest of everything the file says about the article (text, or text as UTF-8)."""
    joined = b"\x00".join(
        [field.encode("utf-8") if isinstance(field, str) else field or b"" for field in fields]
    )
    return hashlib.sha256(joined).hexdigest()


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


def read_text_file(path: str | Path) -> str:
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


def _read_regular_file(path: str | Path) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES of them.

    Opened without blocking and checked on the open descriptor: a FIFO would block
    the import forever, and a device such as /dev/zero (size 0) never ends.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailure("not a regular file (a device, pipe or socket)")
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(info.st_size)
        return _read_at_most(fd, info.st_size, MAX_FILE_BYTES)
    finally:
        os.close(fd)


def _read_at_most(fd: int, expected: int, limit: int) -> bytes:
    """Read to the end of `fd`, refusing more than `limit` bytes even when its size lies (/proc).

    Asks for the size the file announces (plus one byte, to see the end): asking for
    `limit` bytes at once would allocate 20 MB for every 4 kB article.
    """
    chunks: list[bytes] = []
    size = 0
    want = expected + 1
    while chunk := os.read(fd, min(want, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(size)
        want = max(want, 1 << 16)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


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


def finish_article(
    source_key: str,
    source_path: str,
    title: str,
    body: str,
    meta: dict[str, str | None],
    *,
    body_normalized: bool = False,
) -> ParsedArticle:
    """A ParsedArticle from a file's fields: normalised, checked that something readable is left.

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
    body_utf8 = body.encode("utf-8")  # hashed, and what a worker sends to the writer
    return ParsedArticle(
        source_key=source_key,
        source_path=source_path,
        title=title,
        body=body,
        outlet=outlet,
        published=published,
        url=url,
        lang=lang,
        content_hash=content_digest(title, body_utf8, outlet, published, url, lang),
        body_utf8=body_utf8,
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
    return finish_article(path, path, title, body, dict(meta), body_normalized=True)


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
    return finish_article(path, path, title, rest, dict(meta), body_normalized=True)


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
    return finish_article(path, path, title, body, meta)


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
        return finish_article(f"{path}#{suffix}", path, title, body, meta)
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


def _source_key(path: str) -> str:
    """The file's absolute path, symlinks resolved: what identifies it across imports."""
    if os.path.islink(path):
        try:
            return str(Path(path).resolve())
        except (OSError, RuntimeError):  # a symlink loop: reading it will say so
            return os.path.abspath(path)
    # Resolving each folder once, not each file, saves a few lstat calls per file.
    folder, name = os.path.split(path)
    return os.path.join(_resolved_folder(folder), name)


def _suffix(path: str) -> str:
    """The file's suffix as pathlib gives it ('' for '.hidden' and 'name.')."""
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def parse_file(path: str | Path) -> list[ParsedArticle | FileOutcome]:
    """Parse one file into articles (or skipped outcomes for what cannot be imported).

    Takes a plain string too: import workers get their paths as strings, which cross
    the process boundary about 100 times cheaper than Path objects.
    """
    path = os.fspath(path)
    key = _source_key(path)
    suffix = _suffix(path).lower()
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
        return [FileOutcome(path=path, status="skipped", reason=str(exc))]
    except RecursionError:
        return [FileOutcome(path=path, status="skipped", reason="too deeply nested")]


# --------------------------------------------------------------------------- walking


def iter_article_files(paths: Iterable[str | Path]) -> Iterator[str | FileOutcome]:
    """Files to import under `paths`, recursively, in a stable order; missing paths reported.

    Files come as plain strings: a large import lists 100 000 of them, and building a
    Path for each costs more than walking the folder.
    """
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            yield from _walk_folder(path)
        elif path.exists() or path.is_symlink():
            yield str(path)
        else:
            yield FileOutcome(path=str(path), status="skipped", reason="no such file or folder")


def _walk_folder(folder: Path) -> Iterator[str | FileOutcome]:
    """Article files under a folder; symlinked folders are not followed (no loops)."""

    def report(error: OSError) -> None:
        errors.append(error)

    errors: list[OSError] = []
    # For a name that does not start with a dot, ending with an article suffix is the
    # same test as _suffix(name) being one, in one C call instead of several Python
    # ones: a large import walks 100 000 names before any parsing starts.
    suffixes = tuple(ARTICLE_SUFFIXES)
    for root, dirs, files in os.walk(folder, onerror=report, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        prefix = os.path.join(root, "")
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(suffixes):
                yield prefix + name
    for error in errors:
        yield FileOutcome(
            path=str(error.filename or folder),
            status="skipped",
            reason=f"unreadable folder ({error.strerror or error})",
        )
