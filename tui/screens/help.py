"""The help screen: every key binding of the app, screen by screen."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.figures_table import FiguresTable
from tui.widgets.search_box import SearchBox
from tui.widgets.search_results import SearchResults

EXTRA_KEYS = {
    "Library": [("tab / shift+tab", "Move between the search box, filters and the list")],
    "Compare": [("w ( ) shift+arrows", "Move and select in a column, as when reading")],
}


def binding_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(section, [(keys, description)]) for every screen and widget of the app."""
    from tui.app import RecoupeApp
    from tui.screens.annotate import AnnotateScreen
    from tui.screens.compare import CompareScreen
    from tui.screens.library import LibraryScreen
    from tui.screens.reading import ReadingScreen
    from tui.screens.tags import TagsScreen
    from tui.widgets.tag_list import TagList

    groups = [
        ("Everywhere", [RecoupeApp]),
        ("Library", [LibraryScreen, ArticleList, SearchResults, SearchBox]),
        ("Reading", [ReadingScreen, ArticleView, AnnotateScreen]),
        ("Compare", [CompareScreen, FiguresTable]),
        ("Tags", [TagsScreen, TagList]),
    ]
    sections = []
    for title, owners in groups:
        rows: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        for owner in owners:
            for binding in owner.BINDINGS:
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                row = (_keys(binding.key), binding.description)
                if row not in seen:
                    seen.add(row)
                    rows.append(row)
        rows += EXTRA_KEYS.get(title, [])
        sections.append((title, rows))
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
        for title, rows in binding_sections():
            text.append(f"\n{title}\n", section_style)
            for keys, description in rows:
                text.append(f"  {keys:<22}", key_style)
                text.append(f"{description}\n")
        text.append("\nEscape, F1 or q closes this help.")
        self.query_one("#help-text", Static).update(text)
        self.query_one("#help-body").focus()
