"""`--db` (or RECOUPE_DB) given a URL: one clear line, exit 2, and no path ever created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from store.db import check_location, connect
from store.errors import LocationError

RECOUPE = [sys.executable, "-c", "from tui.cli import main; main()"]


def recoupe(cwd: Path, *args: str, db: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run recoupe in `cwd`, with RECOUPE_DB set to `db` when given."""
    env = {k: v for k, v in os.environ.items() if k != "RECOUPE_DB"}
    env["XDG_DATA_HOME"] = str(cwd / "data")
    if db is not None:
        env["RECOUPE_DB"] = db
    return subprocess.run(
        [*RECOUPE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("args", "db", "fragment"),
    [
        (["--db", "postgresql://user@/db", "import", "x.txt"], None, "postgresql://"),
        (["--db", "sqlite:///tmp/x.db", "list"], None, "sqlite://"),
        (["--db", "file:///tmp/x.db", "list"], None, "file://"),
        (["list"], "mysql://host/db", "RECOUPE_DB=mysql://host/db"),
    ],
)
def test_a_url_is_refused_in_one_line_and_creates_nothing(
    tmp_path: Path, args: list[str], db: str | None, fragment: str
) -> None:
    done = recoupe(tmp_path, *args, db=db)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and fragment in lines[0]
    assert done.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no folder, no file, no data dir


def test_the_store_refuses_a_url_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LocationError, match="postgresql://"):
        connect("postgresql://user@/db")
    assert list(tmp_path.iterdir()) == []
    assert check_location(tmp_path / "fine.db") == str(tmp_path / "fine.db")


def test_import_of_a_web_address_says_what_was_typed(tmp_path: Path) -> None:
    done = recoupe(tmp_path, "import", "https://www.lemonde.fr/article.html", "./absent.txt")
    assert done.returncode == 1
    assert "skipped https://www.lemonde.fr/article.html: a web address" in done.stderr
    assert "skipped ./absent.txt: no such file or folder" in done.stderr
