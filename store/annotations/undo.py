"""Undoing changes to notes and tags.

Before a change (a note edited, a tag renamed, merged or deleted), the caller takes an
UndoRecord of what the change can touch: each annotation's note, dates and tags, and
the spelling of the tags involved. `undo` puts them back as they were. A deleted
annotation is undone by store.annotations.notes.restore_annotation instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store.annotations.tags import fold_tag, link_tags, prune_tags, tag_sort_key
from store.db import transaction

if TYPE_CHECKING:
    from store.db import Library


@dataclass(frozen=True, slots=True)
class NoteState:
    """One annotation's note, modification date and tags, as they were."""

    annotation_id: int
    note: str
    modified: str
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UndoRecord:
    """What a change to notes or tags can alter, kept to put it back (see undo)."""

    description: str  # what undoing it does, for a notification ("rename of #x")
    notes: tuple[NoteState, ...]
    tag_spellings: tuple[tuple[str, str], ...]  # (folded, name) of the tags involved


def _note_states(db: Library, annotation_ids: Iterable[int]) -> tuple[NoteState, ...]:
    states = []
    for annotation_id in sorted(set(annotation_ids)):
        row = db.execute(
            "SELECT note, modified FROM annotations WHERE id = ?", [annotation_id]
        ).fetchone()
        if row is None:
            continue
        tags = db.execute(
            "SELECT t.name FROM annotation_tags x JOIN tags t ON t.id = x.tag_id "
            "WHERE x.annotation_id = ?",
            [annotation_id],
        ).fetchall()
        names = tuple(sorted((name for (name,) in tags), key=tag_sort_key))
        states.append(NoteState(annotation_id, row[0], row[1], names))
    return tuple(states)


def _spellings(db: Library, folded: Iterable[str]) -> tuple[tuple[str, str], ...]:
    found = []
    for key in sorted(set(folded)):
        row = db.execute("SELECT name FROM tags WHERE folded = ?", [key]).fetchone()
        if row is not None:
            found.append((key, row[0]))
    return tuple(found)


def record_annotations(db: Library, annotation_ids: Iterable[int], description: str) -> UndoRecord:
    """An UndoRecord of some annotations (before editing their note or tags)."""
    notes = _note_states(db, annotation_ids)
    folded = {fold_tag(tag) for state in notes for tag in state.tags}
    return UndoRecord(description, notes, _spellings(db, folded))


def record_tags(db: Library, names: Iterable[str], description: str) -> UndoRecord:
    """An UndoRecord of every annotation carrying any of these tags (before a rename,
    merge or delete of them); names that are no tag are ignored."""
    folded = {fold_tag(name) for name in names}
    marks = ", ".join("?" for _ in folded)
    rows = db.execute(
        "SELECT DISTINCT x.annotation_id FROM annotation_tags x JOIN tags t "
        f"ON t.id = x.tag_id WHERE t.folded IN ({marks})",
        sorted(folded),
    ).fetchall()
    notes = _note_states(db, (annotation_id for (annotation_id,) in rows))
    folded |= {fold_tag(tag) for state in notes for tag in state.tags}
    return UndoRecord(description, notes, _spellings(db, folded))


def undo(db: Library, record: UndoRecord) -> int:
    """Put the notes, tags and tag spellings of a record back; how many annotations.

    Annotations deleted since the record was taken are left out (undo their delete
    first); everything else is restored in one transaction.
    """
    restored = 0
    with transaction(db):
        for state in record.notes:
            if db.execute(
                "SELECT 1 FROM annotations WHERE id = ?", [state.annotation_id]
            ).fetchone():
                db.execute(
                    "UPDATE annotations SET note = ?, modified = ? WHERE id = ?",
                    [state.note, state.modified, state.annotation_id],
                )
                db.execute(
                    "DELETE FROM annotation_tags WHERE annotation_id = ?", [state.annotation_id]
                )
                link_tags(db, state.annotation_id, list(state.tags))
                restored += 1
        for folded, name in record.tag_spellings:
            db.execute(
                "UPDATE tags SET name = ? WHERE folded = ? AND name != ?", [name, folded, name]
            )
        prune_tags(db)
    return restored
