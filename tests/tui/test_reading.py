"""Pilot tests of the reading screen: the text as data, search words, jumping to figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.db.sqlite import connect
from store.ingest.importer import import_text
from store.library.articles import get_article
from store.models import Figure
from store.numbers import find_numbers
from tests.conftest import article_id_by_path
from tests.tui.conftest import screen_text, settle
from tui.app import RecoupeApp
from tui.screens.reading import ReadingScreen
from tui.search_terms import fold
from tui.widgets.article_view import ArticleView
from tui.widgets.figures_panel import FiguresPanel

pytestmark = pytest.mark.asyncio


def numbers_as_figures(body: str) -> list[Figure]:
    """Every number of the body as a count figure (stands in for the extractor)."""
    return [
        Figure(start=s, end=e, surface=body[s:e], value=float(c.replace(",", ".")), kind="count")
        for s, e, c in find_numbers(body)
    ]


async def open_reading(app: RecoupeApp, pilot, article_id: int, query: str = "") -> ReadingScreen:
    await settle(pilot)
    screen = ReadingScreen(article_id, query)
    await app.push_screen(screen)
    await settle(pilot)
    return screen


async def test_article_text_is_shown_literally(tmp_path: Path) -> None:
    db_path = tmp_path / "markup.db"
    db = connect(db_path)
    body = "Le texte [bold]gras[/] et [red]rouge[/red] et [link=http://x]lien[/link] \x1b[31mfin."
    outcome = import_text(db, body, source_key="markup", title="[bold]Titre[/]", outlet="[i]X[/i]")
    db.close()
    app = RecoupeApp(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reading(app, pilot, outcome.article_id)
        text = screen_text(pilot)
        assert "[bold]Titre[/]" in text
        assert "[i]X[/i]" in text
        for literal in ("[bold]gras[/]", "[red]rouge[/red]", "[link=http://x]lien[/link]"):
            assert literal in text
        assert "\x1b" not in text


async def test_search_words_are_highlighted_when_opened_from_a_search(
    app: RecoupeApp, sample_db
) -> None:
    article_id = article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")
    body = get_article(sample_db, article_id).body
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id, "operation 2517")
        view = screen.query_one(ArticleView)
        marked = [body[h.start : h.end] for h in view.highlights("search")]
        assert "2.517" in marked
        assert any(fold(word) == "operation" for word in marked)
        assert "opération" in marked  # accents folded for matching, shown as written
        assert len(marked) == body.count("2.517") + fold(body).count("operation")


async def test_no_search_layer_without_a_search(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        assert screen.query_one(ArticleView).highlights("search") == []


async def test_choosing_a_figure_scrolls_to_it_and_back(
    app: RecoupeApp, sample_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")
    figures = numbers_as_figures(get_article(sample_db, article_id).body)
    monkeypatch.setattr("tui.screens.reading.figures_for_article", lambda db, i: figures)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        view = screen.query_one(ArticleView)
        panel = screen.query_one(FiguresPanel)
        assert panel.option_count == len(figures)
        assert [h.start for h in view.highlights("figures")] == [f.start for f in figures]
        assert view.scroll_offset.y == 0
        last = figures[-1]
        assert not view.offset_visible(last.start)
        await pilot.press("f", "end", "enter")
        await settle(pilot)
        assert screen.current_figure == last
        assert [(h.start, h.end) for h in view.highlights("current")] == [(last.start, last.end)]
        assert view.scroll_offset.y > 0
        assert view.offset_visible(last.start)
        await pilot.press("b")
        await settle(pilot)
        assert view.scroll_offset.y == 0
        assert view.highlights("current") == []
        assert view.has_focus


async def test_bracket_keys_step_through_figures(
    app: RecoupeApp, sample_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")
    figures = numbers_as_figures(get_article(sample_db, article_id).body)
    monkeypatch.setattr("tui.screens.reading.figures_for_article", lambda db, i: figures)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.current_figure == figures[1]
        assert screen.query_one(FiguresPanel).highlighted == 1
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.current_figure == figures[-1]


async def test_figures_come_from_the_store(app: RecoupeApp, sample_db) -> None:
    figures_module = pytest.importorskip("store.figures.storage")
    article_id = article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")
    expected = figures_module.figures_for_article(sample_db, article_id)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        assert len(screen.figures) == len(expected)
        assert {f.surface for f in screen.figures} == {f.surface for f in expected}
        if expected:
            assert screen.query_one(FiguresPanel).option_count == len(expected)


async def test_unknown_article_is_a_notification(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reading(app, pilot, 9999)
        assert any("no article with id 9999" in n.message for n in app._notifications)
        assert "Traceback" not in screen_text(pilot)


async def test_text_rewraps_on_resize(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")
    body = get_article(sample_db, article_id).body
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        view = screen.query_one(ArticleView)
        wide = len(view.lines)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert len(view.lines) > wide
        width = view.scrollable_content_region.width
        assert all(len(view.line_text(i).rstrip()) <= width for i in range(len(view.lines)))
        # Wrapping loses no character: the lines cover the body end to end.
        assert "".join(body[line.start : line.end] for line in view.lines) == body.replace("\n", "")


async def test_jump_to_a_stored_figure(app: RecoupeApp, sample_db) -> None:
    figures_module = pytest.importorskip("store.figures.storage")
    article_id = article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")
    stored = sorted(
        figures_module.figures_for_article(sample_db, article_id), key=lambda f: f.start
    )
    assert stored, "the sample article states figures"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        view = screen.query_one(ArticleView)
        await pilot.press("f", "end", "enter")
        await settle(pilot)
        last = stored[-1]
        assert (screen.current_figure.start, screen.current_figure.end) == (last.start, last.end)
        assert view.offset_visible(last.start)
        text = screen_text(pilot)
        assert last.surface.split()[0] in text
