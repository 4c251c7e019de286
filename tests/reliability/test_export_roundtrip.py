"""Export round trip: hundreds of awkward annotations go out as JSON-LD and come back identical.

(10 000 of them: bench/reliability_export.py.)
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from store.annotations.export import import_annotations, write_export
from store.annotations.notes import count_annotations
from store.db import Library
from store.db.sqlite import connect
from store.ingest.importer import import_paths
from tests.conftest import SAMPLE_CORPUS
from tests.reliability.annotation_factory import library_records, random_annotations

COUNT = 300


def fresh_library(path: Path) -> Library:
    """A new library holding the same articles (other ids would do as well)."""
    db = connect(path)
    assert import_paths(db, [SAMPLE_CORPUS], workers=1).imported == 3
    return db


def test_json_export_imports_back_identical(sample_db: Library, tmp_path) -> None:
    made = random_annotations(sample_db, COUNT)
    assert len(made) == COUNT
    original = library_records(sample_db)
    assert len(original) == COUNT

    path = write_export(sample_db, tmp_path / "notes.json", "json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["total"] == COUNT

    other = fresh_library(tmp_path / "other.db")
    report = import_annotations(other, path)
    assert (report.imported, report.already_present, report.skipped) == (COUNT, 0, 0)
    assert library_records(other) == original

    # Importing the same file again adds nothing.
    again = import_annotations(other, path)
    assert (again.imported, again.already_present) == (0, COUNT)
    assert count_annotations(other) == COUNT
    assert library_records(other) == original
    other.close()


def test_exporting_twice_gives_the_same_annotations(sample_db: Library, tmp_path) -> None:
    random_annotations(sample_db, 50, seed=2)
    first = json.loads(write_export(sample_db, tmp_path / "a.json", "json").read_text("utf-8"))
    second = json.loads(write_export(sample_db, tmp_path / "b.json", "json").read_text("utf-8"))
    # Each export is a new collection (its own id and date); the annotations are the same.
    assert first["first"]["items"] == second["first"]["items"]
    assert len(first["first"]["items"]) == 50


def test_csv_has_every_annotation_and_no_live_formula(sample_db: Library, tmp_path) -> None:
    made = random_annotations(sample_db, COUNT, seed=3)
    path = write_export(sample_db, tmp_path / "notes.csv", "csv")
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == COUNT
    by_id = {a.id: a for a in made}
    for row in rows:
        annotation = by_id[int(row["id"])]
        note = row["note"]
        assert note in (annotation.note, "'" + annotation.note)
        for cell in row.values():
            assert not cell.startswith(("=", "@")), cell  # spreadsheets would run it
        assert row["quote"].lstrip("'") == annotation.exact
