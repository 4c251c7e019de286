"""Reading one article: its figures highlighted by kind, and listed beside the text."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from store.errors import NotFoundError
from store.library import get_article
from store.models import Annotation, Article, Figure
from tui.annotation_actions import AnnotationActions
from tui.article_heading import article_meta, article_title
from tui.data import annotations_and_tag_names, figures_for_article
from tui.highlights import (
    annotation_highlights,
    current_annotation_highlight,
    current_highlight,
    figure_highlights,
)
from tui.library_host import library_database
from tui.messages import AnnotationHighlighted, AnnotationSelected, FigureSelected
from tui.rendering import Highlight
from tui.screens.annotate import AnnotateScreen
from tui.search_terms import term_spans, terms_from_query
from tui.widgets.annotations_panel import AnnotationsPanel
from tui.widgets.article_view import ArticleView
from tui.widgets.figures_panel import FiguresPanel
from tui.widgets.key_bar import KeyBar
from tui.widgets.title_bar import TitleBar


class ReadingScreen(AnnotationActions, Screen[None]):
    """One article, its figures and annotations panels, and the search words that led to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f", "focus_figures", "Figures"),
        Binding("t", "focus_text", "Text"),
        Binding("right_square_bracket", "next_figure", "Next figure"),
        Binding("left_square_bracket", "previous_figure", "Prev figure"),
        Binding("b", "jump_back", "Jump back"),
        Binding("a", "annotate", "Annotate"),
        Binding("n", "next_annotation", "Next note"),
        Binding("N", "previous_annotation", "Prev note"),
        Binding("e", "edit_annotation", "Edit note"),
        Binding("d", "delete_annotation", "Delete note"),
        Binding("l", "focus_annotations", "Notes list"),
        Binding("m", "move_annotation", "Move note here", show=False),
        Binding("u", "undo_delete", "Undo delete", show=False),
    ]
    HELP_SECTION: ClassVar[str] = "Reading"
    HELP_PARTS: ClassVar[tuple[type, ...]] = (ArticleView, AnnotateScreen)

    def __init__(
        self,
        article_id: int,
        query: str = "",
        advanced: bool = False,
        *,
        annotation_id: int | None = None,
    ) -> None:
        super().__init__()
        self.annotations: list[Annotation] = []
        self.tag_names: list[str] = []
        self.jumped_annotation: Annotation | None = None
        self._start_at_annotation = annotation_id
        self.article_id = article_id
        self.search_query = query
        self.advanced = advanced
        self.article: Article | None = None
        self.figures: list[Figure] = []
        self.current_figure: Figure | None = None
        self._return_to: list[float] = []

    def compose(self) -> ComposeResult:
        """Heading, then the text beside the figures panel."""
        yield TitleBar()
        yield Static("Loading…", id="article-title", classes="article-title")
        yield Static("", id="article-meta", classes="article-meta")
        with Horizontal(id="reading-body"):
            yield ArticleView(id="article-text")
            with Vertical(id="reading-side"):
                yield FiguresPanel(self.article_id, id="figures")
                yield AnnotationsPanel(id="annotations")
        yield KeyBar()

    def on_mount(self) -> None:
        """Read the article and its figures off the UI thread."""
        self.query_one(ArticleView).focus()
        self.load_article()

    @work(thread=True, exclusive=True, group="reading", exit_on_error=False)
    def load_article(self) -> None:
        """Fetch the article and its figures."""
        try:
            with library_database(self).use() as db:
                article = get_article(db, self.article_id)
                figures = figures_for_article(db, self.article_id)
                annotations, tag_names = annotations_and_tag_names(db, [self.article_id])
        except NotFoundError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:
            self.app.call_from_thread(self._failed, f"cannot read the article: {exc}")
            return
        self.app.call_from_thread(self._show, article, figures)
        self.app.call_from_thread(self._show_annotations, annotations, tag_names, None)

    def _failed(self, message: str) -> None:
        self.notify(message, severity="error")
        self.query_one("#article-title", Static).update(Text(message))

    def _show(self, article: Article, figures: list[Figure]) -> None:
        self.article = article
        self.figures = figures
        self.sub_title = article.outlet or ""
        self.query_one("#article-title", Static).update(article_title(article))
        self.query_one("#article-meta", Static).update(article_meta(article))
        view = self.query_one(ArticleView)
        view.show_body(article.body)
        view.set_layer("figures", figure_highlights(figures))
        spans = term_spans(article.body, terms_from_query(self.search_query, self.advanced))
        view.set_layer("search", [Highlight(s, e, "article-view--search") for s, e in spans])
        if spans:
            view.scroll_to_offset(spans[0][0])
        self.query_one(FiguresPanel).show_figures(article.id, figures)

    # -- annotations ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="reading-annotations", exit_on_error=False)
    def load_annotations(self, keep: int | None = None) -> None:
        """Read the article's annotations and the tag names again (after a change)."""
        read = self.read_annotations([self.article_id])
        if read is not None:
            self.app.call_from_thread(self._show_annotations, *read, keep)

    def _show_annotations(
        self, annotations: list[Annotation], tag_names: list[str], keep: int | None
    ) -> None:
        self.annotations = annotations
        self.tag_names = tag_names
        self.query_one(ArticleView).set_layer("annotations", annotation_highlights(annotations))
        panel = self.query_one(AnnotationsPanel)
        panel.show_annotations(annotations, keep=keep)
        if self._start_at_annotation is not None:
            keep, self._start_at_annotation = self._start_at_annotation, None
            panel.select_annotation(keep)
            self.jumped_annotation = None
        if keep is not None:
            chosen = next((a for a in annotations if a.id == keep), None)
            if chosen is not None:
                self.show_annotation(chosen)
                return
        if self.jumped_annotation is not None:
            self.jumped_annotation = None
            self.query_one(ArticleView).set_layer("annotation-current", [])

    def on_screen_resume(self) -> None:
        """Tags may have been renamed or merged elsewhere: read the annotations again."""
        if self.article is not None:
            current = self.jumped_annotation.id if self.jumped_annotation else None
            self.load_annotations(current)

    def annotation_target(self) -> tuple[int, ArticleView] | None:
        """The article being read, once loaded."""
        if self.article is None:
            return None
        return self.article_id, self.query_one(ArticleView)

    def current_annotation(self) -> Annotation | None:
        """The annotation under the cursor of the annotations list."""
        return self.query_one(AnnotationsPanel).current

    def annotations_changed(self, keep: int | None = None) -> None:
        """Read the annotations again, keeping `keep` chosen."""
        self.load_annotations(keep)

    def show_annotation(self, annotation: Annotation) -> None:
        """Mark an annotation as current and scroll the text to it (orphaned: no place)."""
        self.jumped_annotation = annotation
        view = self.query_one(ArticleView)
        view.set_layer("annotation-current", current_annotation_highlight(annotation))
        if annotation.is_orphaned:
            self.notify(
                "This passage is no longer in the text (orphaned): its note is kept.",
                severity="warning",
            )
            return
        if not view.offset_visible(annotation.start):
            view.scroll_to_offset(annotation.start)

    @on(AnnotationSelected)
    @on(AnnotationHighlighted)
    def _annotation_chosen(self, message: AnnotationSelected | AnnotationHighlighted) -> None:
        self.show_annotation(message.annotation)

    def _step_annotation(self, step: int) -> None:
        placed = [a for a in self.annotations if not a.is_orphaned]
        if not placed:
            self.notify("No annotations in this text yet.", severity="warning")
            return
        if self.jumped_annotation in placed:
            index = (placed.index(self.jumped_annotation) + step) % len(placed)
        else:
            view = self.query_one(ArticleView)
            top = view.lines[min(int(view.scroll_offset.y), len(view.lines) - 1)].start
            after = [i for i, a in enumerate(placed) if a.end > top]
            index = (after[0] if after else 0) if step > 0 else (after[0] - 1 if after else -1)
            index %= len(placed)
        annotation = placed[index]
        self.query_one(AnnotationsPanel).select_annotation(annotation.id)
        self.show_annotation(annotation)

    def action_next_annotation(self) -> None:
        """Jump to the next annotated passage."""
        self._step_annotation(1)

    def action_previous_annotation(self) -> None:
        """Jump to the previous annotated passage."""
        self._step_annotation(-1)

    def action_focus_annotations(self) -> None:
        """Move to the annotations list."""
        self.query_one(AnnotationsPanel).focus()

    # -- figures ----------------------------------------------------------------------

    @on(FigureSelected)
    def _figure_selected(self, message: FigureSelected) -> None:
        self.show_figure(message.figure)

    def show_figure(self, figure: Figure) -> None:
        """Mark a figure as current and scroll the text to it (remembering where we were)."""
        view = self.query_one(ArticleView)
        if self.current_figure is None or not self._return_to:
            self._return_to.append(view.scroll_offset.y)
        self.current_figure = figure
        view.set_layer("current", current_highlight(figure))
        view.scroll_to_offset(figure.start)

    def _step_figure(self, step: int) -> None:
        if not self.figures:
            self.notify("This article has no key figures.", severity="warning")
            return
        if self.current_figure in self.figures:
            index = (self.figures.index(self.current_figure) + step) % len(self.figures)
        else:
            index = 0 if step > 0 else len(self.figures) - 1
        figure = self.figures[index]
        self.query_one(FiguresPanel).select_figure(figure)
        self.show_figure(figure)

    def action_next_figure(self) -> None:
        """Show the next figure of the text."""
        self._step_figure(1)

    def action_previous_figure(self) -> None:
        """Show the previous figure of the text."""
        self._step_figure(-1)

    def action_jump_back(self) -> None:
        """Scroll back to where the text was before jumping to figures."""
        view = self.query_one(ArticleView)
        view.set_layer("current", [])
        self.current_figure = None
        if self._return_to:
            view.scroll_to(y=self._return_to.pop(), animate=False)
        view.focus()

    def action_focus_figures(self) -> None:
        """Move to the figures panel."""
        self.query_one(FiguresPanel).focus()

    def action_focus_text(self) -> None:
        """Move to the article text."""
        self.query_one(ArticleView).focus()
