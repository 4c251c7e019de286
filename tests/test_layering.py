"""The import graph of `store/` and `tui/`, read from the source (nothing is imported).

Every import counts, at the top of a module, inside a function or under TYPE_CHECKING:
a loop that only closes inside a function is a loop all the same.
"""

from __future__ import annotations

import ast
import graphlib
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("store", "tui")

LAYERS: list[list[str]] = [
    ["store.models", "store.errors", "store.spans", "store.numbers", "store.lazy"],
    ["store.db"],
    ["store.library", "store.figures", "store.names", "store.quotes", "store.stories"],
    ["store.derive"],
    ["store.search", "store.compare", "store.annotations"],
    ["store.ingest"],
    ["store.evaluation"],
]
"""The store's layers, bottom first, as module prefixes: a module imports only from its
own layer or below."""

Graph = dict[str, set[str]]


def module_name(path: Path) -> str:
    """`store/db/sqlite.py` -> `store.db.sqlite`; a package's `__init__.py` is the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    return {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def imported_names(module: str, path: Path) -> Iterator[str]:
    """The dotted names a module imports (each `from X import Y` gives X and X.Y)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the importing module's package
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and _calls_import_module(node) and node.args:
            yield from _dynamic_target(node.args[0])


def _calls_import_module(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "import_module"


def _dynamic_target(arg: ast.expr) -> Iterator[str]:
    """`import_module("a.b")` imports a.b; `import_module(f"a.{name}")` any module `a.*`."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        yield arg.value
    elif isinstance(arg, ast.JoinedStr) and arg.values:
        head = arg.values[0]
        if isinstance(head, ast.Constant) and str(head.value).endswith("."):
            yield f"{head.value}*"


def import_graph() -> tuple[Graph, Graph]:
    """(project graph, every import): edges to project modules, and every name imported."""
    modules = project_modules()
    graph: Graph = {}
    everything: Graph = {}
    for module, path in modules.items():
        names = set(imported_names(module, path))
        everything[module] = names
        found = {
            other
            for name in names
            for other in (
                [m for m in modules if m.startswith(name[:-1])] if name.endswith(".*") else [name]
            )
        }
        graph[module] = {name for name in found if name in modules and name != module}
    return graph, everything


def find_cycle(graph: Graph) -> list[str] | None:
    """One import loop of the graph, each module followed by one it imports, or None."""
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return list(reversed(error.args[1]))  # graphlib lists each module's importer next
    return None


def restricted(graph: Graph, prefix: str) -> Graph:
    """The part of the graph among modules named `prefix` or `prefix.*`."""

    def inside(name: str) -> bool:
        return name == prefix or name.startswith(prefix + ".")

    return {m: {t for t in targets if inside(t)} for m, targets in graph.items() if inside(m)}


def layer_of(module: str, layers: list[list[str]]) -> int | None:
    """The index of the layer a module belongs to (by its longest matching prefix)."""
    matches = [
        (len(prefix), index)
        for index, prefixes in enumerate(layers)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    return max(matches)[1] if matches else None


def layering_violations(graph: Graph, layers: list[list[str]]) -> list[str]:
    """Every import of a store module from a higher layer, and every module in no layer."""
    problems = []
    for module, targets in sorted(restricted(graph, "store").items()):
        if module == "store":
            continue  # the root package holds only its docstring
        own = layer_of(module, layers)
        if own is None:
            problems.append(f"{module} is in no layer")
            continue
        for target in sorted(targets):
            theirs = layer_of(target, layers)
            if theirs is not None and theirs > own:
                problems.append(f"{module} (layer {own}) imports {target} (layer {theirs})")
    return problems


@pytest.fixture(scope="module")
def graphs() -> tuple[Graph, Graph]:
    """The project's import graph and every name each module imports."""
    return import_graph()


def test_the_graph_sees_every_kind_of_import(graphs: tuple[Graph, Graph]) -> None:
    graph, _ = graphs
    assert "tui.screens.library" in graph["tui.app"]  # imported inside a method
    assert "store.db" in graph["tui.db_access"]  # at the top
    assert "tui.commands.figures" in graph["tui.cli"]  # by importlib.import_module(f"...")
    assert len(restricted(graph, "store")) > 20 and len(restricted(graph, "tui")) > 20


def test_the_cycle_finder_finds_a_loop_closed_inside_a_function() -> None:
    graph = {"tui.a": {"tui.b"}, "tui.b": {"tui.c"}, "tui.c": {"tui.a"}, "tui.d": {"tui.a"}}
    cycle = find_cycle(graph)
    assert cycle is not None
    assert cycle[0] == cycle[-1] and set(cycle) == {"tui.a", "tui.b", "tui.c"}
    assert all(after in graph[before] for before, after in itertools.pairwise(cycle))
    assert find_cycle({"tui.a": {"tui.b"}, "tui.b": set()}) is None


def test_no_import_loops_in_tui(graphs: tuple[Graph, Graph]) -> None:
    graph, _ = graphs
    cycle = find_cycle(restricted(graph, "tui"))
    assert cycle is None, " -> ".join(cycle or [])


def test_no_import_loops_in_store(graphs: tuple[Graph, Graph]) -> None:
    graph, _ = graphs
    cycle = find_cycle(restricted(graph, "store"))
    assert cycle is None, " -> ".join(cycle or [])


def test_the_store_imports_neither_tui_nor_textual(graphs: tuple[Graph, Graph]) -> None:
    _, everything = graphs
    for module, names in restricted(everything, "store").items():
        roots = {name.split(".")[0] for name in names}
        assert not roots & {"tui", "textual"}, f"{module} imports {roots & {'tui', 'textual'}}"


def test_layering_reports_an_import_from_above() -> None:
    graph = {"store.db.sqlite": {"store.annotations.notes", "store.models"}}
    assert layering_violations(graph, LAYERS) == [
        "store.db.sqlite (layer 1) imports store.annotations.notes (layer 4)"
    ]
    assert layering_violations({"store.newpart": set()}, LAYERS) == ["store.newpart is in no layer"]


def test_the_store_imports_only_its_own_layer_or_below(graphs: tuple[Graph, Graph]) -> None:
    graph, _ = graphs
    assert layering_violations(graph, LAYERS) == []
