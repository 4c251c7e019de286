"""Reading what a person typed: safe mode quotes every word, numbers in every spelling.

Safe mode (the default) searches any text as words: each word is quoted, so
``l'opération``, ``Jean-Pierre``, ``24-27`` or an unbalanced quote never reach the
full-text engine as syntax. A number is searched in each way the index may have
split it, and checked in the articles found where one of those ways could match
another number (see ``store.numbers``). Common French and English words are dropped
when the query has other words. Advanced mode passes the query through as written
(FTS5 syntax: ``"phrases"``, ``prefix*``, AND/OR/NOT, NEAR, ``title:``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from store.errors import QueryError
from store.numbers import NUMBER_RE, canonical_number, token_forms

STOP_WORDS = frozenset(
    [
        "a",
        "à",
        "au",
        "aux",
        "avec",
        "c",
        "ce",
        "ces",
        "cet",
        "cette",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "est",
        "il",
        "ils",
        "j",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "mes",
        "n",
        "ne",
        "nous",
        "on",
        "ou",
        "où",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "son",
        "sont",
        "sur",
        "t",
        "ta",
        "te",
        "tes",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "été",
        "être",
        "avoir",
        "ont",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "with",
    ]
)

_QUERY_NUMBER = NUMBER_RE
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query ready for FTS5, with the numbers it asks for (canonical spelling).

    `checked`: the numbers (canonical, space-separated) that each article found must
    state, because a form they are searched under may match another number too.
    """

    match: str
    numbers: tuple[str, ...]
    terms: tuple[str, ...] = ()
    checked: str = ""


def parse_safe_query(query: str) -> ParsedQuery:
    """Turn free text into an FTS5 query of quoted words; QueryError when nothing is left."""
    surfaces = [m.group() for m in _QUERY_NUMBER.finditer(query)]
    numbers = [canonical_number(surface) for surface in surfaces]
    words = _WORD.findall(_QUERY_NUMBER.sub(" ", query))
    words = [w for w in words if w.strip("_")]
    content = [w for w in words if w.lower() not in STOP_WORDS]
    kept_words = content if (content or numbers) else words
    if not numbers and not kept_words:
        raise QueryError("nothing to search for: type at least one word or number")
    forms = [token_forms(surface) for surface in surfaces]
    parts = [_any_of(number_forms) for number_forms in forms]
    parts += ['"' + word.replace('"', '""') + '"' for word in kept_words]
    checked = dict.fromkeys(
        number
        for number, number_forms in zip(numbers, forms, strict=True)
        if any(len(form) > 1 for form in number_forms)
    )
    return ParsedQuery(
        # FTS5 reads two terms side by side as AND, but not after a parenthesis.
        match=(" AND " if numbers else " ").join(parts),
        numbers=tuple(numbers),
        terms=tuple(numbers + kept_words),
        checked=" ".join(checked),
    )


def _any_of(forms: tuple[tuple[str, ...], ...]) -> str:
    """An FTS5 expression matching any of the token sequences (digits: nothing to quote)."""
    phrases = ['"' + " ".join(form) + '"' for form in forms]
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"
