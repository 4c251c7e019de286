"""Export annotations (W3C JSON-LD, CSV, Markdown) and import our JSON-LD back.

JSON is one W3C Web Annotation ``AnnotationCollection`` whose first page holds
every annotation: a ``TextualBody`` for the note (purpose ``commenting``), one
``TextualBody`` per tag (purpose ``tagging``), and a target naming the article
with a TextQuoteSelector and a TextPositionSelector. The target's ``source`` is
the article URL, else ``urn:recoupe:article:<content hash>``; the target also
carries ``recoupe:article`` (title, outlet, date, URL, content hash) so that an
import can find the same article in another library. Annotation ids are
``urn:uuid:<uid>``: importing the same file twice adds nothing the second time.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from store.annotations.notes import (
    STATUSES,
    AnnotationError,
    clean_note,
    find_annotation_by_uid,
    insert_annotation,
    list_annotations,
    now_timestamp,
)
from store.annotations.tags import TagError, clean_tags, get_tag, tag_sort_key
from store.db import transaction
from store.errors import ImportFailure, NotFoundError, RecoupeError
from store.library import normalize_line, strip_unsafe
from store.models import Annotation, AnnotationImportReport

if TYPE_CHECKING:
    from store.db import Library


ExportFormat = Literal["json", "csv", "md"]
FORMATS: tuple[str, ...] = ("json", "csv", "md")
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ARTICLE_URN = "urn:recoupe:article:"
UUID_URN = "urn:uuid:"
CSV_COLUMNS = (
    "id",
    "article_id",
    "title",
    "outlet",
    "date",
    "url",
    "quote",
    "note",
    "tags",
    "start",
    "end",
    "created",
    "modified",
    "status",
)
MAX_IMPORT_BYTES = 200 * 1024 * 1024


class ExportError(RecoupeError):
    """An export that cannot be written where asked."""


class OutputExists(ExportError):
    """The output file exists and overwriting it was not asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} already exists (not overwritten)")


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What an export says about the article of an annotation."""

    id: int
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    content_hash: str

    @property
    def source(self) -> str:
        """The IRI naming the article: its URL, else a URN from its content hash."""
        return self.url or f"{ARTICLE_URN}{self.content_hash}"


# --------------------------------------------------------------------------- selection


def select_annotations(
    db: Library, *, tags: Iterable[str] = (), article_ids: Iterable[int] = ()
) -> list[Annotation]:
    """The annotations to export; NotFoundError for an unknown tag or article."""
    tags = list(tags)
    article_ids = [int(i) for i in article_ids]
    for tag in tags:
        get_tag(db, tag)
    for article_id in article_ids:
        if db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone() is None:
            raise NotFoundError(f"no article with id {article_id}")
    return list_annotations(db, tags=tags, article_ids=article_ids)


def article_infos(db: Library, ids: Iterable[int]) -> dict[int, ArticleInfo]:
    """Export metadata of the given articles, by id."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = db.execute(
        "SELECT id, title, outlet, published, url, content_hash FROM articles "
        f"WHERE id IN ({marks})",
        wanted,
    ).fetchall()
    return {row[0]: ArticleInfo(*row) for row in rows}


def export_annotations(
    db: Library,
    fmt: str,
    *,
    tags: Iterable[str] = (),
    article_ids: Iterable[int] = (),
    by_tag: bool = False,
) -> str:
    """The annotations (any of `tags`, any of `article_ids`; all when empty) as text.

    `fmt` is json, csv or md; `by_tag` groups the Markdown report by tag. CSV text
    starts with a byte-order mark so spreadsheets read it as UTF-8.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    annotations = select_annotations(db, tags=tags, article_ids=article_ids)
    infos = article_infos(db, (a.article_id for a in annotations))
    if fmt == "json":
        return json.dumps(to_jsonld(annotations, infos), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return to_csv(annotations)
    return to_markdown(annotations, infos, by_tag=by_tag)


def write_export(
    db: Library,
    path: str | Path,
    fmt: str,
    *,
    tags: Iterable[str] = (),
    article_ids: Iterable[int] = (),
    by_tag: bool = False,
    force: bool = False,
) -> Path:
    """Write an export to a file and return its absolute path.

    An existing file is kept unless `force` (OutputExists); a missing folder, a
    folder given as the file or an unwritable place is an ExportError. The file
    appears whole or not at all (written aside, then renamed).
    """
    target = Path(path).expanduser()
    check_output_path(target, force=force)
    text = export_annotations(db, fmt, tags=tags, article_ids=article_ids, by_tag=by_tag)
    _write_atomically(target, text)
    return target.resolve()


FILE_SUFFIXES = {"json": ".json", "csv": ".csv", "md": ".md"}


def suggest_export_path(fmt: str, folder: str | Path = ".", *, stem: str = "") -> Path:
    """A file name for an export in `folder` that does not exist yet (for the app).

    recoupe-annotations-YYYY-MM-DD.<json|csv|md>, then -2, -3... when taken.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    base = stem or f"recoupe-annotations-{now_timestamp()[:10]}"
    directory = Path(folder).expanduser()
    candidate = directory / f"{base}{FILE_SUFFIXES[fmt]}"
    number = 2
    while candidate.exists():
        candidate = directory / f"{base}-{number}{FILE_SUFFIXES[fmt]}"
        number += 1
    return candidate


def check_output_path(path: Path, *, force: bool = False) -> None:
    """ExportError unless a file can be written at `path` (see write_export)."""
    if path.is_dir():
        raise ExportError(f"{path} is a folder: give a file name")
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"no such folder: {parent}")
    if path.exists() and not force:
        raise OutputExists(path)
    if not os.access(parent, os.W_OK):
        raise ExportError(f"cannot write in {parent} (permission denied)")


def _write_atomically(path: Path, text: str) -> None:
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"cannot write in {path.parent} ({exc.strerror or exc})") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ExportError(f"cannot write {path} ({exc.strerror or exc})") from exc


# --------------------------------------------------------------------------- JSON-LD


def _version() -> str:
    """The installed version of recoupe, for the generator of an export."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("recoupe")
    except PackageNotFoundError:
        return "(development)"


def to_jsonld(annotations: Sequence[Annotation], infos: dict[int, ArticleInfo]) -> dict[str, Any]:
    """One W3C AnnotationCollection holding every annotation in its first page."""
    return {
        "@context": ANNO_CONTEXT,
        "id": f"{UUID_URN}{uuid.uuid4()}",
        "type": "AnnotationCollection",
        "label": "recoupe annotations",
        "generator": {"type": "Software", "name": f"recoupe {_version()}"},
        "generated": now_timestamp(),
        "total": len(annotations),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [annotation_jsonld(a, infos[a.article_id]) for a in annotations],
        },
    }


def annotation_jsonld(annotation: Annotation, article: ArticleInfo) -> dict[str, Any]:
    """One annotation in the W3C Web Annotation Data Model."""
    bodies: list[dict[str, Any]] = []
    if annotation.note:
        bodies.append(
            {
                "type": "TextualBody",
                "value": annotation.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    bodies += [
        {"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tags
    ]
    motivation = (
        "commenting" if annotation.note else "tagging" if annotation.tags else "highlighting"
    )
    item: dict[str, Any] = {
        "id": f"{UUID_URN}{annotation.uid}",
        "type": "Annotation",
        "motivation": motivation,
        "created": annotation.created,
        "modified": annotation.modified,
    }
    if bodies:
        item["body"] = bodies
    item["target"] = {
        "source": article.source,
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            },
            {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
        ],
        "recoupe:article": {
            "title": article.title,
            "outlet": article.outlet,
            "published": article.published,
            "url": article.url,
            "contentHash": article.content_hash,
        },
    }
    item["recoupe:status"] = annotation.status
    if annotation.previous_exact is not None:
        item["recoupe:previousExact"] = annotation.previous_exact
    return item


# --------------------------------------------------------------------------- CSV


_FORMULA_START = re.compile(r"^(?:[=@\t\r]|[+-][^\d\s.,])")


def _spreadsheet_safe(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (=, @, +cmd, -cmd).

    A figure such as "-20 %" or "+5" stays as it is: it is a number, not a formula.
    """
    return "'" + value if _FORMULA_START.match(value) else value


def to_csv(annotations: Sequence[Annotation]) -> str:
    """One row per annotation, UTF-8 with a byte-order mark for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for a in annotations:
        row = [
            a.id,
            a.article_id,
            a.article_title,
            a.outlet or "",
            a.published or "",
            a.url or "",
            a.exact,
            a.note,
            ", ".join(a.tags),
            a.start,
            a.end,
            a.created,
            a.modified,
            a.status,
        ]
        writer.writerow([_spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
    return "\ufeff" + buffer.getvalue()


# --------------------------------------------------------------------------- Markdown


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Text shown literally in Markdown: emphasis, links, HTML and line-start markers escaped."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def _citation(article: ArticleInfo) -> str:
    """The source cited: title, outlet, date and URL."""
    parts = [f"*{md_escape(article.title)}*"]
    parts += [md_escape(p) for p in (article.outlet, article.published) if p]
    if article.url:
        parts.append(f"<{article.url.replace('>', '%3E')}>")
    return ", ".join(parts)


def _md_code(text: str) -> str:
    """Inline code that no backtick in the text can close early."""
    return "`" + text.replace("`", "'") + "`"


def _md_annotation(annotation: Annotation, article: ArticleInfo, *, cite: bool) -> list[str]:
    """One annotation: the quote as a blockquote, the note, the tags, the source when asked."""
    lines = [f"> {line}" if line else ">" for line in md_escape(annotation.exact).split("\n")]
    lines.append("")
    if cite:
        lines += [f"— {_citation(article)}", ""]
    if annotation.note:
        lines += [md_escape(annotation.note), ""]
    details = []
    if annotation.tags:
        details.append("Tags: " + ", ".join(_md_code(t) for t in annotation.tags))
    details.append(f"characters {annotation.start}–{annotation.end}")
    if annotation.status == "orphaned":
        details.append("**not found in the current text**")
    elif annotation.status == "moved":
        details.append("moved since it was made")
    lines += [" · ".join(details), ""]
    return lines


def to_markdown(
    annotations: Sequence[Annotation], infos: dict[int, ArticleInfo], *, by_tag: bool = False
) -> str:
    """A report of the annotations grouped by article (or by tag), each with its source."""
    count = len(annotations)
    lines = [
        "# Annotations",
        "",
        f"{count} annotation{'s' if count != 1 else ''} · exported {now_timestamp()}",
        "",
    ]
    if by_tag:
        groups: dict[str, list[Annotation]] = {}
        for a in annotations:
            for tag in a.tags or ("",):
                groups.setdefault(tag, []).append(a)
        for tag in sorted(groups, key=lambda t: (t == "", tag_sort_key(t))):
            lines += [f"## {md_escape(tag) if tag else 'Without a tag'}", ""]
            for a in groups[tag]:
                lines += _md_annotation(a, infos[a.article_id], cite=True)
    else:
        by_article: dict[int, list[Annotation]] = {}
        for a in annotations:
            by_article.setdefault(a.article_id, []).append(a)
        for article_id, items in by_article.items():
            article = infos[article_id]
            lines += [f"## {md_escape(article.title)}", "", f"Source: {_citation(article)}", ""]
            for a in items:
                lines += _md_annotation(a, article, cite=False)
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- import


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """An annotation read from a JSON-LD file, not yet matched to an article."""

    uid: str
    source: str
    article: dict[str, Any]
    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    note: str
    tags: tuple[str, ...]
    created: str
    modified: str
    status: str
    previous_exact: str | None


def import_annotations(db: Library, path: str | Path) -> AnnotationImportReport:
    """Read a JSON-LD AnnotationCollection (as exported) into the library, all or nothing.

    Annotations whose article is not in the library are left out and reported;
    those already present (same id) are skipped. A malformed or foreign file
    raises ImportFailure naming what is wrong, and nothing is written.
    """
    items = parse_collection(read_json(Path(path)))
    imported = present = skipped = 0
    unknown: dict[str, str] = {}
    with transaction(db):
        article_ids: dict[str, int | None] = {}
        for item in items:
            key = item.source
            if key not in article_ids:
                article_ids[key] = match_article(db, item.source, item.article)
            article_id = article_ids[key]
            if article_id is None:
                unknown.setdefault(key, _describe(item))
                skipped += 1
                continue
            if find_annotation_by_uid(db, item.uid) is not None:
                present += 1
                continue
            body = db.execute("SELECT body FROM articles WHERE id = ?", [article_id]).fetchone()[0]
            insert_annotation(db, _as_annotation(item, article_id, body), body)
            imported += 1
    return AnnotationImportReport(imported, present, tuple(unknown.values()), skipped)


def read_json(path: Path) -> Any:
    """The JSON document in a file; ImportFailure when it cannot be read or parsed."""
    try:
        if path.is_dir():
            raise ImportFailure(f"{path} is a folder, not a JSON file")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ImportFailure(f"{path} is too large for an annotation file")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailure(f"no such file: {path}") from exc
    except OSError as exc:
        raise ImportFailure(f"cannot read {path} ({exc.strerror or exc})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"{path.name} is not UTF-8 text") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailure(
            f"{path.name} is not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno})"
        ) from exc
    except RecursionError as exc:
        raise ImportFailure(f"{path.name} is nested too deeply") from exc


def _types(node: dict[str, Any]) -> list[str]:
    value = node.get("type", node.get("@type"))
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def parse_collection(document: Any) -> list[ParsedItem]:
    """The annotations of a W3C AnnotationCollection; ImportFailure naming what is wrong."""
    if not isinstance(document, dict):
        raise ImportFailure("not a W3C annotation collection (expected a JSON object)")
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if ANNO_CONTEXT not in contexts:
        raise ImportFailure(f"not a W3C Web Annotation document (no @context {ANNO_CONTEXT})")
    if "AnnotationCollection" not in _types(document):
        found = ", ".join(_types(document)) or "missing"
        raise ImportFailure(f"not an AnnotationCollection (type: {found})")
    page = document.get("first")
    if page is None:
        if document.get("total", 0) == 0:
            return []
        raise ImportFailure("the collection has no 'first' page of annotations")
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        raise ImportFailure("the collection's 'first' page has no 'items' list")
    if page.get("next"):
        raise ImportFailure("collections of several pages are not supported")
    return [_parse_item(item, n) for n, item in enumerate(page["items"], start=1)]


def _parse_item(item: Any, n: int) -> ParsedItem:
    """One annotation of the page; ImportFailure('annotation n: ...') when it is not usable."""

    def fail(reason: str) -> ImportFailure:
        return ImportFailure(f"annotation {n}: {reason}")

    if not isinstance(item, dict):
        raise fail("not a JSON object")
    if "Annotation" not in _types(item):
        raise fail(f"type is not Annotation ({', '.join(_types(item)) or 'missing'})")
    ident = item.get("id")
    if ident is not None and not isinstance(ident, str):
        raise fail("'id' must be a string")
    uid = (ident[len(UUID_URN) :] if ident.startswith(UUID_URN) else ident) if ident else None
    target = item.get("target")
    if isinstance(target, list) and len(target) == 1:
        target = target[0]
    if not isinstance(target, dict):
        raise fail("no target object")
    source = target.get("source")
    if not isinstance(source, str) or not source:
        raise fail("the target has no source")
    quote, position = _selectors(target.get("selector"), fail)
    note_parts: list[str] = []
    tags: list[str] = []
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if not isinstance(body, dict) or "TextualBody" not in _types(body):
            raise fail("only TextualBody bodies are supported")
        value = body.get("value")
        if not isinstance(value, str):
            raise fail("a TextualBody has no text 'value'")
        purpose = body.get("purpose", "commenting")
        purposes = purpose if isinstance(purpose, list) else [purpose]
        (tags if "tagging" in purposes else note_parts).append(value)
    created = _timestamp(item.get("created"), "created", fail)
    modified = _timestamp(item.get("modified"), "modified", fail) if "modified" in item else created
    status = item.get("recoupe:status", "anchored")
    if status not in STATUSES:
        raise fail(f"unknown recoupe:status {status!r}")
    previous = item.get("recoupe:previousExact")
    article = target.get("recoupe:article", {})
    if not isinstance(article, dict):
        raise fail("recoupe:article must be an object")
    try:
        note = clean_note("\n\n".join(note_parts))
        clean = tuple(clean_tags(tags))
    except (AnnotationError, TagError) as exc:
        raise fail(str(exc)) from exc
    # Text from a file is data: the same hygiene as article text (no escapes, NFC).
    exact, prefix, suffix = (unicodedata.normalize("NFC", strip_unsafe(t)) for t in quote)
    if isinstance(previous, str):
        previous = unicodedata.normalize("NFC", strip_unsafe(previous))
    start, end = position
    return ParsedItem(
        uid=uid or str(uuid.uuid4()),
        source=source,
        article=article,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        note=note,
        tags=clean,
        created=created,
        modified=modified,
        status=status,
        previous_exact=previous if isinstance(previous, str) else None,
    )


def _selectors(
    selectors: Any, fail: Any
) -> tuple[tuple[str, str, str], tuple[int | None, int | None]]:
    """(exact, prefix, suffix) and (start, end) from a target's selectors."""
    listed = selectors if isinstance(selectors, list) else [selectors]
    quote: tuple[str, str, str] | None = None
    position: tuple[int | None, int | None] = (None, None)
    for selector in listed:
        if not isinstance(selector, dict):
            continue
        kinds = _types(selector)
        if "TextQuoteSelector" in kinds:
            exact = selector.get("exact")
            prefix = selector.get("prefix", "")
            suffix = selector.get("suffix", "")
            if not isinstance(exact, str) or not exact:
                raise fail("the TextQuoteSelector has no 'exact' text")
            if not isinstance(prefix, str) or not isinstance(suffix, str):
                raise fail("the TextQuoteSelector's prefix and suffix must be text")
            quote = (exact, prefix, suffix)
        elif "TextPositionSelector" in kinds:
            start, end = selector.get("start"), selector.get("end")
            valid = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end))
            if not valid or not 0 <= start < end:
                raise fail("the TextPositionSelector needs whole numbers 0 <= start < end")
            position = (start, end)
    if quote is None:
        raise fail("the target has no TextQuoteSelector")
    return quote, position


_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def _timestamp(value: Any, name: str, fail: Any) -> str:
    if value is None:
        return now_timestamp()
    if not isinstance(value, str) or not _TIMESTAMP.match(value):
        raise fail(f"'{name}' is not an ISO 8601 date and time")
    return value


def match_article(db: Library, source: str, article: dict[str, Any]) -> int | None:
    """The library's article an exported target names: by URL, content hash, then title."""
    url = article.get("url") if isinstance(article.get("url"), str) else None
    digest = article.get("contentHash") if isinstance(article.get("contentHash"), str) else None
    if source.startswith(ARTICLE_URN):
        digest = digest or source[len(ARTICLE_URN) :]
    elif re.match(r"^https?://", source):
        url = url or source
    queries: list[tuple[str, list[Any]]] = []
    if url:
        queries.append(("SELECT id FROM articles WHERE url = ? ORDER BY id", [url]))
    if digest:
        queries.append(("SELECT id FROM articles WHERE content_hash = ? ORDER BY id", [digest]))
    title = article.get("title")
    if isinstance(title, str) and title:
        outlet = article.get("outlet")
        if isinstance(outlet, str) and outlet:
            queries.append(
                ("SELECT id FROM articles WHERE title = ? AND outlet = ?", [title, outlet])
            )
        else:
            queries.append(("SELECT id FROM articles WHERE title = ?", [title]))
    for sql, params in queries:
        rows = db.execute(sql, params).fetchall()
        # A title shared by several articles names none of them for sure.
        if len(rows) == 1 or (rows and "title" not in sql):
            return int(rows[0][0])
    return None


def _describe(item: ParsedItem) -> str:
    """An unknown article as a person recognises it: its title and source."""
    title = item.article.get("title")
    if isinstance(title, str) and title:
        return normalize_line(f"{title} ({item.source})")
    return normalize_line(item.source)


def _as_annotation(item: ParsedItem, article_id: int, body: str) -> Annotation:
    """An Annotation to insert, with the selectors read from the file."""
    start = item.start if item.start is not None else 0
    end = item.end if item.end is not None else 0
    if item.start is None:
        # No position: start where the quote first stands, so locate() finds it by position.
        found = body.find(item.exact)
        start, end = (found, found + len(item.exact)) if found != -1 else (0, len(item.exact))
    return Annotation(
        id=0,
        article_id=article_id,
        start=start,
        end=end,
        exact=item.exact,
        prefix=item.prefix,
        suffix=item.suffix,
        note=item.note,
        tags=item.tags,
        created=item.created,
        modified=item.modified,
        status=item.status,
        uid=item.uid,
        previous_exact=item.previous_exact,
    )
