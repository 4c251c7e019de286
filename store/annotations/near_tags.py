"""Noticing a new tag that nearly repeats an existing one, before a second tag is made.

`Chiffre Clé` beside `chiffre-clé` (spaces, hyphens, accents, case) or one letter
apart (`chifre-clé`): the app offers the existing tag instead.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from store.annotations.tags import clean_tag, fold_tag

if TYPE_CHECKING:
    from store.db import Library


def loose_tag_key(name: str) -> str:
    """A tag with case, accents, spaces, hyphens, underscores and dots left out."""
    decomposed = unicodedata.normalize("NFKD", clean_tag(name).casefold())
    return "".join(c for c in decomposed if c.isalnum())


def near_duplicate_tag(db: Library, name: str) -> str | None:
    """The existing tag of the library a new tag `name` nearly repeats, else None."""
    names = [existing for (existing,) in db.execute("SELECT name FROM tags ORDER BY name")]
    return near_duplicate_among(name, names)


def near_duplicate_among(name: str, names: Iterable[str]) -> str | None:
    """The tag of `names` a new tag `name` nearly repeats, else None.

    Nearly: the same letters once case, accents and separators are left out
    (`Chiffre Clé`, `chiffre-clé`, `chiffre_cle`), or one letter added, dropped or
    changed in a name of at least five (`chifre-clé`). A tag that is one of `names`
    (same case-folded name) is no near duplicate: it is the tag itself.
    """
    from rapidfuzz.distance import Levenshtein

    names = list(names)
    if fold_tag(name) in {fold_tag(existing) for existing in names}:
        return None
    key = loose_tag_key(name)
    if not key:
        return None
    best: tuple[int, str] | None = None
    for existing in names:
        other = loose_tag_key(existing)
        if other == key:
            return str(existing)
        if min(len(key), len(other)) >= 5:
            distance = Levenshtein.distance(key, other, score_cutoff=1)
            if distance <= 1 and (best is None or distance < best[0]):
                best = (distance, str(existing))
    return best[1] if best else None
