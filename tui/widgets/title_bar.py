"""The header of the app's screens, drawn by one widget.

Textual's `Header` is four widgets (itself, the icon, the title, the clock space),
each styled and laid out on its own: a noticeable part of the time to the first
screen. `TitleBar` draws the same line (icon, centred title and sub-title, the
room of the clock) itself and keeps Header's behaviour: a click on the icon opens
the command palette, a click elsewhere toggles the tall header.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.reactive import Reactive
from textual.widget import Widget

ICON_WIDTH = 8  # as HeaderIcon: one cell of padding each side
CLOCK_WIDTH = 10  # as HeaderClockSpace


class TitleBar(Widget):
    """Header without child widgets: icon, title — sub-title, clock room, in one line."""

    # Header's look (a subclass of Header would run Header's mount handler too).
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        background: $panel;
        color: $foreground;
        height: 1;
    }
    TitleBar.-tall {
        height: 3;
    }
    """

    icon: Reactive[str] = Reactive("⭘")
    """The character shown at the top left (a click on it opens the command palette)."""

    def _on_mount(self, _: events.Mount) -> None:
        # Header's own handler updates its HeaderTitle child: redraw instead.
        for node in (self.app, self.screen):
            self.watch(node, "title", self._title_changed, init=False)
            self.watch(node, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def render(self) -> Content:
        """The icon on the left, the title centred in the room left by the icon and clock."""
        width = self.size.width
        icon = Content(" " + self.icon).pad_right(max(ICON_WIDTH - 1 - len(self.icon), 0))
        title_width = max(width - ICON_WIDTH - CLOCK_WIDTH, 0)
        screen, app = self.screen, self.app
        title = app.format_title(
            screen.title if screen.title is not None else app.title,
            screen.sub_title if screen.sub_title is not None else app.sub_title,
        ).center(title_width, ellipsis=True)
        line = Content.assemble(icon, title, " " * CLOCK_WIDTH)
        if self.has_class("-tall") and self.size.height >= 3:
            blank = Content(" " * width)
            return Content("\n").join([blank, line, blank])
        return line

    async def _on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
            return
        self.toggle_class("-tall")
