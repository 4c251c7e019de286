"""Cross-source comparison on the sample and on real multi-outlet coverage (eval-data)."""

from __future__ import annotations

import json

import pytest

from store.compare import STATUS_ORDER, compare_articles, fact_status, rounding_tolerance
from store.errors import NotFoundError
from store.figures import extract_figures
from store.ingest.importer import import_paths, import_text
from store.models import Comparison, Fact, FactCell
from tests.conftest import EVAL_DATA, article_id_by_path

ARTICLES = EVAL_DATA / "articles"
SAMPLE_NAMES = (
    "depeche-interpol-liberterra-ii.txt",
    "le-monde-interpol-liberterra-ii.txt",
    "interpol-93e-assemblee-generale.txt",
)


def cells(*pairs: tuple[int, str]) -> list[FactCell]:
    """One cell per (article id, text with exactly one figure)."""
    result = []
    for article_id, text in pairs:
        (figure,) = extract_figures(text)
        result.append(FactCell(article_id, figure))
    return result


def compare_texts(db, texts: list[str]) -> Comparison:
    """Import each text as an article and compare them all."""
    ids = [import_text(db, t, source_key=f"k{i}").article_id for i, t in enumerate(texts)]
    return compare_articles(db, ids)


def fact_with(comparison: Comparison, surface: str) -> Fact:
    """The fact holding a figure written `surface`."""
    matches = [f for f in comparison.facts if any(c.figure.surface == surface for c in f.cells)]
    assert len(matches) == 1, surface
    return matches[0]


# --------------------------------------------------------------------------- statuses


def test_status_agree_however_written() -> None:
    assert fact_status(cells((1, "3.222 victimes"), (2, "3 222 victimes"))) == "agree"


@pytest.mark.parametrize(
    ("bound", "value"),
    [
        ("plus de 2 500 arrestations", "2 517 arrestations"),
        ("plus de 3 000 victimes", "3 222 victimes"),
    ],
)
def test_status_compatible_bounds(bound: str, value: str) -> None:
    assert fact_status(cells((1, bound), (2, value))) == "compatible"


def test_status_conflict_and_single_source() -> None:
    pair = cells((1, "une perte de 600 millions d'euros"), (2, "une perte de 751 millions d'euros"))
    assert fact_status(pair) == "conflict"
    assert fact_status(pair[:1]) == "single-source"
    same_article = cells((1, "600 millions d'euros"), (1, "751 millions d'euros"))
    assert fact_status(same_article) == "single-source"


def test_round_figures_cover_close_precise_ones() -> None:
    assert fact_status(cells((1, "5 milliards d'euros"), (2, "4,9 milliards d'euros"))) == (
        "compatible"
    )
    assert fact_status(cells((1, "80 morts"), (2, "140 morts"))) == "conflict"
    assert rounding_tolerance(600e6) == 30e6  # capped at 5 %: 695 millions stays a conflict
    assert rounding_tolerance(751) == 0


# --------------------------------------------------------------------------- the sample


def test_sample_comparison(sample_db) -> None:
    ids = [article_id_by_path(sample_db, name) for name in SAMPLE_NAMES]
    comparison = compare_articles(sample_db, ids)
    assert comparison.article_ids == tuple(ids)
    arrests = fact_with(comparison, "2.517")
    assert arrests.status == "compatible"
    assert {c.figure.surface for c in arrests.cells} == {"2 517", "2 500", "2.517"}
    assert fact_with(comparison, "17 793").status == "agree"
    togolaises = fact_with(comparison, "24")
    assert togolaises.status == "agree"
    assert {c.figure.unit for c in togolaises.cells} == {"Togolaises", "femmes togolaises"}
    countries = fact_with(comparison, "179")
    assert countries.status == "single-source"  # 179 pays is not the 116 pays et territoires
    assert not [f for f in comparison.facts if f.status == "conflict"]
    ranks = [STATUS_ORDER[f.status] for f in comparison.facts]
    assert ranks == sorted(ranks)


def test_unknown_article_is_not_found(sample_db) -> None:
    with pytest.raises(NotFoundError):
        compare_articles(sample_db, [1, 999])


# --------------------------------------------------------------------------- real coverage


def import_group(db, group: str) -> list[int]:
    manifest = json.loads((ARTICLES / "manifest.json").read_text(encoding="utf-8"))
    paths = [ARTICLES / name for name in manifest["same_event_groups"][group]]
    report = import_paths(db, paths)
    return [o.article_id for o in report.outcomes if o.article_id]


needs_eval_data = pytest.mark.skipif(not ARTICLES.is_dir(), reason="shared eval-data missing")


@needs_eval_data
def test_caisse_epargne_loss_is_a_conflict(db) -> None:
    ids = import_group(db, "caisse_epargne_2008")
    assert len(ids) == 6
    comparison = compare_articles(db, ids)
    loss = comparison.facts[0]
    assert loss.status == "conflict"
    assert loss.kind == "money"
    assert {c.figure.value for c in loss.cells} >= {600e6, 695e6, 751e6}
    assert all(c.figure.currency == "EUR" for c in loss.cells)
    assert len({c.article_id for c in loss.cells}) == 6
    # Unrelated amounts of the same stories stay out of the loss, and so does the part
    # of a goodwill: "1,9 milliard d'euros de goodwill sur Natixis, dont 660 millions".
    assert not {c.figure.value for c in loss.cells} & {20e9, 5e9, 3e6, 21e6, 660e6}


@needs_eval_data
def test_tibet_death_toll_conflict(db) -> None:
    ids = import_group(db, "tibet_2008")
    comparison = compare_articles(db, ids)
    tolls = [f for f in comparison.facts if f.label == "morts"]
    conflicts = [f for f in tolls if f.status == "conflict"]
    assert conflicts
    assert {c.figure.value for c in conflicts[0].cells} == {80, 140}
    assert len({c.article_id for c in conflicts[0].cells}) == 2
    official = [f for f in tolls if any(c.figure.value == 19 for c in f.cells)]
    assert official and official[0].status in ("agree", "compatible")
    # 381 people surrendering in Ngawa and some 300 marching in Lhassa share only the word
    # "tibétain": too little to call them one fact in conflict.
    for fact in comparison.facts:
        values = {c.figure.value for c in fact.cells}
        assert not {381, 300} <= values, fact
        assert not {600, 300} <= values, fact
    # Some fifty protesters held in New Delhi are not the 50 to 60 arrested in Lhassa.
    assert fact_with(comparison, "50 et 60").status == "single-source"


def test_ages_compare_only_for_the_same_person(db) -> None:
    texts = [
        "Julien Carmona, 38 ans, est entré au directoire de la banque en 2007.",
        "Le trader, devenu trader de la banque à 26 ans, travaillait au directoire.",
        "Julien Carmona, 39 ans, a quitté le directoire de la banque.",
    ]
    comparison = compare_texts(db, texts)
    ages = [f for f in comparison.facts if f.kind == "duration" and len(f.cells) > 1]
    assert len(ages) == 1
    assert {c.figure.value for c in ages[0].cells} == {38, 39}
    assert ages[0].status == "conflict"


@needs_eval_data
def test_job_cuts_match_across_wording(db) -> None:
    ids = import_group(db, "france_job_cuts_july_2012")
    comparison = compare_articles(db, ids)
    psa = fact_with(comparison, "8 000 à 10 000")
    assert psa.status == "compatible"  # "8 000 à 10 000 postes" and "pas moins de 8 000 postes"
    assert len({c.article_id for c in psa.cells}) == 2
    # HP's "environ 520 postes" and Bouygues Telecom's "556 postes" share only the verb
    # "supprimer": two facts, not one.
    assert fact_with(comparison, "520").status == "single-source"
    # "de 1 000 à 4 000 emplois menacés chez le groupe Sanofi ; idem chez PSA ..." and the
    # "3 000 emplois" of PSA's Aulnay plant: one list item's words are not another's.
    assert fact_with(comparison, "3 000").status == "single-source"
    assert fact_with(comparison, "1 000 à 4 000").status == "single-source"


def test_a_part_is_not_the_whole(db) -> None:
    texts = [
        "La banque a perdu 600 millions d'euros sur les marchés, selon la direction.",
        "La banque a 1,9 milliard d'euros de goodwill, dont 660 millions d'euros perdus "
        "sur les marchés.",
        "La banque a perdu 751 millions d'euros sur les marchés.",
    ]
    comparison = compare_texts(db, texts)
    loss = fact_with(comparison, "600 millions d'euros")
    assert {c.figure.value for c in loss.cells} == {600e6, 751e6}
    assert loss.status == "conflict"
    assert fact_with(comparison, "660 millions d'euros").status == "single-source"


def test_items_of_a_list_are_separate_facts(db) -> None:
    texts = [
        "Renault supprime 1 500 postes ; Airbus prévoit des fermetures d'usines.",
        "Airbus prévoit de supprimer 3 000 postes et des fermetures d'usines.",
    ]
    comparison = compare_texts(db, texts)
    # Renault's 1 500 shares no word with Airbus's 3 000: the Airbus words belong to the
    # other item of the list.
    assert fact_with(comparison, "1 500").status == "single-source"
    assert fact_with(comparison, "3 000").status == "single-source"


def test_amounts_of_different_things_stay_apart(db) -> None:
    texts = [
        "Le groupe a dégagé un bénéfice de 600 millions d'euros, selon les comptes publiés.",
        "Le groupe a subi une perte de 751 millions d'euros, selon les comptes publiés.",
        "Les comptes publiés du groupe montrent une perte de 700 millions d'euros.",
    ]
    comparison = compare_texts(db, texts)
    # "groupe", "comptes" and "publiés" are shared, but a profit is not a loss.
    assert fact_with(comparison, "600 millions d'euros").status == "single-source"
    loss = fact_with(comparison, "751 millions d'euros")
    assert {c.figure.value for c in loss.cells} == {751e6, 700e6}
    assert loss.status == "conflict"
