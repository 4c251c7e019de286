"""A database that is not recoupe's is refused whole: one clear line, nothing written."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from store.db import connect, connect_reader
from store.errors import ForeignDatabase
from tui.cli import cli


def foreign_file(path: Path) -> str:
    """Another program's SQLite file (with an `annotations` table, as one tester's had)."""
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE annotations (id INTEGER PRIMARY KEY, text TEXT)")
    raw.execute("INSERT INTO annotations (text) VALUES ('leur note')")
    raw.commit()
    raw.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("opener", [connect, connect_reader])
def test_a_foreign_database_is_refused_and_left_byte_for_byte(tmp_path: Path, opener) -> None:
    path = tmp_path / "other.sqlite"
    digest = foreign_file(path)
    with pytest.raises(ForeignDatabase, match="another program"):
        opener(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not (tmp_path / "other.sqlite-wal").exists()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 0
    raw.close()


def test_the_cli_says_so_in_one_line_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    digest = foreign_file(path)
    for args in (["list"], ["search", "note"], ["import", str(tmp_path)]):
        result = CliRunner().invoke(cli, ["--db", str(path), *args])
        assert result.exit_code == 2, (args, result.output)
        assert len(result.stderr.strip().splitlines()) == 1
        assert "not a recoupe library" in result.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_an_empty_file_and_recoupe_s_own_files_open(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    connect(empty).close()
    again = connect(empty)  # now recoupe's: marked, and opened again
    assert again.execute("PRAGMA application_id").fetchone()[0] != 0
    again.close()
