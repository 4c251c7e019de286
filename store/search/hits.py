"""Searching the library: the query read, the engine's ranking, numbers highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.db import ArticleFilters, FullTextRequest
from store.errors import QueryError
from store.library import normalize_date
from store.models import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit, split_highlights
from store.numbers import find_numbers
from store.search.query import ParsedQuery, parse_safe_query
from store.spans import merge_spans

if TYPE_CHECKING:
    from store.db import Library


def _check_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    iso = normalize_date(value)
    if iso is None:
        raise QueryError(f"{name} date {value!r} is not a date: use YYYY-MM-DD")
    return iso


def search(
    db: Library,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    advanced: bool = False,
) -> list[SearchHit]:
    """Ranked articles matching `query`, best first, each with a highlighted snippet.

    The ranking is the engine's (``library.engine.full_text_search``); QueryError
    when the query cannot be run, with a message a person can act on.
    """
    if advanced:
        if not query.strip():
            raise QueryError("nothing to search for: type at least one word or number")
        parsed = ParsedQuery(match=query, numbers=())
    else:
        parsed = parse_safe_query(query)
    request = FullTextRequest(
        query=query,
        match=parsed.match,
        terms=parsed.terms,
        has_numbers=bool(parsed.numbers),
        checked=parsed.checked,
        advanced=advanced,
        filters=_filters(outlet, since, until),
        limit=limit,
        offset=offset,
    )
    rows = db.engine.full_text_search(db, request)
    hits = [SearchHit(*row[:4], " ".join(row[4].split()), row[5]) for row in rows]
    if parsed.numbers:
        hits = [_highlight_numbers(db, hit, parsed.numbers) for hit in hits]
    return hits


def _filters(outlet: str | None, since: str | None, until: str | None) -> ArticleFilters:
    """The conditions for the outlet and date range asked for (empty without filters)."""
    since_iso = _check_date(since, "--since")
    until_iso = _check_date(until, "--until")
    per_article: list[str] = []
    collected: list[str] = []
    params: list[object] = []
    if outlet:
        per_article.append("outlet = ? COLLATE NOCASE")
        collected.append(
            "outlet IN (SELECT DISTINCT outlet FROM articles WHERE outlet = ? COLLATE NOCASE)"
        )
        params.append(outlet)
    for bound, operator in ((since_iso, ">="), (until_iso, "<=")):
        if bound:
            per_article.append(f"published {operator} ?")
            collected.append(f"published {operator} ?")
            params.append(bound)
    return ArticleFilters(" AND ".join(per_article), " AND ".join(collected), tuple(params))


def _highlight_numbers(db: Library, hit: SearchHit, numbers: tuple[str, ...]) -> SearchHit:
    """Mark the searched numbers in the snippet, however the article spells them."""
    snippet = _mark_numbers(hit.snippet, numbers)
    if HIGHLIGHT_START not in snippet:
        # FTS5 chose the fragment without seeing '2 517' as 2517: cut one around the number.
        body = db.execute("SELECT body FROM articles WHERE id = ?", [hit.article_id]).fetchone()[0]
        snippet = _snippet_around_number(body, numbers) or snippet
    return SearchHit(hit.article_id, hit.title, hit.outlet, hit.published, snippet, hit.score)


def _mark_numbers(text: str, numbers: tuple[str, ...]) -> str:
    """Add highlight markers around the wanted numbers, merged with the existing ones."""
    plain_parts: list[str] = []
    marked: list[tuple[int, int]] = []
    position = 0
    for piece, is_match in split_highlights(text):
        if is_match:
            marked.append((position, position + len(piece)))
        plain_parts.append(piece)
        position += len(piece)
    plain = "".join(plain_parts)
    wanted = set(numbers)
    marked += [(s, e) for s, e, canonical in find_numbers(plain) if canonical in wanted]
    pieces: list[str] = []
    last = 0
    for start, end in merge_spans(marked):
        pieces += [plain[last:start], HIGHLIGHT_START, plain[start:end], HIGHLIGHT_END]
        last = end
    pieces.append(plain[last:])
    return "".join(pieces)


def _snippet_around_number(body: str, numbers: tuple[str, ...], width: int = 60) -> str | None:
    """About `width` characters each side of the first wanted number, cut between words."""
    for start, end, canonical in find_numbers(body):
        if canonical in numbers:
            left = max(0, start - width)
            if left:  # start after a space, not in the middle of a word
                space = body.find(" ", left, start)
                left = space + 1 if space != -1 else left
            right = min(len(body), end + width)
            if right < len(body):
                space = body.rfind(" ", end, right)
                right = space if space != -1 else right
            prefix = "…" if left else ""
            suffix = "…" if right < len(body) else ""
            text = body[left:start] + HIGHLIGHT_START + body[start:end] + HIGHLIGHT_END
            return prefix + " ".join((text + body[end:right]).split()) + suffix
    return None
