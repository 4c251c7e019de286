"""Snapshots of the library, reading and compare screens at 80x24, the smallest usual terminal.

Regenerate after a deliberate change of the look with
`.venv/bin/pytest tests/tui/test_snapshots_small.py --snapshot-update`, and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tests.conftest import article_id_by_path
from tests.tui.conftest import settle
from tui.app import RecoupeApp
from tui.screens.compare import CompareScreen
from tui.screens.reading import ReadingScreen

SMALL = (80, 24)
LE_MONDE = "le-monde-interpol-liberterra-ii.txt"
DEPECHE = "depeche-interpol-liberterra-ii.txt"


def test_library_at_80x24(snap_compare, sample_db_path: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)

    assert snap_compare(RecoupeApp(sample_db_path), terminal_size=SMALL, run_before=run_before)


def test_reading_at_80x24(snap_compare, sample_db, sample_db_path: Path) -> None:
    article_id = article_id_by_path(sample_db, LE_MONDE)

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ReadingScreen(article_id))
        await settle(pilot)

    assert snap_compare(RecoupeApp(sample_db_path), terminal_size=SMALL, run_before=run_before)


def test_compare_at_80x24(snap_compare, sample_db, sample_db_path: Path) -> None:
    ids = [article_id_by_path(sample_db, LE_MONDE), article_id_by_path(sample_db, DEPECHE)]

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(CompareScreen(ids))
        await settle(pilot)

    assert snap_compare(RecoupeApp(sample_db_path), terminal_size=SMALL, run_before=run_before)
