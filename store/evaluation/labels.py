"""Hand labels that name a figure by its text: article file, field, exact surface, occurrence.

Labels written by a person cannot count characters: they say ``"751 millions d'euros",
occurrence 2 of the body``. ``locate`` turns that into offsets. An occurrence is a match
of the surface that is not glued to a longer number or word: ``5 %`` is not found inside
``0,5 %``, ``six`` not inside ``vingt-six``. A space in a
label matches any space (no-break ones too), an apostrophe either apostrophe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from store.errors import RecoupeError
from store.library import parse_txt


class LabelError(RecoupeError):
    """A hand label names a surface that is not in its article."""


@dataclass(frozen=True, slots=True)
class LabelledText:
    """An article as recoupe reads it: its title and its body (parse_txt)."""

    file: str
    title: str
    body: str

    def field(self, name: str) -> str:
        """The title or the body."""
        return self.title if name == "title" else self.body


@lru_cache(maxsize=512)
def read_labelled_text(folder: str, file: str) -> LabelledText:
    """The title and body of one text file of a labelled set."""
    raw = (Path(folder) / file).read_text(encoding="utf-8-sig")
    parsed = parse_txt(raw, file)
    return LabelledText(file, parsed.title, parsed.body)


_LOOSE = {" ": "[ \u00a0\u202f]", "\u00a0": "[ \u00a0\u202f]", "'": "['’]", "’": "['’]"}
"""Characters a person types one way and a text writes several ways."""


@lru_cache(maxsize=4096)
def _surface_pattern(surface: str) -> re.Pattern[str]:
    body = "".join(_LOOSE.get(c, re.escape(c)) for c in surface)
    return re.compile(r"(?<![\w\-,.])" + body + r"(?!\w)")


def locate(text: str, surface: str, occurrence: int) -> tuple[int, int]:
    """Offsets of the `occurrence`-th (1-based) free-standing match of `surface` in `text`."""
    for n, match in enumerate(_surface_pattern(surface).finditer(text), start=1):
        if n == occurrence:
            return match.start(), match.end()
    raise LabelError(f"{surface!r} occurrence {occurrence} not found")


def occurrence_of(text: str, start: int, end: int) -> int | None:
    """Which occurrence of its own surface the span [start, end) is (None when glued)."""
    for n, match in enumerate(_surface_pattern(text[start:end]).finditer(text), start=1):
        if match.start() == start:
            return n
    return None
