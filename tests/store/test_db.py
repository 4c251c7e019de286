"""Where the database lives, how connections are set up, and schema upgrades."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from store.db import Library
from store.db.sqlite import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    ENGINE,
    MIGRATIONS,
    SCHEMA_VERSION,
    connect,
    default_db_path,
    schema_version,
    transaction,
)
from store.db.sqlite.connection import BULK_CACHE_KIB
from store.errors import SchemaError
from store.figures import figures_for_article
from store.library.articles import count_articles, get_article
from store.search import search


def test_default_location_is_under_xdg_data_home(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "recoupe" / "recoupe.db"


def test_default_location_without_xdg_is_local_share(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_db_path() == tmp_path / ".local" / "share" / "recoupe" / "recoupe.db"


def test_recoupe_db_overrides_xdg(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("RECOUPE_DB", str(tmp_path / "elsewhere.db"))
    assert default_db_path() == tmp_path / "elsewhere.db"


def test_connect_creates_the_file_and_its_folders(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "recoupe.db"
    db = connect(path)
    assert path.exists()
    assert schema_version(db) == SCHEMA_VERSION
    assert {"articles", "articles_fts", "derived", "figure_values"} <= set(db.table_names())
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    db.close()


def test_connection_uses_wal_busy_timeout_and_foreign_keys(db: Library) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_wal_setting_persists_in_the_file(db_path: Path) -> None:
    connect(db_path).close()
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()


def test_foreign_keys_refuse_a_figure_of_a_missing_article(db: Library) -> None:
    with pytest.raises(sqlite3.IntegrityError), transaction(db):
        db.execute(
            "INSERT INTO figure_values (article_id, n, kind, value) VALUES (999, 0, 'count', 1)"
        )
    assert db.execute("SELECT count(*) FROM figure_values").fetchone()[0] == 0


def test_deleting_an_article_deletes_its_figures(sample_db: Library) -> None:
    article_id, digest = sample_db.execute(
        "SELECT id, content_hash FROM articles ORDER BY id LIMIT 1"
    ).fetchone()
    assert figures_for_article(sample_db, article_id)  # computed on demand, and kept
    with transaction(sample_db):
        sample_db.execute("DELETE FROM articles WHERE id = ?", [article_id])
    for table, key, value in (
        ("figure_values", "article_id", article_id),
        ("derived_articles", "article_id", article_id),
        ("derived", "content_hash", digest),
    ):
        left = f"SELECT count(*) FROM {table} WHERE {key} = ?"
        assert sample_db.execute(left, [value]).fetchone()[0] == 0, table


def test_transaction_rolls_back_everything_on_error(db: Library) -> None:
    with pytest.raises(RuntimeError), transaction(db):
        db.execute(
            "INSERT INTO articles (title, body, content_hash, imported_at, updated_at) "
            "VALUES ('t', 'b', 'h', 'now', 'now')"
        )
        raise RuntimeError("boom")
    assert count_articles(db) == 0
    assert not db.conn.in_transaction


def test_nested_transaction_rolls_back_only_the_inner_block(db: Library) -> None:
    insert = (
        "INSERT INTO articles (title, body, content_hash, imported_at, updated_at) "
        "VALUES (?, 'b', ?, 'now', 'now')"
    )
    with transaction(db):
        db.execute(insert, ["outer", "h1"])
        with pytest.raises(ValueError), transaction(db):
            db.execute(insert, ["inner", "h2"])
            raise ValueError
    titles = [row[0] for row in db.execute("SELECT title FROM articles")]
    assert titles == ["outer"]


def _build_version_1_file(path: Path) -> None:
    """A file as the first version of recoupe wrote it: migration 1 only, one article."""
    raw = sqlite3.connect(path, isolation_level=None)
    old = Library(raw, ENGINE, "old")
    MIGRATIONS[0](old)
    raw.execute("PRAGMA user_version = 1")
    raw.execute(
        "INSERT INTO articles (title, outlet, published, source_key, source_path, "
        "content_hash, body, numbers, imported_at, updated_at) VALUES "
        "('Opération Liberterra', 'Le Monde', '2024-11-06', '/old/a.txt', '/old/a.txt', "
        "'abc', 'Plus de 2 517 arrestations dans 116 pays.', '2517 116', "
        "'2024-11-07T00:00:00+00:00', '2024-11-07T00:00:00+00:00')"
    )
    raw.close()


def test_an_older_file_is_migrated_and_keeps_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _build_version_1_file(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 1

    db = connect(path)

    assert schema_version(db) == SCHEMA_VERSION
    assert "figure_values" in db.table_names()
    assert count_articles(db) == 1
    article = get_article(db, 1)
    assert (article.title, article.outlet, article.published) == (
        "Opération Liberterra",
        "Le Monde",
        "2024-11-06",
    )
    assert [hit.article_id for hit in search(db, "operation")] == [1]
    assert [hit.article_id for hit in search(db, "2.517")] == [1]
    db.close()


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _build_version_1_file(path)
    connect(path).close()
    db = connect(path)
    assert schema_version(db) == SCHEMA_VERSION
    assert count_articles(db) == 1
    db.close()


def test_the_caller_hears_of_an_upgrade_of_an_older_file_only(tmp_path: Path) -> None:
    heard: list[str] = []
    connect(tmp_path / "new.db", on_upgrade=heard.append).close()  # created: no upgrade
    old = tmp_path / "old.db"
    _build_version_1_file(old)
    connect(old, on_upgrade=heard.append).close()
    connect(old, on_upgrade=heard.append).close()  # current by now
    assert heard == [
        f"upgrading the library from schema 1 to {SCHEMA_VERSION}; this happens "
        "once, and takes a while for a large library"
    ]


def test_a_newer_file_is_refused_with_a_clear_error(db_path: Path) -> None:
    connect(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.close()
    with pytest.raises(SchemaError, match="newer"):
        connect(db_path)


def test_a_reader_sees_committed_data_while_a_writer_holds_the_lock(db_path: Path) -> None:
    writer = connect(db_path)
    reader = connect(db_path)
    with transaction(writer):
        writer.execute(
            "INSERT INTO articles (title, body, content_hash, imported_at, updated_at) "
            "VALUES ('t', 'b', 'h', 'now', 'now')"
        )
        # WAL: the reader is not blocked and does not see the uncommitted row.
        assert count_articles(reader) == 0
    assert count_articles(reader) == 1
    writer.close()
    reader.close()


def test_bulk_load_uses_a_rollback_journal_then_returns_to_wal(db_path: Path) -> None:
    from store.db.sqlite import bulk_load

    db = connect(db_path)
    hash_size = "SELECT v FROM articles_fts_config WHERE k = 'hashsize'"
    cache_size = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")  # as some SQLite builds have it
    with bulk_load(db) as switched:
        assert switched
        assert db.execute("PRAGMA secure_delete").fetchone()[0] == 0
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert db.execute(hash_size).fetchone()[0] == 32 * 1024 * 1024
        assert db.execute("PRAGMA cache_size").fetchone()[0] == -BULK_CACHE_KIB
        with transaction(db):
            db.execute(
                "INSERT INTO articles (title, body, content_hash, imported_at, updated_at) "
                "VALUES ('t', 'b', 'h', 'now', 'now')"
            )
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute(hash_size).fetchone()[0] == 1024 * 1024
    assert db.execute("PRAGMA cache_size").fetchone()[0] == cache_size
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert count_articles(db) == 1
    db.close()


def test_bulk_load_keeps_wal_while_another_connection_is_open(db_path: Path) -> None:
    from store.db.sqlite import bulk_load

    db = connect(db_path)
    reader = connect(db_path)
    count_articles(reader)
    with bulk_load(db) as switched:
        assert not switched
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert count_articles(reader) == 0
    reader.close()
    db.close()


_MEMORY_PROBE = """
import ctypes, sqlite3, sys, _sqlite3
library = ctypes.CDLL(_sqlite3.__file__)
library.sqlite3_memory_used.restype = ctypes.c_int64
{before}
from store.db.sqlite import connect, tune_sqlite_library
db = connect(sys.argv[1])
db.execute("INSERT INTO articles (title, body, content_hash, imported_at, updated_at) "
           "VALUES ('Titre', 'Corps du texte', 'h', 'now', 'now')")
found = db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'corps'")
print(tune_sqlite_library(), library.sqlite3_memory_used() > 0, found.fetchone()[0])
"""


def _probe(tmp_path: Path, before: str = "") -> list[str]:
    import subprocess
    import sys

    code = _MEMORY_PROBE.format(before=before)
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "probe.db")],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return result.stdout.split()


@pytest.mark.skipif(sys.platform != "linux", reason="the library is tuned on Linux only")
def test_sqlite_memory_statistics_are_off_once_the_store_connects(tmp_path: Path) -> None:
    # Off: no allocation is counted, even with a connection open and a row written.
    assert _probe(tmp_path) == ["True", "False", "1"]


def test_the_library_is_left_alone_when_a_connection_is_already_open(tmp_path: Path) -> None:
    # SQLite may only be reconfigured shut down: never with a connection open.
    opened = "other = sqlite3.connect(':memory:'); other.execute('SELECT 1')"
    assert _probe(tmp_path, opened) == ["False", "True", "1"]
