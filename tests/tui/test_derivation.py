"""The app computes pending figures in the background and says so in the footer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store.db import connect
from store.derive import derive_status
from store.ingest import import_paths
from tests.tui.conftest import screen_text, settle
from tui.app import DERIVE_DELAY_SECONDS, RecoupeApp
from tui.derivation import SHOW_FROM, progress_text
from tui.widgets.article_list import ArticleList


def test_progress_text_says_how_far_and_nothing_once_done() -> None:
    assert progress_text(50, 200) == "figures 25%"
    assert progress_text(200, 200) == ""
    assert progress_text(0, 0) == ""


def pending_library(tmp_path: Path, count: int) -> Path:
    source = tmp_path / "articles.jsonl"
    source.write_text(
        "\n".join(
            json.dumps({"title": f"Article {n}", "body": f"Plus de {100 + n} personnes."})
            for n in range(count)
        ),
        encoding="utf-8",
    )
    path = tmp_path / "library.db"
    library = connect(path)
    import_paths(library, [source])
    assert derive_status(library).pending == count
    library.close()
    return path


@pytest.mark.asyncio
async def test_the_app_derives_pending_figures_in_the_background(tmp_path: Path) -> None:
    path = pending_library(tmp_path, SHOW_FROM + 10)
    app = RecoupeApp(path)
    seen: list[str] = []
    async with app.run_test(size=(120, 30)) as pilot:
        app.watch(app, "background_work", lambda text: seen.append(text), init=False)
        for _ in range(400):
            await pilot.pause(0.05)
            library = connect(path)
            complete = derive_status(library).complete
            library.close()
            if complete and not app.background_work:
                break
        await settle(pilot)
        assert complete
    assert any(text.startswith("figures ") for text in seen)
    assert seen[-1] == ""  # the footer is clear once done


@pytest.mark.asyncio
async def test_the_footer_shows_background_work_beside_the_palette_key(app: RecoupeApp) -> None:
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause(DERIVE_DELAY_SECONDS)
        await settle(pilot)
        app.background_work = "figures 42%"
        await pilot.pause()
        footer = screen_text(pilot).splitlines()[-1]
        assert "figures 42%" in footer and footer.rstrip().endswith("Commands")
        app.background_work = ""
        await pilot.pause()
        assert "figures" not in screen_text(pilot).splitlines()[-1]


@pytest.mark.asyncio
async def test_figure_counts_in_the_list_fill_in_once_derived(tmp_path: Path) -> None:
    path = pending_library(tmp_path, 3)  # each article states one figure
    app = RecoupeApp(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        for _ in range(200):
            await pilot.pause(0.05)
            rows = [articles.row(index) for index in range(articles.total)]
            if all(row is not None and row.figure_count == 1 for row in rows):
                break
        assert [row.figure_count for row in rows if row is not None] == [1, 1, 1]
        await settle(pilot)
        shown = [line for line in screen_text(pilot).splitlines() if "Article " in line]
        assert len(shown) == 3 and all(line.split()[-2:] == ["1", "0"] for line in shown)
