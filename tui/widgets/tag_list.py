"""The tags of the corpus with their counts, between "every annotation" and "orphaned"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.models import TagCount
from tui.messages import TagChosen
from tui.rendering import visible


@dataclass(frozen=True, slots=True)
class TagEntry:
    """One row: every annotation, one tag, or the orphaned annotations."""

    kind: str  # all, tag, changed, orphaned
    name: str
    count: int

    @property
    def label(self) -> str:
        """How the row reads."""
        if self.kind == "all":
            return f"All annotations ({self.count})"
        if self.kind == "orphaned":
            return f"Orphaned ({self.count})"
        if self.kind == "changed":
            return f"Changed words, to review ({self.count})"
        return f"#{self.name} ({self.count})"


class TagList(OptionList):
    """Every tag with how many annotations carry it, most used first."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"tag-list--special", "tag-list--orphaned"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.entries: list[TagEntry] = []

    def show_tags(
        self,
        tags: list[TagCount],
        total: int,
        orphaned: int,
        *,
        keep: str | None = None,
        changed: int = 0,
    ) -> None:
        """List the tags; the cursor goes to tag `keep` (folded match) when it is listed."""
        entries = [TagEntry("all", "", total)]
        entries += [TagEntry("tag", tag.name, tag.count) for tag in tags]
        if changed:
            entries.append(TagEntry("changed", "", changed))
        if orphaned:
            entries.append(TagEntry("orphaned", "", orphaned))
        self.entries = entries
        self.clear_options()
        self.add_options([Option(self._prompt(entry)) for entry in entries])
        self.border_title = f"Tags ({len(tags)})"
        index = 0
        if keep is not None:
            wanted = keep.casefold()
            index = next(
                (
                    i
                    for i, e in enumerate(entries)
                    if e.kind == "tag" and e.name.casefold() == wanted
                ),
                0,
            )
        self.highlighted = index

    @property
    def current(self) -> TagEntry | None:
        """The row under the cursor."""
        index = self.highlighted
        return self.entries[index] if index is not None and index < len(self.entries) else None

    @property
    def tag_names(self) -> list[str]:
        """Every tag's name, most used first."""
        return [entry.name for entry in self.entries if entry.kind == "tag"]

    def _prompt(self, entry: TagEntry) -> Text:
        if entry.kind == "tag":
            return Text(visible(entry.label), end="")
        warn = entry.kind in ("orphaned", "changed")
        component = "tag-list--orphaned" if warn else "tag-list--special"
        # Partial: a full style would bake in the list's background as it was when the
        # rows were built, which depends on whether the list had focus yet.
        return Text(entry.label, self.get_component_rich_style(component, partial=True), end="")

    def _post(self, index: int, *, focus_passages: bool) -> None:
        entry = self.entries[index]
        self.post_message(TagChosen(entry.kind, entry.name, focus_passages))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or click: list the passages and move to them."""
        event.stop()
        if self.entries:
            self._post(event.option_index, focus_passages=True)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving through the tags lists each one's passages."""
        event.stop()
        if self.has_focus and self.entries:
            self._post(event.option_index, focus_passages=False)
