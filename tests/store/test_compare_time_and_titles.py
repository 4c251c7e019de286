"""Compare: a later figure replacing an earlier one is 'revised', headlines take part, dates
are compared, and each cell says who gives the figure."""

from __future__ import annotations

from store.compare import STATUS_WORDS, compare_articles
from store.ingest import import_text

LOSS = [
    ("La banque annonce une perte de 600 millions d'euros sur les marchés.", "2008-10-17"),
    (
        "Un audit chiffre la perte de la banque à 695 millions d'euros sur les marchés.",
        "2008-10-22",
    ),
    ("La perte de la banque sur les marchés atteint 751 millions d'euros.", "2008-10-24"),
]


def _import(db, texts, dated: bool = True, titles: list[str] | None = None) -> list[int]:
    ids = []
    for i, (text, day) in enumerate(texts):
        title = titles[i] if titles else f"Dépêche {i}"
        outcome = import_text(
            db, text, source_key=f"k{i}", title=title, published=day if dated else None
        )
        ids.append(outcome.article_id)
    return ids


def _loss_fact(comparison):
    return next(f for f in comparison.facts if {c.figure.value for c in f.cells} >= {600e6})


def test_a_loss_revised_over_days_is_revised_in_date_order(db) -> None:
    ids = _import(db, list(reversed(LOSS)))
    fact = _loss_fact(compare_articles(db, ids))
    assert fact.status == "revised"
    assert [c.figure.value for c in fact.cells] == [600e6, 695e6, 751e6]
    assert fact.note is None


def test_without_dates_the_same_figures_conflict_and_say_why(db) -> None:
    ids = _import(db, LOSS, dated=False)
    fact = _loss_fact(compare_articles(db, ids))
    assert fact.status == "conflict"
    assert fact.note == "dates unknown"


def test_a_headline_figure_is_compared(db) -> None:
    texts = [
        ("Le bilan de l'ouragan s'alourdit sur la côte est.", "2012-10-30"),
        ("L'ouragan a fait 39 morts selon les autorités, sur la côte est.", "2012-10-30"),
    ]
    ids = _import(db, texts, titles=["Ouragan Sandy : 39 morts sur la côte est", "Sandy"])
    comparison = compare_articles(db, ids)
    deaths = next(f for f in comparison.facts if f.label == "morts")
    assert deaths.status == "agree"
    assert {(c.article_id, c.field) for c in deaths.cells} == {(ids[0], "title"), (ids[1], "body")}
    assert {c.source for c in deaths.cells} == {None, "les autorités"}


def test_dates_are_compared(db) -> None:
    texts = [
        ("L'opération s'est déroulée du 29 septembre au 4 octobre dans 116 pays.", None),
        ("L'opération a eu lieu entre le 29 septembre et le 5 octobre dans 116 pays.", None),
    ]
    ids = _import(db, texts, dated=False)
    comparison = compare_articles(db, ids)
    dates = [f for f in comparison.facts if f.kind == "date"]
    assert len(dates) == 1 and dates[0].status == "conflict"
    assert STATUS_WORDS["single-source"] == "single source"
