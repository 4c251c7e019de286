"""A list of annotations: quote, note, tags and status; orphaned ones in their own section."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from store.annotations.review import status_line
from store.models import Annotation
from tui.messages import AnnotationHighlighted, AnnotationSelected
from tui.rendering import visible

QUOTE_CHARS = 160
NOTE_CHARS = 200


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters (an ellipsis when cut)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def source_line(annotation: Annotation) -> str:
    """Outlet, date and title of the annotated article, for lists across articles."""
    parts = [
        annotation.outlet or "unknown outlet",
        annotation.published or "",
        annotation.article_title,
    ]
    return " · ".join(part for part in parts if part)


class AnnotationsPanel(OptionList):
    """Annotations in text order, then the orphaned ones under their own heading."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "annotations-panel--quote",
        "annotations-panel--note",
        "annotations-panel--tags",
        "annotations-panel--status",
        "annotations-panel--source",
        "annotations-panel--heading",
    }

    def __init__(
        self,
        *,
        with_source: bool = False,
        empty_text: str = "No annotations yet: select a passage, then press a.",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.with_source = with_source
        self.empty_text = empty_text
        self.annotations: list[Annotation] = []
        self._rows: list[Annotation | None] = []  # one per option, None for headings

    def show_annotations(self, annotations: list[Annotation], *, keep: int | None = None) -> None:
        """List these annotations; the cursor goes to annotation `keep` when it is listed."""
        placed = [a for a in annotations if not a.is_orphaned]
        orphaned = [a for a in annotations if a.is_orphaned]
        self.annotations = placed + orphaned
        self._rows = []
        options: list[Option] = []
        for annotation in placed:
            self._rows.append(annotation)
            options.append(Option(self._prompt(annotation)))
        if orphaned:
            self._rows.append(None)
            heading = f"Orphaned ({len(orphaned)}): passage no longer in the text"
            options.append(Option(self._heading(heading), disabled=True))
            for annotation in orphaned:
                self._rows.append(annotation)
                options.append(Option(self._prompt(annotation)))
        if not options:
            self._rows.append(None)
            options.append(Option(Text(self.empty_text, end=""), disabled=True))
        self.clear_options()
        self.add_options(options)
        changed = sum(a.status == "changed" for a in annotations)
        review = f", {changed} changed: v accepts" if changed else ""
        self.border_title = f"Annotations ({len(annotations)}{review})"
        if (keep is None or not self.select_annotation(keep)) and self.annotations:
            self.highlighted = self._rows.index(self.annotations[0])

    @property
    def current(self) -> Annotation | None:
        """The annotation under the list's cursor."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self._rows):
            return None
        return self._rows[index]

    def select_annotation(self, annotation_id: int) -> bool:
        """Move the cursor to this annotation; False when it is not listed."""
        for index, row in enumerate(self._rows):
            if row is not None and row.id == annotation_id:
                self.highlighted = index
                return True
        return False

    def _heading(self, text: str) -> Text:
        return Text(
            text, self.get_component_rich_style("annotations-panel--heading", partial=True), end=""
        )

    def _prompt(self, annotation: Annotation) -> Text:
        # Partial styles: options keep their Text, so a full style would freeze the
        # background of the moment they were built (focused or not).
        def style(name: str) -> Style:
            return self.get_component_rich_style(name, partial=True)

        text = Text(end="")
        if self.with_source:
            text.append(
                visible(shorten(source_line(annotation), 120)) + "\n",
                style("annotations-panel--source"),
            )
        text.append(
            "“" + visible(shorten(annotation.exact, QUOTE_CHARS)) + "”",
            style("annotations-panel--quote"),
        )
        if annotation.note:
            text.append(
                "\n  " + visible(shorten(annotation.note, NOTE_CHARS)),
                style("annotations-panel--note"),
            )
        if annotation.tags:
            text.append(
                "\n  " + " ".join("#" + visible(tag) for tag in annotation.tags),
                style("annotations-panel--tags"),
            )
        status = status_line(annotation)
        if status:
            text.append("\n  " + visible(status), style("annotations-panel--status"))
        return text

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter or click: show the annotation."""
        event.stop()
        annotation = self._rows[event.option_index]
        if annotation is not None:
            self.post_message(AnnotationSelected(annotation))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving through the list while it has focus lets the text follow."""
        event.stop()
        annotation = self._rows[event.option_index]
        if self.has_focus and annotation is not None:
            self.post_message(AnnotationHighlighted(annotation))
