"""Pilot tests of the tags view: counts, passages across articles, open, rename, merge, delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.annotations.notes import create_annotation, list_annotations
from store.annotations.tags import list_tags
from store.db import Library
from store.db.sqlite import connect
from store.ingest.importer import import_text
from tests.conftest import article_id_by_path
from tests.tui.conftest import screen_text, settle
from tui.app import RecoupeApp
from tui.screens.confirm import ConfirmScreen, PromptScreen
from tui.screens.library import LibraryScreen
from tui.screens.reading import ReadingScreen
from tui.screens.tags import TagsScreen
from tui.widgets.annotations_panel import AnnotationsPanel
from tui.widgets.article_view import ArticleView
from tui.widgets.tag_list import TagList

pytestmark = pytest.mark.asyncio

DEPECHE = "depeche-interpol-liberterra-ii.txt"
LE_MONDE = "le-monde-interpol-liberterra-ii.txt"


def annotate_sample(db: Library) -> dict[str, int]:
    """Three annotations over two articles: 'chiffre-clé' twice, 'à vérifier' once."""
    depeche = article_id_by_path(db, DEPECHE)
    le_monde = article_id_by_path(db, LE_MONDE)
    body = db.execute("SELECT body FROM articles WHERE id = ?", [le_monde]).fetchone()[0]
    late = body.rindex("Interpol")
    create_annotation(db, depeche, 0, 8, note="le sujet", tags=["chiffre-clé"])
    create_annotation(db, le_monde, late, late + 8, note="fin du Monde", tags=["chiffre-clé"])
    create_annotation(db, depeche, 9, 18, note="quand ?", tags=["à vérifier"])
    return {"depeche": depeche, "le_monde": le_monde, "late": late}


def panel_text(panel: AnnotationsPanel) -> str:
    return "\n".join(str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count))


async def open_tags(app: RecoupeApp, pilot) -> TagsScreen:
    await settle(pilot)
    await pilot.press("T")
    await settle(pilot)
    assert isinstance(app.screen, TagsScreen)
    return app.screen


async def test_tags_with_counts_and_passages_with_outlet(app: RecoupeApp, sample_db) -> None:
    annotate_sample(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tags(app, pilot)
        tag_list = screen.query_one(TagList)
        labels = [entry.label for entry in tag_list.entries]
        assert labels == ["All annotations (3)", "#chiffre-clé (2)", "#à vérifier (1)"]
        passages = screen.query_one(AnnotationsPanel)
        assert len(passages.annotations) == 3
        await pilot.press("down")  # chiffre-clé
        await settle(pilot)
        assert {a.note for a in passages.annotations} == {"le sujet", "fin du Monde"}
        listed = panel_text(passages)
        assert "Le Monde" in listed  # the outlet of each passage
        assert "fin du Monde" in listed and "quand ?" not in listed
        await pilot.press("down")  # à vérifier
        await settle(pilot)
        assert [a.note for a in passages.annotations] == ["quand ?"]
        assert "Passages tagged #à vérifier (1)" in screen_text(pilot)


async def test_choosing_a_passage_opens_it_at_its_place(app: RecoupeApp, sample_db) -> None:
    ids = annotate_sample(sample_db)
    async with app.run_test(size=(80, 20)) as pilot:
        screen = await open_tags(app, pilot)
        await pilot.press("down", "enter")  # chiffre-clé, then into its passages
        await settle(pilot)
        passages = screen.query_one(AnnotationsPanel)
        assert passages.has_focus
        target = next(a for a in passages.annotations if a.note == "fin du Monde")
        passages.select_annotation(target.id)
        await pilot.press("enter")
        await settle(pilot)
        reading = app.screen
        assert isinstance(reading, ReadingScreen)
        assert reading.article_id == ids["le_monde"]
        view = reading.query_one(ArticleView)
        assert view.offset_visible(ids["late"])
        assert view.scroll_offset.y > 0
        assert [(h.start, h.end) for h in view.highlights("annotation-current")] == [
            (target.start, target.end)
        ]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_rename_a_tag_everywhere(app: RecoupeApp, sample_db) -> None:
    annotate_sample(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tags(app, pilot)
        await pilot.press("down", "r")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("ctrl+u", *"Chiffre clé", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert [(t.name, t.count) for t in list_tags(sample_db)] == [
            ("Chiffre clé", 2),
            ("à vérifier", 1),
        ]
        tag_list = screen.query_one(TagList)
        assert "#Chiffre clé (2)" in [e.label for e in tag_list.entries]
        assert tag_list.current is not None and tag_list.current.name == "Chiffre clé"


async def test_rename_onto_an_existing_tag_is_refused(app: RecoupeApp, sample_db) -> None:
    annotate_sample(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tags(app, pilot)
        await pilot.press("down", "r")
        await settle(pilot)
        await pilot.press("ctrl+u", *"À VÉRIFIER", "enter")
        await settle(pilot)
        assert any("merge" in n.message for n in app._notifications)
        assert {t.name for t in list_tags(sample_db)} == {"chiffre-clé", "à vérifier"}


async def test_merge_a_tag_into_another(app: RecoupeApp, sample_db) -> None:
    annotate_sample(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tags(app, pilot)
        await pilot.press("down", "down", "m")  # à vérifier into chiffre-clé
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"chi", "right", "enter")  # the name completes
        await settle(pilot)
        assert [(t.name, t.count) for t in list_tags(sample_db)] == [("chiffre-clé", 3)]
        labels = [e.label for e in screen.query_one(TagList).entries]
        assert labels == ["All annotations (3)", "#chiffre-clé (3)"]


async def test_delete_a_tag_asks_and_keeps_the_annotations(app: RecoupeApp, sample_db) -> None:
    annotate_sample(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tags(app, pilot)
        await pilot.press("down", "d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "#chiffre-clé" in screen_text(pilot) and "2 annotations" in screen_text(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert len(list_tags(sample_db)) == 2
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [t.name for t in list_tags(sample_db)] == ["à vérifier"]
        assert len(list_annotations(sample_db)) == 3
        labels = [e.label for e in screen.query_one(TagList).entries]
        assert labels == ["All annotations (3)", "#à vérifier (1)"]


async def test_search_in_notes_quotes_and_tags(app: RecoupeApp, sample_db) -> None:
    annotate_sample(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tags(app, pilot)
        passages = screen.query_one(AnnotationsPanel)
        await pilot.press("slash", *"monde")  # a note
        await settle(pilot)
        assert [a.note for a in passages.annotations] == ["fin du Monde"]
        await pilot.press("ctrl+u", *"verifier")  # a tag, accents ignored
        await settle(pilot)
        assert [a.note for a in passages.annotations] == ["quand ?"]
        await pilot.press("ctrl+u", *"Interpol")  # the quotes
        await settle(pilot)
        assert {a.note for a in passages.annotations} == {"le sujet", "fin du Monde"}
        await pilot.press("ctrl+u", *"introuvable")
        await settle(pilot)
        assert passages.annotations == []
        await pilot.press("ctrl+u")  # empty: back to the chosen tag's passages
        await settle(pilot)
        assert len(passages.annotations) == 3
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_orphaned_annotations_have_their_own_entry(tmp_path: Path) -> None:
    db_path = tmp_path / "orphans.db"
    db = connect(db_path)
    body = "Un début.\n\nUn passage qui va disparaître.\n\nFin."
    article_id = import_text(db, body, source_key="o", title="T", outlet="AFP").article_id
    assert article_id is not None
    create_annotation(db, article_id, 0, 9, note="reste", tags=["x"])
    start = body.index("Un passage")
    create_annotation(db, article_id, start, start + 10, note="perdue", tags=["x"])
    import_text(db, "Un début.\n\nFin.", source_key="o", title="T", outlet="AFP")
    db.close()
    app = RecoupeApp(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tags(app, pilot)
        tag_list = screen.query_one(TagList)
        assert [e.label for e in tag_list.entries][-1] == "Orphaned (1)"
        await pilot.press("end")
        await settle(pilot)
        passages = screen.query_one(AnnotationsPanel)
        assert [a.note for a in passages.annotations] == ["perdue"]
        assert "orphaned: passage not found" in panel_text(passages)


async def test_tags_and_notes_are_shown_literally(app: RecoupeApp, sample_db) -> None:
    article_id = article_id_by_path(sample_db, DEPECHE)
    create_annotation(sample_db, article_id, 0, 8, note="[red]note[/red]", tags=["[b]x[/b]"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tags(app, pilot)
        await pilot.press("down")
        await settle(pilot)
        text = screen_text(pilot)
        assert "#[b]x[/b] (1)" in text
        assert "Passages tagged #[b]x[/b] (1)" in text
        assert "[red]note[/red]" in text
        await pilot.press("r")
        await settle(pilot)
        assert "Rename #[b]x[/b] to" in screen_text(pilot)


async def test_edit_a_passage_from_the_tags_view(app: RecoupeApp, sample_db) -> None:
    annotate_sample(sample_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tags(app, pilot)
        await pilot.press("down", "enter")  # chiffre-clé, into its passages
        await settle(pilot)
        passages = screen.query_one(AnnotationsPanel)
        target = passages.annotations[1]
        await pilot.press("down", "e")
        await settle(pilot)
        await pilot.press("end", *" (vérifié)", "tab", "end", *", vérifié", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        [edited] = [a for a in list_annotations(sample_db) if a.id == target.id]
        assert edited.note == target.note + " (vérifié)"
        assert set(edited.tags) == {"chiffre-clé", "vérifié"}
        assert passages.current is not None and passages.current.id == target.id
        assert "#vérifié (1)" in [e.label for e in screen.query_one(TagList).entries]
