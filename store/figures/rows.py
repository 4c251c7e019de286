"""A figure as a row of values, as extracted and as stored (no extraction loaded here).

Reading stored figures (`recoupe figures ID`, the compare table) needs only this,
not the reader of store.figures.extract with its patterns and number words.
"""

from __future__ import annotations

from store.models import Figure

FIGURE_ROW_FIELDS = (
    "start",
    "end",
    "surface",
    "value",
    "value_max",
    "kind",
    "unit",
    "currency",
    "qualifier",
    "sentence_start",
    "sentence_end",
)
"""The Figure fields, in the order of extract_figure_rows's tuples."""


def figure_from_row(row: tuple, *, article_id: int | None = None, id: int | None = None) -> Figure:
    """A Figure from a tuple in FIGURE_ROW_FIELDS order (as extracted or as stored)."""
    return Figure(**dict(zip(FIGURE_ROW_FIELDS, row, strict=True)), article_id=article_id, id=id)
