"""The recoupe app: library, reading and compare screens over the store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel

from tui.db_access import LibraryDatabase

if TYPE_CHECKING:
    from textual.command import Provider


class RecoupeApp(App[None]):
    """Read news sources side by side and cross-check their figures."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "recoupe"
    COMMANDS: ClassVar = App.COMMANDS | {lambda: _recoupe_commands()}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, db_path: Path | str) -> None:
        super().__init__()
        self.database = LibraryDatabase(db_path)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification whose text is shown as it is, never read as markup.

        Messages quote queries, file names and article titles: with markup, a
        ``[red]`` in them would restyle the message and a stray ``[/]`` raise
        MarkupError in the worker that reports an error, losing the report.
        """
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_mount(self) -> None:
        """Start on the library."""
        from tui.screens.library import LibraryScreen

        self.push_screen(LibraryScreen())

    def on_unmount(self) -> None:
        """Close the database when the app ends."""
        self.database.close()

    def action_help(self) -> None:
        """Show every key binding of the app."""
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def _recoupe_commands() -> type[Provider]:
    """The palette provider, imported when the palette first opens (not at start-up)."""
    from tui.palette import RecoupeCommands

    return RecoupeCommands


def run_app(db_path: Path) -> None:
    """Run the app on the database at `db_path` (the sample corpus fills an empty one)."""
    RecoupeApp(db_path).run()
