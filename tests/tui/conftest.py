"""Fixtures for the app tests: an app over a temporary library holding the sample corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from store.db import Library
from tui.app import RecoupeApp


@pytest.fixture
def sample_db_path(sample_db: Library, db_path: Path) -> Path:
    """The path of a database file holding the three sample articles."""
    return db_path


@pytest.fixture
def app(sample_db_path: Path) -> RecoupeApp:
    """The app over the sample library."""
    return RecoupeApp(sample_db_path)


async def settle(pilot: Pilot) -> None:
    """Let workers finish and the screen catch up (database work runs in threads)."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def screen_text(pilot: Pilot) -> str:
    """What the terminal shows, as plain text lines."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)
