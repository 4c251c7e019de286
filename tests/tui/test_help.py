"""Pilot tests of the help screen and the command palette."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from tests.tui.conftest import screen_text, settle
from tui.app import RecoupeApp
from tui.screens.help import HelpScreen, binding_sections
from tui.screens.library import LibraryScreen

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("key", ["f1", "question_mark"])
async def test_help_lists_every_binding(app: RecoupeApp, key: str) -> None:
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-text").render())
        sections = binding_sections(app.help_sources())
        assert app.screen.sections == sections
        titles = [title for title, _ in sections]
        assert titles == ["Everywhere", "Library", "Reading", "Compare", "Tags"]
        for _, rows in sections:
            for keys, description in rows:
                assert description in help_text
                assert keys in help_text
        for expected in ("Compare marked", "Mark", "Open", "In step", "Next figure", "Jump back"):
            assert expected in help_text
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_footer_shows_the_screen_bindings(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        footer = screen_text(pilot).splitlines()[-1]
        for shown in ("Open", "Mark", "Search", "Compare marked", "Help"):
            assert shown in footer


async def test_palette_runs_library_actions(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.sort == "published"
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*list("Sort by title"))
        await pilot.pause(0.5)
        await settle(pilot)
        assert "Sort by title" in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.sort == "title"


async def test_palette_offers_compare(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*list("compare"))
        await pilot.pause(0.5)
        await settle(pilot)
        assert "Compare marked" in screen_text(pilot)
