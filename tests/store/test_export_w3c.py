"""W3C interoperability: what other tools write imports; what we write declares itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from store.annotations import annotate_quote, export_annotations, import_annotations
from store.annotations.export import ANNO_CONTEXT
from store.annotations.notes import list_annotations
from store.db import Library
from store.ingest.importer import import_text
from tests.cli_helpers import run

URL = "https://exemple.fr/interpol-bilan"
BODY = (
    "Interpol annonce 2 517 arrestations dans 116 pays. "
    "Les enquêteurs ont identifié 3 222 victimes."
)


def foreign_annotation(quote: str, note: str, ident: str, *, context: bool = True) -> dict:
    """An annotation as another W3C tool writes it: a URL target, a quote, one plain body."""
    item = {
        "id": ident,
        "type": "Annotation",
        "created": "2024-11-07T09:00:00Z",
        "body": {"type": "TextualBody", "value": note},
        "target": {
            "source": URL,
            "selector": {"type": "TextQuoteSelector", "exact": quote},
        },
    }
    return {"@context": ANNO_CONTEXT, **item} if context else item


@pytest.fixture
def article(db: Library) -> int:
    """One article, known by its URL."""
    outcome = import_text(db, BODY, source_key="bilan", title="Bilan", url=URL)
    assert outcome.article_id is not None
    return outcome.article_id


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "annotations.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def imported_notes(db: Library) -> list[tuple[str, str]]:
    return [(a.exact, a.note) for a in list_annotations(db)]


def test_a_single_annotation(db: Library, article: int, tmp_path: Path) -> None:
    document = foreign_annotation("2 517 arrestations", "chiffre Interpol", "https://h.example/a1")
    report = import_annotations(db, write(tmp_path, document))
    assert report.imported == 1
    assert imported_notes(db) == [("2 517 arrestations", "chiffre Interpol")]
    assert list_annotations(db)[0].article_id == article


def test_a_json_array(db: Library, article: int, tmp_path: Path) -> None:
    document = [
        foreign_annotation(
            "2 517 arrestations", "un", "urn:uuid:11111111-1111-4111-8111-111111111111"
        ),
        foreign_annotation("3 222 victimes", "deux", "https://h.example/a2"),
    ]
    assert import_annotations(db, write(tmp_path, document)).imported == 2
    assert imported_notes(db) == [("2 517 arrestations", "un"), ("3 222 victimes", "deux")]
    # The same file again adds nothing: ids are kept.
    again = import_annotations(db, write(tmp_path, document))
    assert (again.imported, again.already_present) == (0, 2)


def test_a_page_and_a_collection_of_embedded_pages(
    db: Library, article: int, tmp_path: Path
) -> None:
    first = foreign_annotation("116 pays", "pays", "https://h.example/p1", context=False)
    second = foreign_annotation("3 222 victimes", "victimes", "https://h.example/p2", context=False)
    page = {"@context": ANNO_CONTEXT, "type": "AnnotationPage", "items": [first]}
    assert import_annotations(db, write(tmp_path, page)).imported == 1
    collection = {
        "@context": ANNO_CONTEXT,
        "type": "AnnotationCollection",
        "total": 2,
        "first": {"type": "AnnotationPage", "items": [first], "next": {"items": [second]}},
    }
    report = import_annotations(db, write(tmp_path, collection))
    assert (report.imported, report.already_present) == (1, 1)
    assert sorted(imported_notes(db)) == [("116 pays", "pays"), ("3 222 victimes", "victimes")]


def test_export_declares_its_prefix_and_the_language(db: Library, article: int) -> None:
    annotate_quote(db, article, "116 pays", note="à vérifier", tags=["pays"])
    db.execute("UPDATE articles SET lang = 'fr' WHERE id = ?", [article])  # as `lang: fr` says
    other = import_text(db, "Sans langue connue, 12 morts.", source_key="x", title="X")
    annotate_quote(db, other.article_id, "12 morts", note="bilan")
    document = json.loads(export_annotations(db, "json"))
    assert document["@context"] == [ANNO_CONTEXT, {"recoupe": "urn:recoupe:ns:"}]
    items = {i["target"]["selector"][0]["exact"]: i for i in document["first"]["items"]}
    assert [b.get("language") for b in items["116 pays"]["body"]] == ["fr", "fr"]
    assert [b.get("language") for b in items["12 morts"]["body"]] == [None]
    assert all(key.startswith("recoupe:") for i in items.values() for key in i if ":" in key)


def test_import_annotations_exits_1_when_nothing_was_imported(
    db: Library, db_path: Path, article: int, tmp_path: Path
) -> None:
    runner = CliRunner()
    unknown = foreign_annotation("2 517 arrestations", "x", "https://h.example/u")
    unknown["target"]["source"] = "https://ailleurs.example/autre"
    nothing = run(runner, db_path, "import-annotations", str(write(tmp_path, [unknown])))
    assert nothing.exit_code == 1
    assert "0 imported" in nothing.stdout and "not in the library" in nothing.stderr
    empty = run(runner, db_path, "import-annotations", str(write(tmp_path, [])))
    assert empty.exit_code == 1
    known = foreign_annotation("116 pays", "x", "https://h.example/k")
    path = write(tmp_path, known)
    assert run(runner, db_path, "import-annotations", str(path)).exit_code == 0
    again = run(runner, db_path, "import-annotations", str(path))
    assert again.exit_code == 0 and "1 already present" in again.stdout
