"""Derived data off the import path: what is pending, computing it, on demand, resuming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import store.derive.queue
from store.db import Library, transaction
from store.derive import derive_status, run_pending
from store.figures import KIND, figure_coverage, figures_for_article, unpack_figure_rows
from store.ingest import import_paths, import_text
from tests.conftest import SAMPLE_CORPUS, derive_all


def write_jsonl(path: Path, count: int) -> Path:
    """`count` small articles with figures, in one JSONL file."""
    lines = [
        json.dumps(
            {
                "title": f"Article {n}",
                "body": f"Plus de {1000 + n} personnes ont manifesté, selon la police. "
                f"Le budget atteint {n},5 millions d'euros en 2024.",
            }
        )
        for n in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored_figure_rows(db: Library) -> list[tuple]:
    return db.execute(
        "SELECT article_id, n, kind, value, value_max, currency FROM figure_values "
        "ORDER BY article_id, n"
    ).fetchall()


def test_an_import_leaves_figures_pending_and_run_pending_computes_them(db: Library) -> None:
    report = import_paths(db, [SAMPLE_CORPUS])
    assert report.imported == 3
    status = derive_status(db)
    assert (status.done, status.total, status.pending) == (0, 3, 3)
    assert "0 of 3" in status.describe()
    assert db.execute("SELECT count(*) FROM figure_values").fetchone()[0] == 0

    seen: list[tuple[int, int]] = []
    run = run_pending(db, workers=1, on_progress=lambda d, t: seen.append((d, t)))
    assert run.computed == 3 and not run.busy
    assert seen[-1] == (3, 3)
    assert derive_status(db).complete and figure_coverage(db) == (3, 3)
    assert db.execute("SELECT count(*) FROM derived WHERE kind = ?", [KIND]).fetchone()[0] == 3
    assert run_pending(db, workers=1).computed == 0  # nothing is computed twice


def test_stored_figures_are_the_reader_s_figures(sample_db: Library) -> None:
    for article_id, body, data in sample_db.execute(
        "SELECT a.id, a.body, d.data FROM articles a JOIN derived d "
        "ON d.content_hash = a.content_hash"
    ).fetchall():
        rows = unpack_figure_rows(data, body)
        figures = figures_for_article(sample_db, article_id)
        assert [(f.start, f.end, f.surface, f.value, f.unit) for f in figures] == [
            (r[0], r[1], r[2], r[3], r[6]) for r in rows
        ]
        assert all(body[f.start : f.end] == f.surface for f in figures)
        count = "SELECT count(*) FROM figure_values WHERE article_id = ?"
        assert sample_db.execute(count, [article_id]).fetchone()[0] == len(figures)


def test_a_changed_text_is_pending_again_and_its_old_data_goes(db: Library) -> None:
    first = import_text(db, "Bilan : 12 morts et 40 blessés.", source_key="k", title="t")
    derive_all(db)
    old_hash = db.execute("SELECT content_hash FROM articles").fetchone()[0]
    import_text(db, "Bilan révisé : 19 morts.", source_key="k", title="t")
    assert derive_status(db).pending == 1
    assert db.execute("SELECT count(*) FROM figure_values").fetchone()[0] == 0
    assert (
        db.execute("SELECT count(*) FROM derived WHERE content_hash = ?", [old_hash]).fetchone()[0]
        == 0
    )
    derive_all(db)
    assert [f.value for f in figures_for_article(db, first.article_id)] == [19]


def test_an_article_opened_before_its_turn_gets_its_figures_at_once(db: Library) -> None:
    outcome = import_text(db, "Plus de 2 500 arrestations dans 116 pays.", source_key="k")
    assert derive_status(db).pending == 1
    figures = figures_for_article(db, outcome.article_id)
    assert [f.value for f in figures] == [2500, 116]
    assert derive_status(db).complete  # kept: the background has nothing left to do
    assert len(stored_figure_rows(db)) == 2


def test_one_derivation_at_a_time_per_library(db: Library, db_path: Path) -> None:
    import_paths(db, [SAMPLE_CORPUS])
    with store.derive.queue._exclusive(db) as allowed:
        assert allowed
        assert derive_status(db).running
        assert run_pending(db, workers=1).busy
    assert not derive_status(db).running
    assert run_pending(db, workers=1).computed == 3


def test_workers_store_what_this_process_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.db import connect

    source = write_jsonl(tmp_path / "many.jsonl", 40)
    monkeypatch.setattr(store.derive.queue, "POOL_MIN_PENDING", 0)
    monkeypatch.setattr(store.derive.queue, "CHUNK", 7)
    rows = []
    for workers in (1, 2):
        library = connect(tmp_path / f"w{workers}.db")
        import_paths(library, [source])
        assert run_pending(library, workers=workers).computed == 40
        rows.append(stored_figure_rows(library))
        library.close()
    assert rows[0] == rows[1] and len(rows[0]) >= 80


def test_a_write_that_fails_leaves_nothing_half_written(
    db: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_paths(db, [write_jsonl(tmp_path / "a.jsonl", 30)])
    monkeypatch.setattr(store.derive.queue, "WRITE_EVERY", 10)
    monkeypatch.setattr(store.derive.queue, "CHUNK", 10)
    real = store.derive.queue._write
    calls = []

    def failing(library: Library, done: list) -> None:
        calls.append(len(done))
        if len(calls) == 2:  # everything written, then the commit fails
            with transaction(library):
                real(library, done)
                raise RuntimeError("disk full")
        real(library, done)

    monkeypatch.setattr(store.derive.queue, "_write", failing)
    with pytest.raises(RuntimeError):
        run_pending(db, workers=1)
    done = derive_status(db).done
    assert done == calls[0]  # the first write landed whole, the second not at all
    marked = db.execute("SELECT article_id FROM derived_articles").fetchall()
    with_values = db.execute("SELECT DISTINCT article_id FROM figure_values").fetchall()
    assert sorted(marked) == sorted(with_values)
    monkeypatch.undo()
    assert run_pending(db, workers=1).computed == 30 - done
    assert derive_status(db).complete


def test_an_on_demand_kind_is_computed_once_per_text_and_kept(db: Library) -> None:
    from store.derive import Deriver, derived_for_articles, store_packed

    calls: list[str] = []

    def shout(body: str) -> bytes:
        calls.append(body)
        return body.upper().encode()

    loud = Deriver("shout", 1, shout, store_packed("shout", 1), background=False)
    first = import_text(db, "Un texte.", source_key="a").article_id
    second = import_text(db, "Un autre.", source_key="b").article_id
    found = derived_for_articles(db, [first, second, 999], loud)
    assert {k: v[0] for k, v in found.items()} == {first: b"UN TEXTE.", second: b"UN AUTRE."}
    assert len(calls) == 2
    assert derived_for_articles(db, [first], loud)[first][0] == b"UN TEXTE."
    assert len(calls) == 2  # read back, not computed again
    import_text(db, "Texte changé.", source_key="a")
    assert derived_for_articles(db, [first], loud)[first][0] == "TEXTE CHANGÉ.".encode()
    assert len(calls) == 3
    batch = derived_for_articles(
        db,
        [second],
        Deriver("other", 1, shout, store_packed("other", 1), background=False),
        compute_many=lambda bodies: [b"many" for _ in bodies],
    )
    assert batch[second][0] == b"many"
    # On-demand kinds are never pending for the background derivation.
    assert derive_status(db).pending == 2
