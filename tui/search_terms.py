"""Where the words of a search occur in an article body, to highlight them when reading."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from store.numbers import canonical_number, find_numbers
from store.search import STOP_WORDS

_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_TOKEN = re.compile(r"\w+\*?")
_NUMBER_TOKEN = re.compile(r"\d[\d \u00a0\u202f.,]*\d|\d")


@dataclass(frozen=True, slots=True)
class SearchTerms:
    """The words, word prefixes and numbers a query asks for, folded for matching."""

    words: frozenset[str]
    prefixes: frozenset[str]
    numbers: frozenset[str]

    @property
    def is_empty(self) -> bool:
        """Whether there is nothing to highlight."""
        return not (self.words or self.prefixes or self.numbers)


def fold(text: str) -> str:
    """Lower-case `text` without accents, keeping one character per character."""
    return "".join(_fold_char(c) for c in text)


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base[0] if base else char


def terms_from_query(query: str, advanced: bool = False) -> SearchTerms:
    """The terms of a query as the search understood it (stop words dropped, numbers canonical)."""
    numbers = {canonical_number(m.group()) for m in _NUMBER_TOKEN.finditer(query)}
    rest = _NUMBER_TOKEN.sub(" ", query)
    words: set[str] = set()
    prefixes: set[str] = set()
    for token in _TOKEN.findall(re.sub(r"\b\w+:", " ", rest) if advanced else rest):
        if advanced and token in _OPERATORS:
            continue
        folded = fold(token)
        if token.endswith("*"):
            prefixes.add(folded[:-1])
        elif folded not in STOP_WORDS and not folded.isdigit():
            words.add(folded)
    return SearchTerms(frozenset(words), frozenset(prefixes), frozenset(numbers))


def term_spans(body: str, terms: SearchTerms) -> list[tuple[int, int]]:
    """The (start, end) offsets in `body` of every word or number the terms ask for."""
    if terms.is_empty:
        return []
    folded = fold(body)
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"\w+", folded):
        word = match.group()
        if word in terms.words or any(word.startswith(p) for p in terms.prefixes):
            spans.append(match.span())
    if terms.numbers:
        spans += [(s, e) for s, e, canonical in find_numbers(body) if canonical in terms.numbers]
    return sorted(spans)
