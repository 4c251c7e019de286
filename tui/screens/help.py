"""The help screen: every key binding of the app, screen by screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpSource(Protocol):
    """A screen (or the app) that has a section in the help, told by class attributes.

    `HELP_SECTION` titles the section; it lists the bindings of the class itself, then
    those of `HELP_PARTS` (the widgets and dialogs it shows), then `HELP_EXTRA` rows
    for keys that no binding describes.
    """

    BINDINGS: ClassVar[list[BindingType]]
    HELP_SECTION: ClassVar[str]


Section = tuple[str, list[tuple[str, str]]]


def binding_sections(sources: Sequence[type[HelpSource]]) -> list[Section]:
    """(section, [(keys, description)]) for each source, in the order given."""
    sections = []
    for source in sources:
        owners: list[type] = [source, *getattr(source, "HELP_PARTS", ())]
        rows: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for owner in owners:
            for binding in getattr(owner, "BINDINGS", []):
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                row = (_keys(binding.key), binding.description)
                if row not in seen:
                    seen.add(row)
                    rows.append(row)
        rows += getattr(source, "HELP_EXTRA", [])
        sections.append((source.HELP_SECTION, rows))
    return sections


_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "space": "space",
}


def _keys(keys: str) -> str:
    return " / ".join(_KEY_NAMES.get(key, key) for key in keys.split(","))


class HelpScreen(ModalScreen[None]):
    """Every binding, grouped by screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q,question_mark", "dismiss", "Close"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"help--section", "help--key"}

    def __init__(self, sources: Sequence[type[HelpSource]]) -> None:
        super().__init__()
        self.sections = binding_sections(sources)

    def compose(self) -> ComposeResult:
        """A scrolling list of the bindings."""
        with VerticalScroll(id="help-body"):
            yield Static(id="help-text")

    def on_mount(self) -> None:
        """Fill the list (component styles are known once mounted)."""
        section_style = self.get_component_rich_style("help--section")
        key_style = self.get_component_rich_style("help--key")
        text = Text(end="")
        text.append("recoupe: keys\n", section_style)
        for title, rows in self.sections:
            text.append(f"\n{title}\n", section_style)
            for keys, description in rows:
                text.append(f"  {keys:<22}", key_style)
                text.append(f"{description}\n")
        text.append("\nEscape, F1 or q closes this help.")
        self.query_one("#help-text", Static).update(text)
        self.query_one("#help-body").focus()
