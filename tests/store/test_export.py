"""Export of annotations (JSON-LD, CSV, Markdown), writing files, and import of our JSON back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from store.annotations.export import (
    ANNO_CONTEXT,
    CSV_COLUMNS,
    ExportError,
    OutputExists,
    export_annotations,
    import_annotations,
    md_escape,
    suggest_export_path,
    write_export,
)
from store.annotations.notes import (
    annotate_quote,
    count_annotations,
    list_annotations,
    update_annotation,
)
from store.db import Library
from store.db.sqlite import connect
from store.errors import ImportFailure, NotFoundError
from store.ingest.importer import import_paths, import_text
from store.library.articles import get_article
from store.models import Annotation
from tests.conftest import EVAL_DATA, SAMPLE_CORPUS, article_id_by_path

ECUREUIL = EVAL_DATA / "articles" / "rpm2_T02_C1_01.txt"
TIBET = EVAL_DATA / "articles" / "rpm2_T20_C1_04.txt"
TIBET_URL = "https://example.org/tibet-600-personnes"


def load_library(db: Library, *, reverse: bool = False) -> None:
    """The sample corpus, one eval article, and one article with a URL (order reversible)."""
    steps = [
        lambda: import_paths(db, [SAMPLE_CORPUS]),
        lambda: import_paths(db, [ECUREUIL]),
        lambda: import_text(
            db,
            TIBET.read_text(encoding="utf-8"),
            source_key="tibet",
            outlet="AFP",
            published="2008-03-26",
            url=TIBET_URL,
        ),
    ]
    for step in reversed(steps) if reverse else steps:
        step()


def edited_tibet() -> str:
    """The Tibet article with a line added under its title and one passage rewritten."""
    title, _, rest = TIBET.read_text(encoding="utf-8").partition("\n")
    return f"{title}\nMise à jour.\n" + rest.replace("623 blessés", "de nombreux blessés")


def article_by_title_start(db: Library, start: str) -> int:
    row = db.execute("SELECT id FROM articles WHERE title LIKE ?", [start + "%"]).fetchone()
    assert row, start
    return int(row[0])


@pytest.fixture
def library(db: Library) -> Library:
    """A library with five annotations over three articles, one moved, one orphaned."""
    load_library(db)
    monde = article_id_by_path(db, "le-monde-interpol-liberterra-ii.txt")
    ecureuil = article_by_title_start(db, "L’Ecureuil")
    tibet = article_by_title_start(db, "Crise tibétaine")
    annotate_quote(
        db,
        monde,
        "Juergen Stock",
        note="Secrétaire général\n*cité* deux fois",
        tags=["Personne", "à vérifier"],
    )
    annotate_quote(db, ecureuil, "600 millions d’euros", note="=1+1", tags=["chiffre-clé"])
    annotate_quote(db, ecureuil, "20 milliards d’euros de fonds propres", tags=["chiffre-clé"])
    annotate_quote(
        db, tibet, "19 morts", occurrence=1, note="bilan officiel", tags=["chiffre-clé", "bilan"]
    )
    annotate_quote(db, tibet, "623 blessés")
    # One annotation moved and one orphaned by a re-import of the Tibet article.
    edited = edited_tibet()
    import_text(db, edited, source_key="tibet", outlet="AFP", published="2008-03-26", url=TIBET_URL)
    return db


def comparable(annotation: Annotation, db: Library) -> tuple:
    """Every field of an annotation that must survive export and import, article by content."""
    article = get_article(db, annotation.article_id)
    return (
        annotation.uid,
        article.content_hash,
        annotation.start,
        annotation.end,
        annotation.exact,
        annotation.prefix,
        annotation.suffix,
        annotation.note,
        annotation.tags,
        annotation.created,
        annotation.modified,
        annotation.status,
        annotation.previous_exact,
    )


# --------------------------------------------------------------------------- JSON-LD


def test_json_is_a_w3c_annotation_collection(library: Library) -> None:
    document = json.loads(export_annotations(library, "json"))
    assert document["@context"] == ANNO_CONTEXT
    assert document["type"] == "AnnotationCollection"
    assert document["id"].startswith("urn:uuid:")
    assert document["total"] == 5
    page = document["first"]
    assert page["type"] == "AnnotationPage"
    items = page["items"]
    assert len(items) == 5
    stored = {a.uid: a for a in list_annotations(library)}
    for item in items:
        assert item["type"] == "Annotation"
        assert item["id"].startswith("urn:uuid:")
        annotation = stored[item["id"].removeprefix("urn:uuid:")]
        assert item["created"] == annotation.created
        assert item["modified"] == annotation.modified
        target = item["target"]
        quote, position = target["selector"]
        assert quote == {
            "type": "TextQuoteSelector",
            "exact": annotation.exact,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
        }
        assert position == {
            "type": "TextPositionSelector",
            "start": annotation.start,
            "end": annotation.end,
        }
        bodies = item.get("body", [])
        notes = [b["value"] for b in bodies if b["purpose"] == "commenting"]
        tags = [b["value"] for b in bodies if b["purpose"] == "tagging"]
        assert all(b["type"] == "TextualBody" for b in bodies)
        assert notes == ([annotation.note] if annotation.note else [])
        assert tags == list(annotation.tags)
        article = get_article(library, annotation.article_id)
        expected_source = article.url or f"urn:recoupe:article:{article.content_hash}"
        assert target["source"] == expected_source
        assert item["recoupe:status"] == annotation.status
    sources = {item["target"]["source"] for item in items}
    assert TIBET_URL in sources
    assert any(s.startswith("urn:recoupe:article:") for s in sources)


def test_json_filters_by_tag_and_article(library: Library) -> None:
    tibet = article_by_title_start(library, "Crise tibétaine")
    by_tag = json.loads(export_annotations(library, "json", tags=["CHIFFRE-CLÉ"]))
    assert by_tag["total"] == 3
    by_article = json.loads(export_annotations(library, "json", article_ids=[tibet]))
    assert {i["target"]["source"] for i in by_article["first"]["items"]} == {TIBET_URL}
    both = json.loads(
        export_annotations(library, "json", tags=["chiffre-clé"], article_ids=[tibet])
    )
    assert [i["target"]["selector"][0]["exact"] for i in both["first"]["items"]] == ["19 morts"]
    with pytest.raises(NotFoundError, match="no tag"):
        export_annotations(library, "json", tags=["inconnu"])
    with pytest.raises(NotFoundError, match="no article"):
        export_annotations(library, "json", article_ids=[999])
    with pytest.raises(ExportError, match="unknown export format"):
        export_annotations(library, "xml")


def test_an_empty_library_exports_an_empty_collection(db: Library) -> None:
    document = json.loads(export_annotations(db, "json"))
    assert document["total"] == 0 and document["first"]["items"] == []


# --------------------------------------------------------------------------- CSV


def test_csv_has_one_row_per_annotation_with_a_bom(library: Library) -> None:
    text = export_annotations(library, "csv")
    assert text.startswith("\ufeff")
    data = text.encode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    stored = list_annotations(library)
    assert len(rows) == len(stored) == 5
    for row, annotation in zip(rows, stored, strict=True):
        assert int(row["id"]) == annotation.id
        assert row["title"] == annotation.article_title
        assert row["outlet"] == (annotation.outlet or "")
        assert row["date"] == (annotation.published or "")
        assert row["url"] == (annotation.url or "")
        assert row["quote"] == annotation.exact
        assert row["tags"] == ", ".join(annotation.tags)
        assert (int(row["start"]), int(row["end"])) == (annotation.start, annotation.end)
        assert row["created"] == annotation.created
        assert row["status"] == annotation.status
        if annotation.note != "=1+1":
            assert row["note"] == annotation.note
    notes = {row["note"] for row in rows}
    assert "Secrétaire général\n*cité* deux fois" in notes  # accents and newlines intact
    assert "'=1+1" in notes  # a spreadsheet would run it as a formula: neutralised
    assert any(row["date"] == "2008-03-26" for row in rows)


# --------------------------------------------------------------------------- Markdown


def test_markdown_report_by_article(library: Library) -> None:
    text = export_annotations(library, "md")
    assert text.startswith("# Annotations\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert len(headings) == 3
    assert "## L’Ecureuil perd 600 millions de noisettes" in headings
    assert "> 600 millions d’euros" in text
    assert "> 19 morts" in text
    assert "Source: *Crise tibétaine" in text and f"<{TIBET_URL}>" in text
    assert "Secrétaire général\n\\*cité\\* deux fois" in text  # note text is not markup
    assert "Tags: `chiffre-clé`" in text
    assert "not found in the current text" in text  # the orphaned one says so
    # The Ecureuil section holds its two quotes, in text order.
    section = text.split("## L’Ecureuil")[1].split("\n## ")[0]
    assert section.index("> 600 millions") < section.index("> 20 milliards")


def test_markdown_report_by_tag(library: Library) -> None:
    text = export_annotations(library, "md", by_tag=True)
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["à vérifier", "bilan", "chiffre-clé", "Personne", "Without a tag"]
    chiffre = text.split("## chiffre-clé")[1].split("\n## ")[0]
    assert chiffre.count("\n> ") == 3
    assert "— *L’Ecureuil perd 600 millions de noisettes*" in chiffre  # source cited


def test_md_escape_keeps_text_literal() -> None:
    assert md_escape("# titre\n- item\n*gras* [lien](x) <b>") == (
        "\\# titre\n\\- item\n\\*gras\\* \\[lien\\](x) \\<b\\>"
    )


# --------------------------------------------------------------------------- files


def test_write_export_never_overwrites_without_force(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    written = write_export(library, path, "csv")
    assert written == path.resolve()
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))) == 6
    path.write_text("précieux", encoding="utf-8")
    with pytest.raises(OutputExists):
        write_export(library, path, "csv")
    assert path.read_text(encoding="utf-8") == "précieux"
    write_export(library, path, "md", force=True)
    assert path.read_text(encoding="utf-8").startswith("# Annotations")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".notes.csv")]
    assert leftovers == []  # the file is written aside then renamed: no temporary file stays


def test_write_export_refuses_bad_places(library: Library, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no such folder"):
        write_export(library, tmp_path / "absent" / "x.json", "json")
    with pytest.raises(ExportError, match="is a folder"):
        write_export(library, tmp_path, "json")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="no such folder"):
        write_export(library, blocker / "x.json", "json")
    with pytest.raises(ExportError, match="cannot write"):
        write_export(library, Path("/proc/recoupe-export.json"), "json")


# --------------------------------------------------------------------------- import


def export_to_file(db: Library, tmp_path: Path) -> Path:
    return write_export(db, tmp_path / "export.json", "json")


def test_export_then_import_into_a_fresh_library_gives_the_same_annotations(
    library: Library, tmp_path: Path
) -> None:
    path = export_to_file(library, tmp_path)
    fresh = connect(tmp_path / "fresh.db")
    load_library(fresh, reverse=True)  # same articles, other ids
    # The Tibet article as the first library holds it now (after its re-import).
    edited = edited_tibet()
    import_text(
        fresh, edited, source_key="tibet", outlet="AFP", published="2008-03-26", url=TIBET_URL
    )

    report = import_annotations(fresh, path)
    assert (report.imported, report.already_present, report.skipped) == (5, 0, 0)
    assert report.unknown_articles == ()
    original = sorted(comparable(a, library) for a in list_annotations(library))
    imported = sorted(comparable(a, fresh) for a in list_annotations(fresh))
    assert imported == original
    statuses = sorted(a.status for a in list_annotations(fresh))
    assert statuses == ["anchored", "anchored", "anchored", "moved", "orphaned"]

    again = import_annotations(fresh, path)
    assert (again.imported, again.already_present) == (0, 5)
    assert count_annotations(fresh) == 5
    fresh.close()


def test_import_reports_unknown_articles(library: Library, tmp_path: Path) -> None:
    path = export_to_file(library, tmp_path)
    partial = connect(tmp_path / "partial.db")
    import_paths(partial, [SAMPLE_CORPUS])
    report = import_annotations(partial, path)
    assert report.imported == 1  # the Le Monde annotation
    assert report.skipped == 4
    assert len(report.unknown_articles) == 2
    assert any(d.startswith("L’Ecureuil perd 600 millions") for d in report.unknown_articles)
    assert any(TIBET_URL in d for d in report.unknown_articles)
    assert "4 skipped (2 articles not in the library)" in report.summary()
    partial.close()


def test_import_follows_an_article_whose_text_changed(library: Library, tmp_path: Path) -> None:
    path = export_to_file(library, tmp_path)
    other = connect(tmp_path / "other.db")
    # The same Ecureuil story, edited: its content hash differs, its title matches.
    text = ECUREUIL.read_text(encoding="utf-8")
    title, _, rest = text.partition("\n")
    import_text(other, f"{title}\nDépêche complétée.\n{rest}", source_key="e")
    report = import_annotations(other, path)
    assert report.imported == 2
    moved = list_annotations(other)
    body = get_article(other, moved[0].article_id).body
    assert [body[a.start : a.end] for a in moved] == [
        "600 millions d’euros",
        "20 milliards d’euros de fonds propres",
    ]
    assert {a.status for a in moved} == {"moved"}
    other.close()


def bad_file(tmp_path: Path, content: str | bytes) -> Path:
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        ("[1, 2]", "expected a JSON object"),
        ('{"type": "AnnotationCollection"}', "no @context"),
        (
            json.dumps({"@context": ANNO_CONTEXT, "type": "Annotation"}),
            "not an AnnotationCollection",
        ),
        (
            json.dumps({"@context": ANNO_CONTEXT, "type": "AnnotationCollection", "total": 2}),
            "no 'first' page",
        ),
        (
            json.dumps(
                {"@context": ANNO_CONTEXT, "type": "AnnotationCollection", "first": {"items": 3}}
            ),
            "no 'items' list",
        ),
    ],
)
def test_malformed_or_foreign_files_are_refused(
    db: Library, tmp_path: Path, content: str | bytes, message: str
) -> None:
    with pytest.raises(ImportFailure, match=message):
        import_annotations(db, bad_file(tmp_path, content))


def test_a_bad_annotation_late_in_the_file_imports_nothing(
    library: Library, tmp_path: Path
) -> None:
    document = json.loads(export_annotations(library, "json"))
    fresh = connect(tmp_path / "fresh.db")
    load_library(fresh)
    cases = {
        "no target object": lambda item: item.pop("target"),
        "has no TextQuoteSelector": lambda item: item["target"].update(selector=[]),
        "TextPositionSelector needs": lambda item: item["target"]["selector"][1].update(start=-4),
        "not an ISO 8601": lambda item: item.update(created="hier"),
        "cannot contain a comma": lambda item: item.setdefault("body", []).append(
            {"type": "TextualBody", "value": "a,b", "purpose": "tagging"}
        ),
        "type is not Annotation": lambda item: item.update(type="Note"),
    }
    for message, spoil in cases.items():
        broken = json.loads(json.dumps(document))
        spoil(broken["first"]["items"][-1])
        path = bad_file(tmp_path, json.dumps(broken))
        with pytest.raises(ImportFailure, match=f"annotation 5: .*{message}"):
            import_annotations(fresh, path)
        assert count_annotations(fresh) == 0, message
    with pytest.raises(ImportFailure, match="no such file"):
        import_annotations(fresh, tmp_path / "absent.json")
    fresh.close()


def test_import_then_edit_keeps_working(library: Library, tmp_path: Path) -> None:
    path = export_to_file(library, tmp_path)
    fresh = connect(tmp_path / "fresh.db")
    load_library(fresh)
    import_annotations(fresh, path)
    first = list_annotations(fresh, tags=["personne"])[0]
    updated = update_annotation(fresh, first.id, tags=["Personne", "source"])
    assert updated.tags == ("Personne", "source")
    assert [a.id for a in list_annotations(fresh, search="secretaire")] == [first.id]
    fresh.close()


def test_imported_text_goes_through_the_same_hygiene(library: Library, tmp_path: Path) -> None:
    document = json.loads(export_annotations(library, "json"))
    orphan = next(i for i in document["first"]["items"] if i["recoupe:status"] == "orphaned")
    quote = orphan["target"]["selector"][0]
    quote["exact"] = "\x1b[31m623 blessés\x1b[0m"
    quote["prefix"] += "\u202e"
    orphan["body"] = [{"type": "TextualBody", "value": "note\x07", "purpose": "commenting"}]
    fresh = connect(tmp_path / "fresh.db")
    load_library(fresh)
    import_text(
        fresh,
        edited_tibet(),
        source_key="tibet",
        outlet="AFP",
        published="2008-03-26",
        url=TIBET_URL,
    )
    report = import_annotations(fresh, bad_file(tmp_path, json.dumps(document)))
    assert report.imported == 5
    [imported] = list_annotations(fresh, status="orphaned")
    assert imported.exact == "623 blessés"
    assert "\u202e" not in imported.prefix
    assert imported.note == "note"
    fresh.close()


def test_suggested_export_paths_never_name_an_existing_file(
    library: Library, tmp_path: Path
) -> None:
    first = suggest_export_path("csv", tmp_path)
    assert first.parent == tmp_path and first.suffix == ".csv"
    assert first.name.startswith("recoupe-annotations-")
    write_export(library, first, "csv")
    second = suggest_export_path("csv", tmp_path)
    assert second != first and second.stem.endswith("-2") and not second.exists()
    assert suggest_export_path("json", tmp_path).suffix == ".json"
    with pytest.raises(ExportError):
        suggest_export_path("pdf", tmp_path)
