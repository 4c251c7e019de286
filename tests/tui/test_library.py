"""Pilot tests of the library: the list, sorting, live search, filters, marks, resize."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import ContentSwitcher, Select

from store.db.sqlite import connect
from store.library.articles import article_ids, get_summaries
from store.models import HIGHLIGHT_START
from tests.conftest import article_id_by_path
from tests.tui.conftest import screen_text, settle
from tui.app import RecoupeApp
from tui.messages import SearchRequested
from tui.screens.compare import CompareScreen
from tui.screens.library import LibraryScreen
from tui.screens.reading import ReadingScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.search_box import SearchBox
from tui.widgets.search_results import SearchResults

pytestmark = pytest.mark.asyncio


def titles_sorted_by(db_path: Path, sort: str, descending: bool) -> list[str]:
    db = connect(db_path)
    try:
        ids = article_ids(db, sort=sort, descending=descending)
        return [s.title for s in get_summaries(db, ids)]
    finally:
        db.close()


def list_titles(article_list: ArticleList) -> list[str]:
    rows = [article_list.row(i) for i in range(article_list.total)]
    return [row.title for row in rows if row is not None]


async def type_search(pilot, text: str) -> None:
    await pilot.press("slash")
    await pilot.press(*list(text))
    await pilot.pause(0.4)  # the box waits for typing to pause
    await settle(pilot)


async def test_library_lists_every_article(app: RecoupeApp, sample_db_path: Path) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        article_list = app.screen.query_one(ArticleList)
        assert article_list.total == 3
        assert list_titles(article_list) == titles_sorted_by(sample_db_path, "published", True)
        text = screen_text(pilot)
        assert "Title" in text and "Outlet" in text
        assert "Le Monde" in text
        assert "3 articles" in text


async def test_sort_cycles_and_reverses(app: RecoupeApp, sample_db_path: Path) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.sort == "title"
        by_title = titles_sorted_by(sample_db_path, "title", False)
        assert list_titles(article_list) == by_title
        assert "Title ▲" in screen_text(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert list_titles(article_list) == list(reversed(by_title))
        assert "Title ▼" in screen_text(pilot)


async def test_enter_opens_the_article_under_the_cursor(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)
        await pilot.press("down")
        second = article_list.current
        assert second is not None and article_list.cursor == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        assert app.screen.article_id == second.id
        assert app.screen.article is not None
        assert app.screen.article.title == second.title
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_live_search_shows_ranked_hits_with_highlighted_snippets(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_search(pilot, "arrestations")
        screen = app.screen
        assert screen.query_one(ContentSwitcher).current == "results"
        results = screen.query_one(SearchResults)
        assert [hit.article_id for hit in results.hits]
        assert all(HIGHLIGHT_START in hit.snippet for hit in results.hits)
        assert results.option_count == len(results.hits)
        text = screen_text(pilot)
        assert f"{len(results.hits)} results" in text
        assert HIGHLIGHT_START not in text  # markers become styles, never characters


async def test_search_finds_numbers_however_written(app: RecoupeApp, sample_db) -> None:
    le_monde = article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_search(pilot, "2517")  # the article writes 2.517
        hits = app.screen.query_one(SearchResults).hits
        assert le_monde in [hit.article_id for hit in hits]


async def test_outlet_filter_limits_hits(app: RecoupeApp, sample_db) -> None:
    le_monde = article_id_by_path(sample_db, "le-monde-interpol-liberterra-ii.txt")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_search(pilot, "interpol")
        assert len(app.screen.query_one(SearchResults).hits) == 3
        assert not app.screen.query("#outlet")  # filters are built when first shown
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert app.screen.query_one("#outlet", Select).has_focus
        app.screen.query_one("#outlet", Select).value = "Le Monde"
        await pilot.pause(0.4)
        await settle(pilot)
        hits = app.screen.query_one(SearchResults).hits
        assert [hit.article_id for hit in hits] == [le_monde]
        assert "filtered: outlet Le Monde" in screen_text(pilot)
        await pilot.press("ctrl+f")  # hidden filters keep applying
        await settle(pilot)
        assert not app.screen.query_one("#filter-line").display
        assert "filtered: outlet Le Monde" in screen_text(pilot)


async def test_bad_advanced_query_is_a_message_not_a_crash(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "ctrl+t")
        assert app.screen.query_one(SearchBox).request().advanced
        await pilot.press(*list('"traite'))
        await pilot.pause(0.4)
        await settle(pilot)
        status = app.screen.query_one("#search-status")
        assert status.has_class("-error")
        assert "quote" in str(status.render())
        assert isinstance(app.screen, LibraryScreen)
        assert "Traceback" not in screen_text(pilot)


async def test_bad_date_filter_is_explained(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_search(pilot, "interpol")
        await pilot.press("ctrl+f")
        await settle(pilot)
        await pilot.click("#since")
        await pilot.press(*list("hier"))
        await pilot.pause(0.4)
        await settle(pilot)
        status = app.screen.query_one("#search-status")
        assert status.has_class("-error")
        assert "YYYY-MM-DD" in str(status.render())


async def test_stale_search_results_are_dropped(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        screen.post_message(SearchRequested("interpol"))
        screen.post_message(SearchRequested("arrestations"))
        await settle(pilot)
        results = screen.query_one(SearchResults)
        assert results.query_text == "arrestations"
        shown = list(results.hits)
        # Results of an earlier search arriving late change nothing.
        screen._search_done(screen._search_generation - 1, SearchRequested("interpol"), [])
        assert results.hits == shown


async def test_escape_leaves_the_search_for_the_whole_list(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_search(pilot, "interpol")
        await pilot.press("enter")  # from the query to the results
        assert app.screen.query_one(SearchResults).has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(ContentSwitcher).current == "articles"
        assert app.screen.query_one(ArticleList).has_focus
        assert app.screen.query_one(SearchBox).query_input.value == ""


async def test_space_marks_and_c_compares(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)
        first = article_list.current
        await pilot.press("space", "down", "space")
        second = article_list.current
        assert first and second
        assert app.screen.marked == [first.id, second.id]
        assert screen_text(pilot).count("●") == 2
        await pilot.press("space")  # unmark the second again
        assert app.screen.marked == [first.id]
        await pilot.press("space", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.article_ids == [first.id, second.id]


async def test_compare_sees_marks_typed_just_before(app: RecoupeApp) -> None:
    """Keys arriving in one burst, as from a fast typist: `c` must see both marks."""
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for key, character in (("space", " "), ("down", None), ("space", " "), ("c", "c")):
            app.post_message(events.Key(key, character))
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert len(app.screen.article_ids) == 2


async def test_compare_needs_two_marked_articles(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "c")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert any("at least two" in n.message for n in app._notifications)


async def test_marks_show_in_search_results(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_search(pilot, "interpol")
        await pilot.press("enter", "space")
        results = app.screen.query_one(SearchResults)
        assert app.screen.marked == [results.hits[0].article_id]
        assert "●" in screen_text(pilot)


async def test_resize_keeps_everything_readable(app: RecoupeApp) -> None:
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        for width, height in [(80, 24), (160, 50), (100, 30)]:
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            screen = app.screen
            article_list = screen.query_one(ArticleList)
            assert article_list.region.width == width
            assert article_list.region.height >= 10
            assert screen.query_one(SearchBox).region.bottom <= article_list.region.y
            lines = screen_text(pilot).splitlines()
            assert len(lines) == height
            assert all(len(line) <= width for line in lines)
            assert "Le Monde" in "\n".join(lines)


async def test_first_launch_imports_the_sample_corpus(db_path: Path) -> None:
    app = RecoupeApp(db_path)  # no database file yet
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await settle(pilot)
        assert app.screen.query_one(ArticleList).total == 3
        assert any("sample corpus" in n.message for n in app._notifications)
        assert "Le Monde" in screen_text(pilot)


async def test_unreadable_database_is_a_notification(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not SQLite" * 100)
    app = RecoupeApp(bad)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("cannot open the library" in n.message for n in app._notifications)
        assert "Traceback" not in screen_text(pilot)


async def test_clicking_a_heading_sorts_by_it(app: RecoupeApp, sample_db_path: Path) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)
        header_y = article_list.region.y
        outlet_x = (
            article_list.region.x
            + 2
            + article_list._title_width(article_list.scrollable_content_region.width)
            + 2
        )
        await pilot.click(offset=(outlet_x, header_y))
        await settle(pilot)
        assert app.screen.sort == "outlet" and not app.screen.descending
        assert list_titles(article_list) == titles_sorted_by(sample_db_path, "outlet", False)
        await pilot.click(offset=(outlet_x, header_y))
        await settle(pilot)
        assert app.screen.descending
        await pilot.click(offset=(article_list.region.x + 5, header_y))
        await settle(pilot)
        assert app.screen.sort == "title"


async def test_an_empty_list_says_how_to_import(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)
        assert "recoupe import FOLDER" not in screen_text(pilot)

        class NoRows:
            def fetch(self, offset: int, limit: int) -> list:
                return []

        article_list.set_source(NoRows(), 0, [])
        await settle(pilot)
        assert "recoupe import FOLDER" in screen_text(pilot)


async def test_annotation_count_follows_when_back_from_reading(app: RecoupeApp) -> None:
    """A note saved while reading shows in the list's count on return, without F5."""
    from store.annotations.notes import create_annotation

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        article_list = app.screen.query_one(ArticleList)
        opened = article_list.current
        assert opened is not None and opened.annotation_count == 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        db = connect(app.database.path)  # another connection, as another process would
        create_annotation(db, opened.id, 0, 10, note="à vérifier")
        db.close()
        await pilot.press("escape")
        await settle(pilot)
        current = app.screen.query_one(ArticleList).current
        assert current is not None and current.id == opened.id
        assert current.annotation_count == 1


async def test_opening_an_older_file_tells_the_user_it_upgrades_it(tmp_path: Path) -> None:
    from tests.reliability.test_schema_upgrades import build_file

    path = tmp_path / "old.db"
    build_file(path, 4)
    app = RecoupeApp(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert any("Upgrading the library" in n.message for n in app._notifications)
        assert "Opération Liberterra" in screen_text(pilot)


async def test_down_then_enter_opens_the_first_hit(app: RecoupeApp) -> None:
    from tui.screens.reading import ReadingScreen

    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_search(pilot, "interpol")
        results = app.screen.query_one(SearchResults)
        first = results.hits[0].article_id
        await pilot.press("down")  # from the box to the hits
        assert results.has_focus
        await pilot.press("space")  # marks there, not a space in the query
        assert app.screen.marked == [first]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen) and app.screen.article_id == first


async def test_a_c_typed_into_the_search_box_with_marks_is_pointed_out(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("space", "down", "space")
        assert len(app.screen.marked) == 2
        await type_search(pilot, "c")
        assert any("compares the 2 marked" in n.message for n in app._notifications)
        assert "compares the 2 marked" in screen_text(pilot)
        await pilot.press("escape", "escape", "c")  # out of the box, then compare
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
