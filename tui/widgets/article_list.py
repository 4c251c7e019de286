"""The library list: one line per article, drawn from pages fetched on demand.

A `DataTable` of 100k rows takes seconds to build; this list is a `ScrollView`
using the Line API (as toolong does): it knows only the number of rows and asks
its `RowSource` for the page of rows it is about to draw, in a worker thread,
keeping a few pages in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.models import ArticleSummary
from tui.messages import MarkToggled, OpenArticle, RowsShown, SortRequested
from tui.rendering import visible

PAGE_SIZE = 100
MAX_PAGES = 12
HEADER_LINES = 1
OUTLET_WIDTH = 16
DATE_WIDTH = 10
COUNT_WIDTH = 4
EMPTY_LIBRARY = "  The library is empty: add articles with  recoupe import FOLDER"


class RowSource(Protocol):
    """Where the list gets its rows: the screen provides one backed by the store."""

    def fetch(self, offset: int, limit: int) -> list[ArticleSummary]:
        """Rows `offset` to `offset + limit` in display order (called from a worker thread)."""
        ...


SORT_LABELS = {
    "title": "Title",
    "outlet": "Outlet",
    "published": "Date",
    "figures": "Fig",
    "annotations": "Ann",
}


class ArticleList(ScrollView, can_focus=True):
    """A virtual list of article summaries with a cursor and marks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,g", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "open", "Open"),
        Binding("space", "mark", "Mark"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--header",
        "article-list--cursor",
        "article-list--marked",
        "article-list--pending",
        "article-list--meta",
    }

    cursor = reactive(0, init=False, always_update=True)
    """Index of the row under the cursor."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._source: RowSource | None = None
        self._total = 0
        self._pages: OrderedDict[int, list[ArticleSummary]] = OrderedDict()
        self._pending: set[int] = set()
        self._generation = 0
        self._marked: frozenset[int] = frozenset()
        self._sort = "title"
        self._descending = False
        self._announced = False

    # -- data -------------------------------------------------------------------------

    def set_source(
        self,
        source: RowSource,
        total: int,
        first_page: list[ArticleSummary] | None = None,
        *,
        sort: str = "title",
        descending: bool = False,
    ) -> None:
        """Show `total` rows from `source`, forgetting the rows fetched before."""
        self._source = source
        self._total = total
        self._generation += 1
        self._pages.clear()
        self._pending.clear()
        self._sort = sort
        self._descending = descending
        self._announced = False
        if first_page is not None:
            self._pages[0] = first_page
        self.virtual_size = Size(self.size.width, total + HEADER_LINES)
        self.cursor = min(self.cursor, max(total - 1, 0))
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def refresh_rows(self) -> None:
        """Read the loaded rows again (their counts may have changed), keeping order and cursor."""
        if self._source is None:
            return
        for page in list(self._pages):
            if page not in self._pending:
                self._pending.add(page)
                self._fetch_page(self._source, page, self._generation)

    @property
    def total(self) -> int:
        """How many rows the list shows."""
        return self._total

    def set_marked(self, marked: frozenset[int]) -> None:
        """Show these article ids as marked."""
        self._marked = marked
        self.refresh()

    def row(self, index: int) -> ArticleSummary | None:
        """The summary at `index` if its page is loaded (None otherwise)."""
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        position = index % PAGE_SIZE
        return page[position] if position < len(page) else None

    @property
    def current(self) -> ArticleSummary | None:
        """The article under the cursor, if loaded."""
        return self.row(self.cursor) if self._total else None

    def _want_page(self, page: int) -> None:
        if page in self._pages or page in self._pending or self._source is None:
            return
        self._pending.add(page)
        self._fetch_page(self._source, page, self._generation)

    @work(thread=True, group="article-list-pages", exit_on_error=False)
    def _fetch_page(self, source: RowSource, page: int, generation: int) -> None:
        try:
            rows = source.fetch(page * PAGE_SIZE, PAGE_SIZE)
        except Exception as exc:  # a failed page must not kill the app
            self.app.call_from_thread(self._page_failed, page, generation, exc)
            return
        self.app.call_from_thread(self._page_arrived, page, generation, rows)

    def _page_arrived(self, page: int, generation: int, rows: list[ArticleSummary]) -> None:
        if generation != self._generation:
            return  # rows of an earlier sort or filter
        self._pending.discard(page)
        self._pages[page] = rows
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        self.refresh()

    def _page_failed(self, page: int, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self._pending.discard(page)
            self.notify(f"cannot read the library: {error}", severity="error")

    # -- drawing ----------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        """Keep the virtual width equal to the widget (the list never scrolls sideways)."""
        self.virtual_size = Size(event.size.width, self._total + HEADER_LINES)

    def render_line(self, y: int) -> Strip:
        """Draw the header (line 0) or the row shown at screen line `y`."""
        width = self.scrollable_content_region.width
        if y < HEADER_LINES:
            return self._render_header(width)
        index = int(self.scroll_offset.y) + y - HEADER_LINES
        if index == 0 and self._total == 0 and self._source is not None:
            style = self.get_component_rich_style("article-list--pending")
            return Strip([Segment(EMPTY_LIBRARY.ljust(width)[:width], style)], width)
        if index >= self._total:
            return Strip.blank(width, self.rich_style)
        summary = self.row(index)
        if summary is None:
            self._want_page(index // PAGE_SIZE)
            style = self.get_component_rich_style("article-list--pending")
            return Strip([Segment("  …".ljust(width), style)], width)
        if not self._announced:
            self._announced = True
            # Drawing may run in the app's context: post from the list's own, so it bubbles.
            self.call_later(self._announce_rows)
        return self._render_row(index, summary, width)

    def _announce_rows(self) -> None:
        self.post_message(RowsShown(self._total))

    def _title_width(self, width: int) -> int:
        return max(width - 2 - OUTLET_WIDTH - DATE_WIDTH - 2 * COUNT_WIDTH - 4, 8)

    def _render_header(self, width: int) -> Strip:
        style = self.get_component_rich_style("article-list--header")
        labels = {key: label for key, label in SORT_LABELS.items()}
        arrow = " ▼" if self._descending else " ▲"
        if self._sort in labels:
            labels[self._sort] += arrow
        title_width = self._title_width(width)
        line = (
            "  "
            + labels["title"].ljust(title_width)[:title_width]
            + " "
            + labels["outlet"].ljust(OUTLET_WIDTH)[:OUTLET_WIDTH]
            + " "
            + labels["published"].ljust(DATE_WIDTH)[:DATE_WIDTH]
            + " "
            + labels["figures"].rjust(COUNT_WIDTH)[-COUNT_WIDTH:]
            + " "
            + labels["annotations"].rjust(COUNT_WIDTH)[-COUNT_WIDTH:]
        )
        return Strip([Segment(line.ljust(width)[:width], style)], width)

    def _render_row(self, index: int, summary: ArticleSummary, width: int) -> Strip:
        title_width = self._title_width(width)
        marked = summary.id in self._marked
        meta = self.get_component_rich_style("article-list--meta")
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append("● " if marked else "  ")
        text.append_text(_cell(summary.title, title_width))
        text.append(" ")
        text.append_text(_cell(summary.outlet or "—", OUTLET_WIDTH, meta))
        text.append(" ")
        text.append_text(_cell((summary.published or "—")[:DATE_WIDTH], DATE_WIDTH, meta))
        text.append(" ")
        text.append(str(summary.figure_count).rjust(COUNT_WIDTH), meta)
        text.append(" ")
        text.append(str(summary.annotation_count).rjust(COUNT_WIDTH), meta)
        base = self.rich_style
        if marked:
            base += self.get_component_rich_style("article-list--marked")
        if index == self.cursor:
            base += self.get_component_rich_style("article-list--cursor")
        text.stylize_before(base)
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, base)

    # -- cursor and actions -----------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        """Keep the cursor row in view."""
        top = int(self.scroll_offset.y)
        rows = max(self.scrollable_content_region.height - HEADER_LINES, 1)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + rows:
            self.scroll_to(y=new - rows + 1, animate=False)
        self.refresh()

    def _move(self, delta: int) -> None:
        if self._total:
            self.cursor = max(0, min(self._total - 1, self.cursor + delta))

    def _page_rows(self) -> int:
        return max(self.scrollable_content_region.height - HEADER_LINES - 1, 1)

    def action_cursor_up(self) -> None:
        """Move the cursor up one row."""
        self._move(-1)

    def action_cursor_down(self) -> None:
        """Move the cursor down one row."""
        self._move(1)

    def action_page_up(self) -> None:
        """Move the cursor up one screen."""
        self._move(-self._page_rows())

    def action_page_down(self) -> None:
        """Move the cursor down one screen."""
        self._move(self._page_rows())

    def action_first(self) -> None:
        """Move the cursor to the first row."""
        self._move(-self._total)

    def action_last(self) -> None:
        """Move the cursor to the last row."""
        self._move(self._total)

    def action_open(self) -> None:
        """Open the article under the cursor."""
        if (summary := self.current) is not None:
            self.post_message(OpenArticle(summary.id))

    def action_mark(self) -> None:
        """Mark or unmark the article under the cursor for comparison."""
        if (summary := self.current) is not None:
            # Straight to the screen, so that a `c` typed right after sees this mark.
            self.screen.post_message(MarkToggled(summary.id))

    def column_at(self, x: int) -> str | None:
        """The sort key of the column under screen column `x` of the heading."""
        title_end = 2 + self._title_width(self.scrollable_content_region.width)
        edges = [
            (title_end, "title"),
            (title_end + 1 + OUTLET_WIDTH, "outlet"),
            (title_end + 2 + OUTLET_WIDTH + DATE_WIDTH, "published"),
            (title_end + 3 + OUTLET_WIDTH + DATE_WIDTH + COUNT_WIDTH, "figures"),
            (title_end + 4 + OUTLET_WIDTH + DATE_WIDTH + 2 * COUNT_WIDTH, "annotations"),
        ]
        return next((key for edge, key in edges if x < edge), None)

    def on_click(self, event: events.Click) -> None:
        """Click puts the cursor on a row (a double click opens it), or sorts by a heading."""
        if event.y < HEADER_LINES:
            if (key := self.column_at(event.x)) is not None:
                self.post_message(SortRequested(key))
            return
        index = int(self.scroll_offset.y) + event.y - HEADER_LINES
        if 0 <= index < self._total:
            self.cursor = index
            if event.chain >= 2:
                self.action_open()


def _cell(value: str, width: int, style: Style | str = "") -> Text:
    """A column cell: the value shown literally, cut with an ellipsis or padded to `width`."""
    text = Text(visible(value), style=style, no_wrap=True, end="")
    text.truncate(width, overflow="ellipsis", pad=True)
    return text
