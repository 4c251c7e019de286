"""The tags view: every tag with its count, its passages in every article, search in notes.

Choosing a tag lists its passages with their outlet; Enter on a passage opens the
article at its place. Tags are renamed, merged and deleted here for the whole
corpus. The search box finds annotations by their note, quote or tags.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from store.annotations import (
    count_annotations,
    delete_tag,
    list_annotations,
    list_tags,
    merge_tags,
    rename_tag,
)
from store.errors import QueryError, RecoupeError
from store.models import Annotation, TagCount
from tui.annotation_actions import AnnotationActions
from tui.db_access import LibraryDatabase
from tui.library_host import library_database
from tui.messages import AnnotationSelected, TagChosen
from tui.rendering import visible
from tui.screens.confirm import ConfirmScreen, PromptScreen
from tui.widgets.annotations_panel import AnnotationsPanel
from tui.widgets.key_bar import KeyBar
from tui.widgets.safe_input import SafeInput
from tui.widgets.tag_list import TagEntry, TagList
from tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from store.db import Library


PASSAGE_LIMIT = 500


class TagsScreen(AnnotationActions, Screen[None]):
    """Tags on the left, the chosen tag's passages (or the search results) on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("slash", "focus_search", "Search notes"),
        Binding("r", "rename_tag", "Rename tag"),
        Binding("m", "merge_tag", "Merge tag"),
        Binding("d", "delete_tag", "Delete tag"),
        Binding("p", "focus_passages", "Passages"),
        Binding("e", "edit_annotation", "Edit note"),
    ]
    HELP_SECTION: ClassVar[str] = "Tags"
    HELP_PARTS: ClassVar[tuple[type, ...]] = (TagList,)

    NO_CURRENT_HINT = "Choose a passage in the list first (p)."

    def __init__(self) -> None:
        super().__init__()
        self.chosen: TagEntry | None = None
        self.passages: list[Annotation] = []
        self._generation = 0
        self.tag_names: list[str] = []

    @property
    def database(self) -> LibraryDatabase:
        """The library's database, held by the app."""
        return library_database(self)

    def compose(self) -> ComposeResult:
        """Search box, then the tags beside their passages, then a status line."""
        yield TitleBar()
        yield SafeInput(placeholder="Search notes, quotes and tags…", id="annotation-search")
        with Horizontal(id="tags-body"):
            yield TagList(id="tag-list")
            yield AnnotationsPanel(
                with_source=True, empty_text="No annotations here.", id="passages"
            )
        yield Static("", id="tags-status")
        yield KeyBar()

    def on_mount(self) -> None:
        """Load the tags off the UI thread."""
        self.sub_title = "tags and annotations across the corpus"
        self.query_one(TagList).focus()
        self.load_tags()

    def on_screen_resume(self) -> None:
        """Annotations may have changed while reading: read the tags again."""
        if self.chosen is not None:
            self.load_tags(self.chosen.name if self.chosen.kind == "tag" else None)

    # -- loading ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="tags", exit_on_error=False)
    def load_tags(self, keep: str | None = None) -> None:
        """Read every tag with its count, and how many annotations there are in all."""
        try:
            with self.database.use() as db:
                tags = list_tags(db)
                total = count_annotations(db)
                orphaned = count_annotations(db, status="orphaned")
        except Exception as exc:
            self.app.call_from_thread(self._status, f"cannot read the tags: {exc}", True)
            return
        if not get_current_worker().is_cancelled:  # a newer read replaces this one
            self.app.call_from_thread(self._show_tags, tags, total, orphaned, keep)

    def _show_tags(self, tags: list[TagCount], total: int, orphaned: int, keep: str | None) -> None:
        tag_list = self.query_one(TagList)
        tag_list.show_tags(tags, total, orphaned, keep=keep)
        self.tag_names = tag_list.tag_names
        entry = tag_list.current
        if entry is not None and not self._searching:
            self._choose(entry)
        elif self._searching:
            self._run_search(self.query_one("#annotation-search", Input).value)

    @property
    def _searching(self) -> bool:
        return bool(self.query_one("#annotation-search", Input).value.strip())

    def _choose(self, entry: TagEntry) -> None:
        self.chosen = entry
        if entry.kind == "all":
            self._load_passages(lambda db: list_annotations(db, limit=PASSAGE_LIMIT), entry.label)
        elif entry.kind == "orphaned":
            self._load_passages(
                lambda db: list_annotations(db, status="orphaned", limit=PASSAGE_LIMIT),
                "Orphaned annotations: their passage is no longer in the article's text",
            )
        else:
            self._load_passages(
                lambda db: list_annotations(db, tags=[entry.name], limit=PASSAGE_LIMIT),
                f"Passages tagged #{entry.name}",
            )

    def _load_passages(self, read: Callable[[Library], list[Annotation]], title: str) -> None:
        self._generation += 1
        self.load_passages(read, title, self._generation)

    @work(thread=True, exclusive=True, group="passages", exit_on_error=False)
    def load_passages(
        self,
        read: Callable[[Library], list[Annotation]],
        title: str,
        generation: int,
    ) -> None:
        """Read one list of annotations (a tag's, all, orphaned, or search results)."""
        try:
            with self.database.use() as db:
                if generation != self._generation:
                    return  # something newer was asked for meanwhile
                passages = read(db)
        except QueryError as exc:
            self.app.call_from_thread(self._status, str(exc), True)
            return
        except Exception as exc:
            self.app.call_from_thread(self._status, f"cannot read the annotations: {exc}", True)
            return
        self.app.call_from_thread(self._show_passages, passages, title, generation)

    def _show_passages(self, passages: list[Annotation], title: str, generation: int) -> None:
        if generation != self._generation:
            return
        self.passages = passages
        panel = self.query_one(AnnotationsPanel)
        # the passage under the cursor stays there when it is still listed (after an edit)
        current = panel.current
        panel.show_annotations(passages, keep=None if current is None else current.id)
        # Text, not a string: a tag or a search may hold "[" that markup would read
        panel.border_title = Text(visible(f"{title} ({len(passages)})"), end="")
        more = " (first shown)" if len(passages) >= PASSAGE_LIMIT else ""
        count = len(passages)
        self._status(f"{count} passage{'s' if count != 1 else ''}{more}", False)

    def _status(self, message: str, error: bool) -> None:
        status = self.query_one("#tags-status", Static)
        status.update(Text(message, end=""))
        status.set_class(error, "-error")

    # -- reacting to the widgets ------------------------------------------------------

    @on(TagChosen)
    def _tag_chosen(self, message: TagChosen) -> None:
        entry = next(
            (
                e
                for e in self.query_one(TagList).entries
                if e.kind == message.kind and e.name == message.name
            ),
            None,
        )
        if entry is None:
            return
        search = self.query_one("#annotation-search", Input)
        if search.value:
            search.value = ""  # a tag replaces the search results
        self._choose(entry)
        if message.focus_passages:
            self.query_one(AnnotationsPanel).focus()

    @on(Input.Changed, "#annotation-search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self._run_search(event.value)
        elif self.chosen is not None:
            self._choose(self.chosen)

    @on(Input.Submitted, "#annotation-search")
    def _search_submitted(self) -> None:
        self.query_one(AnnotationsPanel).focus()

    def _run_search(self, text: str) -> None:
        self._load_passages(
            lambda db: list_annotations(db, search=text, limit=PASSAGE_LIMIT),
            f"Notes, quotes and tags matching “{text.strip()}”",
        )

    @on(AnnotationSelected)
    def _open_passage(self, message: AnnotationSelected) -> None:
        from tui.screens.reading import ReadingScreen

        annotation = message.annotation
        self.app.push_screen(ReadingScreen(annotation.article_id, annotation_id=annotation.id))

    # -- editing a passage's note and tags (AnnotationActions) ------------------------

    def annotation_target(self) -> None:
        """No text here to annotate."""
        return None

    def current_annotation(self) -> Annotation | None:
        """The passage under the cursor of the passages list."""
        return self.query_one(AnnotationsPanel).current

    def annotations_changed(self, keep: int | None = None) -> None:
        """A note or its tags changed: read the tags (and so the passages) again."""
        entry = self.chosen
        self.load_tags(entry.name if entry is not None and entry.kind == "tag" else None)

    # -- actions ----------------------------------------------------------------------

    def action_back(self) -> None:
        """Leave the search box, or go back to the previous screen."""
        search = self.query_one("#annotation-search", Input)
        if search.has_focus:
            self.query_one(TagList).focus()
        else:
            self.app.pop_screen()

    def action_focus_search(self) -> None:
        """Search the annotations' notes, quotes and tags."""
        self.query_one("#annotation-search", Input).focus()

    def action_focus_passages(self) -> None:
        """Move to the list of passages."""
        self.query_one(AnnotationsPanel).focus()

    def _chosen_tag(self) -> str | None:
        entry = self.query_one(TagList).current
        if entry is None or entry.kind != "tag":
            self.notify("Choose a tag in the list first.", severity="warning")
            return None
        return entry.name

    def action_rename_tag(self) -> None:
        """Rename the chosen tag on every annotation."""
        name = self._chosen_tag()
        if name is None:
            return

        def renamed(new: str | None) -> None:
            if new and new != name:
                self._change(lambda db: rename_tag(db, name, new), f"Renamed #{name} to #{new}.")

        self.app.push_screen(PromptScreen(f"Rename #{name} to", value=name), renamed)

    def action_merge_tag(self) -> None:
        """Merge the chosen tag into another one (every annotation gets the other tag)."""
        name = self._chosen_tag()
        if name is None:
            return
        others = [n for n in self.query_one(TagList).tag_names if n != name]

        def merged(target: str | None) -> None:
            if target:
                self._change(
                    lambda db: merge_tags(db, [name], target), f"Merged #{name} into #{target}."
                )

        prompt = PromptScreen(
            f"Merge #{name} into (an existing tag or a new one)",
            placeholder="a tag name",
            suggester=SuggestFromList(others, case_sensitive=False),
        )
        self.app.push_screen(prompt, merged)

    def action_delete_tag(self) -> None:
        """Remove the chosen tag from every annotation (after asking; annotations stay)."""
        entry = self.query_one(TagList).current
        name = self._chosen_tag()
        if name is None or entry is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._change(lambda db: delete_tag(db, name), f"Removed #{name} everywhere.")

        plural = "s" if entry.count != 1 else ""
        question = (
            f"Remove the tag #{name} from its {entry.count} annotation{plural}? "
            "The annotations themselves stay."
        )
        self.app.push_screen(ConfirmScreen(question, yes="Delete tag", no="Keep"), answered)

    def _change(self, change: Callable[[Library], object], done: str) -> None:
        """Run a tag change in a worker; then say so and read the tags again.

        After a rename or a merge the resulting tag stays chosen.
        """

        def run() -> None:
            try:
                with self.database.use() as db:
                    result = change(db)
            except RecoupeError as exc:
                self.app.call_from_thread(self.notify, str(exc), severity="error")
                return
            except Exception as exc:  # no traceback on screen
                self.app.call_from_thread(
                    self.notify, f"cannot change the tag: {exc}", severity="error"
                )
                return
            self.app.call_from_thread(self.notify, done)
            keep = result.name if isinstance(result, TagCount) else None
            self.app.call_from_thread(self.load_tags, keep)

        self.run_worker(run, thread=True, group="tag-change", exit_on_error=False)
