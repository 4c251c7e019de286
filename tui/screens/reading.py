"""Reading one article: its figures highlighted by kind, and listed beside the text."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from store.articles import get_article
from store.errors import NotFoundError
from store.models import Article, Figure
from tui.data import figures_for_article
from tui.messages import FigureSelected
from tui.rendering import Highlight, visible
from tui.search_terms import term_spans, terms_from_query
from tui.widgets.article_view import ArticleView, figure_component
from tui.widgets.figures_panel import FiguresPanel

if TYPE_CHECKING:
    from tui.app import RecoupeApp


def article_title(article: Article) -> Text:
    """The title of an article, shown literally."""
    return Text(visible(article.title), end="")


def article_meta(article: Article) -> Text:
    """Outlet and date of an article, shown literally."""
    meta = " · ".join(part for part in (article.outlet, article.published) if part)
    return Text(visible(meta or "unknown outlet"), end="")


def figure_highlights(figures: list[Figure]) -> list[Highlight]:
    """One highlight per figure, coloured by its kind."""
    return [Highlight(f.start, f.end, figure_component(f.kind)) for f in figures]


def current_highlight(figure: Figure) -> list[Highlight]:
    """The highlight that marks the figure being looked at."""
    return [Highlight(figure.start, figure.end, "article-view--current")]


class ReadingScreen(Screen[None]):
    """One article, its figures panel, and the search words that led to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f", "focus_figures", "Figures"),
        Binding("t", "focus_text", "Text"),
        Binding("right_square_bracket", "next_figure", "Next figure"),
        Binding("left_square_bracket", "previous_figure", "Prev figure"),
        Binding("b", "jump_back", "Jump back"),
    ]

    def __init__(self, article_id: int, query: str = "", advanced: bool = False) -> None:
        super().__init__()
        self.article_id = article_id
        self.search_query = query
        self.advanced = advanced
        self.article: Article | None = None
        self.figures: list[Figure] = []
        self.current_figure: Figure | None = None
        self._return_to: list[float] = []

    def compose(self) -> ComposeResult:
        """Heading, then the text beside the figures panel."""
        yield Header()
        yield Static("Loading…", id="article-title", classes="article-title")
        yield Static("", id="article-meta", classes="article-meta")
        with Horizontal(id="reading-body"):
            yield ArticleView(id="article-text")
            yield FiguresPanel(self.article_id, id="figures")
        yield Footer()

    def on_mount(self) -> None:
        """Read the article and its figures off the UI thread."""
        self.query_one(ArticleView).focus()
        self.load_article()

    @work(thread=True, exclusive=True, group="reading", exit_on_error=False)
    def load_article(self) -> None:
        """Fetch the article and its figures."""
        app = cast("RecoupeApp", self.app)
        try:
            with app.database.use() as db:
                article = get_article(db, self.article_id)
                figures = figures_for_article(db, self.article_id)
        except NotFoundError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:
            self.app.call_from_thread(self._failed, f"cannot read the article: {exc}")
            return
        self.app.call_from_thread(self._show, article, figures)

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
