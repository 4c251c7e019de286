"""Escape sequences stored in the database never reach the terminal (issue 19, hole 2).

The database is written directly with sqlite3, as an older build or another tool could
have: titles, outlets, bodies (whence figures and their sentences), notes and tags holding
ESC sequences (CSI colours, screen clears, OSC title changes), BEL and 8-bit CSI. Every
command prints them
as visible marks (or JSON escapes) whatever path prints them: tables, tab-separated
lines, JSON lines, exported documents, error messages.
"""

from __future__ import annotations

import ast
import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

import tui.commands
from tui.cli import cli

TITLE_OSC = "\x1b]0;pwned\x07"  # sets the terminal's title
CLEAR = "\x1b[2J\x1b[H"  # clears the screen
RED = "\x1b[31;5m"  # red, blinking
CSI_8BIT = "\x9b1m"  # CSI as one C1 character
BIDI = "\u202e"  # right-to-left override: shows text reversed
HOSTILE = [TITLE_OSC, CLEAR, RED, CSI_8BIT, BIDI, "\x07", "\x1b"]


def no_escape_reached(text: str) -> None:
    for sequence in ("\x1b", "\x07", "\x9b", BIDI):
        assert sequence not in text, repr(text[max(0, text.find(sequence) - 40) :][:120])


@pytest.fixture
def tainted(sample_db: sqlite_utils.Database, db_path: Path) -> Path:
    """The sample library, then escapes written into every kind of text, bypassing recoupe."""
    from store.annotations import annotate_quote

    first = sample_db.execute("SELECT min(id) FROM articles").fetchone()[0]
    annotate_quote(sample_db, first, "Interpol", occurrence=1, note="note", tags=["chiffre"])
    sample_db.close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "UPDATE articles SET title = ? || title, outlet = ? || outlet, body = ? || body || ?",
            [TITLE_OSC + RED, CSI_8BIT, CLEAR + "Interpol " + BIDI, " fin\x07" + TITLE_OSC],
        )
        conn.execute("UPDATE annotations SET note = ?, exact = exact || ?", [TITLE_OSC + "n", RED])
        conn.execute("UPDATE tags SET name = name || ?", [CLEAR])
    conn.close()
    return db_path


COMMANDS = [
    ["show", "{id}"],
    ["show", "{id}", "--json"],
    ["list"],
    ["list", "--json"],
    ["search", "interpol"],
    ["search", "interpol", "--json"],
    ["search", "--figure", "116"],
    ["figures", "{id}"],
    ["figures", "{id}", "--json"],
    ["compare", "{id}", "{id2}"],
    ["compare", "{id}", "{id2}", "--json"],
    ["annotations"],
    ["annotations", "--json"],
    ["tags"],
    ["export", "--format", "md"],
    ["export", "--format", "csv"],
    ["export", "--format", "json"],
]


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "tables"])
def test_no_command_prints_a_stored_escape(
    tainted: Path, terminal: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.commands.library as library_commands

    # On a "terminal", search and list draw rich tables (the console itself stays
    # colourless: CliRunner's stream is no terminal, so any ESC would come from the data).
    monkeypatch.setattr(library_commands, "stdout_is_terminal", lambda: terminal)
    conn = sqlite3.connect(tainted)
    first, second = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")][:2]
    conn.close()
    runner = CliRunner()
    for command in COMMANDS:
        args = [arg.format(id=first, id2=second) for arg in command]
        result = runner.invoke(cli, ["--db", str(tainted), *args], catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        no_escape_reached(result.stdout)
        no_escape_reached(result.stderr)
        if "--json" in args:
            for line in result.stdout.splitlines():
                json.loads(line)  # still JSON, the escapes escaped (nothing lost)


def test_show_marks_each_control_character_visibly(tainted: Path) -> None:
    conn = sqlite3.connect(tainted)
    first = conn.execute("SELECT min(id) FROM articles").fetchone()[0]
    conn.close()
    result = CliRunner().invoke(cli, ["--db", str(tainted), "show", str(first)])
    assert "␛]0;pwned" in result.stdout  # seen, not obeyed (rich drops the BEL itself)
    assert "␛[2J" in result.stdout
    shown = CliRunner().invoke(cli, ["--db", str(tainted), "show", str(first), "--json"])
    assert json.loads(shown.stdout)["body"].startswith(CLEAR)  # JSON keeps the data exactly


def test_an_error_message_holding_an_escape_is_neutralised(tainted: Path) -> None:
    import click

    from store.errors import RecoupeError

    @click.command("fail-with-escape")
    def failing() -> None:
        raise RecoupeError(f"no such thing: {CLEAR}{TITLE_OSC}")  # as raw stored text would

    cli.add_command(failing)
    try:
        result = CliRunner().invoke(cli, ["--db", str(tainted), "fail-with-escape"])
    finally:
        cli.commands.pop("fail-with-escape")
    assert result.exit_code == 2
    no_escape_reached(result.output)
    assert "␛[2J" in result.output


def test_every_command_prints_through_the_output_module() -> None:
    """No command module calls print, click.echo or builds a Console of its own."""
    folder = Path(tui.commands.__path__[0])
    offenders = []
    for path in [*sorted(folder.glob("*.py")), folder.parent / "cli.py"]:
        if path.name == "output.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in {"print", "click.echo", "click.secho", "Console", "sys.stdout.write"}:
                    offenders.append(f"{path.name}:{node.lineno}: {name}")
    assert offenders == []
