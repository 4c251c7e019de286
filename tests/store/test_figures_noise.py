"""Noise and misreadings on fresh news text (issue: figures a fact-checker can trust)."""

from __future__ import annotations

import pytest

from store.figures import extract_figures


def read(text: str) -> list[tuple[str, float | None, float | None, str, str | None]]:
    return [(f.surface, f.value, f.value_max, f.kind, f.unit) for f in extract_figures(text, "fr")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a dateline's dash is no minus sign; a spaced sign after a colon still is one
        (
            "Brest, 10 novembre 2012. - 19 des 20 skippers sont partis.",
            [
                ("10 novembre 2012", 20121110, None, "date", None),
                ("19", 19, None, "count", None),
                ("20", 20, None, "count", "skippers"),
            ],
        ),
        ("Le CAC a perdu - 3 % hier.", [("- 3 %", -3, None, "percent", "%")]),
        # year ranges are one figure; two years listed stay two
        ("Il a gagné (1999 à 2005), puis", [("1999 à 2005", 1999, 2005, "year", None)]),
        ("entre 2008 et 2009,", [("2008 et 2009", 2008, 2009, "year", None)]),
        ("de 2002-2004 il", [("2002-2004", 2002, 2004, "year", None)]),
        # dates in digits
        ("faisant débuter les Jeux le 8/08/2008.", [("8/08/2008", 20080808, None, "date", None)]),
        ("reçue par le pape le 01/09", [("01/09", 901, None, "date", None)]),
        # a time of day is no figure; hours with a complement are a duration
        ("Le train part à 8 heures pour Strasbourg.", []),
        (
            "après quatre heures d'entraînement",
            [("quatre", 4, None, "duration", "heures d'entraînement")],
        ),
        # scores, page and footnote references count nothing
        ("Il s'impose 6-1, 6-2 en finale.", []),
        ("Dans un document (p. 40) publié, la lettre (page 2) et une note [1].", []),
        # "premier" before a noun is no rank; alone it is
        ("Le premier conseil a eu lieu.", []),
        (
            "Le premier, âgé de 30 ans, a parlé.",
            [
                ("premier", 1, None, "ordinal", None),
                ("30", 30, None, "duration", "ans"),
            ],
        ),
        # the noun after an adjective that stands before it
        ("sur les neuf premiers mois de l'année", [("neuf", 9, None, "duration", "mois")]),
        # a range of percentages, a half
        (
            "une croissance de 1,75 à 2,25 %, dit-il",
            [("1,75 à 2,25 %", 1.75, 2.25, "percent", "%")],
        ),
        (
            "500 emplois, dont la moitié en France",
            [
                ("500", 500, None, "count", "emplois"),
                ("la moitié", 0.5, None, "other", None),
            ],
        ),
        # "milles" are nautical miles, not the invariable number "mille"
        ("quelque 24.000 milles nautiques", [("24.000", 24000, None, "count", "milles nautiques")]),
        # a year named by what it is the year of
        ("l'édition 2010 de Wimbledon", [("2010", 2010, None, "year", None)]),
        # many, not a million
        ("un symbole pour des millions de Français", []),
        ("deux millions de Français", [("deux millions", 2e6, None, "count", "Français")]),
        # fractions written with ordinals; ranks stay ranks
        ("un cinquième des votants", [("un cinquième", 0.2, None, "other", None)]),
        ("trois cinquièmes", [("trois cinquièmes", 0.6, None, "other", None)]),
        ("le troisième trimestre", [("troisième", 3, None, "ordinal", "trimestre")]),
        # every spelling of a percentage
        ("trente pourcentage", [("trente pourcentage", 30, None, "percent", "%")]),
        ("12 pour cent", [("12 pour cent", 12, None, "percent", "%")]),
        # the head noun before a range
        ("des notes comprises entre 8 et 10", [("8 et 10", 8, 10, "range", "notes")]),
    ],
)
def test_noise_is_cut_and_figures_read_right(text: str, expected: list) -> None:
    assert read(text) == expected


def test_an_amount_whose_currency_the_sentence_gave_is_money() -> None:
    text = "Une perte de 234 millions d'euros, contre un bénéfice de 437 millions un an plus tôt."
    figures = extract_figures(text, "fr")
    assert [(f.kind, f.currency) for f in figures] == [("money", "EUR"), ("money", "EUR")]
    # a count of people keeps its noun
    people = extract_figures("Un budget de 20 milliards d'euros pour 7 milliards d'humains.")
    assert [(f.kind, f.unit) for f in people][1] == ("count", "humains")
