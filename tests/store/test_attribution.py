"""Who gives a figure: store.figures.attribution.figure_source on sentences of each form."""

from __future__ import annotations

import pytest

from store.figures import extract_figures
from store.figures.attribution import figure_source


def source_of(text: str, surface: str) -> str | None:
    figure = next(f for f in extract_figures(text, "fr") if f.surface.startswith(surface))
    return figure_source(text, figure)


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        (
            "Le bilan est de 80 morts selon le gouvernement en exil.",
            "80",
            "le gouvernement en exil",
        ),
        ("D'après la préfecture, 1 200 personnes ont défilé.", "1 200", "la préfecture"),
        ("Pour le syndicat, 5 000 emplois sont menacés.", "5 000", "le syndicat"),
        (
            "Trois hommes ont été interpellés, a-t-on appris de source policière.",
            "Trois",
            "source policière",
        ),
        (
            "La perte atteint 600 millions d'euros, a annoncé hier soir la direction de la banque.",
            "600",
            "la direction de la banque",
        ),
        (
            "Le ministère a annoncé que 3 000 postes seraient supprimés.",
            "3 000",
            "Le ministère",
        ),
        (
            "Un audit interne l'estimait à 695 millions d'euros.",
            "695",
            "Un audit interne",
        ),
        (
            "L'association, qui estime à 30.000 le nombre de ménages concernés, proteste.",
            "30.000",
            "L'association",
        ),
        ("La banque a perdu 751 millions d'euros en octobre.", "751", None),
        ("Son parachute est estimé à 3 millions d'euros.", "3 millions", None),
        (
            "La mère, âgée de 34 ans, avait expliqué aux enquêteurs avoir confié l'enfant.",
            "34",
            None,
        ),
        ("Il a perdu 20 kilos, a-t-il ajouté.", "20", None),
    ],
)
def test_the_source_a_sentence_names(text: str, surface: str, expected: str | None) -> None:
    assert source_of(text, surface) == expected
