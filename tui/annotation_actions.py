"""Annotate, edit and delete passages from a screen that shows articles.

`AnnotationActions` is mixed into the reading, compare and tags screens: they say which
article view is the target and what to do once annotations changed; the dialogs,
the confirmation and the writes (in a worker thread, through the app's one
connection) are the same for all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen
from textual.worker import get_current_worker

from store.annotations import (
    create_annotation,
    delete_annotation,
    move_annotation,
    restore_annotation,
    update_annotation,
)
from store.errors import RecoupeError
from store.models import Annotation
from tui.data import annotations_and_tag_names
from tui.library_host import library_database
from tui.screens.annotate import AnnotateScreen, NoteAndTags
from tui.screens.confirm import ConfirmScreen
from tui.selection import Span
from tui.widgets.annotations_panel import shorten

if TYPE_CHECKING:
    from store.db import Library


if TYPE_CHECKING:
    from tui.widgets.article_view import ArticleView

SELECT_HINT = "Select a passage first: shift+→ / shift+↓ extend by word / sentence, or drag."


class AnnotationActions:
    """The annotate / edit / delete actions, for a Screen subclass."""

    tag_names: list[str]
    NO_CURRENT_HINT = "No annotation chosen: n / N or the list."

    def annotation_target(self) -> tuple[int, ArticleView] | None:
        """The article id and view a new annotation is made in (None when not ready)."""
        raise NotImplementedError

    def current_annotation(self) -> Annotation | None:
        """The annotation that edit and delete apply to."""
        return None

    def annotations_changed(self, keep: int | None = None) -> None:
        """Read the annotations again (keeping annotation `keep` current when given)."""
        raise NotImplementedError

    @property
    def _screen(self) -> Screen[Any]:
        return cast("Screen[Any]", self)

    def read_annotations(self, article_ids: list[int]) -> tuple[list[Annotation], list[str]] | None:
        """In a worker thread: the annotations of the articles and every tag name.

        None when the database failed (the user is told) or a newer read replaced this one.
        """
        app = self._screen.app
        try:
            with library_database(self._screen).use() as db:
                read = annotations_and_tag_names(db, article_ids)
        except Exception as exc:
            app.call_from_thread(
                self._screen.notify, f"cannot read the annotations: {exc}", severity="error"
            )
            return None
        return None if get_current_worker().is_cancelled else read

    # -- actions ----------------------------------------------------------------------

    def action_annotate(self) -> None:
        """Annotate the selected passage: a note and tags."""
        target = self.annotation_target()
        if target is None:
            return
        article_id, view = target
        span = view.selection
        if span is None:
            self._screen.notify(SELECT_HINT, severity="warning")
            return
        dialog = AnnotateScreen(view.body[span.start : span.end], tag_names=self.tag_names)
        self._screen.app.push_screen(dialog, partial(self._create, article_id, span, view))

    def action_edit_annotation(self) -> None:
        """Change the note and tags of the current annotation."""
        annotation = self._current_or_warn()
        if annotation is None:
            return
        dialog = AnnotateScreen(
            annotation.exact,
            tag_names=self.tag_names,
            note=annotation.note,
            tags=annotation.tags,
            title="Edit annotation",
        )
        self._screen.app.push_screen(dialog, partial(self._update, annotation))

    def action_delete_annotation(self) -> None:
        """Delete the current annotation (after asking)."""
        annotation = self._current_or_warn()
        if annotation is None:
            return
        question = f"Delete the annotation on “{shorten(annotation.exact, 80)}”?"
        self._screen.app.push_screen(
            ConfirmScreen(question, yes="Delete", no="Keep"), partial(self._delete, annotation)
        )

    def action_move_annotation(self) -> None:
        """Attach the current annotation (an orphaned one) to the selected passage."""
        annotation = self._current_or_warn()
        target = self.annotation_target()
        if annotation is None or target is None:
            return
        article_id, view = target
        span = view.selection
        if span is None or article_id != annotation.article_id:
            self._screen.notify(SELECT_HINT, severity="warning")
            return
        view.action_clear_selection()
        self._write(
            lambda db: move_annotation(db, annotation.id, span.start, span.end),
            "Annotation attached to the selected passage.",
        )

    def _current_or_warn(self) -> Annotation | None:
        annotation = self.current_annotation()
        if annotation is None:
            self._screen.notify(self.NO_CURRENT_HINT, severity="warning")
        return annotation

    # -- writes -----------------------------------------------------------------------

    def _create(
        self, article_id: int, span: Span, view: ArticleView, result: NoteAndTags | None
    ) -> None:
        if result is None:
            return
        view.action_clear_selection()
        self._write(
            lambda db: create_annotation(
                db, article_id, span.start, span.end, note=result.note, tags=result.tags
            ),
            "Annotation saved.",
        )

    def _update(self, annotation: Annotation, result: NoteAndTags | None) -> None:
        if result is None:
            return
        self._write(
            lambda db: update_annotation(db, annotation.id, note=result.note, tags=result.tags),
            "Annotation updated.",
        )

    def _delete(self, annotation: Annotation, confirmed: bool | None) -> None:
        if not confirmed:
            return
        self._write(
            lambda db: delete_annotation(db, annotation.id),
            "Annotation deleted (u undoes it).",
            keep=False,
            deleted=True,
        )

    def action_undo_delete(self) -> None:
        """Put back the annotation deleted last."""
        if not self._deleted:
            self._screen.notify("No deleted annotation to put back.", severity="warning")
            return
        annotation = self._deleted.pop()
        self._write(lambda db: restore_annotation(db, annotation), "Annotation put back.")

    @property
    def _deleted(self) -> list[Annotation]:
        """Annotations deleted from this screen, the last one last (for undo)."""
        stack: list[Annotation] | None = getattr(self, "_deleted_stack", None)
        if stack is None:
            stack = []
            self._deleted_stack = stack
        return stack

    def _write(
        self,
        change: Callable[[Library], Annotation],
        done: str,
        *,
        keep: bool = True,
        deleted: bool = False,
    ) -> None:
        """Run one store change in a worker thread, then say so and read the list again.

        With `keep`, the changed annotation becomes the current one; a `deleted` one
        can be put back with undo.
        """
        screen = self._screen
        app = screen.app
        database = library_database(screen)

        def run() -> None:
            try:
                with database.use() as db:
                    annotation = change(db)
            except RecoupeError as exc:
                app.call_from_thread(screen.notify, str(exc), severity="error")
                return
            except Exception as exc:  # no traceback on screen
                app.call_from_thread(
                    screen.notify, f"cannot save the annotation: {exc}", severity="error"
                )
                return
            if deleted:
                app.call_from_thread(self._deleted.append, annotation)
            app.call_from_thread(self._written, annotation if keep else None, done)

        screen.run_worker(run, thread=True, group="annotation-write", exit_on_error=False)

    def _written(self, annotation: Annotation | None, done: str) -> None:
        self._screen.notify(done)
        self.annotations_changed(None if annotation is None else annotation.id)
