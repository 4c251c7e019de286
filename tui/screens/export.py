"""The export dialog: which annotations, in what format, to which file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from tui.exporting import EXPORT_FORMATS, ExportRequest, ExportScope, suggested_path
from tui.rendering import visible
from tui.widgets.safe_input import SafeInput

SUFFIXES = {fmt: f".{fmt}" for fmt, _ in EXPORT_FORMATS}


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Choose the annotations, the format and the file; Enter or Export writes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel export"),
        Binding("ctrl+s", "export", "Export", priority=True),
    ]

    def __init__(self, scopes: Sequence[ExportScope], *, fmt: str = "json") -> None:
        super().__init__()
        self.scopes = list(scopes)
        self.fmt = fmt if fmt in SUFFIXES else "json"
        self.scope = self.scopes[-1]  # the narrowest: what the screen shows

    def compose(self) -> ComposeResult:
        """Which annotations, the format, the file, then the buttons."""
        with VerticalScroll(id="export-dialog", classes="dialog"):
            yield Static(Text("Export annotations", end=""), classes="dialog-title")
            yield Label("Which")
            with RadioSet(id="export-scope"):
                for scope in self.scopes:
                    yield RadioButton(visible(scope.label), value=scope is self.scope)
            yield Label("Format")
            with RadioSet(id="export-format"):
                for fmt, label in EXPORT_FORMATS:
                    yield RadioButton(label, value=fmt == self.fmt)
            yield Label("File")
            yield SafeInput(str(suggested_path(self.fmt, self.scope)), id="export-path")
            yield Static("", id="export-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export (ctrl+s)", variant="primary", id="export-go")
                yield Button("Cancel (esc)", id="export-cancel")

    def on_mount(self) -> None:
        """Start on the choice of annotations."""
        self.query_one("#export-scope", RadioSet).focus()

    @on(RadioSet.Changed, "#export-scope")
    def _scope_changed(self, event: RadioSet.Changed) -> None:
        self.scope = self.scopes[event.index]
        self._suggest_again()

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        self.fmt = EXPORT_FORMATS[event.index][0]
        self._suggest_again()

    def _suggest_again(self) -> None:
        """A new suggested file name in the folder already in the field."""
        field = self.query_one("#export-path", Input)
        folder = Path(field.value).expanduser().parent if field.value.strip() else None
        field.value = str(suggested_path(self.fmt, self.scope, folder))

    def action_export(self) -> None:
        """Close with the request (the file name is checked by the store when writing)."""
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self.query_one("#export-error", Static).update(Text("Give a file name.", end=""))
            return
        path = Path(value).expanduser()
        if path.suffix.lower() != SUFFIXES[self.fmt]:
            path = path.with_name(path.name + SUFFIXES[self.fmt])
        self.dismiss(ExportRequest(self.fmt, self.scope, path.absolute()))

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def _go(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.action_cancel()
