"""Annotations and tags in the store: create, read, update, delete and undo, tags, search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store.annotations.anchoring import (
    AmbiguousQuote,
    OccurrenceOutOfRange,
    QuoteNotFound,
    find_quote,
)
from store.annotations.notes import (
    AnnotationError,
    annotate_quote,
    count_annotations,
    create_annotation,
    delete_annotation,
    get_annotation,
    list_annotations,
    move_annotation,
    restore_annotation,
    update_annotation,
)
from store.annotations.tags import (
    TagError,
    clean_tag,
    delete_tag,
    fold_tag,
    get_tag,
    list_tags,
    merge_tags,
    rename_tag,
    split_tags,
    suggest_tags,
)
from store.db import Library
from store.db.sqlite import ENGINE, MIGRATIONS, SCHEMA_VERSION, connect, schema_version
from store.errors import NotFoundError, QueryError
from store.ingest.importer import import_text
from store.library.articles import delete_article, get_article, list_articles
from store.models import TagCount
from tests.conftest import article_id_by_path

LE_MONDE = "le-monde-interpol-liberterra-ii.txt"
DEPECHE = "depeche-interpol-liberterra-ii.txt"


@pytest.fixture
def article_id(sample_db: Library) -> int:
    """The Le Monde sample article."""
    return article_id_by_path(sample_db, LE_MONDE)


def a_word_span(db: Library, article_id: int, word: str) -> tuple[int, int]:
    """Offsets of the first occurrence of `word` in an article."""
    body = get_article(db, article_id).body
    start = body.index(word)
    return start, start + len(word)


# --------------------------------------------------------------------------- create and read


def test_create_stores_both_selectors_note_and_tags(sample_db: Library, article_id: int) -> None:
    body = get_article(sample_db, article_id).body
    start, end = a_word_span(sample_db, article_id, "Liberterra II")
    made = create_annotation(
        sample_db,
        article_id,
        start,
        end,
        note="Nom de l'opération\nà citer",
        tags=["Chiffre-clé", "à vérifier", "chiffre-CLÉ"],
    )
    got = get_annotation(sample_db, made.id)
    assert got == made
    assert (got.start, got.end, got.exact) == (start, end, "Liberterra II")
    assert got.prefix == body[max(0, start - 32) : start]
    assert got.suffix == body[end : end + 32]
    assert got.note == "Nom de l'opération\nà citer"
    # One tag per folded name with its first spelling, sorted accents and case ignored.
    assert got.tags == ("à vérifier", "Chiffre-clé")
    assert got.status == "anchored" and got.previous_exact is None
    assert got.created == got.modified and got.created.endswith("Z")
    assert got.article_title == get_article(sample_db, article_id).title
    row = sample_db.execute(
        "SELECT exact, note FROM annotations WHERE id = ?", [made.id]
    ).fetchone()
    assert row == ("Liberterra II", "Nom de l'opération\nà citer")


def test_create_leaves_surrounding_spaces_out(sample_db: Library, article_id: int) -> None:
    start, end = a_word_span(sample_db, article_id, " Juergen ")
    made = create_annotation(sample_db, article_id, start, end)
    assert made.exact == "Juergen"
    assert (made.start, made.end) == (start + 1, end - 1)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(-1, 5, "not inside"), (5, 5, "not inside"), (10, 10**7, "not inside"), (9, 3, "not inside")],
)
def test_create_refuses_a_selection_outside_the_text(
    sample_db: Library, article_id: int, start: int, end: int, message: str
) -> None:
    with pytest.raises(AnnotationError, match=message):
        create_annotation(sample_db, article_id, start, end)
    assert count_annotations(sample_db) == 0


def test_create_refuses_spaces_only_bad_tags_and_unknown_articles(
    sample_db: Library, article_id: int
) -> None:
    body = get_article(sample_db, article_id).body
    space = body.index(" ")
    with pytest.raises(AnnotationError, match="only spaces"):
        create_annotation(sample_db, article_id, space, space + 1)
    with pytest.raises(TagError, match="comma"):
        create_annotation(sample_db, article_id, 0, 5, tags=["a,b"])
    with pytest.raises(TagError, match="empty"):
        create_annotation(sample_db, article_id, 0, 5, tags=["  #  "])
    with pytest.raises(NotFoundError):
        create_annotation(sample_db, 9999, 0, 5)
    assert count_annotations(sample_db) == 0
    assert list_tags(sample_db) == []


def test_tag_names_are_cleaned_and_folded() -> None:
    assert clean_tag("  #chiffre   clé ") == "chiffre clé"
    assert fold_tag("À Vérifier") == fold_tag("à vérifier") == "à vérifier"
    assert split_tags("chiffre-clé, À vérifier,,à VÉRIFIER , contradiction") == [
        "chiffre-clé",
        "À vérifier",
        "contradiction",
    ]


# --------------------------------------------------------------------------- quotes


def test_annotate_quote_finds_a_unique_quote(sample_db: Library, article_id: int) -> None:
    made = annotate_quote(sample_db, article_id, "Liberterra II", note="n", tags=["t"])
    body = get_article(sample_db, article_id).body
    assert body[made.start : made.end] == "Liberterra II"


def test_quote_matching_tolerates_apostrophes_and_spaces() -> None:
    body = "L’opération a permis d’arrêter\u00a02 500 personnes."
    start, end = find_quote(body, "d'arrêter 2 500", 1)
    assert body[start:end] == "d’arrêter\u00a02 500"


def test_quote_errors_say_what_is_wrong(sample_db: Library, article_id: int) -> None:
    body = get_article(sample_db, article_id).body
    word = "Interpol"
    count = body.count(word)
    assert count > 1
    with pytest.raises(AmbiguousQuote) as ambiguous:
        annotate_quote(sample_db, article_id, word)
    assert ambiguous.value.count == count
    assert f"occurs {count} times" in str(ambiguous.value)
    with pytest.raises(OccurrenceOutOfRange, match=f"occurs {count} times"):
        annotate_quote(sample_db, article_id, word, occurrence=count + 1)
    with pytest.raises(QuoteNotFound, match="is not in article"):
        annotate_quote(sample_db, article_id, "une phrase absente de l'article")
    assert count_annotations(sample_db) == 0

    second = annotate_quote(sample_db, article_id, word, occurrence=2)
    first_end = body.index(word) + len(word)
    assert second.start == body.index(word, first_end)


# --------------------------------------------------------------------------- update, delete, undo


def test_update_note_and_tags(sample_db: Library, article_id: int) -> None:
    made = annotate_quote(sample_db, article_id, "Liberterra II", note="avant", tags=["a", "b"])
    sample_db.execute("UPDATE annotations SET modified = '2000-01-01T00:00:00Z'")
    only_note = update_annotation(sample_db, made.id, note="après")
    assert only_note.note == "après" and only_note.tags == ("a", "b")
    assert only_note.modified > "2000-01-01T00:00:00Z"
    assert only_note.created == made.created

    retagged = update_annotation(sample_db, made.id, tags=["B", "c"])
    assert retagged.tags == ("b", "c")  # existing tag "b" keeps its spelling
    assert retagged.note == "après"
    assert [t.name for t in list_tags(sample_db, order="name")] == ["b", "c"]  # "a" is gone

    same = update_annotation(sample_db, made.id, note="après", tags=["c", "b"])
    assert same == retagged
    with pytest.raises(NotFoundError):
        update_annotation(sample_db, 9999, note="x")


def test_delete_returns_the_annotation_and_restore_undoes_it(
    sample_db: Library, article_id: int
) -> None:
    made = annotate_quote(sample_db, article_id, "Liberterra II", note="n", tags=["seul"])
    other = annotate_quote(sample_db, article_id, "Juergen Stock", tags=["autre"])
    deleted = delete_annotation(sample_db, made.id)
    assert deleted == made
    with pytest.raises(NotFoundError):
        get_annotation(sample_db, made.id)
    assert [t.name for t in list_tags(sample_db)] == ["autre"]
    assert list_annotations(sample_db, search="seul") == []

    # A new annotation made meanwhile never takes the deleted id.
    newer = annotate_quote(sample_db, article_id, "Interpol", occurrence=1)
    assert newer.id > other.id > made.id

    restored = restore_annotation(sample_db, deleted)
    assert restored == made
    assert [a.id for a in list_annotations(sample_db, search="seul")] == [made.id]
    with pytest.raises(AnnotationError, match="already there"):
        restore_annotation(sample_db, deleted)
    with pytest.raises(NotFoundError):
        delete_annotation(sample_db, 9999)


def test_restore_after_the_text_changed_re_anchors(db: Library) -> None:
    text = "Titre\n\nUn premier paragraphe. Le passage annoté est ici. Fin."
    article_id = import_text(db, text, source_key="k").article_id
    assert article_id is not None
    made = annotate_quote(db, article_id, "Le passage annoté")
    deleted = delete_annotation(db, made.id)
    import_text(db, "Titre\n\nAjout. " + text.split("\n\n")[1], source_key="k")
    restored = restore_annotation(db, deleted)
    body = get_article(db, article_id).body
    assert body[restored.start : restored.end] == "Le passage annoté"
    assert restored.status == "moved"


def test_deleting_an_article_deletes_its_annotations(sample_db: Library, article_id: int) -> None:
    annotate_quote(sample_db, article_id, "Liberterra II", tags=["t"])
    delete_article(sample_db, article_id)
    assert count_annotations(sample_db) == 0
    assert list_tags(sample_db) == []
    assert sample_db.execute("SELECT count(*) FROM annotations_fts").fetchone()[0] == 0


# --------------------------------------------------------------------------- lists and search


@pytest.fixture
def annotated(sample_db: Library) -> dict[str, int]:
    """Four annotations over two sample articles, with tags and notes."""
    monde = article_id_by_path(sample_db, LE_MONDE)
    depeche = article_id_by_path(sample_db, DEPECHE)
    ids = {
        "nom": annotate_quote(
            sample_db, monde, "Liberterra II", note="Nom de l'opération", tags=["Opération"]
        ).id,
        "pays": annotate_quote(
            sample_db, monde, "Juergen Stock", note="Vérifier le nombre", tags=["chiffre-clé"]
        ).id,
        "depeche": annotate_quote(
            sample_db,
            depeche,
            "Interpol",
            occurrence=1,
            note="source primaire",
            tags=["Chiffre-clé", "à vérifier"],
        ).id,
        "sans": annotate_quote(sample_db, depeche, "Interpol", occurrence=2).id,
    }
    return ids


def test_list_filters_by_article_tag_and_status(
    sample_db: Library, annotated: dict[str, int]
) -> None:
    monde = article_id_by_path(sample_db, LE_MONDE)
    in_monde = list_annotations(sample_db, article_ids=[monde])
    assert [a.id for a in in_monde] == sorted(
        [annotated["nom"], annotated["pays"]], key=lambda i: get_annotation(sample_db, i).start
    )
    assert {a.id for a in list_annotations(sample_db, tags=["CHIFFRE-CLÉ"])} == {
        annotated["pays"],
        annotated["depeche"],
    }
    assert {a.id for a in list_annotations(sample_db, tags=["opération", "à vérifier"])} == {
        annotated["nom"],
        annotated["depeche"],
    }
    assert list_annotations(sample_db, tags=["inconnu"]) == []
    both = list_annotations(sample_db, article_ids=[monde], tags=["chiffre-clé"])
    assert [a.id for a in both] == [annotated["pays"]]
    assert len(list_annotations(sample_db, status="anchored")) == 4
    assert list_annotations(sample_db, status="orphaned") == []
    with pytest.raises(AnnotationError, match="unknown status"):
        list_annotations(sample_db, status="lost")
    assert count_annotations(sample_db, tags=["chiffre-clé"]) == 2
    assert len(list_annotations(sample_db, limit=2)) == 2
    assert len(list_annotations(sample_db, limit=2, offset=3)) == 1


def test_search_covers_notes_quotes_and_tags_accents_ignored(
    sample_db: Library, annotated: dict[str, int]
) -> None:
    def found(query: str) -> set[int]:
        return {a.id for a in list_annotations(sample_db, search=query)}

    assert found("operation") == {annotated["nom"]}  # note and tag, without the accent
    assert found("liberterra") == {annotated["nom"]}  # the quote
    assert found("verif") == {
        annotated["pays"],
        annotated["depeche"],
    }  # a prefix, in notes and tags
    assert found("chiffre") == {annotated["pays"], annotated["depeche"]}  # tags
    assert found("primaire source") == {annotated["depeche"]}
    assert found("absent") == set()
    with pytest.raises(QueryError):
        list_annotations(sample_db, search="!!!")


def test_search_index_follows_updates_and_tag_renames(
    sample_db: Library, annotated: dict[str, int]
) -> None:
    update_annotation(sample_db, annotated["sans"], note="désormais annotée")
    assert [a.id for a in list_annotations(sample_db, search="desormais")] == [annotated["sans"]]
    rename_tag(sample_db, "chiffre-clé", "donnée")
    assert list_annotations(sample_db, search="chiffre") == []
    assert {a.id for a in list_annotations(sample_db, search="donnee")} == {
        annotated["pays"],
        annotated["depeche"],
    }


def test_annotation_count_in_the_library(sample_db: Library, annotated: dict[str, int]) -> None:
    counts = {a.id: a.annotation_count for a in list_articles(sample_db)}
    assert counts[article_id_by_path(sample_db, LE_MONDE)] == 2
    assert counts[article_id_by_path(sample_db, DEPECHE)] == 2
    assert sorted(counts.values()) == [0, 2, 2]


# --------------------------------------------------------------------------- tags


def test_list_tags_with_counts(sample_db: Library, annotated: dict[str, int]) -> None:
    # Most used first, then by name, accents and case ignored.
    assert list_tags(sample_db) == [
        TagCount("chiffre-clé", 2),
        TagCount("à vérifier", 1),
        TagCount("Opération", 1),
    ]
    assert [t.name for t in list_tags(sample_db, order="name")] == [
        "à vérifier",
        "chiffre-clé",
        "Opération",
    ]
    assert suggest_tags(sample_db, "CH") == ["chiffre-clé"]
    assert suggest_tags(sample_db, "")[0] == "chiffre-clé"
    assert suggest_tags(sample_db, "%") == []
    assert get_tag(sample_db, "CHIFFRE-clé") == TagCount("chiffre-clé", 2)


def test_rename_tag(sample_db: Library, annotated: dict[str, int]) -> None:
    assert rename_tag(sample_db, "chiffre-clé", "Chiffre-Clé") == TagCount("Chiffre-Clé", 2)
    assert get_annotation(sample_db, annotated["pays"]).tags == ("Chiffre-Clé",)
    assert rename_tag(sample_db, "chiffre-clé", "chiffre") == TagCount("chiffre", 2)
    with pytest.raises(TagError, match="already exists"):
        rename_tag(sample_db, "chiffre", "OPÉRATION")
    with pytest.raises(NotFoundError):
        rename_tag(sample_db, "inconnu", "x")
    assert get_tag(sample_db, "chiffre").count == 2


def test_merge_tags(sample_db: Library, annotated: dict[str, int]) -> None:
    merged = merge_tags(sample_db, ["à vérifier", "Opération"], "chiffre-clé")
    assert merged == TagCount("chiffre-clé", 3)  # "depeche" had both: counted once
    assert [t.name for t in list_tags(sample_db)] == ["chiffre-clé"]
    assert get_annotation(sample_db, annotated["depeche"]).tags == ("chiffre-clé",)

    into_new = merge_tags(sample_db, ["chiffre-clé"], "à revoir")
    assert into_new == TagCount("à revoir", 3)
    with pytest.raises(NotFoundError):
        merge_tags(sample_db, ["à revoir", "inconnu"], "autre")
    assert list_tags(sample_db) == [TagCount("à revoir", 3)]  # nothing half-done


def test_delete_tag_keeps_the_annotations(sample_db: Library, annotated: dict[str, int]) -> None:
    assert delete_tag(sample_db, "CHIFFRE-CLÉ") == 2
    assert count_annotations(sample_db) == 4
    assert get_annotation(sample_db, annotated["depeche"]).tags == ("à vérifier",)
    assert list_annotations(sample_db, search="chiffre") == []
    with pytest.raises(NotFoundError):
        delete_tag(sample_db, "chiffre-clé")


# --------------------------------------------------------------------------- schema


def test_a_version_2_file_upgrades_and_keeps_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    raw = sqlite3.connect(path, isolation_level=None)
    old = Library(raw, ENGINE, "old")
    MIGRATIONS[0](old)
    MIGRATIONS[1](old)
    raw.execute("PRAGMA user_version = 2")
    old.execute(
        "INSERT INTO articles (title, body, content_hash, imported_at, updated_at) "
        "VALUES ('Ancien', 'Un texte écrit par une version précédente.', 'h', "
        "'2024-01-01', '2024-01-01')"
    )
    raw.close()

    db = connect(path)
    assert schema_version(db) == SCHEMA_VERSION >= 3
    made = annotate_quote(db, 1, "version précédente", tags=["vieux"])
    assert made.exact == "version précédente"
    assert list_articles(db)[0].annotation_count == 1
    db.close()


def test_move_re_places_an_orphaned_annotation(db: Library) -> None:
    first = "Titre\n\nLe ministère annonce 120 postes supprimés. Les syndicats protestent."
    article_id = import_text(db, first, source_key="k").article_id
    assert article_id is not None
    made = annotate_quote(db, article_id, "120 postes supprimés", note="chiffre", tags=["emploi"])
    import_text(db, "Titre\n\nLes syndicats protestent contre la réforme annoncée.", source_key="k")
    assert get_annotation(db, made.id).status == "orphaned"

    body = get_article(db, article_id).body
    start = body.index("la réforme annoncée")
    moved = move_annotation(db, made.id, start - 1, start + len("la réforme annoncée"))
    assert (moved.start, moved.end) == (start, start + len("la réforme annoncée"))
    assert moved.exact == "la réforme annoncée" and moved.status == "anchored"
    assert moved.previous_exact == "120 postes supprimés"
    assert moved.prefix == body[max(0, start - 32) : start]
    assert (moved.note, moved.tags, moved.created) == ("chiffre", ("emploi",), made.created)
    assert [a.id for a in list_annotations(db, search="reforme")] == [made.id]
    with pytest.raises(AnnotationError, match="not inside"):
        move_annotation(db, made.id, 0, 10**6)
    with pytest.raises(NotFoundError):
        move_annotation(db, 999, 0, 3)
