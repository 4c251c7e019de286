"""Folding a name to a comparison key: German transliteration, accents, case, apostrophes."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# German umlauts and eszett are written out by outlets that lack the letter (Juergen for
# Jürgen): fold both spellings to the written-out form so they compare equal.
GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'"})
DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-"})


@lru_cache(maxsize=8192)
def fold_name(text: str) -> str:
    """`text` lower-cased with ü=ue, ö=oe, ä=ae, ß=ss, other accents dropped, one apostrophe."""
    text = text.translate(GERMAN_TRANSLITERATION).translate(APOSTROPHES).translate(DASHES)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())


def typographic_form(text: str) -> str:
    """`text` with typographic apostrophes, dashes and spaces made plain (spelling kept)."""
    return " ".join(text.translate(APOSTROPHES).translate(DASHES).split())
