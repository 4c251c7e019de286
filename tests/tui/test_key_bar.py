"""Pilot tests of the one-widget header and footer (TitleBar, KeyBar) of every screen."""

from __future__ import annotations

import pytest

from tests.tui.conftest import screen_text, settle
from tui.app import RecoupeApp
from tui.screens.compare import CompareScreen
from tui.screens.library import LibraryScreen
from tui.screens.reading import ReadingScreen
from tui.screens.tags import TagsScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.title_bar import TitleBar

pytestmark = pytest.mark.asyncio


def key_x(bar: KeyBar, label: str) -> int:
    """The column of `label` in the key bar's line (where a click lands on it)."""
    line = screen_text_of(bar)
    assert label in line, line
    return line.index(label)


def screen_text_of(bar: KeyBar) -> str:
    return bar.render().plain


async def test_key_bar_follows_the_focus(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        footer = screen_text(pilot).splitlines()[-1]
        assert "⏎ Open" in footer and "space Mark" in footer and "s Sort" in footer
        assert footer.rstrip().endswith("^p Commands")
        await pilot.press("slash")
        await settle(pilot)
        footer = screen_text(pilot).splitlines()[-1]
        assert "^t Advanced syntax" in footer
        assert "space Mark" not in footer  # the list's keys leave with its focus


async def test_clicking_a_key_presses_it(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.sort == "published"
        bar = screen.query_one(KeyBar)
        await pilot.click(KeyBar, offset=(key_x(bar, "s Sort") + 1, 0))
        await settle(pilot)
        assert screen.sort == "title"


async def test_title_bar_shows_title_and_counts(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        header = screen_text(pilot).splitlines()[0]
        assert header.startswith(" ⭘")
        assert "recoupe — 3 articles · sorted by date" in header
        await pilot.press("space")
        await settle(pilot)
        assert "1 marked" in screen_text(pilot).splitlines()[0]
        assert app.screen.query_one(TitleBar).size.height == 1


async def test_hovering_a_key_highlights_it_and_shows_its_tooltip(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        await pilot.hover(KeyBar, offset=(key_x(bar, "s Sort") + 1, 0))
        await settle(pilot)
        assert bar.tooltip == "Sort"
        hover = bar.get_component_rich_style("key-bar--hover", partial=True).bgcolor
        line = bar.render()
        start = line.plain.index("s Sort")
        styles = [span.style for span in line.spans if span.start <= start < span.end]
        assert any(getattr(style, "bgcolor", None) == hover for style in styles)
        await pilot.hover(TitleBar)
        await settle(pilot)
        assert bar.tooltip is None
        assert not any(getattr(span.style, "bgcolor", None) == hover for span in bar.render().spans)


@pytest.mark.parametrize("screen_key", ["enter", "T", "c"])
async def test_every_screen_has_the_same_title_and_key_bars(
    app: RecoupeApp, screen_key: str
) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        if screen_key == "c":  # compare needs articles marked
            await pilot.press("space", "down", "space")
        await pilot.press(screen_key)
        await settle(pilot)
        expected = {"enter": ReadingScreen, "T": TagsScreen, "c": CompareScreen}[screen_key]
        assert isinstance(app.screen, expected)
        assert len(app.screen.query(TitleBar)) == 1 and len(app.screen.query(KeyBar)) == 1
        lines = screen_text(pilot).splitlines()
        assert lines[0].startswith(" ⭘")
        assert "Back" in lines[-1] and lines[-1].rstrip().endswith("^p Commands")


@pytest.mark.parametrize("width", [60, 80, 100, 170])
async def test_keys_that_do_not_fit_are_dropped_whole(
    app: RecoupeApp, sample_db, width: int
) -> None:
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        line = bar.render().plain
        assert len(line) <= width
        assert line.rstrip().endswith("^p Commands")
        assert "f1 Help" in line or "F1 Help" in line
        shown = line[: line.rindex("▏")]
        every = [f" {k.display} {k.description} " for k in bar._keys]
        # what is shown is a run of whole keys: nothing is left once they are taken out
        rest = shown
        for segment in every:
            rest = rest.replace(segment, "", 1)
        assert rest.strip() == ""
        if width <= 80:
            assert len([s for s in every if s in shown]) < len(every)  # some were dropped


async def test_a_background_status_takes_room_from_whole_keys(app: RecoupeApp, sample_db) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        app.background_work = "figures: 1 200 of 100 000 articles"
        line = bar.render().plain
        assert len(line) <= 80 and "figures: 1 200 of 100 000 articles" in line
        assert line.rstrip().endswith("^p Commands") and "f1 Help" in line
        shown = line[: line.index("figures:")]
        rest = shown
        for key in bar._keys:
            rest = rest.replace(f" {key.display} {key.description} ", "", 1)
        assert rest.strip() == ""
