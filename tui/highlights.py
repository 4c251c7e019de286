"""The highlight layers the reading and compare screens lay over an article's text."""

from __future__ import annotations

from store.models import Annotation, Figure
from tui.rendering import Highlight
from tui.widgets.article_view import figure_component


def figure_highlights(figures: list[Figure]) -> list[Highlight]:
    """One highlight per figure, coloured by its kind."""
    return [Highlight(f.start, f.end, figure_component(f.kind)) for f in figures]


def current_highlight(figure: Figure) -> list[Highlight]:
    """The highlight that marks the figure being looked at."""
    return [Highlight(figure.start, figure.end, "article-view--current")]


def annotation_highlights(annotations: list[Annotation]) -> list[Highlight]:
    """One highlight per annotation still placed in the text (orphaned ones keep old offsets)."""
    return [
        Highlight(a.start, a.end, "article-view--annotation")
        for a in annotations
        if not a.is_orphaned
    ]


def current_annotation_highlight(annotation: Annotation | None) -> list[Highlight]:
    """The highlight of the annotation being looked at."""
    if annotation is None or annotation.is_orphaned:
        return []
    return [Highlight(annotation.start, annotation.end, "article-view--current-annotation")]
