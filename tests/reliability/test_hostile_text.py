"""Hostile text in the app: markup, escapes, bidi and zero-width characters never act.

Articles reach the app from the database. Import strips escape sequences, but a
database may hold text that never went through import (an older version, another
tool), so these tests write hostile text straight into the tables and check what
the terminal would receive: the rendered strips of the screen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.segment import Segment
from textual import events
from textual.widgets import Input
from textual.widgets._toast import Toast

from store.db.sqlite import connect, transaction
from store.errors import QueryError
from store.ingest.importer import import_text
from store.library.text import strip_unsafe
from store.search import search
from tests.tui.conftest import settle
from tui.app import RecoupeApp
from tui.screens.library import LibraryScreen
from tui.screens.reading import ReadingScreen
from tui.widgets.search_box import SearchBox

pytestmark = pytest.mark.asyncio

OSC_TITLE = "\x1b]0;PWNED\x07"
OSC_CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"  # would put "rm -rf ~" on the clipboard
CSI_CLEAR = "\x1b[2J\x1b[H"
HOSTILE_TITLE = f"[bold red]Alerte[/] [@click=app.quit]quitter[/] {OSC_TITLE}fin"
HOSTILE_OUTLET = "[link=https://evil.example]Le Faux[/link]"
HOSTILE_BODY = (
    "Première ligne [reverse]inversée[/reverse] et [@click=app.quit]clic[/].\n\n"
    f"Des séquences {CSI_CLEAR}effacent{OSC_CLIPBOARD} et \x1b[31mrougissent\x1b[0m.\n\n"
    "Du texte \u202eà l’envers\u202c, des espaces\u200b\u200dinvisibles et \x07 une cloche.\n\n"
    "Un lien [link=https://evil.example]piégé[/link] et 2 517 victimes."
)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def insert_raw_article(db_path: Path, title: str, outlet: str, body: str) -> int:
    """Write an article without the import's text hygiene (as another tool might have)."""
    db = connect(db_path)
    try:
        with transaction(db):
            cursor = db.execute(
                "INSERT INTO articles (title, outlet, published, source_key, source_path, "
                "content_hash, body, imported_at, updated_at) "
                "VALUES (?, ?, '2024-05-01', 'raw', 'raw', 'h', ?, 'now', 'now')",
                [title, outlet, body],
            )
        return int(cursor.lastrowid or 0)
    finally:
        db.close()


def rendered_segments(app: RecoupeApp) -> list[Segment]:
    """Every segment of the screen as the compositor hands it to the terminal."""
    segments: list[Segment] = []
    for strip in app.screen._compositor.render_strips():
        segments.extend(strip)
    return segments


def assert_inert(app: RecoupeApp) -> str:
    """Nothing on screen can act on the terminal; return the screen's text."""
    segments = rendered_segments(app)
    text = "".join(segment.text for segment in segments)
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    assert not BIDI.search(text)
    for segment in segments:
        assert segment.control is None
        style = segment.style
        if style is not None:
            assert not style.link, style  # no hyperlink smuggled in by [link=...]
            assert "@click" not in repr(style.meta)
    assert app.title == "recoupe"
    assert app.clipboard == ""
    return text


async def test_hostile_article_in_the_list_is_shown_literally(tmp_path: Path) -> None:
    db_path = tmp_path / "hostile.db"
    insert_raw_article(db_path, HOSTILE_TITLE, HOSTILE_OUTLET, HOSTILE_BODY)
    app = RecoupeApp(db_path)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        text = assert_inert(app)
        assert "[bold red]Alerte[/]" in text
        assert "[@click=app.quit]quitter[/]" in text
        assert "[link=https://e" in text  # the outlet, cut to its column
        assert app.is_running  # nothing quit the app


async def test_hostile_article_opened_for_reading_is_shown_literally(tmp_path: Path) -> None:
    db_path = tmp_path / "hostile.db"
    article_id = insert_raw_article(db_path, HOSTILE_TITLE, HOSTILE_OUTLET, HOSTILE_BODY)
    app = RecoupeApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(ReadingScreen(article_id, ""))
        await settle(pilot)
        text = assert_inert(app)
        assert "[bold red]Alerte[/]" in text
        assert "[reverse]inversée[/reverse]" in text
        assert "[link=https://evil.example]piégé[/link]" in text
        assert "␛" in text  # escapes shown as visible pictures, not obeyed
        assert "[link=https://evil.example]Le Faux[/link]" in text  # the outlet, in the header
        assert app.is_running


async def test_imported_hostile_text_loses_escapes_and_keeps_markup_as_text(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "imported.db"
    db = connect(db_path)
    outcome = import_text(
        db, HOSTILE_BODY, source_key="hostile", title=HOSTILE_TITLE, outlet=HOSTILE_OUTLET
    )
    body, title = db.execute(
        "SELECT body, title FROM articles WHERE id = ?", [outcome.article_id]
    ).fetchone()
    db.close()
    assert "\x1b" not in body + title and not BIDI.search(body) and "\u200b" not in body
    assert "[reverse]inversée[/reverse]" in body and "[bold red]Alerte[/]" in title
    app = RecoupeApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(ReadingScreen(outcome.article_id, ""))
        await settle(pilot)
        text = assert_inert(app)
        assert "effacent et rougissent" in text
        assert "␛" not in text  # nothing left to show: import removed them


@pytest.mark.parametrize("advanced", [False, True])
@pytest.mark.parametrize(
    "query",
    ["[bold]piégé[/bold]", '"[/]', "[@click=app.quit]x", "title:[red]", "\x1b]0;PWNED\x07"],
)
async def test_hostile_queries_are_shown_literally(
    tmp_path: Path, query: str, advanced: bool
) -> None:
    db_path = tmp_path / "q.db"
    insert_raw_article(db_path, HOSTILE_TITLE, HOSTILE_OUTLET, HOSTILE_BODY)
    app = RecoupeApp(db_path)
    async with app.run_test(size=(200, 30)) as pilot:
        await settle(pilot)
        box = app.screen.query_one(SearchBox)
        if advanced:
            box.action_toggle_advanced()
        field = box.query_one("#query", Input)
        field.focus()
        field.post_message(events.Paste(query))  # pasted, as copied from anywhere
        await pilot.pause(0.4)
        status = box.query_one("#search-status")
        for _ in range(50):  # the search runs in a worker: wait for its outcome
            await settle(pilot)
            if "searching" not in str(status.render()):
                break
            await pilot.pause(0.1)
        assert "searching" not in str(status.render())  # the outcome is reported, never lost
        assert isinstance(app.screen, LibraryScreen) and app.is_running
        assert field.value == strip_unsafe(query)
        text = assert_inert(app)
        if status.has_class("-error"):
            # The store's message (which may quote the query) is shown as it is, not as markup.
            db = connect(db_path)
            with pytest.raises(QueryError) as error:
                search(db, field.value, advanced=advanced)
            db.close()
            assert str(error.value)[:150] in text


async def test_notifications_show_their_text_literally(tmp_path: Path) -> None:
    db_path = tmp_path / "n.db"
    insert_raw_article(db_path, "Titre", "Source", "Un texte.")
    app = RecoupeApp(db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        message = "cannot read 'x[/]' nor [red]rouge[/red] nor [@click=app.quit]q[/]"
        app.screen.notify(message, severity="error")
        await settle(pilot)
        assert app.is_running
        # Headless runs draw no toasts: check what the toast will draw from.
        shown = list(app._notifications)
        assert [n.message for n in shown] == [message]
        assert not any(n.markup for n in shown)
        toast = Toast(shown[0])
        assert str(toast.render()) == message  # the Content a toast renders, word for word


async def test_text_pasted_into_the_annotate_dialog_is_cleaned(tmp_path: Path) -> None:
    from textual.widgets import TextArea

    from tui.screens.annotate import AnnotateScreen

    db_path = tmp_path / "a.db"
    insert_raw_article(db_path, "Titre", "Source", "Un texte.")
    app = RecoupeApp(db_path)
    pasted = f"note {OSC_TITLE}{OSC_CLIPBOARD}\u202eà l’envers\u202c [b]gras[/b]\nligne 2"
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await app.push_screen(AnnotateScreen("Un texte"))
        await settle(pilot)
        note = app.screen.query_one("#annotate-note", TextArea)
        tags = app.screen.query_one("#annotate-tags", Input)
        note.focus()
        note.post_message(events.Paste(pasted))
        tags.focus()
        tags.post_message(events.Paste(f"chiffre{CSI_CLEAR}, [red]x"))
        await settle(pilot)
        assert note.text == strip_unsafe(pasted)
        assert tags.value == strip_unsafe(f"chiffre{CSI_CLEAR}, [red]x")
        text = assert_inert(app)
        assert "[b]gras[/b]" in text


async def test_hostile_articles_side_by_side_are_shown_literally(tmp_path: Path) -> None:
    from tui.screens.compare import CompareScreen

    db_path = tmp_path / "compare.db"
    first = insert_raw_article(db_path, HOSTILE_TITLE, HOSTILE_OUTLET, HOSTILE_BODY)
    db = connect(db_path)
    second = import_text(
        db,
        "Selon [bold]la préfecture[/], 2 517 victimes \x1b]0;PWNED\x07 et \u202e3 200\u202c.",
        source_key="second",
        title="[@click=app.quit]Deuxième[/]",
        outlet="\x1b[31mLe Rouge",
    ).article_id
    db.close()
    app = RecoupeApp(db_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(CompareScreen([first, second]))
        await settle(pilot)
        text = assert_inert(app)
        assert "[bold red]Alerte[/]" in text
        assert "[@click=app.quit]Deuxième[/]" in text
        assert app.is_running
