"""An article body, wrapped to the widget's width, with layers of highlighted spans.

The body is kept as one string; wrapping produces character offsets for every
screen line, so that anything anchored by offsets (figures, search words, and
later annotations, a cursor or a selection) maps to a line at any width. Each
highlight layer is a list of `Highlight(start, end, component)`; layers are drawn
in the order of `LAYER_ORDER`, a later layer's style winning over an earlier one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.models import FIGURE_KINDS
from tui.rendering import Highlight, WrappedLine, line_index_of, visible, wrap_offsets
from tui.selection import Span, TextUnits

LAYER_ORDER = (
    "figures",
    "search",
    "annotations",
    "annotation-current",
    "current",
    "selection",
    "cursor",
)
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
        Binding("right,w", "cursor_next_word", "Next word", show=False),
        Binding("left", "cursor_previous_word", "Previous word", show=False),
        Binding("right_parenthesis", "cursor_next_sentence", "Next sentence", show=False),
        Binding("left_parenthesis", "cursor_previous_sentence", "Prev sentence", show=False),
        Binding("shift+right", "select_next_word", "Extend by word", show=False),
        Binding("shift+left", "select_previous_word", "Shrink by word", show=False),
        Binding("shift+down", "select_next_sentence", "Extend by sentence", show=False),
        Binding("shift+up", "select_previous_sentence", "Shrink by sentence", show=False),
        Binding("escape", "clear_selection", "Clear selection"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(figure_component(kind) for kind in FIGURE_KINDS),
        "article-view--search",
        "article-view--annotation",
        "article-view--current",
        "article-view--selection",
        "article-view--cursor",
        "article-view--current-annotation",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.body = ""
        self._display = ""
        self._lines: list[WrappedLine] = []
        self._wrap_width = 0
        self._layers: dict[str, list[Highlight]] = {}
        self._cache: dict[int, Strip] = {}
        self._units: TextUnits | None = None
        self.cursor_word = 0
        self.anchor_word: int | None = None
        self.cursor_shown = False
        self._dragging = False
        self._had_selection = False
        self._told_selection: Span | None = None

    # -- content ----------------------------------------------------------------------

    def show_body(self, body: str) -> None:
        """Show this body (highlight layers are kept: set them again for a new article)."""
        self.body = body
        self._display = visible(body)
        self._wrap_width = 0
        self._units = None
        self.cursor_word, self.anchor_word, self.cursor_shown = 0, None, False
        self._draw_cursor()
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

    # -- cursor and selection (by words and sentences, see tui.selection) --------------

    @property
    def units(self) -> TextUnits:
        """The words and sentences of the body (found the first time they are needed)."""
        if self._units is None:
            self._units = TextUnits(self.body)
        return self._units

    @property
    def selection(self) -> Span | None:
        """The selected characters of the body, or None when nothing is selected."""
        if self.anchor_word is None or not self.units.words:
            return None
        return self.units.span(self.anchor_word, self.cursor_word)

    @property
    def cursor_offset(self) -> int | None:
        """Where the cursor's word starts in the body, or None while the cursor is hidden."""
        if not self.cursor_shown or not self.units.words:
            return None
        return self.units.words[self.cursor_word].start

    def select_span(self, start: int, end: int) -> None:
        """Select the words touching characters start to end (the cursor on the last one)."""
        if not self.units.words:
            return
        self.anchor_word, self.cursor_word = self.units.words_of(start, end)
        self.cursor_shown = True
        self._draw_cursor()

    def action_clear_selection(self) -> None:
        """Drop the selection (the cursor stays)."""
        self.anchor_word = None
        self._draw_cursor()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape clears a selection when there is one, else goes on to the screen."""
        if action == "clear_selection":
            return self.anchor_word is not None
        return True

    def action_cursor_next_word(self) -> None:
        """Move the cursor to the next word."""
        self._move(self.units.next_word, extend=False)

    def action_cursor_previous_word(self) -> None:
        """Move the cursor to the previous word."""
        self._move(self.units.previous_word, extend=False)

    def action_cursor_next_sentence(self) -> None:
        """Move the cursor to the next sentence."""
        self._move(self.units.next_sentence, extend=False)

    def action_cursor_previous_sentence(self) -> None:
        """Move the cursor to the start of the sentence (or of the one before)."""
        self._move(self.units.previous_sentence, extend=False)

    def action_select_next_word(self) -> None:
        """Extend the selection by a word (shrink it when it grew backwards)."""
        self._move(self.units.next_word, extend=True)

    def action_select_previous_word(self) -> None:
        """Shrink the selection by a word (extend it backwards past its start)."""
        self._move(self.units.previous_word, extend=True)

    def action_select_next_sentence(self) -> None:
        """Extend the selection to the end of the sentence, then sentence by sentence."""
        self._move(lambda i: self.units.extend_by_sentence(i, self._anchor()), extend=True)

    def action_select_previous_sentence(self) -> None:
        """Shrink the selection by a sentence (extend it backwards past its start)."""
        self._move(lambda i: self.units.shrink_by_sentence(i, self._anchor()), extend=True)

    def _anchor(self) -> int:
        return self.cursor_word if self.anchor_word is None else self.anchor_word

    def _move(self, step: Callable[[int], int], *, extend: bool) -> None:
        """Apply a move; a hidden or scrolled-away cursor first appears on the top line."""
        if not self.units.words:
            return
        top_line = self._lines[min(int(self.scroll_offset.y), len(self._lines) - 1)]
        top_word = self.units.word_at(top_line.start)
        if self.anchor_word is None and not self._cursor_on_screen():
            self.cursor_word = top_word
            if not self.cursor_shown or not extend:
                self.cursor_shown = True
                if extend:
                    self.anchor_word = self.cursor_word
                self._draw_cursor()
                return
        self.cursor_shown = True
        if extend and self.anchor_word is None:
            self.anchor_word = self.cursor_word
        elif not extend:
            self.anchor_word = None
        self.cursor_word = step(self.cursor_word)
        self._draw_cursor()
        self._keep_visible(self.units.words[self.cursor_word].start)

    def _cursor_on_screen(self) -> bool:
        return self.cursor_shown and self.offset_visible(self.units.words[self.cursor_word].start)

    def _keep_visible(self, offset: int) -> None:
        line = self.line_of_offset(offset)
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        if line < top:
            self.scroll_to(y=line, animate=False)
        elif height and line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False)

    class SelectionChanged(Message):
        """The selection changed (None: there is none any more)."""

        def __init__(self, selection: Span | None) -> None:
            super().__init__()
            self.selection = selection

    def _draw_cursor(self) -> None:
        selection = self.selection
        if (selection is not None) != self._had_selection:
            self._had_selection = selection is not None
            self.refresh_bindings()  # escape now clears the selection, or goes back
        if selection != self._told_selection:
            self._told_selection = selection
            self.post_message(self.SelectionChanged(selection))
        self.set_layer(
            "selection",
            []
            if selection is None
            else [Highlight(selection.start, selection.end, "article-view--selection")],
        )
        cursor: list[Highlight] = []
        if self.cursor_shown and self._units is not None and self._units.words:
            word = self._units.words[self.cursor_word]
            cursor = [Highlight(word.start, word.end, "article-view--cursor")]
        self.set_layer("cursor", cursor)

    # -- mouse: press and drag to select ------------------------------------------------

    def _offset_at(self, x: int, y: int) -> int | None:
        """The body offset under content cell (x, y), or None past the text."""
        if not self._lines:
            return None
        index = min(max(int(self.scroll_offset.y) + y, 0), len(self._lines) - 1)
        line = self._lines[index]
        used = 0
        for position in range(line.start, line.end):
            used += cell_len(self._display[position])
            if used > x:
                return position
        return max(line.end - 1, line.start)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Start a selection at the word under the mouse (shift+click extends the selection)."""
        offset = event.get_content_offset(self)
        if offset is None or not self.units.words:
            return
        position = self._offset_at(offset.x, offset.y)
        if position is None:
            return
        self._dragging = True
        self.capture_mouse()
        word = self.units.word_at(position)
        if event.shift and self.anchor_word is not None:
            self.cursor_word = word
        else:
            self.cursor_word = self.anchor_word = word
        self.cursor_shown = True
        self._draw_cursor()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Dragging extends the selection to the word under the mouse."""
        if not self._dragging:
            return
        offset = event.get_content_offset_capture(self)
        position = self._offset_at(offset.x, offset.y)
        if position is None:
            return
        word = self.units.word_at(position)
        if word != self.cursor_word:
            self.cursor_word = word
            self._draw_cursor()
            self._keep_visible(self.units.words[word].start)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """End the drag."""
        if self._dragging:
            self._dragging = False
            self.release_mouse()

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
