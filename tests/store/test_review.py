"""A note never moves silently onto other words: the `changed` status, its review, its migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store.annotations import (
    accept_annotation,
    annotate_quote,
    export_annotations,
    get_annotation,
    import_annotations,
    list_annotations,
    move_annotation,
    status_line,
    was_line,
)
from store.annotations.notes import AnnotationError, delete_annotation, restore_annotation
from store.db import Library
from store.db import sqlite as store_db
from store.db.sqlite import ENGINE, MIGRATIONS, connect
from store.ingest.importer import import_text
from store.library.articles import get_article

TITLE = "Fraude fiscale : le préjudice chiffré"
FIRST = (
    f"{TITLE}\n\nSelon la plainte, le préjudice s'élève à 751 millions d'euros pour l'État. "
    "Les avocats de la société contestent ce montant devant le tribunal."
)


def import_version(db: Library, text: str) -> int:
    """Import (or re-import) a text under one source key; its article id."""
    outcome = import_text(db, text, source_key="plainte")
    assert outcome.article_id is not None
    return outcome.article_id


@pytest.fixture
def noted(db: Library) -> tuple[int, int]:
    """(article id, annotation id): a note on « 751 millions d'euros »."""
    article_id = import_version(db, FIRST)
    made = annotate_quote(db, article_id, "751 millions d'euros", note="vérifié avec la plainte")
    return article_id, made.id


def test_a_quote_whose_words_changed_is_changed_not_moved(
    db: Library, noted: tuple[int, int]
) -> None:
    article_id, annotation_id = noted
    import_version(db, FIRST.replace("751 millions", "715 millions"))

    note = get_annotation(db, annotation_id)
    assert note.status == "changed"
    assert note.exact == "715 millions d'euros"
    assert note.was_text == note.previous_exact == "751 millions d'euros"
    assert was_line(note) == "was « 751 millions d'euros »"
    assert status_line(note) == "changed: was « 751 millions d'euros »"
    assert [a.id for a in list_annotations(db, status="changed")] == [annotation_id]
    body = get_article(db, article_id).body
    assert body[note.start : note.end] == "715 millions d'euros"


def test_a_changed_note_stays_changed_until_accepted(db: Library, noted: tuple[int, int]) -> None:
    _, annotation_id = noted
    edited = FIRST.replace("751 millions", "715 millions")
    import_version(db, edited)
    # Another edit elsewhere (an added paragraph) does not clear the review.
    import_version(db, edited + "\nMise à jour : l'audience est fixée au 3 mars.")
    assert get_annotation(db, annotation_id).status == "changed"
    # A second change keeps the words the reader last checked, not the intermediate ones.
    import_version(db, FIRST.replace("751 millions", "705 millions"))
    again = get_annotation(db, annotation_id)
    assert (again.status, again.exact, again.was_text) == (
        "changed",
        "705 millions d'euros",
        "751 millions d'euros",
    )

    accepted = accept_annotation(db, annotation_id)
    assert (accepted.status, accepted.previous_exact, accepted.was_text) == ("anchored", None, None)
    assert accepted.note == "vérifié avec la plainte"
    assert list_annotations(db, status="changed") == []
    # Accepting is not an edit of the note.
    assert accepted.modified == again.modified


def test_words_changed_back_are_only_moved(db: Library, noted: tuple[int, int]) -> None:
    _, annotation_id = noted
    import_version(db, FIRST.replace("751 millions", "715 millions"))
    import_version(db, "Correctif.\n" + FIRST)
    back = get_annotation(db, annotation_id)
    assert (back.status, back.exact, back.was_text) == ("moved", "751 millions d'euros", None)


def test_same_words_elsewhere_stay_moved(db: Library, noted: tuple[int, int]) -> None:
    _, annotation_id = noted
    title, _, rest = FIRST.partition("\n")
    import_version(db, f"{title}\nUne précision ajoutée en tête.\n{rest}")
    moved = get_annotation(db, annotation_id)
    assert (moved.status, moved.exact, moved.was_text) == ("moved", "751 millions d'euros", None)
    assert accept_annotation(db, annotation_id).status == "anchored"


def test_reattaching_a_changed_note_ends_its_review(db: Library, noted: tuple[int, int]) -> None:
    article_id, annotation_id = noted
    import_version(db, FIRST.replace("751 millions", "715 millions"))
    body = get_article(db, article_id).body
    start = body.index("715 millions")
    moved = move_annotation(db, annotation_id, start, start + len("715 millions"))
    assert moved.status == "anchored" and moved.was_text is None


def test_an_orphaned_note_cannot_be_accepted(db: Library, noted: tuple[int, int]) -> None:
    _, annotation_id = noted
    import_version(db, f"{TITLE}\n\nLe tribunal rendra sa décision en mars.")
    assert get_annotation(db, annotation_id).status == "orphaned"
    with pytest.raises(AnnotationError, match="re-attach"):
        accept_annotation(db, annotation_id)


def test_undo_and_export_import_keep_a_changed_note(
    db: Library, noted: tuple[int, int], tmp_path: Path
) -> None:
    _, annotation_id = noted
    import_version(db, FIRST.replace("751 millions", "715 millions"))
    gone = delete_annotation(db, annotation_id)
    restored = restore_annotation(db, gone)
    assert (restored.status, restored.was_text) == ("changed", "751 millions d'euros")

    exported = tmp_path / "notes.json"
    exported.write_text(export_annotations(db, "json"), encoding="utf-8")
    delete_annotation(db, annotation_id)
    report = import_annotations(db, exported)
    assert report.imported == 1
    (back,) = list_annotations(db)
    assert (back.status, back.exact, back.was_text) == (
        "changed",
        "715 millions d'euros",
        "751 millions d'euros",
    )


def test_migration_7_widens_the_status_and_flags_silent_moves(tmp_path: Path) -> None:
    """A version-6 file: a `moved` note on other words becomes `changed`; nothing else moves."""
    path = tmp_path / "v6.db"
    conn = sqlite3.connect(path, isolation_level=None)
    old = Library(conn, ENGINE, "old")
    store_db.configure(old)
    for number, migration in enumerate(MIGRATIONS[:6], start=1):
        with store_db.transaction(old):
            migration(old)
            old.execute(f"PRAGMA user_version = {number}")
    body = "Titre\n\nLe préjudice s'élève à 715 millions d'euros. Le tribunal tranchera."
    old.execute(
        "INSERT INTO articles (id, title, body, content_hash, imported_at, updated_at) "
        "VALUES (1, 'Titre', ?, 'h', 'x', 'x')",
        [body],
    )
    rows = [  # id, exact, status, previous_exact
        (1, "715 millions d'euros", "moved", "751 millions d'euros"),
        (2, "Le tribunal tranchera", "moved", None),
        (3, "Le préjudice", "anchored", "Un préjudice"),  # re-attached by hand: not a review
    ]
    for number, exact, status, previous in rows:
        start = body.index(exact)
        old.execute(
            'INSERT INTO annotations (id, uid, article_id, start, "end", exact, created, '
            "modified, status, previous_exact) VALUES (?, ?, 1, ?, ?, ?, 'x', 'x', ?, ?)",
            [number, f"u{number}", start, start + len(exact), exact, status, previous],
        )
    with pytest.raises(sqlite3.IntegrityError):
        old.execute(
            'INSERT INTO annotations (uid, article_id, start, "end", exact, created, modified, '
            "status) VALUES ('u9', 1, 0, 1, 'T', 'x', 'x', 'changed')"
        )
    conn.close()

    db = connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    statuses = {a.id: a.status for a in list_annotations(db)}
    assert statuses == {1: "changed", 2: "moved", 3: "anchored"}
    assert get_annotation(db, 1).was_text == "751 millions d'euros"
    # The constraint now takes `changed`, and still refuses anything else.
    db.execute("UPDATE annotations SET status = 'changed' WHERE id = 2")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE annotations SET status = 'lost' WHERE id = 2")
    # The search index and its triggers were kept.
    assert [a.id for a in list_annotations(db, search="tribunal")] == [2]
    db.close()
