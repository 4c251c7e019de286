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
from store.search.limits import MAX_SAFE_TERMS, bound_notice, fold_repeats, repeats_notice

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
    `notices`: what the search changed in the query (repeated words searched once, a
    query cut to its first MAX_SAFE_TERMS terms), for the person who typed it.
    """

    match: str
    numbers: tuple[str, ...]
    terms: tuple[str, ...] = ()
    checked: str = ""
    notices: tuple[str, ...] = ()


def parse_safe_query(query: str) -> ParsedQuery:
    """Turn free text into an FTS5 query of quoted words; QueryError when nothing is left.

    Each word and number is searched once, and at most MAX_SAFE_TERMS of them (numbers
    first, then words, in the order typed); `notices` says so when it happens.
    """
    by_number: dict[str, str] = {}  # canonical number -> its first spelling in the query
    typed_numbers = 0
    for found in _QUERY_NUMBER.finditer(query):
        by_number.setdefault(canonical_number(found.group()), found.group())
        typed_numbers += 1
    numbers, surfaces = list(by_number), list(by_number.values())
    words = _WORD.findall(_QUERY_NUMBER.sub(" ", query))
    words = [w for w in words if w.strip("_")]
    content = [w for w in words if w.lower() not in STOP_WORDS]
    typed = content if (content or numbers) else words
    if not numbers and not typed:
        raise QueryError("nothing to search for: type at least one word or number")
    kept_words = fold_repeats(typed)
    repeated = typed_numbers - len(numbers) + len(typed) - len(kept_words)
    notices = (repeats_notice(repeated), bound_notice(len(numbers) + len(kept_words)))
    numbers, surfaces = numbers[:MAX_SAFE_TERMS], surfaces[:MAX_SAFE_TERMS]
    kept_words = kept_words[: MAX_SAFE_TERMS - len(numbers)]
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
        notices=tuple(notice for notice in notices if notice),
    )


def query_notices(query: str, *, advanced: bool = False) -> tuple[str, ...]:
    """What a search of `query` changes in it (repeated words, too many words), to tell."""
    if advanced:
        return ()
    try:
        return parse_safe_query(query).notices
    except QueryError:
        return ()


def _any_of(forms: tuple[tuple[str, ...], ...]) -> str:
    """An FTS5 expression matching any of the token sequences (digits: nothing to quote)."""
    phrases = ['"' + " ".join(form) + '"' for form in forms]
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"
