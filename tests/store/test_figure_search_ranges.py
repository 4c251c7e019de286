"""Search by value: 'A..B' with a scale word, hits ranked by relevance, ranges that say why."""

from __future__ import annotations

import sqlite_utils

from store.figures import parse_figure_spec, search_figures
from store.ingest import import_text
from tests.conftest import derive_all


def _library(db: sqlite_utils.Database) -> None:
    texts = {
        "a": "La banque a perdu 600 millions d'euros en 2010, puis 751 millions d'euros.",
        "b": "Un audit estime la perte à 695 millions d'euros; 75 000 clients sont touchés.",
        "c": "Le plan prévoit de 1 000 à 4 000 suppressions d'emplois.",
        "d": "L'usine supprime 2 517 emplois et investit 1,8 milliard d'euros.",
    }
    for key, text in texts.items():
        import_text(db, text, source_key=key, title=f"article {key}")
    derive_all(db)  # figures are derived data, computed after the import


def test_a_range_with_a_scale_word_means_what_a_reader_means(db) -> None:
    spec = parse_figure_spec("600..800 millions")
    assert (spec.low, spec.high) == (600e6, 800e6)
    billions = parse_figure_spec("1,5..2 milliards d'euros")
    assert (billions.low, billions.high, billions.currency) == (1.5e9, 2e9, "EUR")
    assert (parse_figure_spec("2 000..3 000 victimes").low, 3000.0) == (2000.0, 3000.0)


def test_search_by_a_scaled_range_finds_the_amounts_and_nothing_else(db) -> None:
    _library(db)
    found = sorted(hit.figure.value for hit in search_figures(db, "600..800 millions"))
    assert found == [600e6, 695e6, 751e6]
    hits = search_figures(db, "1,5..2 milliards d'euros")
    assert [hit.figure.surface for hit in hits] == ["1,8 milliard d'euros"]


def test_hits_come_closest_first_and_a_range_says_why_it_matched(db) -> None:
    _library(db)
    hits = search_figures(db, "2000..3000 emplois")
    assert [hit.figure.surface for hit in hits] == ["2 517", "1 000 à 4 000"]
    assert hits[0].reason is None
    assert hits[1].reason == "matched the range 1\u202f000–4\u202f000"
    ordered = [hit.figure.value for hit in search_figures(db, ">=600 millions")]
    assert ordered[:3] == [600e6, 695e6, 751e6]
