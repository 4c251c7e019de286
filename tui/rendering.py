"""Text helpers shared by the widgets: safe display of article text, wrapping, highlights.

Article text is data. Rich `Text` objects never interpret markup, but a control
character copied into a segment would still reach the terminal, so every control
character is shown as its Unicode "control picture" (ESC becomes ␛).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len

# Controls, and the invisible characters that reorder or hide text: bidi embeddings,
# overrides and isolates, zero-width characters, the BOM (what store.library.text strips on import).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def visible(text: str) -> str:
    """The text with control and invisible characters replaced by one visible character each."""
    return _CONTROL.sub(_picture, text.replace("\t", " "))


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


@dataclass(frozen=True, slots=True)
class Highlight:
    """A span of an article body to draw in a style: a figure, a search word, an annotation.

    `component` names a component class of the widget drawing it, so that colours
    live in app.tcss.
    """

    start: int
    end: int
    component: str


@dataclass(frozen=True, slots=True)
class WrappedLine:
    """One screen line of a wrapped body: the character offsets it covers."""

    start: int
    end: int


# A word, a number written with spaced digit groups ("2 500" stays on one line), or spaces.
_WORD = re.compile(r"\S*\d(?:[ \u00a0\u202f]\d{3}(?!\d))+\S*\s*|\S+\s*|\s+")


def wrap_offsets(text: str, width: int) -> list[WrappedLine]:
    """Wrap `text` at word boundaries to `width` cells, as offsets into `text`.

    Keeping offsets (rather than wrapped strings) lets the views map a figure or an
    annotation to the line it is on, whatever the width.
    """
    width = max(width, 4)
    lines: list[WrappedLine] = []
    position = 0
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, position, width))
        position += len(paragraph) + 1
    return lines


def _wrap_paragraph(paragraph: str, base: int, width: int) -> list[WrappedLine]:
    if not paragraph:
        return [WrappedLine(base, base)]
    lines: list[WrappedLine] = []
    line_start = 0
    line_cells = 0
    for match in _WORD.finditer(paragraph):
        word = match.group()
        word_cells = cell_len(word.rstrip())
        if line_cells and line_cells + word_cells > width:
            lines.append(WrappedLine(base + line_start, base + match.start()))
            line_start = match.start()
            line_cells = 0
        while word_cells > width:
            # A word wider than the line: cut it where it fills the line.
            cut = _cut_at_cells(
                paragraph,
                match.start() if line_start < match.start() else line_start,
                width - line_cells,
            )
            lines.append(WrappedLine(base + line_start, base + cut))
            line_start = cut
            line_cells = 0
            word_cells = cell_len(paragraph[cut : match.end()].rstrip())
        line_cells += cell_len(paragraph[max(line_start, match.start()) : match.end()])
    lines.append(WrappedLine(base + line_start, base + len(paragraph)))
    return lines


def _cut_at_cells(text: str, start: int, cells: int) -> int:
    used = 0
    position = start
    while position < len(text):
        width = cell_len(text[position])
        if used + width > max(cells, 1):
            break
        used += width
        position += 1
    return max(position, start + 1)


def line_index_of(lines: list[WrappedLine], offset: int) -> int:
    """The index of the wrapped line holding character `offset` (the last line past the end)."""
    low, high = 0, len(lines) - 1
    if high < 0:
        return 0
    while low < high:
        middle = (low + high + 1) // 2
        if lines[middle].start <= offset:
            low = middle
        else:
            high = middle - 1
    return low
