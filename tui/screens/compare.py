"""Comparing articles: one column per article, and the cross-source figures table below."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalScroll, Vertical
from textual.screen import Screen
from textual.widgets import Static

from store.library import get_article, get_summaries
from store.models import Annotation, Article, ArticleSummary, Comparison, Fact, Figure
from tui.annotation_actions import AnnotationActions
from tui.article_heading import article_meta, article_title
from tui.data import annotations_and_tag_names, compare_articles, figures_for_article
from tui.highlights import annotation_highlights, current_highlight, figure_highlights
from tui.library_host import library_database
from tui.messages import FactSelected
from tui.rendering import visible
from tui.widgets.article_view import ArticleView
from tui.widgets.figures_table import STATUS_WORDS, FiguresTable
from tui.widgets.key_bar import KeyBar
from tui.widgets.title_bar import TitleBar


@dataclass(frozen=True, slots=True)
class ComparedArticle:
    """One column's content: the article, its summary and its figures."""

    article: Article
    summary: ArticleSummary
    figures: list[Figure]


class CompareScreen(AnnotationActions, Screen[None]):
    """Two or more articles side by side, with their figures lined up fact by fact."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("s", "toggle_in_step", "In step"),
        Binding("t", "focus_table", "Figures table"),
        Binding("right_square_bracket", "next_fact", "Next fact"),
        Binding("left_square_bracket", "previous_fact", "Prev fact"),
        Binding("a", "annotate", "Annotate"),
        Binding("e", "edit_annotation", "Edit note"),
        Binding("d", "delete_annotation", "Delete note"),
        Binding("u", "undo", "Undo", show=False),
    ]
    HELP_SECTION: ClassVar[str] = "Compare"
    HELP_PARTS: ClassVar[tuple[type, ...]] = (FiguresTable,)
    HELP_EXTRA: ClassVar[list[tuple[str, str]]] = [
        ("w ( ) shift+arrows", "Move and select in a column, as when reading")
    ]

    NO_CURRENT_HINT = "Put the cursor (w, arrows) in an annotated passage first."

    def __init__(self, article_ids: list[int]) -> None:
        super().__init__()
        self.article_ids = list(article_ids)
        self.columns: list[ComparedArticle] = []
        self.comparison: Comparison | None = None
        self.in_step = False
        self._facts_text: str | Text = ""
        self._off_screen: list[str] = []
        self._syncing = False
        self.annotations: list[Annotation] = []
        self.tag_names: list[str] = []

    def compose(self) -> ComposeResult:
        """A column per article, then the figures table."""
        yield TitleBar()
        with HorizontalScroll(id="compare-columns"):
            for article_id in self.article_ids:
                with Vertical(classes="compare-column"):
                    yield Static("Loading…", classes="column-title", id=f"title-{article_id}")
                    yield Static("", classes="column-meta", id=f"meta-{article_id}")
                    yield ArticleView(id=f"column-{article_id}", classes="column-text")
        with Vertical(id="compare-facts"):
            yield Static("", id="facts-status")
            yield FiguresTable(id="facts")
        yield KeyBar()

    def on_mount(self) -> None:
        """Load the articles, their figures and the comparison off the UI thread."""
        self.sub_title = "each column scrolls on its own (s: in step)"
        for view in self.query(ArticleView):
            self.watch(view, "scroll_y", partial(self._column_scrolled, view), init=False)
        self.load_comparison()

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def load_comparison(self) -> None:
        """Fetch every article, its figures and the cross-source comparison."""
        try:
            with library_database(self).use() as db:
                summaries = get_summaries(db, self.article_ids)
                columns = [
                    ComparedArticle(get_article(db, s.id), s, figures_for_article(db, s.id))
                    for s in summaries
                ]
                comparison = compare_articles(db, [s.id for s in summaries])
                annotations, tag_names = annotations_and_tag_names(db, self.article_ids)
        except Exception as exc:
            self.app.call_from_thread(
                self.notify, f"cannot compare these articles: {exc}", severity="error"
            )
            return
        self.app.call_from_thread(self._show, columns, comparison)
        self.app.call_from_thread(self._show_annotations, annotations, tag_names)

    def _show(self, columns: list[ComparedArticle], comparison: Comparison | None) -> None:
        self.columns = columns
        self.comparison = comparison
        for column in columns:
            article = column.article
            self.query_one(f"#title-{article.id}", Static).update(article_title(article))
            self.query_one(f"#meta-{article.id}", Static).update(article_meta(article))
            view = self.query_one(f"#column-{article.id}", ArticleView)
            view.show_body(article.body)
            view.set_layer("figures", figure_highlights(column.figures))
        table = self.query_one(FiguresTable)
        if comparison is None:
            table.display = False
            self._set_facts_status("The cross-source figures table is not available yet.")
        elif not comparison.facts:
            table.display = False
            self._set_facts_status("No figures to compare in these articles.")
        else:
            table.show_comparison(comparison, [c.summary for c in columns])
            self._set_facts_status(_facts_summary(comparison))
        if columns:
            self.query_one(f"#column-{columns[0].article.id}", ArticleView).focus()

    # -- annotations ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="compare-annotations", exit_on_error=False)
    def load_annotations(self) -> None:
        """Read the annotations of every column and the tag names again."""
        read = self.read_annotations(self.article_ids)
        if read is not None:
            self.app.call_from_thread(self._show_annotations, *read)

    def _show_annotations(self, annotations: list[Annotation], tag_names: list[str]) -> None:
        self.annotations = annotations
        self.tag_names = tag_names
        for column in self.columns:
            article_id = column.article.id
            mine = [a for a in annotations if a.article_id == article_id]
            view = self.query_one(f"#column-{article_id}", ArticleView)
            view.set_layer("annotations", annotation_highlights(mine))

    def on_screen_resume(self) -> None:
        """Annotations may have changed on another screen: read them again."""
        if self.columns:
            self.load_annotations()

    def _target_view(self) -> ArticleView | None:
        if isinstance(self.focused, ArticleView):
            return self.focused
        return next((v for v in self.query(ArticleView) if v.selection is not None), None)

    def annotation_target(self) -> tuple[int, ArticleView] | None:
        """The focused column (or the one holding a selection)."""
        view = self._target_view()
        if view is None or not self.columns or view.id is None:
            return None
        return int(view.id.removeprefix("column-")), view

    def current_annotation(self) -> Annotation | None:
        """The annotation under the cursor of the focused column."""
        target = self.annotation_target()
        if target is None:
            return None
        article_id, view = target
        offset = view.cursor_offset
        if offset is None:
            return None
        return next(
            (
                a
                for a in self.annotations
                if a.article_id == article_id and not a.is_orphaned and a.start <= offset < a.end
            ),
            None,
        )

    def annotations_changed(self, keep: int | None = None) -> None:
        """Read the annotations again."""
        self.load_annotations()

    # -- facts ------------------------------------------------------------------------

    @on(FactSelected)
    def _fact_selected(self, message: FactSelected) -> None:
        self.show_fact(message.fact)

    def show_fact(self, fact: Fact) -> None:
        """Scroll every column to where its article states the fact, and mark it there."""
        in_step, self.in_step = self.in_step, False  # each column goes to its own place
        for column in self.columns:
            view = self.query_one(f"#column-{column.article.id}", ArticleView)
            # A headline's figure has offsets into the title: the column shows the body.
            cells = [c for c in fact.cells_for(column.article.id) if c.field == "body"]
            if cells:
                figure = cells[0].figure
                view.set_layer("current", current_highlight(figure))
                view.scroll_to_offset(figure.start)
            else:
                view.set_layer("current", [])
        self.in_step = in_step
        words = STATUS_WORDS.get(fact.status, fact.status)
        self._set_facts_status(f"{visible(fact.label)}: {words}")

    def _set_facts_status(self, text: str | Text) -> None:
        """The line above the figures table; the articles out of view are said after it."""
        self._facts_text = text
        line = text.copy() if isinstance(text, Text) else Text(text, end="")
        if self._off_screen:
            line.append(
                f" · off-screen: {', '.join(visible(h) for h in self._off_screen)} "
                "(← → in the table)",
                style="bold",
            )
        self.query_one("#facts-status", Static).update(line)

    @on(FiguresTable.OffScreen)
    def _off_screen_changed(self, message: FiguresTable.OffScreen) -> None:
        self._off_screen = message.headings
        self._set_facts_status(self._facts_text)

    def _step_fact(self, step: int) -> None:
        table = self.query_one(FiguresTable)
        if not table.facts:
            self.notify("No figures to compare.", severity="warning")
            return
        row = (table.cursor_row + step) % len(table.facts)
        table.move_cursor(row=row)
        self.show_fact(table.facts[row])

    def action_next_fact(self) -> None:
        """Show the next fact of the table in every column."""
        self._step_fact(1)

    def action_previous_fact(self) -> None:
        """Show the previous fact of the table in every column."""
        self._step_fact(-1)

    def action_focus_table(self) -> None:
        """Move to the figures table."""
        self.query_one(FiguresTable).focus()

    # -- scrolling in step ------------------------------------------------------------

    def action_toggle_in_step(self) -> None:
        """Scroll the columns together (at the same relative place), or each on its own."""
        self.in_step = not self.in_step
        self.sub_title = (
            "columns scroll in step (s: each on its own)"
            if self.in_step
            else "each column scrolls on its own (s: in step)"
        )
        self.notify("Columns scroll in step." if self.in_step else "Columns scroll on their own.")

    def _column_scrolled(self, source: ArticleView, scroll_y: float) -> None:
        if not self.in_step or self._syncing:
            return
        fraction = scroll_y / source.max_scroll_y if source.max_scroll_y else 0.0
        self._syncing = True
        try:
            for view in self.query(ArticleView):
                if view is not source:
                    view.scroll_to(y=round(fraction * view.max_scroll_y), animate=False)
        finally:
            self._syncing = False


def _facts_summary(comparison: Comparison) -> Text:
    counts: dict[str, int] = {}
    for fact in comparison.facts:
        counts[fact.status] = counts.get(fact.status, 0) + 1
    parts = [f"{counts[s]} {STATUS_WORDS[s]}" for s in STATUS_WORDS if counts.get(s)]
    return Text(f"{len(comparison.facts)} facts: " + ", ".join(parts), end="")
