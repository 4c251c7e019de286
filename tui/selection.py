"""Words and sentences of an article body, to move a cursor and grow a selection by them.

The cursor sits on a word (a run of letters and digits, a number written with spaced
digit groups, or a run of punctuation, as vim's `w` sees words); a selection runs
from an anchor word to the cursor word, both included. Keeping positions as word
indices makes "extend by a word" and "shrink by a sentence" plain index arithmetic,
and the selected span always starts and ends on whole words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# Numbers with spaced groups ("2 517"), words with inner apostrophes, hyphens or decimal
# marks ("l'opération", "Jean-Pierre", "3,5"), or a run of punctuation.
_TOKEN = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3}(?!\d))+(?:[.,]\d+)?|\w+(?:['’\-.,]\w+)*|[^\w\s]+")
# A sentence ends at . ! ? or … (closing quotes or brackets included) before a space,
# and at every line break.
_SENTENCE_END = re.compile(r"[.!?…]+[»\"”’)\]]*(?=\s)|\n")
# "M. Dupont", "Mme. X", "J. Martin": a period after these does not end a sentence.
_ABBREVIATIONS = frozenset({"m", "mm", "mme", "mlle", "dr", "pr", "st", "me", "mgr", "cf", "no"})


@dataclass(frozen=True, slots=True)
class Span:
    """Characters start to end (excluded) of the body."""

    start: int
    end: int


class TextUnits:
    """The words of a text and the sentence each belongs to."""

    def __init__(self, text: str) -> None:
        self.words: list[Span] = [Span(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        self._starts = [word.start for word in self.words]
        sentence_starts = _sentence_starts(text)
        # sentence index of every word, and the first and last word of every sentence
        self.sentence_of: list[int] = []
        self.first_word: list[int] = []
        self.last_word: list[int] = []
        previous = -1
        for index, word in enumerate(self.words):
            # sentences without words are skipped: only the ones that have words are numbered
            sentence = bisect_right(sentence_starts, word.start) - 1
            if sentence != previous:
                self.first_word.append(index)
                self.last_word.append(index)
                previous = sentence
            else:
                self.last_word[-1] = index
            self.sentence_of.append(len(self.first_word) - 1)

    def __len__(self) -> int:
        return len(self.words)

    def word_at(self, offset: int) -> int:
        """The word holding character `offset`, or the nearest one before it (0 when none)."""
        if not self.words:
            return 0
        return max(bisect_right(self._starts, offset) - 1, 0)

    def words_of(self, start: int, end: int) -> tuple[int, int]:
        """The first and last words that touch characters start to end."""
        first = self.word_at(start)
        if self.words and self.words[first].end <= start and first + 1 < len(self.words):
            first += 1
        last = max(self.word_at(max(end - 1, start)), first)
        return first, last

    def span(self, first: int, last: int) -> Span:
        """Characters from the start of word `first` to the end of word `last` (any order)."""
        low, high = sorted((first, last))
        return Span(self.words[low].start, self.words[high].end)

    # -- moves of the cursor alone --------------------------------------------------------

    def next_word(self, index: int) -> int:
        """The word after `index` (the last word stays)."""
        return min(index + 1, len(self.words) - 1)

    def previous_word(self, index: int) -> int:
        """The word before `index` (the first word stays)."""
        return max(index - 1, 0)

    def next_sentence(self, index: int) -> int:
        """The first word of the sentence after the one holding `index`."""
        sentence = self.sentence_of[index]
        if sentence + 1 < len(self.first_word):
            return self.first_word[sentence + 1]
        return self.last_word[sentence]

    def previous_sentence(self, index: int) -> int:
        """The first word of this sentence, or of the one before when already there."""
        sentence = self.sentence_of[index]
        if index != self.first_word[sentence] or sentence == 0:
            return self.first_word[sentence]
        return self.first_word[sentence - 1]

    # -- moves of the selection's moving end ----------------------------------------------

    def extend_by_sentence(self, cursor: int, anchor: int) -> int:
        """Move the cursor a sentence forward: grow a forward selection, shrink a backward one."""
        sentence = self.sentence_of[cursor]
        if cursor < anchor:
            if sentence + 1 >= len(self.first_word):
                return anchor
            return min(self.first_word[sentence + 1], anchor)
        if cursor != self.last_word[sentence] or sentence + 1 >= len(self.last_word):
            return self.last_word[sentence]
        return self.last_word[sentence + 1]

    def shrink_by_sentence(self, cursor: int, anchor: int) -> int:
        """Move the cursor a sentence back: shrink a forward selection, grow a backward one."""
        sentence = self.sentence_of[cursor]
        if cursor > anchor:
            if sentence == 0:
                return anchor
            return max(self.last_word[sentence - 1], anchor)
        return self.previous_sentence(cursor)


def _sentence_starts(text: str) -> list[int]:
    """Offsets where sentences begin (the first is always 0)."""
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        if match.group() != "\n" and _is_abbreviation(text, match.start(), match.group()):
            continue
        starts.append(match.end())
    return starts


def _is_abbreviation(text: str, end: int, mark: str) -> bool:
    """Whether the period at `end` closes an abbreviation or an initial, not a sentence."""
    if not mark.startswith(".") or len(mark) > 1:
        return False
    word = re.search(r"(\w+)$", text[max(end - 12, 0) : end])
    if word is None:
        return False
    token = word.group(1)
    return (len(token) == 1 and token.isupper()) or token.casefold() in _ABBREVIATIONS
