"""Messages the widgets post; the screens react to them (widgets never touch the database)."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from store.models import Annotation, Fact, Figure


@dataclass
class OpenArticle(Message):
    """Open one article for reading, with the search that found it (to highlight its words)."""

    article_id: int
    query: str = ""
    advanced: bool = False


@dataclass
class MarkToggled(Message):
    """Space on an article: mark it for comparison, or unmark it."""

    article_id: int


@dataclass
class SearchRequested(Message):
    """The search box settled on a query and filters (debounced)."""

    query: str
    advanced: bool = False
    outlet: str | None = None
    since: str | None = None
    until: str | None = None

    @property
    def is_empty(self) -> bool:
        """Whether there is no query text (the library shows every article then)."""
        return not self.query.strip()


@dataclass
class FigureSelected(Message):
    """A figure was chosen in a figures panel: show it in its article."""

    article_id: int
    figure: Figure


@dataclass
class FactSelected(Message):
    """A row of the cross-source figures table was chosen: show it in every column."""

    fact: Fact


@dataclass
class SortRequested(Message):
    """A click on a column heading of the article list: sort by that column."""

    key: str


@dataclass
class RowsShown(Message):
    """The article list drew its first real rows since its source was set."""

    count: int = field(default=0)


@dataclass
class AnnotationSelected(Message):
    """An annotation was chosen in a list (Enter or click): show it, or open it at its place."""

    annotation: Annotation


@dataclass
class AnnotationHighlighted(Message):
    """The cursor of a focused annotations list moved to an annotation (the text may follow)."""

    annotation: Annotation


@dataclass
class TagChosen(Message):
    """A row of the tag list was reached: list its passages (`kind` is all, tag or orphaned)."""

    kind: str
    name: str = ""
    focus_passages: bool = False


@dataclass
class LibraryChanged(Message):
    """Articles were added or changed: derived data (figures...) may be pending again."""
