"""Reviewing notes that a re-import placed on other words: say so, accept the new words.

A note whose quoted words changed when its article was re-imported has the status
`changed` (see store.annotations.anchoring.settled_status). It keeps that status,
with the words it was last checked on, until the reader accepts the new words
(accept_annotation) or re-attaches it to another passage (move_annotation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.annotations.notes import AnnotationError, get_annotation
from store.db import transaction
from store.models import Annotation

if TYPE_CHECKING:
    from store.db import Library

WAS_CHARS = 120
"""Longest old quote shown in a one-line "was « … »"."""


def was_line(annotation: Annotation, width: int = WAS_CHARS) -> str | None:
    """'was « old words »' for a changed note (one line, cut at `width`); else None."""
    old = annotation.was_text
    if old is None:
        return None
    line = " ".join(old.split())
    if len(line) > width:
        line = line[: width - 1].rstrip() + "…"
    return f"was « {line} »"


def status_line(annotation: Annotation) -> str:
    """The status in words, for lists: '' when anchored; a changed note says what it was."""
    if annotation.status == "changed":
        return f"changed: {was_line(annotation)}"
    if annotation.status == "moved":
        return "moved (same words, another place)"
    if annotation.status == "orphaned":
        return "orphaned: passage not found"
    return ""


def accept_annotation(db: Library, annotation_id: int) -> Annotation:
    """Accept a changed or moved note where it now stands: its status becomes anchored.

    The words it was checked on are forgotten (they were only kept for this review).
    An anchored note is returned as it is; an orphaned one cannot be accepted (there
    is no passage: re-attach it instead), AnnotationError. NotFoundError for an
    unknown id.
    """
    with transaction(db):
        current = get_annotation(db, annotation_id)
        if current.status == "orphaned":
            raise AnnotationError(
                f"annotation {annotation_id} is orphaned: re-attach it to a passage instead"
            )
        if current.status == "anchored":
            return current
        db.execute(
            "UPDATE annotations SET status = 'anchored', "
            "previous_exact = CASE WHEN status = 'changed' THEN NULL ELSE previous_exact END "
            "WHERE id = ?",
            [annotation_id],
        )
    return get_annotation(db, annotation_id)
