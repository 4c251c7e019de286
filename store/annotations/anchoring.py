"""Anchoring annotations to article text, and re-anchoring them when the text changes.

An annotation is stored as the W3C Web Annotation Data Model describes a passage
of text: a TextQuoteSelector (the exact quote, with up to 32 characters of prefix
and suffix) and a TextPositionSelector (start and end character offsets). When an
article is re-imported with a different text, each of its annotations is placed
again, trying in turn:

1. the position, when the quote still stands there and its surroundings agree
   with the stored prefix and suffix at least as well as at any other occurrence
   (a short quote can stand at its old offset by chance);
2. the quote, wherever it now occurs; when it occurs several times, the occurrence
   whose surroundings agree best with the stored prefix and suffix (then the one
   nearest the old position);
3. a fuzzy match of the quote (rapidfuzz), for a passage whose words were edited;
   short quotes must also be confirmed by their context, since a few characters
   match almost anywhere;
4. else the annotation is marked orphaned, and kept: nothing is ever deleted.

Offsets count Unicode code points, like Python string indices and like the W3C
TextPositionSelector.

find_quote places a quote typed by a person (the `annotate` command): exactly,
else whatever its apostrophes, quotes, dashes and spaces; several occurrences
need an occurrence number.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from store.errors import RecoupeError
from store.library import normalize_text
from store.models import Anchor, ReanchorReport

if TYPE_CHECKING:
    from store.db import Library


CONTEXT_CHARS = 32
"""Characters of prefix and suffix stored around a quote."""
FUZZY_THRESHOLD = 80.0
"""Lowest rapidfuzz ratio (0-100) at which an edited passage still counts as the quote."""
SHORT_QUOTE_CHARS = 24
"""Quotes shorter than this need their context to agree before a fuzzy match is accepted."""
CONTEXT_THRESHOLD = 60.0
"""Lowest ratio of the prefix or suffix that confirms a fuzzy match of a short quote."""
MAX_BOUNDARY_SLACK = 40
"""How far (characters) the ends of a fuzzy match may be moved to fit word boundaries."""


def quote_selector(body: str, start: int, end: int) -> tuple[str, str, str]:
    """The (exact, prefix, suffix) of body[start:end], with CONTEXT_CHARS on each side."""
    return (
        body[start:end],
        body[max(0, start - CONTEXT_CHARS) : start],
        body[end : end + CONTEXT_CHARS],
    )


def occurrences(body: str, quote: str) -> list[int]:
    """Start offsets of every occurrence of `quote` in `body`, overlapping ones included."""
    found: list[int] = []
    if not quote:
        return found
    position = body.find(quote)
    while position != -1:
        found.append(position)
        position = body.find(quote, position + 1)
    return found


def context_agreement(body: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters next to body[start:end] agree with the stored prefix and suffix."""
    before = body[max(0, start - len(prefix)) : start]
    after = body[end : end + len(suffix)]
    return _common_prefix_length(before[::-1], prefix[::-1]) + _common_prefix_length(after, suffix)


def _common_prefix_length(a: str, b: str) -> int:
    """How many leading characters two strings share."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def locate(body: str, exact: str, prefix: str, suffix: str, start: int, end: int) -> Anchor:
    """Where the quote stands in `body` now: by position, quote, context, fuzzy match, or not."""
    if not exact:
        return Anchor(start, end, "orphaned", "none")
    positions = occurrences(body, exact)
    if positions:
        # The old position is one candidate among the occurrences: it wins when its context
        # agrees as well as any other's (a short quote can stand at its old offset by chance).
        best = max(
            positions,
            key=lambda p: (
                context_agreement(body, p, p + len(exact), prefix, suffix),
                -abs(p - start),
            ),
        )
        if best == start:
            return Anchor(start, end, "anchored", "position")
        return Anchor(
            best, best + len(exact), "moved", "quote" if len(positions) == 1 else "context"
        )
    span = fuzzy_locate(body, exact, prefix, suffix)
    if span is not None:
        return Anchor(span[0], span[1], "moved", "fuzzy")
    return Anchor(start, end, "orphaned", "none")


def fuzzy_locate(body: str, exact: str, prefix: str, suffix: str) -> tuple[int, int] | None:
    """The span of `body` most like `exact` when it is alike enough, else None."""
    if len(exact) > len(body):
        return None
    alignment = fuzz.partial_ratio_alignment(exact, body, score_cutoff=FUZZY_THRESHOLD)
    if alignment is None:
        return None
    start, end, score = _fit_boundaries(
        body,
        exact,
        alignment.dest_start,
        alignment.dest_end,
        mid_word_start=_cuts_word(prefix[-1:], exact[:1]),
        mid_word_end=_cuts_word(exact[-1:], suffix[:1]),
    )
    if score < FUZZY_THRESHOLD:
        return None
    if len(exact) < SHORT_QUOTE_CHARS and not _context_confirms(body, start, end, prefix, suffix):
        return None
    return start, end


def _cuts_word(left: str, right: str) -> bool:
    """True when a boundary between these two characters falls inside a word."""
    return bool(left and right and left.isalnum() and right.isalnum())


def _fit_boundaries(
    body: str,
    exact: str,
    start: int,
    end: int,
    *,
    mid_word_start: bool = False,
    mid_word_end: bool = False,
) -> tuple[int, int, float]:
    """Move the ends of an aligned window so the span best matches `exact`.

    partial_ratio aligns a window as long as the quote; an edited passage is often
    longer or shorter, so the window can cut a word or miss one. Ends move to word
    boundaries, except where the quote itself began or ended inside a word.
    """
    slack = min(MAX_BOUNDARY_SLACK, max(3, len(exact) // 5))
    starts = {start} | {
        i
        for i in range(max(0, start - slack), min(len(body), start + slack) + 1)
        if mid_word_start or _starts_word(body, i)
    }
    ends = {end} | {
        j
        for j in range(max(0, end - slack), min(len(body), end + slack) + 1)
        if mid_word_end or _ends_word(body, j)
    }
    best = (start, end, -1.0)
    for s in sorted(starts):
        for e in sorted(ends):
            if e <= s:
                continue
            score = fuzz.ratio(exact, body[s:e])
            distance = abs(s - start) + abs(e - end)
            if score > best[2] or (
                score == best[2] and distance < abs(best[0] - start) + abs(best[1] - end)
            ):
                best = (s, e, score)
    return best


def _starts_word(body: str, i: int) -> bool:
    """True when a word (or a non-space character after a space) begins at offset i."""
    if i >= len(body) or body[i].isspace():
        return False
    return i == 0 or body[i - 1].isspace() or (body[i].isalnum() and not body[i - 1].isalnum())


def _ends_word(body: str, j: int) -> bool:
    """True when a word (or a non-space run) ends just before offset j."""
    if j <= 0 or body[j - 1].isspace():
        return False
    return j == len(body) or body[j].isspace() or (body[j - 1].isalnum() and not body[j].isalnum())


def _context_confirms(body: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    """True when the text around a span resembles the stored prefix or suffix."""
    scores = []
    if prefix:
        scores.append(fuzz.ratio(prefix, body[max(0, start - len(prefix)) : start]))
    if suffix:
        scores.append(fuzz.ratio(suffix, body[end : end + len(suffix)]))
    return bool(scores) and max(scores) >= CONTEXT_THRESHOLD


# --------------------------------------------------------------------------- finding a quote


class QuoteError(RecoupeError):
    """A quote that cannot be placed in an article as asked."""


class QuoteNotFound(QuoteError):
    """A quote that does not occur in the article."""

    def __init__(self, article_id: int, quote: str) -> None:
        self.article_id = article_id
        self.quote = quote
        super().__init__(f"the quote {_shorten(quote)!r} is not in article {article_id}")


class AmbiguousQuote(QuoteError):
    """A quote that occurs several times, asked without saying which occurrence."""

    def __init__(self, article_id: int, quote: str, count: int) -> None:
        self.article_id = article_id
        self.quote = quote
        self.count = count
        super().__init__(
            f"the quote {_shorten(quote)!r} occurs {count} times in article {article_id}: "
            f"say which occurrence (1 to {count})"
        )


class OccurrenceOutOfRange(QuoteError):
    """An occurrence number beyond the occurrences of the quote."""

    def __init__(self, article_id: int, quote: str, count: int, occurrence: int) -> None:
        self.article_id = article_id
        self.count = count
        self.occurrence = occurrence
        times = "once" if count == 1 else f"{count} times"
        super().__init__(
            f"occurrence {occurrence} asked, but the quote {_shorten(quote)!r} occurs "
            f"{times} in article {article_id}"
        )


def _shorten(text: str, width: int = 60) -> str:
    """One line of at most `width` characters, for messages."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


_LENIENT_CLASSES = {
    "'": "['’ʼ‘]",
    "’": "['’ʼ‘]",
    "ʼ": "['’ʼ‘]",
    "‘": "['’ʼ‘]",
    '"': '["“”«»]',
    "“": '["“”«»]',
    "”": '["“”«»]',
    "«": '["“”«»]',
    "»": '["“”«»]',
    "-": "[-‐‑–—]",
    "–": "[-‐‑–—]",
    "—": "[-‐‑–—]",
}


def _lenient_pattern(quote: str) -> re.Pattern[str]:
    """A pattern that matches the quote whatever its spaces, apostrophes, quotes and dashes."""
    parts: list[str] = []
    for chunk in re.split(r"(\s+)", quote):
        if not chunk:
            continue
        if chunk.isspace():
            parts.append(r"\s+")
            continue
        parts.extend(_LENIENT_CLASSES.get(char) or re.escape(char) for char in chunk)
    return re.compile("".join(parts))


def quote_spans(body: str, quote: str) -> list[tuple[int, int]]:
    """Every span of `body` holding the quote: exact occurrences, else lenient ones.

    Lenient matching lets a quote typed with straight apostrophes, plain spaces or
    hyphens match a text set with ’, no-break spaces or dashes.
    """
    quote = normalize_text(quote).strip()
    if not quote:
        return []
    exact = [(p, p + len(quote)) for p in _non_overlapping(body, quote)]
    if exact:
        return exact
    return [m.span() for m in _lenient_pattern(quote).finditer(body)]


def _non_overlapping(body: str, quote: str) -> list[int]:
    found: list[int] = []
    position = body.find(quote)
    while position != -1:
        found.append(position)
        position = body.find(quote, position + len(quote))
    return found


def find_quote(
    body: str, quote: str, article_id: int, occurrence: int | None = None
) -> tuple[int, int]:
    """The span of the quote (the n-th occurrence, counting from 1, when asked).

    QuoteNotFound, AmbiguousQuote (several occurrences, none chosen) or
    OccurrenceOutOfRange otherwise.
    """
    spans = quote_spans(body, quote)
    if not spans:
        raise QuoteNotFound(article_id, quote)
    if occurrence is None:
        if len(spans) > 1:
            raise AmbiguousQuote(article_id, quote, len(spans))
        return spans[0]
    if not 1 <= occurrence <= len(spans):
        raise OccurrenceOutOfRange(article_id, quote, len(spans), occurrence)
    return spans[occurrence - 1]


def reanchor_article(db: Library, article_id: int, body: str) -> ReanchorReport:
    """Place every annotation of an article on its new text; call inside the write transaction.

    Found annotations get fresh offsets, quote and context; a quote whose words changed
    keeps the first marked text in `previous_exact`. An annotation found at its old
    place keeps the status `moved` it may already have (the reader has not checked it
    yet); one that cannot be found becomes `orphaned` with its selectors untouched, so
    a later version of the text can bring it back.
    """
    rows = db.execute(
        'SELECT id, start, "end", exact, prefix, suffix, status, previous_exact '
        "FROM annotations WHERE article_id = ?",
        [article_id],
    ).fetchall()
    counts = {"anchored": 0, "moved": 0, "orphaned": 0}
    for annotation_id, start, end, exact, prefix, suffix, status, previous in rows:
        anchor = locate(body, exact, prefix, suffix, start, end)
        if anchor.status == "orphaned":
            db.execute("UPDATE annotations SET status = 'orphaned' WHERE id = ?", [annotation_id])
            counts["orphaned"] += 1
            continue
        new_exact, new_prefix, new_suffix = quote_selector(body, anchor.start, anchor.end)
        new_status = "moved" if anchor.status == "moved" or status == "moved" else "anchored"
        if new_exact != exact and previous is None:
            previous = exact
        db.execute(
            'UPDATE annotations SET start = ?, "end" = ?, exact = ?, prefix = ?, suffix = ?, '
            "status = ?, previous_exact = ? WHERE id = ?",
            [
                anchor.start,
                anchor.end,
                new_exact,
                new_prefix,
                new_suffix,
                new_status,
                previous,
                annotation_id,
            ],
        )
        counts[new_status] += 1
    return ReanchorReport(article_id, **counts)
