"""Short commands load only what they use (start-up: see bench/cli_startup.py for the times)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from store.db.sqlite import connect
from store.ingest.importer import import_paths
from tests.conftest import ROOT, SAMPLE_CORPUS, derive_all


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lazy") / "recoupe.db"
    db = connect(path)
    import_paths(db, [SAMPLE_CORPUS])
    derive_all(db)  # as after an import: the figures are computed and stored
    db.close()
    return path


def modules_after(*args: str) -> set[str]:
    """The modules loaded by `recoupe ARGS` (stdout piped), in a fresh interpreter."""
    script = (
        "import json, sys\n"
        "from tui.cli import cli\n"
        f"try:\n    cli({list(args)!r}, prog_name='recoupe')\n"
        "except SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(done.stderr.splitlines()[-1]))


def test_help_loads_no_store_model_and_no_rich() -> None:
    loaded = modules_after("--help")
    assert "tui.commands.figures" in loaded  # every command was registered
    assert not {"store.models", "sqlite_utils", "store.figures.extract"} & loaded
    assert not any(name.startswith("rich") for name in loaded)


@pytest.mark.parametrize(
    "args", [["list"], ["show", "1"], ["figures", "1"], ["compare", "1", "2", "3"]], ids=" ".join
)
def test_reading_commands_load_neither_sqlite_utils_nor_the_figure_reader(
    library: Path, args: list[str]
) -> None:
    loaded = modules_after("--db", str(library), *args)
    assert "store.library.articles" in loaded  # the command ran
    assert "sqlite_utils" not in loaded
    if args[0] in ("list", "show"):
        # Stored figures are read, not extracted; figures and compare read the headline's
        # figures from the title when they show them (not derived data yet).
        assert "store.figures.extract" not in loaded
    assert "store.library.parsing" not in loaded
    assert "rich.table" not in loaded  # piped: plain lines
