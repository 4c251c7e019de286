"""Pilot tests of the compare screen: columns, scrolling in step, the figures table."""

from __future__ import annotations

from itertools import pairwise

import pytest
from textual.widgets import Static

from store.library.articles import get_article
from store.models import Comparison, Fact, FactCell, Figure
from tests.conftest import article_id_by_path
from tests.tui.conftest import screen_text, settle
from tui.app import RecoupeApp
from tui.screens.compare import CompareScreen
from tui.widgets.article_view import ArticleView
from tui.widgets.figures_table import FiguresTable

pytestmark = pytest.mark.asyncio

LE_MONDE = "le-monde-interpol-liberterra-ii.txt"
DEPECHE = "depeche-interpol-liberterra-ii.txt"
ASSEMBLY = "interpol-93e-assemblee-generale.txt"


def figure_at(body: str, surface: str, *, last: bool = False) -> Figure:
    start = body.rfind(surface) if last else body.find(surface)
    assert start >= 0, surface
    value = float(surface.replace(" ", "").replace(".", ""))
    return Figure(start=start, end=start + len(surface), surface=surface, value=value, kind="count")


def comparison_of(sample_db) -> tuple[Comparison, dict[str, int]]:
    """A hand-made comparison: arrests (conflict) and the victims only Le Monde counts."""
    ids = {name: article_id_by_path(sample_db, name) for name in (LE_MONDE, DEPECHE)}
    monde = get_article(sample_db, ids[LE_MONDE]).body
    depeche = get_article(sample_db, ids[DEPECHE]).body
    arrests = Fact(
        label="arrestations",
        kind="count",
        status="conflict",
        cells=(
            FactCell(ids[LE_MONDE], figure_at(monde, "2.517")),
            FactCell(ids[DEPECHE], figure_at(depeche, "2 500", last=True)),
        ),
    )
    migrants = Fact(
        label="migrants irréguliers",
        kind="count",
        status="single-source",
        cells=(FactCell(ids[LE_MONDE], figure_at(monde, "17 793")),),
    )
    return Comparison((ids[LE_MONDE], ids[DEPECHE]), (arrests, migrants)), ids


async def open_compare(app: RecoupeApp, pilot, ids: list[int]) -> CompareScreen:
    await settle(pilot)
    screen = CompareScreen(ids)
    await app.push_screen(screen)
    await settle(pilot)
    return screen


async def test_columns_show_each_article(app: RecoupeApp, sample_db) -> None:
    ids = [article_id_by_path(sample_db, name) for name in (LE_MONDE, DEPECHE, ASSEMBLY)]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_compare(app, pilot, ids)
        views = list(screen.query(ArticleView))
        assert [view.id for view in views] == [f"column-{i}" for i in ids]
        for article_id, view in zip(ids, views, strict=True):
            assert view.body == get_article(sample_db, article_id).body
        assert "Le Monde" in str(screen.query_one(f"#meta-{ids[0]}", Static).render())
        regions = [view.region for view in views]
        for left, right in pairwise(regions):
            assert left.right <= right.x  # side by side, never overlapping


async def test_columns_scroll_on_their_own_then_in_step(app: RecoupeApp, sample_db) -> None:
    ids = [article_id_by_path(sample_db, name) for name in (LE_MONDE, DEPECHE)]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_compare(app, pilot, ids)
        first, second = screen.query(ArticleView)
        first.scroll_to(y=5, animate=False)
        await settle(pilot)
        assert first.scroll_offset.y == 5 and second.scroll_offset.y == 0
        await pilot.press("s")
        assert screen.in_step
        first.scroll_to(y=first.max_scroll_y, animate=False)
        await settle(pilot)
        assert second.scroll_offset.y == second.max_scroll_y > 0
        first.scroll_to(y=0, animate=False)
        await settle(pilot)
        assert second.scroll_offset.y == 0
        await pilot.press("s")
        assert not screen.in_step
        first.scroll_to(y=3, animate=False)
        await settle(pilot)
        assert second.scroll_offset.y == 0


async def test_figures_table_rows_scroll_each_column(
    app: RecoupeApp, sample_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    comparison, ids = comparison_of(sample_db)
    monkeypatch.setattr("tui.screens.compare.compare_articles", lambda db, i: comparison)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_compare(app, pilot, [ids[LE_MONDE], ids[DEPECHE]])
        table = screen.query_one(FiguresTable)
        assert table.row_count == 2
        text = screen_text(pilot)
        assert "conflict" in text and "single source" in text  # a word, not only a colour
        await pilot.press("t", "enter")
        await settle(pilot)
        monde = screen.query_one(f"#column-{ids[LE_MONDE]}", ArticleView)
        depeche = screen.query_one(f"#column-{ids[DEPECHE]}", ArticleView)
        arrests = comparison.facts[0]
        for view, cell in zip((monde, depeche), arrests.cells, strict=True):
            assert [(h.start, h.end) for h in view.highlights("current")] == [
                (cell.figure.start, cell.figure.end)
            ]
            assert view.offset_visible(cell.figure.start)
        assert "arrestations: conflict" in screen_text(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert monde.highlights("current")[0].start == comparison.facts[1].cells[0].figure.start
        assert depeche.highlights("current") == []  # this outlet does not give that figure


async def test_without_a_comparison_the_columns_still_work(
    app: RecoupeApp, sample_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.screens.compare.compare_articles", lambda db, i: None)
    ids = [article_id_by_path(sample_db, name) for name in (LE_MONDE, DEPECHE)]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_compare(app, pilot, ids)
        assert not screen.query_one(FiguresTable).display
        assert "not available" in screen_text(pilot)
        await pilot.press("right_square_bracket")
        assert any("No figures to compare" in n.message for n in app._notifications)


async def test_escape_goes_back_to_the_library(app: RecoupeApp, sample_db) -> None:
    ids = [article_id_by_path(sample_db, name) for name in (LE_MONDE, DEPECHE)]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_compare(app, pilot, ids)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CompareScreen)


async def test_a_value_repeated_in_one_article_is_shown_once_with_its_count() -> None:
    from tui.widgets.figures_table import distinct_values

    assert distinct_values(["751 M€", "751 M€", "600 M€", "751 M€"]) == "751 M€ ×3 / 600 M€"
    assert distinct_values(["2 517"]) == "2 517"


async def test_articles_out_of_view_are_named_above_the_table(app: RecoupeApp, sample_db) -> None:
    ids = [
        article_id_by_path(sample_db, name)
        for name in (
            "le-monde-interpol-liberterra-ii.txt",
            "depeche-interpol-liberterra-ii.txt",
            "interpol-93e-assemblee-generale.txt",
        )
    ]
    async with app.run_test(size=(60, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(CompareScreen(ids))
        await settle(pilot)
        table = app.screen.query_one(FiguresTable)
        hidden = table.articles_off_screen()
        assert hidden  # three article columns do not fit in 60 columns
        status = str(app.screen.query_one("#facts-status", Static).render())
        assert "off-screen:" in status and hidden[-1] in status
        await pilot.resize_terminal(400, 30)
        await settle(pilot)
        assert table.articles_off_screen() == []
        assert "off-screen" not in str(app.screen.query_one("#facts-status", Static).render())
