"""The app's undo: `u` takes back the last change to notes and tags, from any screen.

Each change that can be undone (a note made, edited or deleted; a tag renamed, merged
or deleted) leaves an UndoStep on the app's one stack; `u` pops the last and runs it.
The stack hangs on the app object, reached from a screen without importing the app
module (see tui.library_host for why screens do not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from store.db import Library

UNDO_LIMIT = 50
"""Steps kept; the oldest go first."""


@dataclass(frozen=True, slots=True)
class UndoStep:
    """One change that can be taken back: what it was, and how to take it back."""

    description: str  # "the edit of the note", "the merge of #a into #b"
    undo: Callable[[Library], object]


class UndoStack:
    """The last changes, the latest on top."""

    def __init__(self) -> None:
        self.steps: list[UndoStep] = []

    def push(self, step: UndoStep) -> None:
        """Keep a step (the oldest is dropped past UNDO_LIMIT)."""
        self.steps.append(step)
        del self.steps[:-UNDO_LIMIT]

    def pop(self) -> UndoStep | None:
        """The last step, taken off the stack; None when there is nothing to undo."""
        return self.steps.pop() if self.steps else None


def undo_stack(node: DOMNode) -> UndoStack:
    """The undo stack of the app that `node` runs in (made on first use)."""
    app = node.app
    stack = getattr(app, "recoupe_undo_stack", None)
    if stack is None:
        stack = UndoStack()
        app.recoupe_undo_stack = stack  # type: ignore[attr-defined]
    return stack
