"""Frozen dataclasses returned by the store to its callers."""

from __future__ import annotations

from dataclasses import dataclass, field

HIGHLIGHT_START = "\x02"
"""Marks the start of a matched word in a snippet (control characters never occur in bodies)."""
HIGHLIGHT_END = "\x03"
"""Marks the end of a matched word in a snippet."""


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One row of the library: an article without its body."""

    id: int
    title: str
    outlet: str | None
    published: str | None
    url: str | None
    figure_count: int = 0
    annotation_count: int = 0


@dataclass(frozen=True, slots=True)
class Article:
    """A whole article with its text and metadata."""

    id: int
    title: str
    body: str
    outlet: str | None
    published: str | None
    url: str | None
    lang: str | None
    source_path: str | None
    content_hash: str
    imported_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A ranked search result; `snippet` marks matches with HIGHLIGHT_START/END."""

    article_id: int
    title: str
    outlet: str | None
    published: str | None
    snippet: str
    score: float

    def snippet_segments(self) -> list[tuple[str, bool]]:
        """Split the snippet into (text, is_match) pieces for display."""
        return split_highlights(self.snippet)

    @property
    def plain_snippet(self) -> str:
        """The snippet without highlight markers."""
        return self.snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")


def split_highlights(text: str) -> list[tuple[str, bool]]:
    """Split text with highlight markers into (text, is_match) pieces."""
    segments: list[tuple[str, bool]] = []
    for i, chunk in enumerate(text.split(HIGHLIGHT_START)):
        if i == 0:
            if chunk:
                segments.append((chunk, False))
            continue
        matched, _, rest = chunk.partition(HIGHLIGHT_END)
        if matched:
            segments.append((matched, True))
        if rest:
            segments.append((rest, False))
    return segments


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What happened to one file (or one JSONL line) during an import."""

    path: str
    status: str  # imported, updated, unchanged, skipped
    reason: str | None = None
    article_id: int | None = None


@dataclass(slots=True)
class ImportReport:
    """Counts and per-file outcomes of an import."""

    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many outcomes have this status."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def imported(self) -> int:
        """Articles added."""
        return self.count("imported")

    @property
    def updated(self) -> int:
        """Articles whose text changed and were updated in place."""
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        """Articles already present with identical content."""
        return self.count("unchanged")

    @property
    def skipped(self) -> list[FileOutcome]:
        """Files that could not be imported, each with its reason."""
        return [o for o in self.outcomes if o.status == "skipped"]

    def summary(self) -> str:
        """One line: imported, updated, unchanged, skipped."""
        return (
            f"{self.imported} imported, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.skipped)} skipped"
        )


FIGURE_KINDS = (
    "count",
    "money",
    "percent",
    "date",
    "year",
    "ordinal",
    "range",
    "duration",
    "other",
)
"""Every kind of figure, in the order the app lists its colours."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A key figure stated in an article: where, as written, and its normalised value."""

    start: int
    end: int
    surface: str
    value: float | None
    kind: str  # count, money, percent, date, year, ordinal, range, duration, other
    qualifier: str = "exact"  # exact, at_least, at_most, about
    value_max: float | None = None
    unit: str | None = None
    currency: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None
    article_id: int | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class FactCell:
    """What one article says about a fact: the figure, where it stands, and who the
    article says gives it (`source`, None when its sentence names no one)."""

    article_id: int
    figure: Figure
    source: str | None = None
    field: str = "body"  # where the figure's offsets point: "body" or "title"


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact across sources: its label, its status and what each article states."""

    label: str  # the unit or context noun, e.g. "arrestations"
    kind: str
    status: str  # agree, compatible, conflict, revised, single-source
    cells: tuple[FactCell, ...]
    note: str | None = None  # "dates unknown" when different values cannot be put in time

    def cells_for(self, article_id: int) -> list[FactCell]:
        """The figures one article gives for this fact."""
        return [cell for cell in self.cells if cell.article_id == article_id]


@dataclass(frozen=True, slots=True)
class Comparison:
    """The figures of several articles lined up fact by fact."""

    article_ids: tuple[int, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class FigureHit:
    """A figure found by value (``search_figures``), with the article that states it, and
    why it matched when that is not plain (`reason`: 'matched the range 1 000–4 000')."""

    article_id: int
    title: str
    outlet: str | None
    published: str | None
    figure: Figure
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Annotation:
    """A marked passage of an article with its note and tags (W3C quote and position selectors).

    `start`/`end` are character offsets into the article body; `exact`, `prefix` and
    `suffix` are the quote and up to 32 characters around it. `status` says how the
    last re-import placed it: anchored (unchanged), moved (the same words elsewhere),
    changed (placed on other words: `previous_exact` keeps the words last checked,
    until the reader accepts the new ones) or orphaned (not found: its offsets refer
    to an older text, do not highlight it). `previous_exact` may also keep the first
    quote of a note re-attached by hand.
    The article fields are copied from the article for lists and exports.
    """

    id: int
    article_id: int
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    note: str
    tags: tuple[str, ...]
    created: str
    modified: str
    status: str  # anchored, moved, changed, orphaned
    uid: str
    previous_exact: str | None = None
    article_title: str = ""
    outlet: str | None = None
    published: str | None = None
    url: str | None = None

    @property
    def is_orphaned(self) -> bool:
        """True when the passage could not be found in the current article text."""
        return self.status == "orphaned"

    @property
    def was_text(self) -> str | None:
        """The words a changed note was last checked on (None unless its status is changed)."""
        return self.previous_exact if self.status == "changed" else None


@dataclass(frozen=True, slots=True)
class TagCount:
    """A tag as first typed, with how many annotations carry it."""

    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote sits in a text: offsets, the quoted text and how it was found."""

    start: int
    end: int
    status: str  # anchored, moved, changed, orphaned
    method: str  # position, quote, context, fuzzy, none


@dataclass(frozen=True, slots=True)
class ReanchorReport:
    """How the annotations of one article fared when its text changed."""

    article_id: int
    anchored: int = 0
    moved: int = 0
    orphaned: int = 0
    changed: int = 0  # placed on other words: the note needs a look


@dataclass(frozen=True, slots=True)
class AnnotationImportReport:
    """What an import of annotations did: added, already there, and what had no article."""

    imported: int
    already_present: int
    unknown_articles: tuple[str, ...]  # one description per article not in the library
    skipped: int  # annotations left out because their article is unknown

    def summary(self) -> str:
        """One line: imported, already present, skipped for unknown articles."""
        text = f"{self.imported} imported, {self.already_present} already present"
        if self.skipped:
            text += (
                f", {self.skipped} skipped ({len(self.unknown_articles)} "
                f"article{'s' if len(self.unknown_articles) != 1 else ''} not in the library)"
            )
        return text
