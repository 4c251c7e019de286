"""Shared fixtures: temporary databases, the sample corpus, the shared test material."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import Library
from store.db.sqlite import connect
from store.derive import run_pending
from store.ingest.importer import import_paths

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = ROOT / "sample_corpus"
SHARED = ROOT.parent / "shared"
EVAL_DATA = SHARED / "eval-data"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test touches the user's real database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("RECOUPE_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh database file."""
    return tmp_path / "recoupe.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Library]:
    """An empty, migrated database in a temporary file."""
    database = connect(db_path)
    yield database
    database.close()


@pytest.fixture
def sample_db(db: Library) -> Library:
    """A database holding the three sample articles, their derived data computed."""
    report = import_paths(db, [SAMPLE_CORPUS])
    assert report.imported == 3, report.outcomes
    derive_all(db)
    return db


def derive_all(db: Library) -> None:
    """Compute every pending article's derived data (figures...), in this process."""
    run = run_pending(db, workers=1)
    assert not run.busy


def article_id_by_path(db: Library, name: str) -> int:
    """The id of the sample article imported from the file `name`."""
    row = db.execute("SELECT id FROM articles WHERE source_path LIKE ?", [f"%{name}"]).fetchone()
    assert row, name
    return int(row[0])
