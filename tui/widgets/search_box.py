"""The search box: a query, the advanced-syntax toggle and the outlet and date filters.

It posts `SearchRequested` once typing pauses (debounced), so that a search runs
for what the reader meant, not for every keystroke.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select

from tui.messages import SearchRequested
from tui.widgets.safe_input import SafeInput

DEBOUNCE_SECONDS = 0.25


class SearchBox(Widget):
    """Query input with filters; posts SearchRequested after a pause in typing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "toggle_advanced", "Advanced syntax"),
        # ↓ leaves the box for the hits (or the list), as a menu would: Enter then opens.
        Binding("down", "screen.leave_search", "To the results", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._timer: Timer | None = None
        self._last: SearchRequested | None = None
        self._outlets: list[str] = []

    def compose(self) -> ComposeResult:
        """A query line, a filters line (hidden until asked for) and a status line."""
        with Horizontal(id="search-line"):
            yield SafeInput(
                placeholder="Search the library (words, numbers: 2 500 = 2.500)",
                id="query",
                compact=True,
            )
            yield Checkbox("Advanced", id="advanced", compact=True)
        yield Horizontal(id="filter-line")
        yield Label("", id="search-status")

    def _filter_widgets(self) -> list[Widget]:
        select = Select[str](
            [(name, name) for name in self._outlets],
            prompt="all outlets",
            id="outlet",
            compact=True,
            allow_blank=True,
        )
        return [
            Label("Outlet", classes="filter-label"),
            select,
            Label("From", classes="filter-label"),
            SafeInput(placeholder="YYYY-MM-DD", id="since", compact=True, max_length=10),
            Label("to", classes="filter-label"),
            SafeInput(placeholder="YYYY-MM-DD", id="until", compact=True, max_length=10),
        ]

    @property
    def filters_shown(self) -> bool:
        """Whether the outlet and date filters are on screen."""
        return self.query_one("#filter-line").has_class("-shown")

    async def show_filters(self, shown: bool = True) -> None:
        """Show (building them the first time) or hide the outlet and date filters.

        They are built on demand: the library's first screen does without them.
        Hidden filters keep applying; the status line says so.
        """
        line = self.query_one("#filter-line", Horizontal)
        if shown and not line.children:
            await line.mount_all(self._filter_widgets())
        line.set_class(shown, "-shown")
        if shown:
            self.query_one("#outlet", Select).focus()

    def set_outlets(self, outlets: list[str]) -> None:
        """The outlets offered by the outlet filter."""
        self._outlets = list(outlets)
        for select in self.query("#outlet").results(Select):
            select.set_options((name, name) for name in outlets)

    def set_status(self, message: str, *, error: bool = False) -> None:
        """A one-line status under the box: a result count or why the query failed."""
        status = self.query_one("#search-status", Label)
        status.update(Content(message))  # literal: messages quote the query, brackets and all
        status.set_class(error, "-error")

    @property
    def query_input(self) -> Input:
        """The query field."""
        return self.query_one("#query", Input)

    def request(self) -> SearchRequested:
        """The search the box currently describes."""
        if not self.query_one("#filter-line").children:
            return SearchRequested(
                query=self.query_input.value, advanced=self.query_one("#advanced", Checkbox).value
            )
        outlet = self.query_one("#outlet", Select).value
        return SearchRequested(
            query=self.query_input.value,
            advanced=self.query_one("#advanced", Checkbox).value,
            outlet=outlet if isinstance(outlet, str) else None,
            since=self.query_one("#since", Input).value.strip() or None,
            until=self.query_one("#until", Input).value.strip() or None,
        )

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._emit)

    def _emit(self) -> None:
        self._timer = None
        request = self.request()
        if request == self._last:
            return
        self._last = request
        self.post_message(request)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._schedule()

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        # Enter searches at once (no debounce) and is left to bubble to the screen.
        if self._timer is not None:
            self._timer.stop()
        self._emit()

    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _filter_changed(self, event: Checkbox.Changed | Select.Changed) -> None:
        event.stop()
        self._emit()

    def action_toggle_advanced(self) -> None:
        """Switch between safe words and FTS5 syntax (AND, OR, NOT, "phrases", prefix*)."""
        checkbox = self.query_one("#advanced", Checkbox)
        checkbox.value = not checkbox.value
