"""A large notes file is streamed, never loaded whole (issue 19, "Also").

Mechanism: the import never reads the file in one piece, and annotations come one at a
time (the first is handed over before the parser has seen the end of the file). Peak
memory on a 190 MB file is measured by bench/reliability_notes_memory.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

import store.annotations.export as export_module
from store.annotations import annotate_quote, count_annotations, export_annotations
from store.annotations.export import import_annotations, parse_collection
from store.annotations.streaming import iter_items, read_outline
from store.db.sqlite import connect
from store.errors import ImportFailure
from store.ingest.importer import import_paths
from tests.conftest import SAMPLE_CORPUS

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


@pytest.fixture(autouse=True)
def _stream_every_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    """These files are small; the import streams only large ones, so stream them all here."""
    import store.annotations.export

    monkeypatch.setattr(store.annotations.export, "STREAM_FROM_BYTES", 0)


@pytest.fixture
def exported(sample_db: sqlite_utils.Database, tmp_path: Path) -> Path:
    first = sample_db.execute("SELECT min(id) FROM articles").fetchone()[0]
    annotate_quote(sample_db, first, "Interpol", occurrence=1, note="une note", tags=["t"])
    path = tmp_path / "notes.json"
    path.write_text(export_annotations(sample_db, "json"), encoding="utf-8")
    return path


def test_the_import_never_reads_the_file_whole(
    exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args, **kwargs):
        raise AssertionError("the whole file was read")

    monkeypatch.setattr(Path, "read_bytes", refused)
    monkeypatch.setattr(Path, "read_text", refused)
    monkeypatch.setattr(export_module.json, "loads", refused)
    fresh = connect(tmp_path / "fresh.db")
    import_paths(fresh, [SAMPLE_CORPUS], workers=1)
    assert import_annotations(fresh, exported).imported == 1
    assert count_annotations(fresh) == 1
    fresh.close()


def test_annotations_come_one_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    head = {"@context": CONTEXT, "type": "AnnotationCollection"}
    item = {"type": "Annotation", "note": "x" * 100}
    # Valid up to a second annotation that never ends: the first still comes out first.
    path.write_text(json.dumps(head)[:-1] + ', "first": {"items": [' + json.dumps(item) + ", {")
    outline_error = None
    try:
        read_outline(path)
    except ImportFailure as exc:
        outline_error = str(exc)
    assert outline_error and "not valid JSON" in outline_error
    stream = iter_items(path, _outline_as_if_whole(path))
    assert next(stream) == item
    with pytest.raises(ImportFailure, match="not valid JSON"):
        next(stream)


def _outline_as_if_whole(path: Path):
    """An outline saying the file holds one list of items (what the outline pass finds
    in a whole file), to reach the item pass on a file cut short."""
    from store.annotations.streaming import Outline

    return Outline(document=None, first_count=1, items_count=1, item_count=2)


@pytest.mark.parametrize(
    "text",
    [
        # duplicate keys: the last counts, as with json.loads
        '{"@context": "CTX", "type": "AnnotationCollection", "first": {"items": [1]},'
        ' "first": {"items": [{"a": 1}], "items": [{"b": [2, {"c": 3}]}]}}',
        '\ufeff{"first": {"next": "p2", "items": []}, "@context": ["CTX"], "total": 0}',
        '{"@context": "CTX", "type": ["AnnotationCollection"], "first": {"items": 3}}',
        '{"a.b": {"first": {"items": [9]}}, "first.items": [8], "@context": "CTX",'
        ' "type": "AnnotationCollection", "first": {"x": {"items": [7]}, "items": [6]}}',
        "[1, 2]",
    ],
)
def test_the_stream_reads_what_json_loads_reads(text: str, tmp_path: Path) -> None:
    text = text.replace("CTX", CONTEXT)
    path = tmp_path / "doc.json"
    path.write_text(text, encoding="utf-8")
    whole = json.loads(text.removeprefix("\ufeff"))
    outline = read_outline(path)

    def checked(document) -> str:
        try:
            parse_collection(document)
        except ImportFailure as exc:
            return str(exc)
        return "ok"

    skeleton = json.loads(json.dumps(whole))
    if isinstance(skeleton, dict) and isinstance(skeleton.get("first"), dict):
        items = skeleton["first"].get("items")
        if isinstance(items, list):
            skeleton["first"]["items"] = []
    assert checked(outline.document) == checked(skeleton)
    expected = whole["first"].get("items", []) if isinstance(whole, dict) else []
    assert list(iter_items(path, outline)) == (expected if isinstance(expected, list) else [])


def test_an_annotation_nested_200000_deep_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    deep = "[" * 200_000 + "]" * 200_000
    path.write_text(
        '{"@context": "CTX", "type": "AnnotationCollection", "first": {"items": [DEEP]}}'.replace(
            "CTX", CONTEXT
        ).replace("DEEP", deep),
        encoding="utf-8",
    )
    db = connect(tmp_path / "deep.db")
    with pytest.raises(ImportFailure, match="annotation 1: not a JSON object"):
        import_annotations(db, path)
    db.close()
