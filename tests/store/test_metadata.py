"""Metadata read from an article's own text: accuracy on hand labels, and its rules."""

from __future__ import annotations

import dataclasses

import pytest

from store.library.metadata import TextMetadata, is_metadata_line, read_metadata
from store.library.metadata_eval import eval_data_folder, metadata_cases, score_metadata

# Measured (bench/metadata_accuracy.py): precision and recall 1.000 for every field on the
# 101 labelled texts. The floors let one or two mistakes per field through, no more.
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.9

needs_eval_data = pytest.mark.skipif(eval_data_folder() is None, reason="eval-data missing")


def assert_floors(include_eval_data: bool) -> None:
    cases = metadata_cases(include_eval_data=include_eval_data)
    scores, mistakes = score_metadata(cases)
    for score in scores.values():
        assert score.precision >= PRECISION_FLOOR, (score, mistakes)
        assert score.recall >= RECALL_FLOOR, (score, mistakes)
        assert score.true_positives >= 9  # each field is tried on enough labelled values


def test_precision_and_recall_on_the_texts_written_for_the_purpose() -> None:
    assert_floors(include_eval_data=False)


@needs_eval_data
def test_precision_and_recall_with_the_eval_data_texts() -> None:
    cases = metadata_cases(include_eval_data=True)
    assert sum(case.name.startswith("eval-data/") for case in cases) == 37
    assert_floors(include_eval_data=True)


@pytest.mark.parametrize(
    ("text", "published", "outlet"),
    [
        ("Titre\n\n26 juin 2012. - Le gouvernement a décidé.\n", "2012-06-26", None),
        ("Titre\nPARIS, 3 novembre 2021 (AFP) - La police a dit.\n", "2021-11-03", "AFP"),
        ("Titre\nPublié le 12/03/2008 à 14h05\n\nLe maire a parlé.\n", "2008-03-12", None),
        ("Titre\nLe texte.\nLe Monde avec l'AFP\n", None, "Le Monde"),
        ("Titre\nLe texte du jour.\n(Reuters)\n", None, "Reuters"),
    ],
)
def test_the_forms_of_the_issue(text: str, published: str | None, outlet: str | None) -> None:
    meta = read_metadata(text)
    assert (meta.published, meta.outlet) == (published, outlet)


def test_a_byline_gives_each_author_and_the_spans_point_at_the_values() -> None:
    text = (
        "Titre\nPar Marie-Claire Lefèvre et Karim Benali\n"
        "Publié le mercredi 6 novembre 2024 à 12h30\n\nLe texte.\n\nLe Figaro avec AFP\n"
    )
    meta = read_metadata(text)
    assert meta.authors == ("Marie-Claire Lefèvre", "Karim Benali")
    assert meta.published == "2024-11-06"
    assert meta.outlet == "Le Figaro"
    read = {(span.field, text[span.start : span.end]) for span in meta.spans}
    assert read == {
        ("authors", "Marie-Claire Lefèvre"),
        ("authors", "Karim Benali"),
        ("published", "mercredi 6 novembre 2024"),
        ("outlet", "Le Figaro"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "Titre\nPARIS, 3 novembre (AFP) - Sans année.\n",  # outlet only: no year, no date
        "Titre\nMis à jour le 7 avril 2022 à 18h00\n\nUne mise à jour n'est pas une parution.\n",
        "Titre\nLe texte.\n(avec AFP)\n",
        "Titre\nPar ailleurs, les prix montent.\nPar contre, rien.\n",
        "Titre\nLe 12 mars 2008, un incendie a fait dix morts.\n",
        "11 septembre 2001 : vingt ans après\nLe texte.\n",  # a headline names an event
        "11 septembre 2001 - vingt ans après\nLe texte.\n",
        "Titre\nSelon l'AFP, le bilan est lourd.\nIl l'a dit à Reuters.\n",
        "Titre\nLe chantier est fini.\nPhoto : AFP\n",
        "Titre\nL'information a été révélée par Le Parisien.\n",
        "Titre\nPar Le Parisien avec AFP\nLe texte.\n",  # an outlet, no author
        "Titre\nLe texte.\nLa suite.\nSources : AFP, Reuters\n",  # no single publisher
        "Titre\nLe texte.\nLa suite.\nAvec AFP\n",
        "Titre\nLe texte.\nLa suite.\nJ.-M. L.\n",  # initials name no one
    ],
)
def test_nothing_is_guessed(text: str) -> None:
    meta = read_metadata(text)
    assert meta.published is None
    assert meta.authors == ()
    if "(AFP) -" in text:
        assert meta.outlet == "AFP"
    elif "Le Parisien avec" in text:
        assert meta.outlet == "Le Parisien"
    else:
        assert meta.outlet is None


def test_a_name_alone_on_the_last_line_signs_the_article() -> None:
    text = "Titre\nLe marché de Noël a ouvert.\nIl attend du monde.\nClaire Hoffmann\n"
    assert read_metadata(text).authors == ("Claire Hoffmann",)
    assert read_metadata("Claire Hoffmann\nLe texte.\n").authors == ()  # a title, not a signature


def test_an_empty_or_blank_text_states_nothing() -> None:
    assert read_metadata("") == TextMetadata()
    assert read_metadata("\n \n\ufeff\n") == TextMetadata()


def test_the_result_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        read_metadata("Titre\n").outlet = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Par Jean Dupont", True),
        ("Publié le 12/03/2008 à 14h05", True),
        ("Le Monde avec l'AFP", True),
        ("(avec AFP)", True),
        ("BOGOTA (Reuters) -", True),
        ("Ouest-France", True),
        ("14 février 2024 | Par Marine Lecomte", True),
        ("Par ailleurs, la ville a voté.", False),
        ("BOGOTA (Reuters) - L'ex-otage a retrouvé ses enfants.", False),
        ("Arnaque en ligne", False),
    ],
)
def test_metadata_lines(line: str, expected: bool) -> None:
    assert is_metadata_line(line) is expected
