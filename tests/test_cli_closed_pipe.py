"""Every printing command, piped into a reader that has gone (`| head`), exits quietly.

Real processes: the command's stdout is a pipe whose reading end is closed, either
before the command writes (every write fails) or after reading a few hundred bytes,
as `head -c 400` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.annotations import annotate_quote
from store.db.sqlite import connect
from store.ingest.importer import import_paths
from tests.conftest import SAMPLE_CORPUS, derive_all
from tui.closed_pipe import EXIT_CLOSED_PIPE

RECOUPE = [sys.executable, "-c", "from tui.cli import main; main()"]

COMMANDS = [
    ["--help"],
    ["--version"],
    ["list"],
    ["show", "1"],
    ["show", "1", "--json"],
    ["search", "interpol"],
    ["search", "interpol", "--json"],
    ["figures", "1"],
    ["compare", "1", "2", "3"],
    ["annotations"],
    ["tags", "--json"],
    ["export", "-f", "md"],
    ["import", str(SAMPLE_CORPUS)],
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus with one annotation, in a file of its own."""
    path = tmp_path_factory.mktemp("pipes") / "recoupe.db"
    db = connect(path)
    import_paths(db, [SAMPLE_CORPUS])
    derive_all(db)
    annotate_quote(db, 1, "Interpol", occurrence=1, note="à vérifier", tags=["source"])
    db.close()
    return path


def environment(library: Path) -> dict[str, str]:
    """The test's environment, with the library as the default database."""
    return {**os.environ, "RECOUPE_DB": str(library), "COLUMNS": "100"}


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_closed_pipe_ends_the_command_quietly(library: Path, args: list[str]) -> None:
    reading_end, writing_end = os.pipe()
    os.close(reading_end)  # the reader is gone before the first line is written
    try:
        done = subprocess.run(
            [*RECOUPE, *args],
            stdout=writing_end,
            stderr=subprocess.PIPE,
            env=environment(library),
            text=True,
            timeout=60,
        )
    finally:
        os.close(writing_end)
    assert done.stderr == ""
    assert done.returncode == EXIT_CLOSED_PIPE


@pytest.mark.parametrize("args", [["export"]], ids=" ".join)
def test_like_head_c_400(library: Path, args: list[str]) -> None:
    """The reader takes 400 bytes and leaves; the command says nothing on stderr."""
    process = subprocess.Popen(
        [*RECOUPE, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(library),
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.read(400)
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=60)
    assert len(first) == 400
    assert stderr == b""
    assert process.returncode in (0, EXIT_CLOSED_PIPE)
