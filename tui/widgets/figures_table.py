"""The cross-source figures table: one row per fact, one column per article.

Agreement is shown by a word (agree, compatible, conflict, revised, single source) and by
colour, never by colour alone.
"""

from __future__ import annotations

from collections import Counter
from typing import ClassVar

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from store.compare import STATUS_WORDS as COMPARE_STATUS_WORDS
from store.models import ArticleSummary, Comparison, Fact
from tui.messages import FactSelected
from tui.rendering import visible

STATUS_WORDS = COMPARE_STATUS_WORDS


class FiguresTable(DataTable[Text]):
    """Facts of a comparison; moving to a row shows it in every column."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "figures-table--agree",
        "figures-table--compatible",
        "figures-table--conflict",
        "figures-table--revised",
        "figures-table--single-source",
        "figures-table--missing",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False)
        self.facts: list[Fact] = []
        self._told_off_screen: list[str] = []

    def show_comparison(self, comparison: Comparison, articles: list[ArticleSummary]) -> None:
        """Fill the table: fact, status, then what each article states."""
        self.clear(columns=True)
        self.facts = list(comparison.facts)
        self.add_column("Fact", key="fact")
        self.add_column("Status", key="status")
        for article in articles:
            label = article.outlet or _short(article.title)
            self.add_column(Text(visible(label), end=""), key=f"a{article.id}")
        for index, fact in enumerate(self.facts):
            cells = [Text(visible(fact.label), end=""), self._status(fact.status)]
            for article in articles:
                cells.append(self._cell(fact, article.id))
            self.add_row(*cells, key=str(index))
        self.call_after_refresh(self._tell_off_screen)

    def _status(self, status: str) -> Text:
        word = STATUS_WORDS.get(status, status)
        return Text(word, style=self.get_component_rich_style(f"figures-table--{status}"), end="")

    def _cell(self, fact: Fact, article_id: int) -> Text:
        surfaces = [
            visible(cell.figure.surface + (f" (selon {cell.source})" if cell.source else ""))
            for cell in fact.cells_for(article_id)
        ]
        if not surfaces:
            return Text("—", style=self.get_component_rich_style("figures-table--missing"), end="")
        return Text(distinct_values(surfaces), end="")

    class OffScreen(Message):
        """Which article columns are out of view now (their headings; empty: none)."""

        def __init__(self, headings: list[str]) -> None:
            super().__init__()
            self.headings = headings

    def on_mount(self) -> None:
        """Say which articles are off-screen whenever the table scrolls sideways."""
        self.watch(self, "scroll_x", lambda: self.call_after_refresh(self._tell_off_screen))

    def on_resize(self) -> None:
        """A narrower table may hide articles: say which."""
        self.call_after_refresh(self._tell_off_screen)

    def articles_off_screen(self) -> list[str]:
        """The headings of the article columns not wholly in view."""
        left = self.scroll_x
        right = left + self.scrollable_content_region.width
        hidden: list[str] = []
        x = 0
        for key, column in self.columns.items():
            width = column.get_render_width(self)
            if str(key.value).startswith("a") and (x < left or x + width > right):
                hidden.append(column.label.plain)
            x += width
        return hidden

    def _tell_off_screen(self) -> None:
        hidden = self.articles_off_screen()
        if hidden != self._told_off_screen:
            self._told_off_screen = hidden
            self.post_message(self.OffScreen(hidden))

    @property
    def current_fact(self) -> Fact | None:
        """The fact under the cursor."""
        if not self.facts or not 0 <= self.cursor_row < len(self.facts):
            return None
        return self.facts[self.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """Moving the cursor over a fact shows it in the columns (when the table has focus)."""
        event.stop()
        if self.has_focus and (fact := self.current_fact) is not None:
            self.post_message(FactSelected(fact))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter or click on a fact shows it in the columns."""
        event.stop()
        if (fact := self.current_fact) is not None:
            self.post_message(FactSelected(fact))


def distinct_values(surfaces: list[str]) -> str:
    """Each value an article gives once, in order, with how often it repeats it.

    `751 millions d'euros ×3 / 600 M€`: a figure an article repeats is one value,
    not three cells' worth of the same words.
    """
    counts = Counter(surfaces)
    return " / ".join(
        surface if counts[surface] == 1 else f"{surface} ×{counts[surface]}"
        for surface in dict.fromkeys(surfaces)
    )


def _short(title: str, width: int = 18) -> str:
    """A column heading for an article without an outlet: the start of its title."""
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"
