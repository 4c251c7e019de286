"""Concurrency in the small: writers from two connections never see "database is locked".

The long version (the app, `recoupe import` and `recoupe annotate` at once) is
bench/reliability_concurrency.py.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from store.annotations.notes import create_annotation, list_annotations
from store.db.sqlite import bulk_load, connect, transaction
from store.db.sqlite import connection as store_db
from store.ingest.importer import import_text


def journal_mode(path: Path) -> str:
    db = connect(path)
    try:
        return db.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        db.close()


def test_a_bulk_load_ends_in_wal_even_when_another_writer_holds_the_file(tmp_path: Path) -> None:
    """Two imports at once: the first one's return to WAL raised 'database is locked'."""
    path = tmp_path / "library.db"
    loader = connect(path)
    with bulk_load(loader) as switched:
        assert switched  # alone on the file: the load uses a rollback journal
        with transaction(loader):
            import_text(loader, "Un texte chargé en masse.", source_key="a")
            other = connect(path)  # a second import arrives mid-batch: it cannot switch to WAL
        holding = threading.Event()

        def write_for_a_while() -> None:
            with transaction(other):
                import_text(other, "Un autre texte, écrit pendant ce temps.", source_key="b")
                holding.set()
                time.sleep(0.5)

        writer = threading.Thread(target=write_for_a_while)
        writer.start()
        holding.wait(5)
    # Leaving bulk_load waited for the other writer instead of failing.
    writer.join()
    other.close()
    assert loader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert loader.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
    loader.close()


def test_a_file_left_in_rollback_mode_returns_to_wal_on_the_next_open(
    tmp_path: Path, monkeypatch
) -> None:
    """When the other writer keeps the file, the load ends anyway; the next open fixes the mode.

    (The reset of the FTS hash size at the end of a bulk load waited 30 s for that
    writer, then failed the import with "database is locked".)
    """
    path = tmp_path / "library.db"
    original = store_db._back_to_wal
    monkeypatch.setattr(store_db, "_back_to_wal", lambda conn: original(conn, attempts=2))
    loader = connect(path)
    with bulk_load(loader):
        with transaction(loader):
            import_text(loader, "Un texte.", source_key="a")
            other = connect(path)  # arrives mid-batch: it cannot switch the file to WAL
        other.execute("BEGIN IMMEDIATE")  # held past every attempt to go back to WAL
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    raw.close()
    other.execute("ROLLBACK")
    other.close()
    loader.close()
    assert journal_mode(path) == "wal"
    assert connect(path).execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_annotations_saved_from_two_connections_at_once_are_all_kept(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    setup = connect(path)
    import_text(setup, "Le texte que deux personnes annotent en même temps.", source_key="a")
    article_id = setup.execute("SELECT id FROM articles").fetchone()[0]
    setup.close()
    errors: list[Exception] = []
    saved: list[int] = []

    def annotate(note: str) -> None:
        db = connect(path)
        try:
            for number in range(25):
                made = create_annotation(db, article_id, 0, 8, note=f"{note} {number}")
                saved.append(made.id)
        except Exception as exc:  # a lock error would land here
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=annotate, args=(name,)) for name in ("Anne", "Paul")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db = connect(path)
    assert sorted(a.id for a in list_annotations(db)) == sorted(saved)
    assert len(saved) == 50
    db.close()
