"""Input and TextArea that keep pasted escape sequences and invisible characters out.

Keys typed in an Input are printable, but a paste arrives as it was copied: a
terminal escape sequence or a bidi override in it would be drawn raw by the
Input and reach the terminal (or reorder what is shown).
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from store.library import strip_unsafe


class SafeInput(Input):
    """Input whose pasted text goes through the same hygiene as article text."""

    def _on_paste(self, event: events.Paste) -> None:
        # Input's own handler would insert the raw text: do it here, cleaned, instead.
        event.prevent_default()
        event.stop()
        lines = strip_unsafe(event.text).splitlines()
        if not lines:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(lines[0])
        else:
            self.replace(lines[0], *self.selection)


def _define_safe_text_area() -> type:
    # TextArea brings its document machinery: loaded when a note is first edited,
    # not for the search box of the first screen.
    from textual.widgets import TextArea

    class SafeTextArea(TextArea):
        """TextArea (the note of an annotation) whose pasted text is cleaned the same way."""

        async def _on_paste(self, event: events.Paste) -> None:
            # TextArea's own handler would insert the raw text: do it here, cleaned, instead.
            event.prevent_default()
            event.stop()
            if self.read_only:
                return
            if result := self._replace_via_keyboard(strip_unsafe(event.text), *self.selection):
                self.move_cursor(result.end_location)
                self.focus()

    SafeTextArea.__qualname__ = "SafeTextArea"
    return SafeTextArea


def __getattr__(name: str) -> type:
    """`SafeTextArea`, defined on first use (see _define_safe_text_area)."""
    if name == "SafeTextArea":
        globals()[name] = _define_safe_text_area()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
