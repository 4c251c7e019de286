"""Annotations: mark a passage, note it, tag it, find it again; undo a delete.

Every write runs in one transaction. Annotations are searched through an FTS5
index over their note, quote and tags, kept in sync by triggers (see
store.db's schema). Tags live in store.annotations.tags; placing a quote in a text
and re-anchoring after a re-import in store.annotations.anchoring.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from store.annotations.anchoring import find_quote, locate, quote_selector
from store.annotations.tags import clean_tags, fold_tag, link_tags, prune_tags, tag_sort_key
from store.db import transaction
from store.errors import NotFoundError, QueryError, RecoupeError
from store.library import normalize_text
from store.models import Annotation

if TYPE_CHECKING:
    from store.db import Library


STATUSES = ("anchored", "moved", "orphaned")
MAX_NOTE_CHARS = 20_000


class AnnotationError(RecoupeError):
    """An annotation or tag request the store refuses (bad selection, bad tag name...)."""


# --------------------------------------------------------------------------- helpers


def now_timestamp() -> str:
    """The current time as an ISO 8601 UTC timestamp (xsd:dateTime), to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def clean_note(note: str) -> str:
    """A note as stored: normalised text (newlines kept), at most MAX_NOTE_CHARS."""
    text = normalize_text(note or "")
    if len(text) > MAX_NOTE_CHARS:
        raise AnnotationError(f"a note is at most {MAX_NOTE_CHARS} characters")
    return text


def _article_body(db: Library, article_id: int) -> str:
    row = db.execute("SELECT body FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise NotFoundError(f"no article with id {article_id}")
    return str(row[0])


def _trimmed_span(body: str, article_id: int, start: int, end: int) -> tuple[int, int]:
    """The selection without surrounding whitespace; AnnotationError when it is not valid."""
    if not (0 <= start < end <= len(body)):
        raise AnnotationError(
            f"the selection {start}–{end} is not inside article {article_id} "
            f"({len(body)} characters)"
        )
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start == end:
        raise AnnotationError("the selection holds only spaces")
    return start, end


# --------------------------------------------------------------------------- create, read


_SELECT = """
    SELECT n.id, n.article_id, n.start, n."end", n.exact, n.prefix, n.suffix, n.note,
           (SELECT group_concat(t.name, char(31)) FROM annotation_tags x
                JOIN tags t ON t.id = x.tag_id WHERE x.annotation_id = n.id) AS tag_names,
           n.created, n.modified, n.status, n.uid, n.previous_exact,
           a.title, a.outlet, a.published, a.url
    FROM annotations n JOIN articles a ON a.id = n.article_id
"""


def _annotation(row: tuple) -> Annotation:
    values = list(row)
    values[8] = tuple(sorted(values[8].split("\x1f"), key=tag_sort_key)) if values[8] else ()
    return Annotation(*values)


def create_annotation(
    db: Library,
    article_id: int,
    start: int,
    end: int,
    *,
    note: str = "",
    tags: Iterable[str] = (),
) -> Annotation:
    """Annotate body[start:end] of an article (surrounding spaces are left out).

    NotFoundError for an unknown article; AnnotationError for a selection outside
    the text or holding only spaces, or for a bad tag name.
    """
    note = clean_note(note)
    tag_names = clean_tags(tags)
    now = now_timestamp()
    with transaction(db):
        body = _article_body(db, article_id)
        start, end = _trimmed_span(body, article_id, start, end)
        exact, prefix, suffix = quote_selector(body, start, end)
        cursor = db.execute(
            """INSERT INTO annotations
               (uid, article_id, start, "end", exact, prefix, suffix, note, created, modified)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [str(uuid.uuid4()), article_id, start, end, exact, prefix, suffix, note, now, now],
        )
        annotation_id = int(cursor.lastrowid or 0)
        link_tags(db, annotation_id, tag_names)
    return get_annotation(db, annotation_id)


def annotate_quote(
    db: Library,
    article_id: int,
    quote: str,
    *,
    occurrence: int | None = None,
    note: str = "",
    tags: Iterable[str] = (),
) -> Annotation:
    """Annotate the passage of an article that reads `quote` (see find_quote for errors)."""
    body = _article_body(db, article_id)
    start, end = find_quote(body, quote, article_id, occurrence)
    return create_annotation(db, article_id, start, end, note=note, tags=tags)


def get_annotation(db: Library, annotation_id: int) -> Annotation:
    """One annotation; NotFoundError when there is no such id."""
    row = db.execute(f"{_SELECT} WHERE n.id = ?", [annotation_id]).fetchone()
    if row is None:
        raise NotFoundError(f"no annotation with id {annotation_id}")
    return _annotation(row)


def find_annotation_by_uid(db: Library, uid: str) -> Annotation | None:
    """The annotation with this stable identifier (kept across export and import), if any."""
    row = db.execute(f"{_SELECT} WHERE n.uid = ?", [uid]).fetchone()
    return _annotation(row) if row else None


AnnotationOrder = Literal["position", "created", "modified"]

_ANNOTATION_ORDER = {
    "position": "n.article_id, n.start, n.id",
    "created": "n.created, n.id",
    "modified": "n.modified DESC, n.id DESC",
}


def list_annotations(
    db: Library,
    *,
    article_ids: Iterable[int] = (),
    tags: Iterable[str] = (),
    search: str | None = None,
    status: str | None = None,
    order: AnnotationOrder = "position",
    limit: int | None = None,
    offset: int = 0,
) -> list[Annotation]:
    """Annotations matching every filter given.

    `article_ids`: any of these articles; `tags`: carrying any of these tags (matched
    case-folded); `search`: words found in the note, quote or tags (accents ignored,
    each word also matches as a prefix), best matches first; `status`: anchored,
    moved or orphaned. Without search, ordered by article then position (or by
    `order`).
    """
    where, params = _filters(article_ids, tags, status)
    if search is not None and search.strip():
        sql = f"{_SELECT} JOIN {db.engine.note_matches_sql()} s ON s.rid = n.id"
        params = [annotation_search_query(search), *params]
        order_by = "s.rank, n.id"
    else:
        sql = _SELECT
        order_by = _ANNOTATION_ORDER[order]
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {order_by} LIMIT ? OFFSET ?"
    params += [-1 if limit is None else limit, offset]
    return [_annotation(row) for row in db.execute(sql, params).fetchall()]


def count_annotations(
    db: Library,
    *,
    article_ids: Iterable[int] = (),
    tags: Iterable[str] = (),
    status: str | None = None,
) -> int:
    """How many annotations match the filters (same meaning as in list_annotations)."""
    where, params = _filters(article_ids, tags, status)
    sql = "SELECT count(*) FROM annotations n"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return int(db.execute(sql, params).fetchone()[0])


def _filters(
    article_ids: Iterable[int], tags: Iterable[str], status: str | None
) -> tuple[list[str], list[object]]:
    """SQL conditions on `annotations n` with their parameters."""
    where: list[str] = []
    params: list[object] = []
    ids = [int(i) for i in article_ids]
    if ids:
        where.append(f"n.article_id IN ({', '.join('?' for _ in ids)})")
        params += ids
    folded = [fold_tag(t) for t in tags]
    if folded:
        where.append(
            "n.id IN (SELECT x.annotation_id FROM annotation_tags x JOIN tags t "
            f"ON t.id = x.tag_id WHERE t.folded IN ({', '.join('?' for _ in folded)}))"
        )
        params += folded
    if status is not None:
        if status not in STATUSES:
            raise AnnotationError(f"unknown status {status!r} (one of {', '.join(STATUSES)})")
        where.append("n.status = ?")
        params.append(status)
    return where, params


_WORD = re.compile(r"\w+")


def annotation_search_query(text: str) -> str:
    """An FTS5 query from free text: every word quoted and matched as a prefix.

    Common words are dropped when the text has others. QueryError when nothing
    searchable is left.
    """
    from store.search import STOP_WORDS

    words = [w for w in _WORD.findall(text) if w.strip("_")]
    content = [w for w in words if w.lower() not in STOP_WORDS]
    terms = content or words
    if not terms:
        raise QueryError("nothing to search for: type at least one word or number")
    return " ".join('"' + term.replace('"', '""') + '"*' for term in terms)


# --------------------------------------------------------------------------- update, delete


def update_annotation(
    db: Library,
    annotation_id: int,
    *,
    note: str | None = None,
    tags: Iterable[str] | None = None,
) -> Annotation:
    """Change the note and/or replace the tags (None leaves a field as it is).

    `modified` is set to now when something changed. NotFoundError for an unknown id.
    """
    cleaned_note = None if note is None else clean_note(note)
    cleaned_tags = None if tags is None else clean_tags(tags)
    with transaction(db):
        current = get_annotation(db, annotation_id)
        new_note = current.note if cleaned_note is None else cleaned_note
        new_tags = list(current.tags) if cleaned_tags is None else cleaned_tags
        # A tag's spelling is shared by every annotation: only the set of tags is per annotation.
        tags_changed = {fold_tag(t) for t in new_tags} != {fold_tag(t) for t in current.tags}
        if new_note == current.note and not tags_changed:
            return current
        db.execute(
            "UPDATE annotations SET note = ?, modified = ? WHERE id = ?",
            [new_note, now_timestamp(), annotation_id],
        )
        if tags_changed:
            db.execute("DELETE FROM annotation_tags WHERE annotation_id = ?", [annotation_id])
            link_tags(db, annotation_id, new_tags)
            prune_tags(db)
    return get_annotation(db, annotation_id)


def move_annotation(db: Library, annotation_id: int, start: int, end: int) -> Annotation:
    """Attach an annotation to another passage of its article (re-place an orphaned one).

    The selectors are taken from body[start:end] (surrounding spaces left out), the
    status becomes anchored, note and tags stay; when the quoted text differs,
    `previous_exact` keeps the one first marked. NotFoundError for an unknown id;
    AnnotationError for a selection outside the text.
    """
    with transaction(db):
        current = get_annotation(db, annotation_id)
        body = _article_body(db, current.article_id)
        start, end = _trimmed_span(body, current.article_id, start, end)
        exact, prefix, suffix = quote_selector(body, start, end)
        previous = current.previous_exact
        if previous is None and exact != current.exact:
            previous = current.exact
        db.execute(
            'UPDATE annotations SET start = ?, "end" = ?, exact = ?, prefix = ?, suffix = ?, '
            "status = 'anchored', previous_exact = ?, modified = ? WHERE id = ?",
            [start, end, exact, prefix, suffix, previous, now_timestamp(), annotation_id],
        )
    return get_annotation(db, annotation_id)


def delete_annotation(db: Library, annotation_id: int) -> Annotation:
    """Delete an annotation and return it as it was (pass it to restore_annotation to undo)."""
    with transaction(db):
        annotation = get_annotation(db, annotation_id)
        db.execute("DELETE FROM annotations WHERE id = ?", [annotation_id])
        prune_tags(db)
    return annotation


def restore_annotation(db: Library, annotation: Annotation) -> Annotation:
    """Put back a deleted annotation with its id, dates, note and tags (undo of a delete).

    When the article text changed meanwhile, the annotation is re-anchored on it.
    NotFoundError when the article is gone; AnnotationError when it is already back.
    """
    with transaction(db):
        body = _article_body(db, annotation.article_id)
        if db.execute(
            "SELECT 1 FROM annotations WHERE id = ? OR uid = ?", [annotation.id, annotation.uid]
        ).fetchone():
            raise AnnotationError(f"annotation {annotation.id} is already there")
        insert_annotation(db, annotation, body, annotation_id=annotation.id)
    return get_annotation(db, annotation.id)


def insert_annotation(
    db: Library,
    annotation: Annotation,
    body: str,
    *,
    annotation_id: int | None = None,
) -> int:
    """Insert an annotation made elsewhere (undo, import), placed on `body`; returns its id.

    Call inside a transaction. Its uid, dates, note and tags are kept; its selectors
    are placed on `body` as a re-import would (see store.annotations.anchoring.locate).
    """
    anchor = locate(
        body,
        annotation.exact,
        annotation.prefix,
        annotation.suffix,
        annotation.start,
        annotation.end,
    )
    previous = annotation.previous_exact
    if anchor.status == "orphaned":
        start, end = annotation.start, annotation.end
        exact, prefix, suffix = annotation.exact, annotation.prefix, annotation.suffix
        status = "orphaned"
    else:
        start, end = anchor.start, anchor.end
        exact, prefix, suffix = quote_selector(body, start, end)
        status = annotation.status if anchor.status == "anchored" else "moved"
        if status == "orphaned":  # it was lost on the text it was made on, found here
            status = "moved"
        if exact != annotation.exact and previous is None:
            previous = annotation.exact
    cursor = db.execute(
        """INSERT INTO annotations
           (id, uid, article_id, start, "end", exact, prefix, suffix, note, created, modified,
            status, previous_exact)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            annotation_id,
            annotation.uid,
            annotation.article_id,
            start,
            end,
            exact,
            prefix,
            suffix,
            clean_note(annotation.note),
            annotation.created,
            annotation.modified,
            status,
            previous,
        ],
    )
    new_id = int(cursor.lastrowid or 0)
    link_tags(db, new_id, clean_tags(annotation.tags))
    return new_id
