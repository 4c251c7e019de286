"""Helpers shared by the command-line tests (click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from tui.cli import cli


def run(runner: CliRunner, db_path: Path, *args: str) -> Result:
    """Run `recoupe --db DB_PATH ARGS...`."""
    return runner.invoke(cli, ["--db", str(db_path), *args])


def json_lines(text: str) -> list[dict]:
    """The JSON objects of a --json output, one per line."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def assert_one_line_error(result: Result, code: int, fragment: str) -> None:
    """The command failed with `code` and one line `Error: ...` naming `fragment`."""
    assert result.exit_code == code, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    assert fragment in lines[0], lines[0]
    assert "Traceback" not in result.output
