"""Command palette provider: every action of the current screen, by its description."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

PaletteCommand = tuple[str, str, Callable[[], object]]

SORT_COMMANDS = (
    ("published", "Sort by date"),
    ("title", "Sort by title"),
    ("outlet", "Sort by outlet"),
    ("figures", "Sort by number of figures"),
    ("annotations", "Sort by number of annotations"),
)

EXPORT_COMMANDS = (("json", "JSON"), ("csv", "CSV"), ("md", "Markdown"))


class RecoupeCommands(Provider):
    """The actions bound to keys on the current screen, plus sorting, as palette commands."""

    def _commands(self) -> Iterator[PaletteCommand]:
        seen: set[str] = set()
        # recoupe's own commands first: the screen's and the app's, then those of
        # recoupe's widgets, then the generic keys of Textual's widgets (Up, Scroll Left...).
        ordered = sorted(
            self.screen.active_bindings.items(),
            key=lambda item: _rank(item[1].node, item[1].binding.action),
        )
        for key, active in ordered:
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            if binding.action in {"command_palette", "app.command_palette"}:
                continue
            seen.add(binding.action)
            keys = self.app.get_key_display(binding) or key
            yield (
                binding.description,
                f"{_doc(active.node, binding.action)} ({keys})",
                partial(self._run, binding.action, active.node),
            )
        if hasattr(self.screen, "action_sort_by"):
            for key, title in SORT_COMMANDS:
                yield (
                    title,
                    "Order the library list",
                    partial(self._run, f"sort_by('{key}')", self.screen),
                )
        for fmt, name in EXPORT_COMMANDS:
            yield (
                f"Export annotations as {name}",
                "Choose the annotations and the file (default: your documents folder)",
                partial(self._run, f"app.export_annotations('{fmt}')", self.app),
            )

    async def _run(self, action: str, node: DOMNode) -> None:
        await self.app.run_action(action, node)

    async def discover(self) -> Hits:
        """Every command, for an empty palette."""
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose title matches the query, best first."""
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


def _rank(node: DOMNode, action: str) -> int:
    """0 for a screen's or the app's command, 1 for recoupe's widgets', 2 for the generic
    keys a widget inherits from Textual's own classes (cursor up, scroll left...)."""
    from textual.app import App
    from textual.screen import Screen

    if isinstance(node, Screen | App):
        return 0
    for cls in type(node).__mro__:
        declared = cls.__dict__.get("BINDINGS", ())
        if any(getattr(b, "action", None) == action for b in declared):
            return 1 if cls.__module__.startswith("tui.") else 2
    return 1 if type(node).__module__.startswith("tui.") else 2


def _doc(node: DOMNode, action: str) -> str:
    """The first line of the action method's docstring, as help text."""
    name = action.rsplit(".", 1)[-1].split("(", 1)[0]
    target: object = node.app if action.startswith("app.") else node
    method = getattr(target, f"action_{name}", None)
    doc = (getattr(method, "__doc__", None) or "").strip().splitlines()
    return doc[0].rstrip(".") if doc else name.replace("_", " ")
