"""Schema upgrades: a file written at each earlier schema version opens, migrates, keeps everything.

Files of version N are built by applying only the first N migrations of
store.db.sqlite.MIGRATIONS, then filled with articles (and, from the version that has
them, annotations and tags) through plain SQL, as that version would have.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store.annotations.notes import list_annotations
from store.db import Library
from store.db.sqlite import ENGINE, MIGRATIONS, SCHEMA_VERSION, connect, schema_version
from store.db.sqlite import connection as store_db
from store.db.sqlite import schema as store_schema
from store.figures import extract_figure_rows, figures_for_article
from store.library.articles import get_article
from store.numbers import find_numbers
from store.search import search

FIGURES_VERSION = 2  # the first schema version with the figures table
DERIVED_VERSION = 6  # figures became derived data, computed after the import
ANNOTATIONS_VERSION = 3  # the first schema version with annotations and tags
NO_NUMBERS_VERSION = 5  # the first schema version without the articles' numbers column

ARTICLES = [
    (
        "Opération Liberterra",
        "Le Monde",
        "2024-11-06",
        "Plus de 2 517 arrestations dans 116 pays, selon Interpol. Les enquêteurs ont "
        "identifié 3 222 victimes de la traite.",
    ),
    (
        "Traite des êtres humains : vaste coup de filet",
        "Le Figaro",
        "2024-11-07",
        "L’opération a permis d’arrêter environ 2 500 personnes et de secourir "
        "près de 3 200 victimes, dont des mineurs.",
    ),
    (
        "Interpol : l’opération en chiffres",
        None,
        None,
        "Au total, 116 pays ont participé ; 17 tonnes de drogue ont été saisies.",
    ),
]

# (article index, quote, note, tags): notes and tags with accents, markup and emoji.
ANNOTATIONS = [
    (0, "2 517 arrestations", "Chiffre Interpol, à recouper.", ["chiffre-clé", "À vérifier"]),
    (0, "3 222 victimes", "[bold]pas[/] de markup ici 😀", ["contradiction"]),
    (1, "environ 2 500 personnes", "", ["chiffre-clé"]),
    (1, "près de 3 200 victimes", "Écart avec Le Monde (3 222).", []),
    (2, "17 tonnes de drogue", "Seule source.\nDeux lignes.", ["source-unique"]),
]


def store_old_figures(db: Library, article_id: int, body: str) -> None:
    """Figures as versions 2 to 5 stored them: a row each in the figures table."""
    db.executemany(
        'INSERT INTO figures (article_id, start, "end", surface, value, value_max, kind, unit, '
        "currency, qualifier, sentence_start, sentence_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(article_id, *row) for row in extract_figure_rows(body)],
    )


def build_file(path: Path, version: int) -> None:
    """A database at schema `version`: the first `version` migrations, then its data."""
    conn = sqlite3.connect(path, isolation_level=None)
    db = Library(conn, ENGINE, "old")
    store_db.configure(db)
    for number, migration in enumerate(MIGRATIONS[:version], start=1):
        with store_db.transaction(db):
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
    # Versions 1 to 4 stored the numbers FTS5 splits in a column of their own, indexed.
    numbers = ", numbers" if version < NO_NUMBERS_VERSION else ""
    with store_db.transaction(db):
        for index, (title, outlet, published, body) in enumerate(ARTICLES, start=1):
            db.execute(
                "INSERT INTO articles (id, title, outlet, published, source_path, source_key, "
                f"content_hash, body{numbers}, imported_at, updated_at) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?{', ?' if numbers else ''}, ?, ?)",
                [
                    index,
                    title,
                    outlet,
                    published,
                    f"/old/{index}.txt",
                    f"/old/{index}.txt",
                    f"hash{index}",
                    body,
                    *([old_numbers_column(body)] if numbers else []),
                    "2024-11-08T00:00:00+00:00",
                    "2024-11-08T00:00:00+00:00",
                ],
            )
        if FIGURES_VERSION <= version < DERIVED_VERSION:  # those stored figures at import
            for index, article in enumerate(ARTICLES, start=1):
                store_old_figures(db, index, article[3])
        if version >= ANNOTATIONS_VERSION:
            insert_annotations(db)
    conn.close()


def old_numbers_column(body: str) -> str:
    """What versions 1 to 4 stored in the numbers column: the split numbers, canonical."""
    found = find_numbers(body)
    return " ".join(dict.fromkeys(c for s, e, c in found if not body[s:e].isdigit()))


def insert_annotations(db: Library) -> None:
    """The annotations as a version-3 recoupe wrote them: rows, tags, links."""
    tag_ids: dict[str, int] = {}
    for number, (index, quote, note, tags) in enumerate(ANNOTATIONS, start=1):
        body = ARTICLES[index][3]
        start = body.index(quote)
        end = start + len(quote)
        db.execute(
            'INSERT INTO annotations (id, uid, article_id, start, "end", exact, prefix, suffix, '
            "note, created, modified, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'anchored')",
            [
                number,
                f"00000000-0000-4000-8000-00000000000{number}",
                index + 1,
                start,
                end,
                quote,
                body[max(0, start - 32) : start],
                body[end : end + 32],
                note,
                f"2024-11-0{number}T10:00:00Z",
                f"2024-11-0{number}T11:00:00Z",
            ],
        )
        for tag in tags:
            if tag.casefold() not in tag_ids:
                cursor = db.execute(
                    "INSERT INTO tags (name, folded) VALUES (?, ?)", [tag, tag.casefold()]
                )
                tag_ids[tag.casefold()] = int(cursor.lastrowid or 0)
            db.execute(
                "INSERT INTO annotation_tags (annotation_id, tag_id) VALUES (?, ?)",
                [number, tag_ids[tag.casefold()]],
            )


def columns_of(db: Library, table: str) -> set[str]:
    """The column names of a table."""
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()}


def check_articles(db: Library) -> None:
    for index, (title, outlet, published, body) in enumerate(ARTICLES, start=1):
        article = get_article(db, index)
        assert (article.title, article.outlet, article.published, article.body) == (
            title,
            outlet,
            published,
            body,
        )
    assert {h.article_id for h in search(db, "operation")} == {1, 2, 3}
    assert {h.article_id for h in search(db, "victimes")} == {1, 2}
    assert {h.article_id for h in search(db, "116")} == {1, 3}
    # Split numbers are found however they are typed, and only whole: the index of
    # a file from before version 5 was rebuilt without the numbers column.
    assert {h.article_id for h in search(db, "2517")} == {1}
    assert {h.article_id for h in search(db, "2.500")} == {2}
    assert "numbers" not in columns_of(db, "articles")
    assert "numbers" not in columns_of(db, "articles_fts")
    # Figures exist for every article, whichever version wrote the file.
    assert [f.surface for f in figures_for_article(db, 1) if f.value == 2517]


def check_annotations(db: Library) -> None:
    kept = list_annotations(db, order="created")
    assert len(kept) == len(ANNOTATIONS)
    for annotation, (index, quote, note, tags) in zip(kept, ANNOTATIONS, strict=True):
        assert annotation.article_id == index + 1
        assert annotation.exact == quote
        assert annotation.note == note
        assert {t.casefold() for t in annotation.tags} == {t.casefold() for t in tags}
        assert annotation.status == "anchored"
        body = ARTICLES[index][3]
        assert body[annotation.start : annotation.end] == quote
    found = list_annotations(db, search="recouper")
    assert [a.exact for a in found] == ["2 517 arrestations"]
    assert len(list_annotations(db, tags=["CHIFFRE-CLÉ"])) == 2


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_a_file_of_each_schema_version_opens_migrates_and_keeps_everything(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / f"v{version}.db"
    build_file(path, version)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == version

    db = connect(path)
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    check_articles(db)
    if version >= ANNOTATIONS_VERSION:
        check_annotations(db)
    db.close()
    # Opening it again (already migrated) changes nothing.
    db = connect(path)
    check_articles(db)
    if version >= ANNOTATIONS_VERSION:
        check_annotations(db)
    db.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_a_migration_that_fails_leaves_the_file_as_it_was(
    tmp_path: Path, version: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash in the middle of a migration: the file stays at its version, then upgrades."""
    path = tmp_path / f"v{version}.db"
    build_file(path, version)
    real = MIGRATIONS[version]

    def half_done(db: Library) -> None:
        real(db)
        raise RuntimeError("power cut")

    broken = list(MIGRATIONS)
    broken[version] = half_done
    monkeypatch.setattr(store_schema, "MIGRATIONS", broken)
    with pytest.raises(RuntimeError, match="power cut"):
        connect(path)
    monkeypatch.setattr(store_schema, "MIGRATIONS", MIGRATIONS)

    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == version
    assert raw.execute("SELECT count(*) FROM articles").fetchone()[0] == len(ARTICLES)
    raw.close()
    db = connect(path)
    assert schema_version(db) == SCHEMA_VERSION
    check_articles(db)
    if version >= ANNOTATIONS_VERSION:
        check_annotations(db)
    db.close()


def test_two_processes_opening_an_old_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    """connect() re-checks the version under the write lock: the second opener skips the work."""
    path = tmp_path / "v1.db"
    build_file(path, 1)
    first = connect(path)
    second = connect(path)
    assert schema_version(first) == schema_version(second) == SCHEMA_VERSION
    check_articles(second)
    first.close()
    second.close()


def test_an_sqlite_without_drop_column_leaves_the_numbers_column_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite before 3.35 cannot drop a column: schema 5 then keeps it, empty from then on."""
    from store.ingest.importer import import_text

    path = tmp_path / "v4.db"
    build_file(path, NO_NUMBERS_VERSION - 1)
    monkeypatch.setattr(store_schema.sqlite3, "sqlite_version_info", (3, 34, 1))
    db = connect(path)
    assert schema_version(db) == SCHEMA_VERSION
    assert "numbers" in columns_of(db, "articles")
    assert "numbers" not in columns_of(db, "articles_fts")
    import_text(db, "Un bilan de 12 500 victimes.", source_key="new", title="Nouveau")
    assert {hit.title for hit in search(db, "12500")} == {"Nouveau"}
    assert {hit.article_id for hit in search(db, "2517")} == {1}
    db.close()
