"""Snapshots of the three main screens at 100x30 over the sample corpus.

Regenerate after a deliberate change of the look with
`.venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update`, and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import article_id_by_path
from tests.tui.conftest import settle
from tui.app import RecoupeApp
from tui.screens.compare import CompareScreen
from tui.screens.reading import ReadingScreen

SIZE = (100, 30)


def test_library_snapshot(snap_compare, sample_db_path: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("down", "space")
        await settle(pilot)

    assert snap_compare(RecoupeApp(sample_db_path), terminal_size=SIZE, run_before=run_before)


def test_library_search_snapshot(snap_compare, sample_db_path: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *list("arrestations"), "enter")
        await pilot.pause(0.4)
        await settle(pilot)

    assert snap_compare(RecoupeApp(sample_db_path), terminal_size=SIZE, run_before=run_before)


def test_reading_snapshot(snap_compare, sample_db, sample_db_path: Path) -> None:
    article_id = article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(ReadingScreen(article_id, "arrestations"))
        await settle(pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)

    assert snap_compare(RecoupeApp(sample_db_path), terminal_size=SIZE, run_before=run_before)


@pytest.mark.skip(
    reason="flaky at 100x30 since attribution widened the cells: under load the figures table "
    "is sometimes laid out narrow; the 80x24 compare snapshot covers the screen meanwhile"
)
def test_compare_snapshot(snap_compare, sample_db, sample_db_path: Path) -> None:
    ids = [
        article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt"),
        article_id_by_path(sample_db, "depeche-interpol-liberterra-ii.txt"),
    ]

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.app.push_screen(CompareScreen(ids))
        await settle(pilot)
        # The table tells which articles are off-screen after it is drawn: let that settle.
        await pilot.pause(0.3)
        await settle(pilot)

    assert snap_compare(RecoupeApp(sample_db_path), terminal_size=SIZE, run_before=run_before)
