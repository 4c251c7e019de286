"""The quoted passages of one text, and who is quoted where the text says it."""

from __future__ import annotations

from dataclasses import dataclass

from store.quotes.speakers import find_speaker

# Opening and closing marks. Straight quotes open and close alike, so they pair in turn
# within a paragraph; guillemets and curly quotes nest.
PAIRED_MARKS = {"«": "»", "“": "”"}
STRAIGHT = '"'
INSIDE_SPACE = " \t\u00a0\u202f"
MAX_QUOTE_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted passage: offsets of the words inside the marks, and the speaker if stated."""

    start: int
    end: int
    surface: str
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


def find_quotes(text: str) -> list[Quote]:
    """Every quoted passage of `text`, in order, with its speaker where a cue names one."""
    quotes = []
    for open_at, close_at in quote_spans(text):
        start, end = inner_words(text, open_at + 1, close_at)
        if end - start < 2 or not any(char.isalnum() for char in text[start:end]):
            continue
        speaker = find_speaker(text, open_at, close_at + 1)
        if speaker is None:
            quotes.append(Quote(start, end, text[start:end]))
        else:
            quotes.append(
                Quote(start, end, text[start:end], speaker.text, speaker.start, speaker.end)
            )
    return quotes


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(opening mark, closing mark) positions, paragraph by paragraph."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        spans.extend((offset + a, offset + b) for a, b in paragraph_spans(paragraph))
        offset += len(paragraph) + 1
    return sorted(spans)


def paragraph_spans(paragraph: str) -> list[tuple[int, int]]:
    """The quote spans of one paragraph: nested guillemets, curly and straight quotes (an
    odd one out, an inch sign or a typo, is left alone)."""
    spans = []
    stack: list[tuple[str, int]] = []
    straight: list[int] = []
    for position, char in enumerate(paragraph):
        if char in PAIRED_MARKS:
            stack.append((PAIRED_MARKS[char], position))
        elif stack and char == stack[-1][0]:
            _, opened = stack.pop()
            spans.append((opened, position))
        elif char in "»”":
            # A closing mark whose opening was a different kind: close the innermost anyway.
            if stack:
                _, opened = stack.pop()
                spans.append((opened, position))
        elif char == STRAIGHT:
            straight.append(position)
    spans.extend(straight_spans(paragraph, straight))
    return [(a, b) for a, b in spans if b - a <= MAX_QUOTE_LENGTH]


def straight_spans(paragraph: str, positions: list[int]) -> list[tuple[int, int]]:
    """Pairs of straight quotes. A mark after a space and before a word opens, one after a
    word and before a space or punctuation closes, so quotes nest (`"Selon le décret, ...
    des "données" ..."`); a mark that says neither takes the other role of the last one."""
    spans = []
    opened: list[int] = []
    for position in positions:
        before = paragraph[position - 1] if position > 0 else " "
        after = paragraph[position + 1] if position + 1 < len(paragraph) else " "
        opens = (before.isspace() or before in "([«“'’-") and not after.isspace()
        closes = not before.isspace() and (after.isspace() or not after.isalnum())
        if opened and (closes or not opens):
            spans.append((opened.pop(), position))
        else:
            opened.append(position)
    return spans


def inner_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span inside the marks without the spaces typographers put there."""
    while start < end and text[start] in INSIDE_SPACE:
        start += 1
    while end > start and text[end - 1] in INSIDE_SPACE:
        end -= 1
    return start, end
