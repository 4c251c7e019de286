"""An article body, wrapped to the widget's width, with layers of highlighted spans.

The body is kept as one string; wrapping produces character offsets for every
screen line, so that anything anchored by offsets (figures, search words, and
later annotations, a cursor or a selection) maps to a line at any width. Each
highlight layer is a list of `Highlight(start, end, component)`; layers are drawn
in the order of `LAYER_ORDER`, a later layer's style winning over an earlier one.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.rendering import Highlight, WrappedLine, line_index_of, visible, wrap_offsets

FIGURE_KINDS = (
    "count",
    "money",
    "percent",
    "date",
    "year",
    "ordinal",
    "range",
    "duration",
    "other",
)

LAYER_ORDER = ("figures", "search", "annotations", "current", "selection")
"""Drawing order of the known layers; unknown layers are drawn after these."""


def figure_component(kind: str) -> str:
    """The component class that colours a figure of this kind."""
    return f"article-view--figure-{kind if kind in FIGURE_KINDS else 'other'}"


class ArticleView(ScrollView, can_focus=True):
    """A scrolling article body with highlight layers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", "Scroll up", show=False),
        Binding("down,j", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home,g", "scroll_home", "Top", show=False),
        Binding("end,G", "scroll_end", "Bottom", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(figure_component(kind) for kind in FIGURE_KINDS),
        "article-view--search",
        "article-view--annotation",
        "article-view--current",
        "article-view--selection",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.body = ""
        self._display = ""
        self._lines: list[WrappedLine] = []
        self._wrap_width = 0
        self._layers: dict[str, list[Highlight]] = {}
        self._cache: dict[int, Strip] = {}

    # -- content ----------------------------------------------------------------------

    def show_body(self, body: str) -> None:
        """Show this body (highlight layers are kept: set them again for a new article)."""
        self.body = body
        self._display = visible(body)
        self._wrap_width = 0
        self._rewrap()
        self.scroll_to(0, 0, animate=False)

    def set_layer(self, name: str, highlights: list[Highlight]) -> None:
        """Replace the highlights of one layer (empty list to clear it)."""
        self._layers[name] = sorted(highlights, key=lambda h: (h.start, h.end))
        self._cache.clear()
        self.refresh()

    def highlights(self, name: str) -> list[Highlight]:
        """The highlights of one layer."""
        return list(self._layers.get(name, ()))

    @property
    def lines(self) -> list[WrappedLine]:
        """The wrapped lines, as offsets into the body."""
        return list(self._lines)

    def line_text(self, index: int) -> str:
        """The text of wrapped line `index`, as shown."""
        line = self._lines[index]
        return self._display[line.start : line.end]

    def line_of_offset(self, offset: int) -> int:
        """The wrapped line that holds character `offset` of the body."""
        return line_index_of(self._lines, offset)

    def scroll_to_offset(self, offset: int, *, animate: bool = False) -> None:
        """Scroll so that character `offset` is on screen, a third of the way down."""
        line = self.line_of_offset(offset)
        height = self.scrollable_content_region.height
        self.scroll_to(y=max(line - height // 3, 0), animate=animate)

    def offset_visible(self, offset: int) -> bool:
        """Whether character `offset` is on a line currently on screen."""
        line = self.line_of_offset(offset)
        top = int(self.scroll_offset.y)
        return top <= line < top + self.scrollable_content_region.height

    # -- layout -----------------------------------------------------------------------

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width or self.size.width or 80
        if width == self._wrap_width and self._lines:
            return
        self._wrap_width = width
        self._lines = wrap_offsets(self._display, width - 1)
        self._cache.clear()
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        """Wrap again for the new width, keeping the top line's text on screen."""
        if not self._lines:
            self._rewrap()
            return
        top = self._lines[min(int(self.scroll_offset.y), len(self._lines) - 1)].start
        self._rewrap()
        self.scroll_to(y=self.line_of_offset(top), animate=False)

    # -- drawing ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw wrapped line `scroll_y + y` with its highlights."""
        width = self.scrollable_content_region.width
        index = int(self.scroll_offset.y) + y
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._render_wrapped(index)
            self._cache[index] = strip
        return strip.crop_extend(0, width, self.rich_style)

    def _render_wrapped(self, index: int) -> Strip:
        line = self._lines[index]
        text = Text(self._display[line.start : line.end], style=self.rich_style, end="")
        for name in self._layer_names():
            for highlight in self._layers[name]:
                if highlight.end <= line.start:
                    continue
                if highlight.start >= line.end:
                    break
                text.stylize(
                    self.get_component_rich_style(highlight.component),
                    max(highlight.start, line.start) - line.start,
                    min(highlight.end, line.end) - line.start,
                )
        return Strip(text.render(self.app.console))

    def _layer_names(self) -> list[str]:
        known = [name for name in LAYER_ORDER if name in self._layers]
        return known + [name for name in self._layers if name not in LAYER_ORDER]

    def notify_style_update(self) -> None:
        """Redraw with the new theme's colours."""
        self._cache.clear()
        super().notify_style_update()
