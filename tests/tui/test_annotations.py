"""Pilot tests of annotating: select by keys and mouse, save, edit, delete, jump, export."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, TextArea

from store.annotations.notes import create_annotation, list_annotations
from store.db import Library
from store.db.sqlite import connect
from store.ingest.importer import import_text
from store.library.articles import get_article
from tests.conftest import article_id_by_path
from tests.tui.conftest import screen_text, settle
from tui.app import RecoupeApp
from tui.screens.annotate import AnnotateScreen, TagSuggester
from tui.screens.compare import CompareScreen
from tui.screens.confirm import ChoiceScreen, ConfirmScreen
from tui.screens.reading import ReadingScreen
from tui.widgets.annotations_panel import AnnotationsPanel
from tui.widgets.article_view import ArticleView

pytestmark = pytest.mark.asyncio

DEPECHE = "depeche-interpol-liberterra-ii.txt"
LE_MONDE = "le-monde-interpol-liberterra-ii.txt"
FIRST_SENTENCE_END = "victimes potentielles à travers le monde."


async def open_reading(app: RecoupeApp, pilot, article_id: int) -> ReadingScreen:
    await settle(pilot)
    screen = ReadingScreen(article_id)
    await app.push_screen(screen)
    await settle(pilot)
    return screen


def panel_text(screen: ReadingScreen) -> str:
    panel = screen.query_one(AnnotationsPanel)
    return "\n".join(str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count))


def spans(view: ArticleView, layer: str) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in view.highlights(layer)]


async def test_select_by_keys_annotate_and_save(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    body = get_article(sample_db, article_id).body
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        view = screen.query_one(ArticleView)
        assert view.selection is None
        # w shows the cursor on the first word; w again moves to the second word
        await pilot.press("w", "w")
        assert view.selection is None
        assert view.cursor_offset == body.index("a annoncé")
        await pilot.press("shift+right", "shift+right")
        selection = view.selection
        assert selection is not None
        assert body[selection.start : selection.end] == "a annoncé mercredi"
        await pilot.press("shift+down")  # to the end of the sentence
        selection = view.selection
        assert selection is not None
        quote = body[selection.start : selection.end]
        assert quote.startswith("a annoncé mercredi") and quote.endswith(FIRST_SENTENCE_END)
        assert spans(view, "selection") == [(selection.start, selection.end)]

        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen)
        assert app.screen.query_one(TextArea).has_focus
        await pilot.press(*"Chiffre repris", "enter", *"par l'AFP")
        await pilot.press("tab", *"chiffre-clé, à vérifier")
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert app.screen is screen
        saved = list_annotations(sample_db, article_ids=[article_id])
        assert len(saved) == 1
        annotation = saved[0]
        assert (annotation.start, annotation.end) == (selection.start, selection.end)
        assert annotation.exact == quote
        assert annotation.note == "Chiffre repris\npar l'AFP"
        assert set(annotation.tags) == {"chiffre-clé", "à vérifier"}
        # highlighted in the text, listed in the panel, selection cleared
        assert spans(view, "annotations") == [(annotation.start, annotation.end)]
        assert view.selection is None
        listed = panel_text(screen)
        assert "a annoncé mercredi" in listed
        assert "Chiffre repris" in listed
        assert "#chiffre-clé" in listed and "#à vérifier" in listed
        assert "Annotations (1)" in screen_text(pilot)


async def test_selection_shrinks_by_word_and_sentence(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    body = get_article(sample_db, article_id).body
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        view = screen.query_one(ArticleView)

        def selected() -> str:
            assert view.selection is not None
            return body[view.selection.start : view.selection.end]

        await pilot.press("shift+down")  # shows the cursor: one word selected
        assert selected() == "Interpol"
        await pilot.press("shift+down")
        first = selected()
        assert first.endswith(FIRST_SENTENCE_END)
        await pilot.press("shift+down")
        two = selected()
        assert two.startswith(first) and len(two) > len(first)
        await pilot.press("shift+up")
        assert selected() == first
        await pilot.press("shift+left")  # shrinks by one word: the final period goes
        assert selected() == first.removesuffix(".")
        await pilot.press("shift+left")
        assert selected() == first.removesuffix(" monde.")
        await pilot.press("escape")  # clears the selection, stays on the screen
        assert view.selection is None
        assert app.screen is screen
        await pilot.press("right_parenthesis")  # next sentence
        assert view.cursor_offset == body.index("L'opération")
        await pilot.press("left_parenthesis", "left_parenthesis")
        assert view.cursor_offset == 0


async def test_mouse_drag_selects_words(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    body = get_article(sample_db, article_id).body
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        view = screen.query_one(ArticleView)
        first_line = view.line_text(0)
        # press on "annoncé" (x counts the left padding), drag to "mercredi"
        x_start = 1 + first_line.index("annoncé") + 2
        x_end = 1 + first_line.index("mercredi") + 3
        await pilot.mouse_down(view, offset=(x_start, 0))
        await pilot.hover(view, offset=(x_end, 0))
        await pilot.mouse_up(view, offset=(x_end, 0))
        assert view.selection is not None
        assert body[view.selection.start : view.selection.end] == "annoncé mercredi"
        await pilot.click(view, offset=(1 + first_line.index(" sa ") + 1, 0), shift=True)
        assert body[view.selection.start : view.selection.end] == "annoncé mercredi sa"
        await pilot.click(view, offset=(x_start, 0), shift=True)  # shrinks back
        assert body[view.selection.start : view.selection.end] == "annoncé"
        await pilot.hover(view, offset=(x_end, 0))  # moving without a button changes nothing
        assert body[view.selection.start : view.selection.end] == "annoncé"
        await pilot.mouse_down(view, offset=(x_start, 0))
        await pilot.hover(view, offset=(x_end, 0))
        await pilot.mouse_up(view, offset=(x_end, 0))
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen)
        await pilot.press("tab", *"date", "enter")  # Enter in the tags field saves
        await settle(pilot)
        saved = list_annotations(sample_db, article_ids=[article_id])
        assert [(a.exact, a.tags) for a in saved] == [("annoncé mercredi", ("date",))]


async def test_annotate_without_selection_says_how(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen
        assert any("Select a passage first" in n.message for n in app._notifications)


async def test_cancel_and_bad_tag_save_nothing(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reading(app, pilot, article_id)
        await pilot.press("shift+right", "shift+right", "a")
        await settle(pilot)
        await pilot.press(*"note", "escape")
        await settle(pilot)
        assert list_annotations(sample_db) == []
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AnnotateScreen)
        dialog.query_one("#annotate-tags", Input).value = "x" * 80
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # the error is shown in the dialog, nothing is lost
        assert "at most 64 characters" in screen_text(pilot)
        assert list_annotations(sample_db) == []


async def test_tags_complete_from_existing_ones(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    create_annotation(sample_db, article_id, 0, 8, tags=["Chiffre-clé", "contradiction"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reading(app, pilot, article_id)
        await pilot.press("right_parenthesis", "shift+right", "a")
        await settle(pilot)
        await pilot.press("tab", *"chi", "right", *", contra", "right")
        await settle(pilot)
        assert app.screen.query_one("#annotate-tags", Input).value == "Chiffre-clé, contradiction"
        await pilot.press("enter")
        await settle(pilot)
        tags = [a.tags for a in list_annotations(sample_db, article_ids=[article_id])]
        assert tags == [("Chiffre-clé", "contradiction"), ("Chiffre-clé", "contradiction")]


async def test_tag_suggester_completes_the_last_tag_only() -> None:
    suggester = TagSuggester(["chiffre-clé", "à vérifier", "chiffres"])
    assert await suggester.get_suggestion("chi") == "chiffre-clé"
    assert await suggester.get_suggestion("À v") == "à vérifier"
    assert await suggester.get_suggestion("chiffre-clé, chi") == "chiffre-clé, chiffres"
    assert await suggester.get_suggestion("x, #à") == "x, #à vérifier"
    assert await suggester.get_suggestion("chiffre-clé, ") is None
    assert await suggester.get_suggestion("zzz") is None


async def test_next_and_previous_jump_between_annotations(
    app: RecoupeApp, sample_db: Library
) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    body = get_article(sample_db, article_id).body
    late = body.rindex("Interpol")
    first = create_annotation(sample_db, article_id, 0, 8, note="début")
    last = create_annotation(sample_db, article_id, late, late + 8, note="fin")
    async with app.run_test(size=(80, 20)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        view = screen.query_one(ArticleView)
        panel = screen.query_one(AnnotationsPanel)
        assert spans(view, "annotations") == [(0, 8), (late, late + 8)]
        assert not view.offset_visible(late)
        await pilot.press("n")
        assert screen.jumped_annotation == first
        assert spans(view, "annotation-current") == [(0, 8)]
        await pilot.press("n")
        await settle(pilot)
        assert screen.jumped_annotation == last
        assert panel.current == last
        assert view.offset_visible(late)
        await pilot.press("N")
        await settle(pilot)
        assert screen.jumped_annotation == first
        assert view.offset_visible(0)
        await pilot.press("N")  # wraps round to the last one
        assert screen.jumped_annotation == last


async def test_edit_reopens_the_dialog_and_saves(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    annotation = create_annotation(sample_db, article_id, 0, 8, note="ancienne", tags=["a"])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        await pilot.press("n", "e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AnnotateScreen)
        assert dialog.query_one(TextArea).text == "ancienne"
        assert dialog.query_one("#annotate-tags", Input).value == "a"
        await pilot.press(*"nouvelle ", "tab", "end", *", b", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        [edited] = list_annotations(sample_db, article_ids=[article_id])
        assert edited.id == annotation.id
        assert edited.note == "nouvelle ancienne"
        assert edited.tags == ("a", "b")
        assert "nouvelle ancienne" in panel_text(screen)


async def test_delete_asks_first_and_can_be_undone(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    kept = create_annotation(sample_db, article_id, 0, 8, note="à garder")
    gone = create_annotation(sample_db, article_id, 9, 18, note="à effacer")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        view = screen.query_one(ArticleView)
        await pilot.press("n", "n", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "a annoncé" in screen_text(pilot)
        await pilot.press("n")  # keep it
        await settle(pilot)
        assert len(list_annotations(sample_db)) == 2
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [a.note for a in list_annotations(sample_db)] == ["à garder"]
        assert spans(view, "annotations") == [(0, 8)]
        assert "à effacer" not in panel_text(screen)
        assert "Annotations (1)" in screen_text(pilot)
        await pilot.press("u")  # undo: the same annotation comes back
        await settle(pilot)
        restored = list_annotations(sample_db)
        assert [(a.id, a.note) for a in restored] == [(kept.id, "à garder"), (gone.id, "à effacer")]
        assert restored[1].created == gone.created
        assert spans(view, "annotations") == [(0, 8), (gone.start, gone.end)]
        assert "à effacer" in panel_text(screen)
        await pilot.press("u")  # nothing more to undo
        await settle(pilot)
        assert any("No deleted annotation" in n.message for n in app._notifications)
        assert len(list_annotations(sample_db)) == 2


async def test_orphaned_annotations_are_listed_apart_and_not_highlighted(tmp_path: Path) -> None:
    db_path = tmp_path / "orphans.db"
    db = connect(db_path)
    body = "Premier paragraphe stable.\n\nUn passage qui va disparaître du texte.\n\nFin."
    article_id = import_text(db, body, source_key="orphan", title="T").article_id
    assert article_id is not None
    kept = create_annotation(db, article_id, 0, 7, note="reste")
    lost_start = body.index("Un passage")
    create_annotation(db, article_id, lost_start, lost_start + 10, note="perdue")
    import_text(db, "Premier paragraphe stable.\n\nFin.", source_key="orphan", title="T")
    statuses = {a.note: a.status for a in list_annotations(db)}
    db.close()
    assert statuses == {"reste": "anchored", "perdue": "orphaned"}
    app = RecoupeApp(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        view = screen.query_one(ArticleView)
        assert spans(view, "annotations") == [(kept.start, kept.end)]
        listed = panel_text(screen)
        assert listed.index("reste") < listed.index("Orphaned (1)") < listed.index("perdue")
        assert "orphaned: passage not found" in listed
        # re-attach the orphaned note to another passage: select it, choose the note, m
        await pilot.press("right_parenthesis", "right_parenthesis", "shift+right")
        assert view.selection is not None
        await pilot.press("l", "end", "m")
        await settle(pilot)
        check = connect(db_path)
        moved = {a.note: a for a in list_annotations(check)}["perdue"]
        check.close()
        assert (moved.status, moved.exact) == ("anchored", "Fin.")
        assert moved.previous_exact == "Un passage"
        assert sorted(spans(view, "annotations")) == [
            (kept.start, kept.end),
            (moved.start, moved.end),
        ]
        assert "Orphaned" not in panel_text(screen)


async def test_compare_highlights_annotations_and_annotates(app: RecoupeApp, sample_db) -> None:
    left = article_id_by_path(sample_db, DEPECHE)
    right = article_id_by_path(sample_db, LE_MONDE)
    annotation = create_annotation(sample_db, left, 0, 8, note="x")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = CompareScreen([left, right])
        await app.push_screen(screen)
        await settle(pilot)
        left_view = screen.query_one(f"#column-{left}", ArticleView)
        right_view = screen.query_one(f"#column-{right}", ArticleView)
        assert spans(left_view, "annotations") == [(annotation.start, annotation.end)]
        assert spans(right_view, "annotations") == []
        right_view.focus()
        await pilot.press("shift+right", "shift+right", "a")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen)
        await pilot.press(*"dans Le Monde", "ctrl+s")
        await settle(pilot)
        [made] = list_annotations(sample_db, article_ids=[right])
        assert made.note == "dans Le Monde"
        assert spans(right_view, "annotations") == [(made.start, made.end)]


@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
async def test_export_from_the_palette_writes_a_file(
    app: RecoupeApp, sample_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    create_annotation(sample_db, article_id, 0, 8, note="note exportée", tags=["chiffre-clé"])
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    name = {"json": "JSON", "csv": "CSV", "md": "Markdown"}[fmt]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*f"Export annotations as {name}")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        files = list(out.iterdir())
        assert len(files) == 1 and files[0].suffix == f".{fmt}"
        assert any(str(files[0]) in n.message for n in app._notifications)
    text = files[0].read_text(encoding="utf-8-sig")
    if fmt == "json":
        document = json.loads(text)
        assert document["type"] == "AnnotationCollection"
        [item] = document["items"] if "items" in document else document["first"]["items"]
        assert any(body.get("value") == "note exportée" for body in item["body"])
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == 1
        assert "note exportée" in rows[0].values()
    else:
        assert "> Interpol" in text and "note exportée" in text


async def test_export_key_asks_for_the_format(
    app: RecoupeApp, sample_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    create_annotation(sample_db, article_id, 0, 8)
    monkeypatch.chdir(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("down", "enter")  # CSV
        await settle(pilot)
        [written] = [p for p in tmp_path.iterdir() if p.suffix == ".csv"]
        assert list(csv.reader(io.StringIO(written.read_text(encoding="utf-8-sig"))))[1]


async def test_help_lists_the_annotation_keys(app: RecoupeApp) -> None:
    async with app.run_test(size=(100, 80)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        help_text = str(app.screen.query_one("#help-text").render())
        for expected in (
            "Annotate",
            "Next note",
            "Edit note",
            "Delete note",
            "Extend by word",
            "Extend by sentence",
            "Shrink by sentence",
            "Save annotation",
            "Next sentence",
            "Rename tag",
            "Merge tag",
            "Delete tag",
            "Search notes",
            "Tags",
            "Export notes",
        ):
            assert expected in help_text
        assert re.search(r"^ +\( +Prev sentence$", help_text, re.MULTILINE)
        assert re.search(r"^ +shift\+right +Extend by word$", help_text, re.MULTILINE)


async def test_palette_runs_the_annotate_action(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reading(app, pilot, article_id)
        await pilot.press("shift+right")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Annotate")
        await pilot.pause(0.3)
        await settle(pilot)
        assert "Annotate" in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen)
        await pilot.press(*"depuis la palette", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert [a.note for a in list_annotations(sample_db)] == ["depuis la palette"]


async def test_compare_deletes_the_annotation_under_the_cursor(app: RecoupeApp, sample_db) -> None:
    left = article_id_by_path(sample_db, DEPECHE)
    right = article_id_by_path(sample_db, LE_MONDE)
    create_annotation(sample_db, left, 0, 8, note="à effacer")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = CompareScreen([left, right])
        await app.push_screen(screen)
        await settle(pilot)
        view = screen.query_one(f"#column-{left}", ArticleView)
        view.focus()
        await pilot.press("d")  # no cursor yet: says how
        await settle(pilot)
        assert app.screen is screen
        assert any("Put the cursor" in n.message for n in app._notifications)
        await pilot.press("w", "e")  # the cursor on "Interpol", inside the annotation
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen)
        await pilot.press("escape", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert list_annotations(sample_db) == []
        assert spans(view, "annotations") == []


async def test_export_goes_next_to_the_database_when_here_is_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.db_access import LibraryDatabase
    from tui.exporting import export_folder, export_to_file

    database = LibraryDatabase(tmp_path / "lib" / "recoupe.db")
    (tmp_path / "lib").mkdir()
    monkeypatch.chdir(tmp_path)
    assert export_folder(database) == tmp_path
    monkeypatch.setattr("tui.exporting.os.access", lambda path, mode: False)
    assert export_folder(database) == tmp_path / "lib"
    assert export_to_file(database, "json") == (None, 0)  # nothing to export: no file
    database.close()
    assert not list(tmp_path.glob("recoupe-annotations-*"))


async def test_footer_says_what_escape_does(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reading(app, pilot, article_id)
        assert "esc Back" in screen_text(pilot).splitlines()[-1]
        await pilot.press("shift+right")
        await settle(pilot)
        assert "esc Clear selection" in screen_text(pilot).splitlines()[-1]
        await pilot.press("escape")
        await settle(pilot)
        assert "esc Back" in screen_text(pilot).splitlines()[-1]


async def test_annotate_dialog_buttons_reachable_at_80x24(app: RecoupeApp, sample_db) -> None:
    """On a small terminal the dialog scrolls instead of clipping its Save button."""
    article_id = article_id_by_path(sample_db, "depeche-interpol-liberterra-ii.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reading(app, pilot, article_id)
        await pilot.press("w", "shift+right", "a")
        await settle(pilot)
        assert isinstance(app.screen, AnnotateScreen)
        dialog = app.screen.query_one("#annotate-dialog")
        save = app.screen.query_one("#annotate-save")
        dialog.scroll_end(animate=False)
        await settle(pilot)
        assert save.region.bottom <= dialog.region.bottom
        assert save.region.height > 0
        await pilot.click("#annotate-save")
        await settle(pilot)
        assert not isinstance(app.screen, AnnotateScreen)
        assert len(list_annotations(sample_db, article_ids=[article_id])) == 1
