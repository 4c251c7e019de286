"""Snapshots of annotating at 100x30: reading with annotations, the dialog, the tags view.

Regenerate after a deliberate change of the look with
`.venv/bin/pytest tests/tui/test_annotation_snapshots.py --snapshot-update`, and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from store.annotations.notes import create_annotation
from store.db import Library
from tests.conftest import article_id_by_path
from tests.tui.conftest import settle
from tui.app import RecoupeApp
from tui.screens.reading import ReadingScreen

SIZE = (100, 30)
DEPECHE = "depeche-interpol-liberterra-ii.txt"
LE_MONDE = "le-monde-interpol-liberterra-ii.txt"


def annotate(db: Library) -> int:
    """Two annotations on the dépêche and one on Le Monde; returns the dépêche's id."""
    depeche = article_id_by_path(db, DEPECHE)
    body = db.execute("SELECT body FROM articles WHERE id = ?", [depeche]).fetchone()[0]
    start = body.index("116 pays")
    create_annotation(db, depeche, 0, 8, note="Source : communiqué", tags=["source"])
    create_annotation(
        db, depeche, start, start + 8, note="Le Monde ne donne pas ce chiffre", tags=["chiffre-clé"]
    )
    le_monde = article_id_by_path(db, LE_MONDE)
    create_annotation(db, le_monde, 0, 20, note="titre de rubrique", tags=["à vérifier"])
    return depeche


def test_reading_with_annotations_snapshot(snap_compare, sample_db, sample_db_path: Path) -> None:
    article_id = annotate(sample_db)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ReadingScreen(article_id))
        await settle(pilot)
        await pilot.press("n", "n", "right_parenthesis", "shift+right", "shift+right")
        await settle(pilot)

    assert snap_compare(RecoupeApp(sample_db_path), terminal_size=SIZE, run_before=run_before)


def test_annotate_dialog_snapshot(snap_compare, sample_db, sample_db_path: Path) -> None:
    article_id = annotate(sample_db)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ReadingScreen(article_id))
        await settle(pilot)
        await pilot.press("shift+down", "shift+down", "a")
        await settle(pilot)
        await pilot.press(*"Deux chiffres", "enter", *"à recouper", "tab", *"source, chi")
        await settle(pilot)

    assert snap_compare(RecoupeApp(sample_db_path), terminal_size=SIZE, run_before=run_before)


def test_tags_view_snapshot(snap_compare, sample_db, sample_db_path: Path) -> None:
    annotate(sample_db)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        # Where the pointer rests decides a hover highlight: keep it off the lists.
        await pilot.hover("#tags-status")
        await settle(pilot)

    assert snap_compare(RecoupeApp(sample_db_path), terminal_size=SIZE, run_before=run_before)
