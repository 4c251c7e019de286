"""Words the small model takes for names: nationalities (`le Brésilien Valdecy Urquizava`)."""

from __future__ import annotations

COUNTRIES_OF_DEMONYMS = [
    "afghan",
    "algérien",
    "allemand",
    "américain",
    "anglais",
    "argentin",
    "australien",
    "autrichien",
    "belge",
    "brésilien",
    "britannique",
    "bulgare",
    "canadien",
    "chilien",
    "chinois",
    "colombien",
    "congolais",
    "coréen",
    "cubain",
    "danois",
    "écossais",
    "égyptien",
    "espagnol",
    "européen",
    "finlandais",
    "français",
    "grec",
    "hongrois",
    "indien",
    "indonésien",
    "irakien",
    "iranien",
    "irlandais",
    "israélien",
    "italien",
    "ivoirien",
    "japonais",
    "kényan",
    "libanais",
    "libyen",
    "malien",
    "marocain",
    "mexicain",
    "néerlandais",
    "nigérian",
    "norvégien",
    "pakistanais",
    "palestinien",
    "péruvien",
    "philippin",
    "polonais",
    "portugais",
    "roumain",
    "russe",
    "sénégalais",
    "serbe",
    "suédois",
    "suisse",
    "syrien",
    "texan",
    "thaïlandais",
    "tibétain",
    "togolais",
    "tunisien",
    "turc",
    "ukrainien",
    "vénézuélien",
    "vietnamien",
]


def demonym_forms(word: str) -> set[str]:
    """A nationality's four forms: `brésilien`, `brésilienne`, `brésiliens`, `brésiliennes`."""
    if word.endswith("ien"):
        feminine = word + "ne"
    elif word.endswith(("e", "c")):
        feminine = word if word.endswith("e") else word + "que"
    else:
        feminine = word + "e"
    plural = word if word.endswith(("s", "x")) else word + "s"
    return {word, feminine, plural, feminine + "s"}


DEMONYMS = frozenset(form for word in COUNTRIES_OF_DEMONYMS for form in demonym_forms(word))
"""Lower-case nationality words and their feminine and plural forms."""
