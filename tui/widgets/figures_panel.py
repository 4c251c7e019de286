"""The key figures of one article, listed in text order; choosing one shows it in the text."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.figures import format_figure_value
from store.models import FIGURE_KINDS, Figure
from tui.messages import FigureSelected
from tui.rendering import visible


def figure_label(figure: Figure) -> str:
    """The normalised reading of a figure: qualifier, value (or range), unit or currency."""
    return format_figure_value(figure, with_unit=True)


class FiguresPanel(OptionList):
    """A list of an article's figures: the words as written, the kind, the value read."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"figures-panel--{kind}" for kind in FIGURE_KINDS),
        "figures-panel--meta",
    }

    def __init__(
        self, article_id: int = 0, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.article_id = article_id
        self.figures: list[Figure] = []

    def show_figures(self, article_id: int, figures: list[Figure]) -> None:
        """List these figures of article `article_id`."""
        self.article_id = article_id
        self.figures = figures
        self.clear_options()
        if not figures:
            self.add_option(Option(Text("No key figures found.", end=""), disabled=True))
            return
        self.add_options([Option(self._prompt(figure)) for figure in figures])

    def _prompt(self, figure: Figure) -> Text:
        kind = figure.kind if figure.kind in FIGURE_KINDS else "other"
        text = Text(end="")
        text.append(
            visible(figure.surface), self.get_component_rich_style(f"figures-panel--{kind}")
        )
        text.append(
            f"\n  {kind} · {visible(figure_label(figure))}",
            self.get_component_rich_style("figures-panel--meta"),
        )
        return text

    def select_figure(self, figure: Figure) -> None:
        """Move the cursor to this figure (without posting FigureSelected)."""
        if figure in self.figures:
            self.highlighted = self.figures.index(figure)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or click: show the figure in the text."""
        event.stop()
        if self.figures:
            self.post_message(FigureSelected(self.article_id, self.figures[event.option_index]))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving through the list while it has focus follows the figures in the text."""
        event.stop()
        if self.has_focus and self.figures:
            self.post_message(FigureSelected(self.article_id, self.figures[event.option_index]))
