"""Lining up the quotations of several articles: the same statement however cut or reworded."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import LCSseq

from store.quotes.finder import Quote, find_quotes

# Words split at apostrophes, so that `d'abus` holds the word `abus`; a diff shows them
# as written (`d'êtres`).
WORD = re.compile(r"\w+")
DISPLAY_WORD = re.compile(r"\w+(?:['’]\w+)*")
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})
# Function words do not make two quotations one statement: at least two other words must
# match, and the matched words must cover most of the shorter quotation.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "à",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "c",
        "d",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "il",
        "ils",
        "je",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "ma",
        "mais",
        "me",
        "même",
        "mes",
        "ne",
        "nous",
        "on",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "un",
        "une",
        "vous",
        "y",
        "est",
        "sont",
        "été",
        "être",
        "ont",
    ]
)
MIN_CONTENT_MATCHES = 2
MIN_COVERAGE = 0.6


@dataclass(frozen=True, slots=True)
class QuoteCell:
    """Where one article reports a quotation: offsets of the words inside the marks."""

    article_id: int
    start: int
    end: int
    surface: str
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word-level difference: `equal`, `delete` or `insert`, with its words."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """One statement across the compared articles: `identical`, `reworded` or `single-source`.

    `diff` turns the first cell into the first cell that words it differently, of another
    article where there is one (empty unless reworded)."""

    speaker: str | None
    status: str
    cells: tuple[QuoteCell, ...]
    diff: tuple[DiffOp, ...] = ()

    def as_json(self) -> dict[str, object]:
        """The object `recoupe compare --json` prints for this statement."""
        return {
            "section": "quote",
            "speaker": self.speaker,
            "status": self.status,
            "cells": [
                {"article_id": c.article_id, "start": c.start, "end": c.end, "surface": c.surface}
                for c in self.cells
            ],
            "diff": [{"op": d.op, "text": d.text} for d in self.diff],
        }


def align_quotes(
    articles: Sequence[tuple[int, str]],
    quotes: Sequence[list[Quote]] | None = None,
    finder: Callable[[str], list[Quote]] = find_quotes,
) -> list[QuoteGroup]:
    """The quotations of `(article_id, body)` pairs, grouped by statement, reworded first.

    `quotes`, when given, are each body's `find_quotes` kept from an earlier run."""
    per_body = [finder(body) for _, body in articles] if quotes is None else quotes
    cells = [
        QuoteCell(article_id, q.start, q.end, q.surface, q.speaker)
        for (article_id, _), found in zip(articles, per_body, strict=True)
        for q in found
    ]
    words = [quote_words(cell.surface) for cell in cells]
    parent = list(range(len(cells)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    # A quotation holding other quotations of its article (a paragraph of reported speech
    # quoting the decree twice) would chain unrelated statements: its parts are aligned.
    holders = quotations_holding_others(cells)
    for left, right in candidate_pairs(words):
        if (
            left not in holders
            and right not in holders
            and cells[left].article_id != cells[right].article_id
            and same_statement(words[left], words[right])
        ):
            parent[root(left)] = root(right)
    members: dict[int, list[int]] = {}
    for index in range(len(cells)):
        members.setdefault(root(index), []).append(index)
    groups = [build_group([cells[i] for i in indexes]) for indexes in members.values()]
    order = {"reworded": 0, "identical": 1, "single-source": 2}
    return sorted(groups, key=lambda g: (order[g.status], g.cells[0].article_id, g.cells[0].start))


def quotations_holding_others(cells: list[QuoteCell]) -> set[int]:
    """Indexes of the cells that contain another cell of their article (quotations do not
    overlap otherwise: one that holds another is the next one's neighbour in start order)."""
    order = sorted(range(len(cells)), key=lambda i: (cells[i].article_id, cells[i].start))
    holders = set()
    for position, index in enumerate(order):
        for following in order[position + 1 :]:
            other = cells[following]
            if other.article_id != cells[index].article_id or other.start >= cells[index].end:
                break
            if other.end <= cells[index].end:
                holders.add(index)
                break
    return holders


def candidate_pairs(words: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Pairs of quotations that can be one statement: the same words, or at least
    MIN_CONTENT_MATCHES words in common that are not function words (found through an
    index of those words, so that the costly comparison runs on few pairs)."""
    by_words: dict[tuple[str, ...], list[int]] = {}
    by_word: dict[str, list[int]] = {}
    for index, quote in enumerate(words):
        by_words.setdefault(quote, []).append(index)
        for word in set(quote) - FUNCTION_WORDS:
            by_word.setdefault(word, []).append(index)
    shared: dict[tuple[int, int], int] = {}
    for members in by_word.values():
        for position, left in enumerate(members):
            for right in members[position + 1 :]:
                shared[(left, right)] = shared.get((left, right), 0) + 1
    pairs = {pair for pair, count in shared.items() if count >= MIN_CONTENT_MATCHES}
    for members in by_words.values():
        pairs.update(
            (left, right)
            for position, left in enumerate(members)
            for right in members[position + 1 :]
        )
    return sorted(pairs)


def quote_words(text: str) -> tuple[str, ...]:
    """The words of a quotation, lower-cased, apostrophes made plain, punctuation dropped."""
    return tuple(WORD.findall(text.translate(APOSTROPHES).casefold()))


def same_statement(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two quotations report one statement: equal words, or enough shared words in
    order to cover most of the shorter one (a cut or a rewording)."""
    if not a or not b:
        return False
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 3:
        return short_quote_within(a, b) if len(a) < len(b) else short_quote_within(b, a)
    # The longest common subsequence of words (rapidfuzz, in C++): the words of `a` that
    # `b` has in the same order, however cut or interleaved with other words.
    dropped = {op.src_pos for op in LCSseq.editops(a, b) if op.tag == "delete"}
    matched = [word for position, word in enumerate(a) if position not in dropped]
    content = [word for word in matched if word not in FUNCTION_WORDS]
    return len(content) >= MIN_CONTENT_MATCHES and len(matched) / shorter >= MIN_COVERAGE


def short_quote_within(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """A quotation of two words, neither a function word, found as is in the other
    (`assez équilibrée` in `Nous avons une loi qui est assez équilibrée`)."""
    # A single quoted word (`nounou`, `certain`) is a word, not a statement.
    if len(short) != 2 or any(word in FUNCTION_WORDS for word in short):
        return False
    size = len(short)
    return any(long[i : i + size] == short for i in range(len(long) - size + 1))


def build_group(cells: list[QuoteCell]) -> QuoteGroup:
    """Status, speaker and difference of one group of cells."""
    cells = sorted(cells, key=lambda c: (c.article_id, c.start))
    speaker = next((c.speaker for c in cells if c.speaker), None)
    if len({c.article_id for c in cells}) < 2:
        return QuoteGroup(speaker, "single-source", tuple(cells))
    first = cells[0]
    words = quote_words(first.surface)
    differing = [c for c in cells if quote_words(c.surface) != words]
    if not differing:
        return QuoteGroup(speaker, "identical", tuple(cells))
    # Show the difference with another article's wording where there is one.
    differing = next((c for c in differing if c.article_id != first.article_id), differing[0])
    return QuoteGroup(
        speaker, "reworded", tuple(cells), word_diff(first.surface, differing.surface)
    )


def word_diff(before: str, after: str) -> tuple[DiffOp, ...]:
    """The word-level difference turning `before` into `after`, as a diff viewer shows it;
    case, punctuation and typographic quotes are ignored when matching words."""
    old = [m.group() for m in DISPLAY_WORD.finditer(before)]
    new = [m.group() for m in DISPLAY_WORD.finditer(after)]
    matcher = SequenceMatcher(
        None,
        [w.translate(APOSTROPHES).casefold() for w in old],
        [w.translate(APOSTROPHES).casefold() for w in new],
        autojunk=False,
    )
    ops: list[DiffOp] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(DiffOp("equal", " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            ops.append(DiffOp("delete", " ".join(old[a1:a2])))
        if b2 > b1:
            ops.append(DiffOp("insert", " ".join(new[b1:b2])))
    return tuple(merged(ops))


def merged(ops: list[DiffOp]) -> list[DiffOp]:
    """Adjacent steps of one kind joined (`delete la`, `delete traite` -> `delete la traite`)."""
    joined: list[DiffOp] = []
    for op in ops:
        if joined and joined[-1].op == op.op:
            joined[-1] = DiffOp(op.op, f"{joined[-1].text} {op.text}")
        else:
            joined.append(op)
    return joined
