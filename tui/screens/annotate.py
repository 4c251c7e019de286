"""The annotation dialog: the quoted passage, a note of several lines, and tags.

Tags are typed comma-separated and completed from the tags that already exist
(the list is handed in by the screen: the dialog never reaches the database).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, Static, TextArea

from store.annotations import split_tags
from store.errors import RecoupeError
from tui.rendering import visible
from tui.widgets.annotations_panel import shorten
from tui.widgets.safe_input import SafeInput, SafeTextArea

QUOTE_CHARS = 400


@dataclass(frozen=True, slots=True)
class NoteAndTags:
    """What the dialog returns: the note as typed and the cleaned tag names."""

    note: str
    tags: list[str]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text.casefold())


class TagSuggester(Suggester):
    """Completes the tag being typed (after the last comma) from existing tag names."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.names = list(names)

    async def get_suggestion(self, value: str) -> str | None:
        """The whole field with its last tag completed, or None when nothing fits."""
        head, _, typed = value.rpartition(",")
        stripped = typed.lstrip().lstrip("#")
        if not stripped:
            return None
        already = {_fold(part.strip()) for part in head.split(",") if part.strip()}
        for name in self.names:
            folded = _fold(name)
            if folded.startswith(_fold(stripped)) and folded not in already:
                return value[: len(value) - len(stripped)] + name
        return None


class AnnotateScreen(ModalScreen[NoteAndTags | None]):
    """Write the note and tags of a passage; Ctrl+S saves, Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save annotation", priority=True),
        Binding("escape", "cancel", "Cancel annotation"),
    ]

    def __init__(
        self,
        quote: str,
        *,
        tag_names: Sequence[str] = (),
        note: str = "",
        tags: Sequence[str] = (),
        title: str = "Annotate",
    ) -> None:
        super().__init__()
        self.quote = quote
        self.tag_names = list(tag_names)
        self.initial_note = note
        self.initial_tags = ", ".join(tags)
        self.title_text = title
        self._kept: set[str] = set()

    def compose(self) -> ComposeResult:
        """Quote, note, tags, then the buttons."""
        # Scrolls when the terminal is too short for it (80x24): the buttons stay reachable.
        with VerticalScroll(id="annotate-dialog", classes="dialog"):
            yield Static(Text(self.title_text, end=""), classes="dialog-title")
            yield Static(
                Text("“" + visible(shorten(self.quote, QUOTE_CHARS)) + "”", end=""),
                id="annotate-quote",
            )
            yield Label("Note")
            yield SafeTextArea(self.initial_note, id="annotate-note", soft_wrap=True)
            yield Label("Tags (comma-separated; → accepts a suggestion)")
            yield SafeInput(
                self.initial_tags,
                placeholder="chiffre-clé, à vérifier",
                suggester=TagSuggester(self.tag_names),
                id="annotate-tags",
            )
            yield Static("", id="annotate-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="annotate-save")
                yield Button("Cancel (esc)", id="annotate-cancel")

    def on_mount(self) -> None:
        """Start in the note."""
        self.query_one("#annotate-note", TextArea).focus()

    def action_save(self) -> None:
        """Close the dialog with the note and tags (a bad tag is shown, not saved).

        A new tag that nearly repeats an existing one (`Chiffre Clé` beside
        `chiffre-clé`) is replaced by it in the field, and the dialog says so: save
        again to use the existing tag, or type yours again to keep it.
        """
        note = self.query_one("#annotate-note", TextArea).text
        field = self.query_one("#annotate-tags", Input)
        try:
            tags = split_tags(field.value)
        except RecoupeError as exc:
            self.query_one("#annotate-error", Static).update(Text(str(exc), end=""))
            field.focus()
            return
        replaced = self._existing_spellings(tags)
        if replaced:
            field.value = ", ".join(replaced.get(tag, tag) for tag in tags)
            told = "; ".join(
                f"#{new} is close to the existing #{old}" for new, old in replaced.items()
            )
            self.query_one("#annotate-error", Static).update(
                Text(
                    f"{told}: the existing tag is in the field now. Save again to use it, "
                    "or type yours again to keep it.",
                    end="",
                )
            )
            field.focus()
            return
        self.dismiss(NoteAndTags(note.strip(), tags))

    def _existing_spellings(self, tags: list[str]) -> dict[str, str]:
        """New tags that nearly repeat an existing one, not yet pointed out: {new: existing}."""
        from store.annotations.near_tags import near_duplicate_among

        found: dict[str, str] = {}
        for tag in tags:
            if _fold(tag) in self._kept:
                continue
            existing = near_duplicate_among(tag, self.tag_names)
            if existing is not None:
                found[tag] = existing
                self._kept.add(_fold(tag))  # said once: typed again, it is kept
        return found

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    @on(Input.Submitted, "#annotate-tags")
    def _tags_submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#annotate-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#annotate-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
