"""The recoupe app: library, reading and compare screens over the store."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.reactive import reactive

from store.errors import RecoupeError
from tui.db_access import LibraryDatabase
from tui.messages import LibraryChanged

if TYPE_CHECKING:
    from textual.command import Provider

    from tui.exporting import ExportRequest
    from tui.screens.help import HelpSource


TERMINAL_CHECK_SECONDS = 1.0
"""How often the app checks that its terminal is still there."""
DERIVE_DELAY_SECONDS = 0.5
"""Background derivation starts this long after the first screen (which it must not slow)."""


def _stdin_terminal() -> int | None:
    """The terminal the app reads its keys from, if it runs in one."""
    stdin = sys.__stdin__
    if stdin is None:
        return None
    try:
        fd = stdin.fileno()
    except (OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None


class RecoupeApp(App[None]):
    """Read news sources side by side and cross-check their figures."""

    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "recoupe"
    COMMANDS: ClassVar = App.COMMANDS | {lambda: _recoupe_commands()}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help"),
        Binding("T", "tags", "Tags"),
        Binding("E", "export_annotations", "Export notes"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]
    HELP_SECTION: ClassVar[str] = "Everywhere"

    background_work: reactive[str] = reactive("")
    """What runs in the background, in a few words for the footer ('' when nothing)."""
    derived_generation: reactive[int] = reactive(0)
    """Raised when more articles have their derived data: lists showing counts read again."""

    def __init__(self, db_path: Path | str) -> None:
        super().__init__()
        self.database = LibraryDatabase(db_path, on_upgrade=self._upgrading)
        self._stop_deriving = threading.Event()

    def _upgrading(self, message: str) -> None:
        """Say that the library file is being upgraded (any thread: notify posts a message)."""
        self.notify(message[0].upper() + message[1:] + ".", title="Library", timeout=30)

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
        if not self.is_headless:
            self.watch_terminal(_stdin_terminal())
        self.set_timer(DERIVE_DELAY_SECONDS, self.derive_in_background)

    @on(LibraryChanged)
    def _library_changed(self) -> None:
        self.derive_in_background()

    @work(thread=True, exclusive=True, group="derive", exit_on_error=False)
    def derive_in_background(self) -> None:
        """Compute pending figures (all cores) while the user reads; progress in the footer."""
        from tui.derivation import derive_pending

        def report(text: str) -> None:
            if not self._stop_deriving.is_set():
                self.call_from_thread(setattr, self, "background_work", text)

        try:
            derive_pending(self.database.path, report, self._stop_deriving, self._derived_more)
        except RecoupeError as exc:
            self.call_from_thread(self.notify, f"figures: {exc}", severity="error")

    def _derived_more(self) -> None:
        """More articles have their figures (derivation thread): counts on screen are stale."""
        if not self._stop_deriving.is_set():
            self.call_from_thread(self._count_derived_generation)

    def _count_derived_generation(self) -> None:
        self.derived_generation += 1

    def watch_terminal(self, fd: int | None, every: float = TERMINAL_CHECK_SECONDS) -> None:
        """Exit once the terminal on `fd` has hung up (its window closed, tmux killed).

        The hang-up signal goes to the terminal's session leader (`make run` when started
        that way), not to the app; Textual's input thread then reads end-of-file from
        the dead terminal over and over, and the app would live on, using a core.
        """
        if fd is None:
            return

        def exit_if_gone() -> None:
            if not os.isatty(fd):
                self.exit()

        self.set_interval(every, exit_if_gone)

    async def action_quit(self) -> None:
        """Quit at once: running searches are stopped first (they would hold up the exit)."""
        _stop_searches()
        await super().action_quit()

    def on_unmount(self) -> None:
        """Stop background work and close the database when the app ends (a search still
        running stops first)."""
        _stop_searches()
        self._stop_deriving.set()
        self.database.close()

    def action_help(self) -> None:
        """Show every key binding of the app."""
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sources()))

    def help_sources(self) -> list[type[HelpSource]]:
        """The app and its screens, in the order the help lists their keys."""
        from tui.screens.compare import CompareScreen
        from tui.screens.library import LibraryScreen
        from tui.screens.reading import ReadingScreen
        from tui.screens.tags import TagsScreen

        return [type(self), LibraryScreen, ReadingScreen, CompareScreen, TagsScreen]

    def action_tags(self) -> None:
        """Every tag with its count, its passages across the corpus, and search in notes."""
        from tui.screens.tags import TagsScreen

        if not isinstance(self.screen, TagsScreen):
            self.push_screen(TagsScreen())

    def action_export_annotations(self, fmt: str = "") -> None:
        """Export annotations: those of the screen's tag, articles or search, or all."""
        from tui.exporting import export_scopes
        from tui.screens.export import ExportScreen

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self._export(request)

        self.push_screen(ExportScreen(export_scopes(self.screen), fmt=fmt or "json"), chosen)

    def _export(self, request: ExportRequest) -> None:
        from tui.exporting import export_to_file

        def run() -> None:
            try:
                path, count = export_to_file(self.database, request)
            except RecoupeError as exc:
                self.call_from_thread(self.notify, str(exc), severity="error")
                return
            except Exception as exc:  # no traceback on screen
                self.call_from_thread(self.notify, f"export failed: {exc}", severity="error")
                return
            if path is None:
                self.call_from_thread(
                    self.notify,
                    f"No annotations to export ({request.scope.label.lower()}).",
                    severity="warning",
                )
                return
            plural = "s" if count != 1 else ""
            self.call_from_thread(
                self.notify, f"{count} annotation{plural} exported to {path}", title="Export"
            )

        self.run_worker(run, thread=True, group="export", exit_on_error=False)


def _stop_searches() -> None:
    """Cancel the searches running in this process, if any search ever ran."""
    guard = sys.modules.get("store.db.sqlite.guard")  # not loaded: no search to stop
    if guard is not None:
        guard.cancel_all_searches()


def _recoupe_commands() -> type[Provider]:
    """The palette provider, imported when the palette first opens (not at start-up)."""
    from tui.palette import RecoupeCommands

    return RecoupeCommands


def run_app(db_path: Path) -> None:
    """Run the app on the database at `db_path` (the sample corpus fills an empty one)."""
    RecoupeApp(db_path).run()
