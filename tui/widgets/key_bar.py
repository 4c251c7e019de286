"""The footer of the library, drawn by one widget.

Textual's `Footer` builds one styled widget per key binding and builds them all
again whenever the focus moves: on the library's first screen that is a dozen
widgets styled, laid out and drawn before the first frame. `KeyBar` draws the
same line (each key and what it does, the command palette key on the right) as
text, and keeps the Footer's behaviour: it follows the focused widget's
bindings, a disabled binding is dimmed, the key under the pointer is highlighted
with its tooltip shown, and a click on a key presses it.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget


class _Key(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str


class KeyBar(Widget, can_focus=False):
    """One line of key bindings: `key description` for each, the palette key on the right."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--separator",
        "key-bar--hover",
        "key-bar--status",
    }
    # The look of Textual's Footer and FooterKey.
    DEFAULT_CSS = """
    KeyBar {
        color: $footer-foreground;
        background: $footer-background;
        dock: bottom;
        height: 1;
        text-wrap: nowrap;
        & > .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-bar--separator {
            color: $foreground 20%;
        }
        & > .key-bar--hover {
            background: $block-hover-background;
        }
        & > .key-bar--status {
            color: $text-accent;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._keys: list[_Key] = []
        self._palette: _Key | None = None
        self._spans: list[tuple[int, int, str]] = []
        self._hovered: str | None = None

    def on_mount(self) -> None:
        """Follow the bindings of whatever has the focus, and the app's background work."""
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        if hasattr(self.app, "background_work"):
            self.watch(self.app, "background_work", lambda _text: self.refresh(), init=False)

    def _bindings_changed(self, screen: object) -> None:
        if self.is_attached and screen is self.screen:
            self._read_bindings()
            self.refresh()

    def _read_bindings(self) -> None:
        active = self.screen.active_bindings
        keys: dict[str, _Key] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in keys:
                keys[binding.action] = self._key(binding, enabled, tooltip)
        self._keys = list(keys.values())
        self._palette = None
        if self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                self._palette = self._key(palette.binding, palette.enabled)

    def _key(self, binding: Binding, enabled: bool, tooltip: str = "") -> _Key:
        return _Key(
            binding.key,
            self.app.get_key_display(binding),
            binding.description,
            enabled,
            tooltip or binding.tooltip or binding.description,
        )

    def render(self) -> Text:
        """The keys from the left, the palette key against the right edge."""
        if not self._keys and self._palette is None and self.screen.is_current:
            self._read_bindings()
        width = self.size.width
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        hover_style = self.get_component_rich_style("key-bar--hover", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, str]] = []
        for key in self._keys:
            start = line.cell_len
            self._append(line, key, key_style, description_style)
            spans.append((start, line.cell_len, key.key))
            if key.key == self._hovered:
                line.stylize(hover_style, start, line.cell_len)
        tail = Text(no_wrap=True, end="")
        status = str(getattr(self.app, "background_work", "") or "")
        if status:  # background work under way (figures being computed)
            tail.append(f" {status} ", self.get_component_rich_style("key-bar--status"))
        palette_at = tail.cell_len
        if self._palette is not None:
            # As Footer's docked palette key: its left border takes the key's left padding.
            tail.append("▏", self.get_component_rich_style("key-bar--separator"))
            dim = Style() if self._palette.enabled else Style(dim=True)
            tail.append(self._palette.display, key_style + dim)
            tail.append(f" {self._palette.description} ", description_style + dim)
        if tail.cell_len:
            start = max(width - tail.cell_len, 0)
            if line.cell_len > start:
                line.truncate(start)
            line.pad_right(start - line.cell_len)
            if self._palette is not None:
                spans.append((start + palette_at, width, self._palette.key))
            line.append_text(tail)
        self._spans = spans
        return line

    @staticmethod
    def _append(line: Text, key: _Key, key_style: Style, description_style: Style) -> None:
        dim = Style() if key.enabled else Style(dim=True)
        line.append(f" {key.display} ", key_style + dim)
        if key.description:
            line.append(f"{key.description} ", description_style + dim)

    def _key_at(self, x: int) -> _Key | None:
        for start, end, key in self._spans:
            if start <= x < end:
                return next((k for k in [*self._keys, self._palette] if k and k.key == key), None)
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Highlight the key under the pointer and show what it does, as Footer does."""
        key = self._key_at(event.x)
        hovered = key.key if key is not None else None
        if hovered != self._hovered:
            self._hovered = hovered
            self.tooltip = key.tooltip if key is not None else None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        """The pointer left the bar: no key is highlighted."""
        if self._hovered is not None:
            self._hovered = None
            self.tooltip = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        """Press the key under the pointer (a disabled one only rings the bell)."""
        key = self._key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
