"""Ranked search hits, each with its title, outlet, date and highlighted snippet."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.models import SearchHit, split_highlights
from tui.messages import MarkToggled, OpenArticle
from tui.rendering import visible


class SearchResults(OptionList):
    """The hits of the current search; Enter opens one, Space marks it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "mark", "Mark"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "search-results--title",
        "search-results--meta",
        "search-results--match",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.hits: list[SearchHit] = []
        self.query_text = ""
        self.advanced = False
        self._marked: frozenset[int] = frozenset()

    def show_hits(self, hits: list[SearchHit], query: str, advanced: bool) -> None:
        """Replace the list with these hits of `query`."""
        self.hits = hits
        self.query_text = query
        self.advanced = advanced
        self.clear_options()
        self.add_options([Option(self._prompt(hit), id=str(hit.article_id)) for hit in hits])
        if hits:
            self.highlighted = 0

    def set_marked(self, marked: frozenset[int]) -> None:
        """Show these article ids as marked."""
        changed = {hit.article_id for hit in self.hits} & (marked ^ self._marked)
        self._marked = marked
        for index, hit in enumerate(self.hits):
            if hit.article_id in changed:
                self.replace_option_prompt_at_index(index, self._prompt(hit))

    @property
    def current(self) -> SearchHit | None:
        """The hit under the cursor."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self.hits):
            return None
        return self.hits[self.highlighted]

    def _prompt(self, hit: SearchHit) -> Text:
        title_style = self.get_component_rich_style("search-results--title")
        meta_style = self.get_component_rich_style("search-results--meta")
        match_style = self.get_component_rich_style("search-results--match")
        text = Text(end="")
        text.append("● " if hit.article_id in self._marked else "  ")
        text.append(visible(hit.title), title_style)
        meta = " · ".join(part for part in (hit.outlet, hit.published) if part)
        if meta:
            text.append(f"  {visible(meta)}", meta_style)
        text.append("\n  ")
        for piece, is_match in split_highlights(hit.snippet):
            text.append(visible(piece), match_style if is_match else meta_style)
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or click on a hit opens its article with the search words highlighted."""
        event.stop()
        hit = self.hits[event.option_index]
        self.post_message(OpenArticle(hit.article_id, self.query_text, self.advanced))

    def action_mark(self) -> None:
        """Mark or unmark the hit under the cursor for comparison."""
        if (hit := self.current) is not None:
            # Straight to the screen, so that a `c` typed right after sees this mark.
            self.screen.post_message(MarkToggled(hit.article_id))
