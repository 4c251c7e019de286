"""Undoing note and tag changes in the store, and near-duplicate tags."""

from __future__ import annotations

import pytest

from store.annotations import (
    annotate_quote,
    delete_tag,
    get_annotation,
    list_annotations,
    list_tags,
    merge_tags,
    rename_tag,
    update_annotation,
)
from store.annotations.near_tags import loose_tag_key, near_duplicate_among, near_duplicate_tag
from store.annotations.undo import record_annotations, record_tags, undo
from store.db import Library
from store.ingest.importer import import_text

TEXT = (
    "Bilan\n\nInterpol annonce 2 517 arrestations dans 116 pays. "
    "Les enquêteurs ont identifié 3 222 victimes, dont des mineurs."
)


@pytest.fixture
def notes(db: Library) -> list[int]:
    """Three annotations with tags that overlap."""
    article_id = import_text(db, TEXT, source_key="bilan").article_id
    assert article_id is not None
    made = [
        annotate_quote(
            db, article_id, "2 517 arrestations", note="un", tags=["Chiffre", "Interpol"]
        ),
        annotate_quote(db, article_id, "116 pays", note="deux", tags=["chiffre"]),
        annotate_quote(db, article_id, "3 222 victimes", note="trois", tags=["à vérifier"]),
    ]
    return [a.id for a in made]


def state(db: Library) -> list[tuple[int, str, str, tuple[str, ...]]]:
    """Every annotation's id, note, modification date and tags; and nothing else changes."""
    return [(a.id, a.note, a.modified, a.tags) for a in list_annotations(db)]


def tags(db: Library) -> list[tuple[str, int]]:
    return [(t.name, t.count) for t in list_tags(db, order="name")]


@pytest.mark.parametrize(
    "change",
    [
        lambda db: rename_tag(db, "chiffre", "Chiffre-clé"),
        lambda db: rename_tag(db, "chiffre", "CHIFFRE"),  # a change of spelling only
        lambda db: merge_tags(db, ["chiffre", "Interpol"], "source"),
        lambda db: merge_tags(db, ["à vérifier"], "Chiffre"),
        lambda db: delete_tag(db, "chiffre"),
    ],
    ids=["rename", "respell", "merge-new", "merge-existing", "delete"],
)
def test_a_tag_change_is_undone(db: Library, notes: list[int], change) -> None:
    before_notes, before_tags = state(db), tags(db)
    involved = ["chiffre", "Interpol", "à vérifier", "source"]
    record = record_tags(db, involved, "tag change")
    change(db)
    assert tags(db) != before_tags
    assert undo(db, record) >= 1
    assert (state(db), tags(db)) == (before_notes, before_tags)
    # the notes' search index follows: the old tag finds its passages again
    assert {a.id for a in list_annotations(db, search="chiffre")} == set(notes[:2])


def test_a_note_edit_is_undone(db: Library, notes: list[int]) -> None:
    before = state(db)
    record = record_annotations(db, [notes[1]], "edit of the note")
    update_annotation(db, notes[1], note="changée", tags=["nouveau"])
    assert get_annotation(db, notes[1]).note == "changée"
    assert undo(db, record) == 1
    assert state(db) == before
    assert "nouveau" not in [t.name for t in list_tags(db)]


def test_undo_skips_an_annotation_deleted_since(db: Library, notes: list[int]) -> None:
    from store.annotations import delete_annotation

    record = record_tags(db, ["chiffre"], "rename")
    rename_tag(db, "chiffre", "nombre")
    delete_annotation(db, notes[0])
    assert undo(db, record) == 1
    assert [a.tags for a in list_annotations(db)] == [("Chiffre",), ("à vérifier",)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Chiffre Clé", "chiffre-clé"),
        ("chiffre_cle", "chiffre-clé"),
        ("CHIFFRECLÉ", "chiffre-clé"),
        ("chifre-clé", "chiffre-clé"),  # one letter dropped
        ("chiffre-clés", "chiffre-clé"),  # one added
        ("chiffre-clé", None),  # the tag itself
        ("Chiffre-Clé", None),  # the same tag, another case: it is that tag
        ("source", None),
        ("vérifiée", None),  # far from "à vérifier"
        ("chat", None),  # short names must match exactly: "chats" is not "chat"
    ],
)
def test_near_duplicate_tags(db: Library, typed: str, expected: str | None) -> None:
    article_id = import_text(db, TEXT, source_key="bilan").article_id
    assert article_id is not None
    annotate_quote(db, article_id, "116 pays", tags=["chiffre-clé", "à vérifier", "chats"])
    assert near_duplicate_tag(db, typed) == expected
    assert near_duplicate_among(typed, ["chiffre-clé", "à vérifier", "chats"]) == expected


def test_loose_key_ignores_case_accents_and_separators() -> None:
    assert loose_tag_key("  Chiffre – Clé ") == loose_tag_key("chiffre_cle") == "chiffrecle"
