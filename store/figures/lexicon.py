"""Word lists the figure extractor reads: months, scales, currencies, qualifiers, stop words.

Kept apart from the extraction code so the rules stay short and the vocabularies
easy to extend. Every key is lower case and matched after lower-casing.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    """The whitespace-separated words of a literal list."""
    return text.split()


MONTHS: dict[str, int] = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}

SCALES: dict[str, float] = {
    "mille": 1e3,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "milliard": 1e9,
    "milliards": 1e9,
    "md": 1e9,
    "mds": 1e9,
    "mrd": 1e9,
    "billion": 1e9,  # English short scale; a French "billion" is rare in news
    "billions": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "trillions": 1e12,
}
"""Multipliers written after a number ("3,5 millions", "600 M€", "$1.2bn")."""

CURRENCY_SYMBOLS: dict[str, str] = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "CNY"}

CURRENCY_WORDS: dict[str, str] = {
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "livre": "GBP",
    "livres": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "gbp": "GBP",
    "yuan": "CNY",
    "yuans": "CNY",
    "franc": "CHF",
    "francs": "CHF",
    "chf": "CHF",
    "yen": "JPY",
    "yens": "JPY",
}

DURATION_UNITS = frozenset(
    _words(
        "an ans année années mois semaine semaines jour jours heure heures minute minutes "
        "seconde secondes siècle siècles year years month months week weeks day days hour "
        "hours minute minutes decade decades"
    )
)

STOP_WORDS = frozenset(
    _words("""
    a à ai as au aux avec avait avaient avoir ce ces cet cette celle celui ceux chez
    comme contre dans de des du d elle elles en entre est et étaient était été être
    eu fait font il ils je la le les leur leurs lui l ma mais me même mes moi mon ne
    ni nos notre nous on ont ou où par pas pendant peu plus pour qu que qui sa sans
    se selon ses si son sont sous sur ta te tes toi ton tous tout toute toutes très
    tu un une vers vos votre vous y dont soit sera seront serait seraient ainsi alors
    aussi donc puis encore déjà environ près moins autres autre chaque quelque
    quelques plusieurs certains certaines depuis avant après jusqu lors
    the of and or to in on at by for from with as is are was were be been has have
    had that this these those it its an a than more less about over under into per
    """)
)
"""Words that never start or end a context noun ("2 517 arrestations ONT été...")."""

CAPITALISED_NOT_NAMES = frozenset(
    _words("""
    le la les l un une des en au aux du de d plus moins selon depuis dont et sur dans
    par pour avec entre près environ quelque lundi mardi mercredi jeudi vendredi samedi
    dimanche soit mais or ainsi alors puis total au-delà the in on at over about some
    more less nearly almost around
    """)
)
"""Capitalised words a number may follow without being part of a name ("En 2024")."""

YEAR_CUES = (
    "en",
    "depuis",
    "d'ici",
    "d’ici",
    "d'ici à",
    "d’ici à",
    "jusqu'en",
    "jusqu’en",
    "fin",
    "début",
    "mi",
    "année",
    "l'an",
    "l’an",
    "édition",
    "saison",
    "promotion",
    "session",
    "cuvée",
    "millésime",
    "exercice",
    "rentrée",
    "in",
    "since",
    "by",
    "until",
)

APPROX_NOUNS: dict[str, float] = {
    "dizaine": 10,
    "douzaine": 12,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "millier": 1000,
}
"""'une centaine de' and the like: a figure 'about' the value."""

FR_NUMBER_WORDS = _words(
    "zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize vingt vingts trente quarante cinquante soixante septante octante "
    "huitante nonante cent cents mille million millions milliard milliards"
)

EN_NUMBER_WORDS = _words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty "
    "sixty seventy eighty ninety hundred thousand million billion"
)

ADJECTIVE_ENDINGS = (
    "elle",
    "elles",
    "el",
    "els",
    "ique",
    "iques",
    "aire",
    "aires",
    "al",
    "ale",
    "ales",
    "aux",
    "ier",
    "iers",
    "ière",
    "ières",
    "if",
    "ifs",
    "ive",
    "ives",
    "eux",
    "euse",
    "euses",
    "ée",
    "ées",
    "és",
    "aise",
    "aises",
    "ais",
    "oise",
    "oises",
    "ois",
    "ain",
    "ains",
    "aine",
    "aines",
    "ien",
    "iens",
    "ienne",
    "iennes",
    "ant",
    "ants",
    "ante",
    "antes",
    "ent",
    "ents",
    "ente",
    "entes",
    "ible",
    "ibles",
    "able",
    "ables",
    "isé",
    "isés",
    "isée",
    "isées",
)
"""Endings of a French adjective that may follow the noun ("victimes potentielles")."""

VERB_ENDINGS = ("aient", "ait", "èrent", "erent", "ront", "rait", "raient", "issent")
"""Conjugated verb endings: a word with one is not a context noun ("850 concernaient")."""

QUALIFIER_LAST_WORDS = frozenset(
    _words(
        "de d' d’ moins minimum à dépassant than least over of plus maximum to most under "
        "environ quelque approximativement près modo about around nearly almost roughly "
        "approximately some circa ~ jusqu'à jusqu’à jusqu'a jusqu’a"
    )
)
"""The last word of every qualifier the extractor knows: a cheap test before its regexes."""

SUFFIX_STARTS = frozenset(
    _words(
        "po pe mi bi tr th bn mn md mr eu do li yu fr ye us ch gb de d' d’ of "
        "ja fé fe ma av ap ju ao au se oc no dé"
    )
)
"""The first two letters (lower case) of every word that may follow a number and change
its meaning: percent, scale, currency, month."""
