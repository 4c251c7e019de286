"""The annotation commands: annotate, annotations, tags, export and import-annotations."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from store.annotations.notes import list_annotations
from store.db.sqlite import connect
from tests.cli_helpers import assert_one_line_error, json_lines, run
from tests.conftest import SAMPLE_CORPUS

LE_MONDE = "le-monde-interpol-liberterra-ii.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def article_ids(db_path: Path) -> dict[str, int]:
    """Sample article ids by file name."""
    db = connect(db_path)
    rows = db.execute("SELECT source_path, id FROM articles").fetchall()
    db.close()
    return {Path(path).name: int(i) for path, i in rows}


@pytest.fixture
def library(runner: CliRunner, db_path: Path) -> dict[str, int]:
    """The sample corpus with three annotations made from the command line."""
    result = run(runner, db_path, "import", str(SAMPLE_CORPUS))
    assert result.exit_code == 0, result.output
    ids = article_ids(db_path)
    monde = ids[LE_MONDE]
    depeche = ids["depeche-interpol-liberterra-ii.txt"]
    for args in (
        [str(monde), "--quote", "Juergen Stock", "--note", "Secrétaire général", "-t", "Personne"],
        [str(depeche), "-q", "116 pays", "-n", "Vérifier", "-t", "chiffre-clé, à vérifier"],
        [str(depeche), "-q", "Interpol", "--occurrence", "2", "-t", "Chiffre-clé"],
    ):
        result = run(runner, db_path, "annotate", *args)
        assert result.exit_code == 0, result.output
    return ids


# --------------------------------------------------------------------------- annotate


def test_annotate_stores_the_passage(runner: CliRunner, db_path: Path, library) -> None:
    result = run(
        runner,
        db_path,
        "annotate",
        str(library[LE_MONDE]),
        "-q",
        "la traite des êtres humains",
        "-n",
        "ligne 1\nligne 2",
        "--json",
    )
    assert result.exit_code == 0, result.output
    [record] = json_lines(result.output)
    assert record["exact"] == "la traite des êtres humains"
    assert record["note"] == "ligne 1\nligne 2"
    db = connect(db_path)
    stored = list_annotations(db, article_ids=[library[LE_MONDE]])
    body = db.execute("SELECT body FROM articles WHERE id = ?", [library[LE_MONDE]]).fetchone()[0]
    assert [body[a.start : a.end] for a in stored] == ["Juergen Stock", record["exact"]]
    db.close()


def test_annotate_errors_are_one_line(runner: CliRunner, db_path: Path, library) -> None:
    depeche = str(library["depeche-interpol-liberterra-ii.txt"])
    assert_one_line_error(
        run(runner, db_path, "annotate", depeche, "-q", "Interpol"), 2, "add --occurrence N"
    )
    assert_one_line_error(
        run(runner, db_path, "annotate", depeche, "-q", "pas dans le texte"), 2, "is not in article"
    )
    assert_one_line_error(
        run(runner, db_path, "annotate", depeche, "-q", "116 pays", "--occurrence", "3"),
        2,
        "occurs once",
    )
    assert_one_line_error(
        run(runner, db_path, "annotate", "999", "-q", "Interpol"), 1, "no article with id 999"
    )
    assert_one_line_error(
        run(runner, db_path, "annotate", depeche, "-q", "116 pays", "-t", "   "), 2, "empty"
    )
    db = connect(db_path)
    assert len(list_annotations(db)) == 3  # nothing added by the failures
    db.close()


# --------------------------------------------------------------------------- annotations, tags


def test_annotations_lists_and_filters(runner: CliRunner, db_path: Path, library) -> None:
    table = run(runner, db_path, "annotations")
    assert table.exit_code == 0, table.output
    assert "Juergen Stock" in table.output and "116 pays" in table.output
    tagged = json_lines(
        run(runner, db_path, "annotations", "--tag", "CHIFFRE-CLÉ", "--json").output
    )
    assert sorted(r["exact"] for r in tagged) == ["116 pays", "Interpol"]
    in_monde = json_lines(
        run(runner, db_path, "annotations", "--article", str(library[LE_MONDE]), "--json").output
    )
    assert [r["exact"] for r in in_monde] == ["Juergen Stock"]
    found = json_lines(
        run(runner, db_path, "annotations", "--search", "secretaire", "--json").output
    )
    assert [r["exact"] for r in found] == ["Juergen Stock"]
    assert_one_line_error(run(runner, db_path, "annotations", "--orphaned"), 1, "no annotation")
    assert_one_line_error(run(runner, db_path, "annotations", "--tag", "nul"), 1, "no annotation")


def test_orphaned_annotations_are_listed_apart(
    runner: CliRunner, db_path: Path, tmp_path: Path
) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Titre\n\nUn passage qui disparaîtra bientôt. Le reste.\n", encoding="utf-8")
    assert run(runner, db_path, "import", str(story)).exit_code == 0
    result = run(runner, db_path, "annotate", "1", "-q", "Un passage qui disparaîtra bientôt")
    assert result.exit_code == 0, result.output
    story.write_text("Titre\n\nLe reste, seul, désormais.\n", encoding="utf-8")
    assert run(runner, db_path, "import", str(story)).exit_code == 0
    orphans = json_lines(run(runner, db_path, "annotations", "--orphaned", "--json").output)
    assert [(r["exact"], r["status"]) for r in orphans] == [
        ("Un passage qui disparaîtra bientôt", "orphaned")
    ]


def test_tags_counts_rename_merge_delete(runner: CliRunner, db_path: Path, library) -> None:
    listed = run(runner, db_path, "tags")
    assert listed.exit_code == 0, listed.output
    counts = {
        r["name"]: r["count"] for r in json_lines(run(runner, db_path, "tags", "--json").output)
    }
    assert counts == {"chiffre-clé": 2, "à vérifier": 1, "Personne": 1}
    assert "chiffre-clé" in listed.output

    renamed = run(runner, db_path, "tags", "rename", "personne", "Personnalité")
    assert renamed.exit_code == 0, renamed.output
    assert_one_line_error(
        run(runner, db_path, "tags", "rename", "Personnalité", "CHIFFRE-clé"), 2, "merge"
    )
    merged = run(runner, db_path, "tags", "merge", "à vérifier", "personnalité", "--into", "suivi")
    assert merged.exit_code == 0, merged.output
    counts = {
        r["name"]: r["count"] for r in json_lines(run(runner, db_path, "tags", "--json").output)
    }
    assert counts == {"chiffre-clé": 2, "suivi": 2}

    deleted = run(runner, db_path, "tags", "delete", "Chiffre-Clé")
    assert deleted.exit_code == 0 and "2 annotations" in deleted.output
    assert_one_line_error(run(runner, db_path, "tags", "delete", "chiffre-clé"), 1, "no tag")
    assert len(json_lines(run(runner, db_path, "annotations", "--json").output)) == 3


# --------------------------------------------------------------------------- export


def test_export_json_to_stdout_is_w3c(runner: CliRunner, db_path: Path, library) -> None:
    result = run(runner, db_path, "export")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert document["@context"][1] == {"recoupe": "urn:recoupe:ns:"}
    assert document["type"] == "AnnotationCollection"
    items = document["first"]["items"]
    assert len(items) == document["total"] == 3
    for item in items:
        assert item["type"] == "Annotation"
        assert {"id", "created", "modified", "target"} <= item.keys()
        assert item["target"]["source"].startswith("urn:recoupe:article:")
        kinds = [s["type"] for s in item["target"]["selector"]]
        assert kinds == ["TextQuoteSelector", "TextPositionSelector"]
        assert any(b["purpose"] == "tagging" for b in item["body"])
    noted = next(i for i in items if i["target"]["selector"][0]["exact"] == "Juergen Stock")
    assert {"type": "TextualBody", "value": "Secrétaire général", "format": "text/plain",
            "purpose": "commenting", "language": "fr"} in noted["body"]  # fmt: skip
    assert all(body["language"] == "fr" for item in items for body in item["body"])


def test_export_csv_parses_back(runner: CliRunner, db_path: Path, library) -> None:
    result = run(runner, db_path, "export", "--format", "csv", "--tag", "chiffre-clé")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.output.removeprefix("\ufeff"))))
    assert sorted(r["quote"] for r in rows) == ["116 pays", "Interpol"]
    assert {r["tags"] for r in rows} == {"à vérifier, chiffre-clé", "chiffre-clé"}
    assert all(r["title"] and int(r["end"]) > int(r["start"]) for r in rows)


def test_export_markdown_by_article_and_by_tag(runner: CliRunner, db_path: Path, library) -> None:
    by_article = run(runner, db_path, "export", "-f", "md")
    assert by_article.exit_code == 0, by_article.output
    assert by_article.output.count("\n## ") == 2
    assert "> Juergen Stock" in by_article.output
    by_tag = run(runner, db_path, "export", "-f", "md", "--by-tag")
    headings = [line[3:] for line in by_tag.output.splitlines() if line.startswith("## ")]
    assert headings == ["à vérifier", "chiffre-clé", "Personne"]
    assert_one_line_error(run(runner, db_path, "export", "--by-tag"), 2, "--format md")


def test_export_to_a_file_never_overwrites_without_force(
    runner: CliRunner, db_path: Path, library, tmp_path: Path
) -> None:
    out = tmp_path / "notes.json"
    first = run(runner, db_path, "export", "-o", str(out))
    assert first.exit_code == 0, first.output
    assert "wrote 3 annotations" in first.output
    assert json.loads(out.read_text(encoding="utf-8"))["total"] == 3
    out.write_text("à garder", encoding="utf-8")
    assert_one_line_error(run(runner, db_path, "export", "-o", str(out)), 2, "--force")
    assert out.read_text(encoding="utf-8") == "à garder"
    forced = run(runner, db_path, "export", "-f", "csv", "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("where", "fragment"),
    [("absent/x.json", "no such folder"), (".", "is a folder")],
)
def test_export_to_a_bad_place_is_one_line(
    runner: CliRunner, db_path: Path, library, tmp_path: Path, where: str, fragment: str
) -> None:
    assert_one_line_error(run(runner, db_path, "export", "-o", str(tmp_path / where)), 2, fragment)


def test_export_of_unknown_filters_is_one_line(runner: CliRunner, db_path: Path, library) -> None:
    assert_one_line_error(run(runner, db_path, "export", "--tag", "inconnu"), 1, "no tag")
    assert_one_line_error(run(runner, db_path, "export", "--article", "999"), 1, "no article")


# --------------------------------------------------------------------------- import


def test_export_then_import_into_a_fresh_database(
    runner: CliRunner, db_path: Path, library, tmp_path: Path
) -> None:
    out = tmp_path / "notes.json"
    assert run(runner, db_path, "export", "-o", str(out)).exit_code == 0
    fresh = tmp_path / "fresh.db"
    assert run(runner, fresh, "import", str(SAMPLE_CORPUS)).exit_code == 0
    result = run(runner, fresh, "import-annotations", str(out))
    assert result.exit_code == 0, result.output
    assert "3 imported, 0 already present" in result.output

    def fields(path: Path) -> list[tuple]:
        db = connect(path)
        rows = [
            (
                a.uid,
                a.exact,
                a.prefix,
                a.suffix,
                a.start,
                a.end,
                a.note,
                a.tags,
                a.created,
                a.modified,
                a.status,
                a.article_title,
            )
            for a in list_annotations(db)
        ]
        db.close()
        return sorted(rows)

    assert fields(fresh) == fields(db_path)


def test_import_reports_unknown_articles(
    runner: CliRunner, db_path: Path, library, tmp_path: Path
) -> None:
    out = tmp_path / "notes.json"
    assert run(runner, db_path, "export", "-o", str(out)).exit_code == 0
    other = tmp_path / "other.db"
    assert run(runner, other, "import", str(SAMPLE_CORPUS / LE_MONDE)).exit_code == 0
    result = run(runner, other, "import-annotations", str(out))
    assert result.exit_code == 0, result.output
    assert "1 imported" in result.output
    assert "2 skipped (1 article not in the library)" in result.output
    assert "not in the library" in result.output


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{oops", "not valid JSON"),
        ('{"hello": "world"}', "no @context"),
        ('{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Page"}', "type: Page"),
    ],
)
def test_import_of_a_bad_file_is_one_line(
    runner: CliRunner, db_path: Path, library, tmp_path: Path, content: str, fragment: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    assert_one_line_error(run(runner, db_path, "import-annotations", str(bad)), 2, fragment)
    assert_one_line_error(
        run(runner, db_path, "import-annotations", str(tmp_path / "none.json")), 2, "no such file"
    )
