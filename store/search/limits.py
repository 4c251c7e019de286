"""Bounds on what a search reads and returns, so that no query can make it run away.

* Safe mode searches each word once (``de de de`` is ``de``: FTS5 would read the
  word's whole list once per repetition and rank it as many times) and at most
  MAX_SAFE_TERMS words and numbers; the search says so in a notice.
* Advanced mode refuses a query of more than MAX_ADVANCED_TERMS words: its syntax
  cannot be cut safely, and FTS5 matches a NEAR group of n phrases in about n² steps
  per row, between two checks of the time budget (store.db.sqlite.guard).
* Messages quote at most QUOTED_CHARS characters of the query (store.errors.quoted).
* Snippets hold no word longer than SNIPPET_WORD_CHARS and at most SNIPPET_CHARS
  characters in all (a 200 000-character "word" is one FTS5 token).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from store.errors import QueryError, quoted
from store.models import HIGHLIGHT_END, HIGHLIGHT_START, split_highlights

MAX_SAFE_TERMS = 32
"""Words and numbers a safe query searches at most (the first ones typed)."""
MAX_ADVANCED_TERMS = 64
"""Words an advanced query may hold (a NEAR group of 64 costs ~1 ms a row at most)."""
SNIPPET_WORD_CHARS = 100
"""A longer run of characters without a space is cut in a snippet."""
SNIPPET_CHARS = 600
"""A snippet is cut after this many characters (16 tokens are about 100 characters)."""

_ADVANCED_WORD = re.compile(r"\w+")
_FTS_OPERATORS = frozenset(["AND", "OR", "NOT", "NEAR"])
_LONG_WORD = re.compile(rf"\S{{{SNIPPET_WORD_CHARS + 1},}}")


def fold_key(word: str) -> str:
    """What makes two words the same search term: case and accents ignored."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold_repeats(terms: Sequence[str]) -> list[str]:
    """The terms with each repetition after the first dropped (case and accents ignored)."""
    seen: set[str] = set()
    kept: list[str] = []
    for term in terms:
        key = fold_key(term)
        if key not in seen:
            seen.add(key)
            kept.append(term)
    return kept


def repeats_notice(repeated: int) -> str | None:
    """The notice for terms searched once though typed several times."""
    if not repeated:
        return None
    return f"{repeated} repeated word{'s' if repeated > 1 else ''} searched once"


def bound_notice(total: int) -> str | None:
    """The notice for a query cut to its first MAX_SAFE_TERMS terms."""
    if total <= MAX_SAFE_TERMS:
        return None
    return f"only the first {MAX_SAFE_TERMS} of {total} words searched: refine the query"


def check_advanced_size(query: str) -> None:
    """Refuse an advanced query of more than MAX_ADVANCED_TERMS words (QueryError)."""
    words = sum(1 for word in _ADVANCED_WORD.findall(query) if word not in _FTS_OPERATORS)
    if words > MAX_ADVANCED_TERMS:
        raise QueryError(
            f"query too costly: refine it ({words} words in advanced mode, at most "
            f"{MAX_ADVANCED_TERMS}: {quoted(query)})"
        )


def bound_snippet(snippet: str) -> str:
    """The snippet with over-long words cut and its length bounded, highlights kept."""
    if len(snippet) <= SNIPPET_CHARS and not _LONG_WORD.search(snippet):
        return snippet
    pieces: list[str] = []
    room = SNIPPET_CHARS
    parts = split_highlights(snippet)
    for index, (text, is_match) in enumerate(parts):
        text = _LONG_WORD.sub(lambda m: m.group()[:SNIPPET_WORD_CHARS] + "…", text)
        cut = text[:room]
        room -= len(cut)
        if cut:
            pieces.append(HIGHLIGHT_START + cut + HIGHLIGHT_END if is_match else cut)
        if room <= 0:
            if len(cut) < len(text) or index + 1 < len(parts):
                pieces.append("…")
            break
    return "".join(pieces)
