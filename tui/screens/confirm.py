"""Small dialogs: a yes/no question, a line of text to type, one choice among a few."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.rendering import visible
from tui.widgets.safe_input import SafeInput


class ConfirmScreen(ModalScreen[bool]):
    """Ask a question; y or Enter on Yes answers True, n or Escape False."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        """The question and two buttons."""
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(Text(visible(self.question), end=""), id="confirm-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="confirm-yes")
                yield Button(f"{self.no} (n)", id="confirm-no")

    def on_mount(self) -> None:
        """The safe answer has the focus."""
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        """Close with this answer."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text; Enter answers it, Escape cancels (None)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        question: str,
        *,
        value: str = "",
        placeholder: str = "",
        suggester: Suggester | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        """The question and the input."""
        with Vertical(classes="dialog prompt-dialog"):
            yield Static(Text(visible(self.question), end=""), id="prompt-question")
            yield SafeInput(
                self.value, placeholder=self.placeholder, suggester=self.suggester, id="prompt"
            )
            yield Static(Text("Enter to confirm, Escape to cancel", end=""), classes="dialog-hint")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)


class ChoiceScreen(ModalScreen[str | None]):
    """Choose one of a few options (key, label); Escape cancels (None)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        """The question and the options."""
        with Vertical(classes="dialog choice-dialog"):
            yield Static(Text(visible(self.question), end=""), id="choice-question")
            yield OptionList(*(Option(label, id=key) for key, label in self.choices))

    def on_mount(self) -> None:
        """The options have the focus."""
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        """Close without a choice."""
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
