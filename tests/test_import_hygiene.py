"""The store is headless, and the command line starts without the app or the HTML extractor."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running `code`."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_the_store_never_imports_textual() -> None:
    loaded = modules_after(
        "import importlib, pkgutil, store\n"
        "for module in pkgutil.walk_packages(store.__path__, 'store.'):\n"
        "    importlib.import_module(module.name)\n"
    )
    assert "store.ingest.importer" in loaded  # every module of the store was imported
    assert "textual" not in loaded
    assert not any(name.startswith("tui") for name in loaded)


def test_the_search_command_path_loads_neither_textual_nor_trafilatura() -> None:
    loaded = modules_after(
        "import sys\n"
        "from tui.cli import cli\n"
        "try:\n"
        "    cli(['--db', ':memory:', 'search', 'x'], standalone_mode=False)\n"
        "except Exception:\n"
        "    pass\n"
    )
    assert "store.db.sqlite.fulltext" in loaded
    assert "textual" not in loaded
    assert "trafilatura" not in loaded
    assert "charset_normalizer" not in loaded
