"""Key figures: extraction (see ``store.figures.extract``), storage, and search by value.

Every article's figures live in the ``figures`` table, replaced in the same
transaction whenever the article is written (``replace_figures``, called from
``store.ingest.importer.after_article_written``). ``search_figures`` finds figures by
value and unit word with a small syntax::

    2517                    any figure equal to 2 517
    >=2500 arrestations     at least 2 500, unit like "arrestations"
    <100 morts              below 100
    2000..3000 victimes     between 2 000 and 3 000 (inclusive)
    ~600 millions d'euros   within 10 % of 600 000 000, in euros
"""

from __future__ import annotations

import math
import operator
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import repeat

import sqlite_utils

from store.db import transaction
from store.errors import QueryError
from store.figures.display import format_figure_value
from store.figures.extract import (
    FIGURE_ROW_FIELDS,
    extract_figure_rows,
    extract_figures,
    figure_from_row,
    guess_lang,
    parse_number,
)
from store.figures.units import is_currency_unit, units_match
from store.models import Figure, FigureHit

__all__ = [
    "FIGURE_ROW_FIELDS",
    "FigureSpec",
    "extract_figure_rows",
    "extract_figures",
    "figures_for_article",
    "guess_lang",
    "pack_figure_rows",
    "parse_figure_spec",
    "replace_figure_rows",
    "replace_figures",
    "search_figures",
    "store_packed_figures",
    "value_index_suspended",
]

_COLUMNS = (
    'id, article_id, start, "end", surface, value, value_max, kind, unit, currency, '
    "qualifier, sentence_start, sentence_end"
)
_INSERT = (
    'INSERT INTO figures (article_id, start, "end", surface, value, value_max, kind, unit, '
    "currency, qualifier, sentence_start, sentence_end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
)
_NOT_QUANTITIES = ("date", "ordinal")
_STORED = operator.attrgetter(*FIGURE_ROW_FIELDS)
"""A figure's stored columns in _INSERT's order, read in one C call."""


def replace_figures(
    db: sqlite_utils.Database, article_id: int, body: str, figures: list[Figure] | None = None
) -> int:
    """Extract the figures of one article's body and store them in place of the old ones.

    Runs inside the caller's transaction; returns how many figures were stored.
    `figures`, when given, were extracted from `body` already.
    """
    if figures is None:
        return replace_figure_rows(db, article_id, extract_figure_rows(body))
    return replace_figure_rows(db, article_id, [_STORED(f) for f in figures])


def replace_figure_rows(db: sqlite_utils.Database, article_id: int, rows: Sequence[tuple]) -> int:
    """Store figures given as extract_figure_rows tuples in place of an article's old ones.

    Runs inside the caller's transaction; returns how many figures were stored. The
    import path: no Figure object is built for the millions of figures it writes.
    """
    conn = db.conn
    conn.execute("DELETE FROM figures WHERE article_id = ?", (article_id,))
    if rows:
        conn.executemany(_INSERT, [(article_id, *row) for row in rows])
    return len(rows)


PackedFigures = tuple[tuple[object, ...], ...]
"""An article's figure rows as columns, surface left out (see pack_figure_rows)."""

_SURFACE = FIGURE_ROW_FIELDS.index("surface")
_DELETE_CHUNK = 500


def pack_figure_rows(rows: Sequence[tuple]) -> PackedFigures:
    """Figure rows as columns without their surface, for the trip from an import worker.

    Pickling ten columns costs about half of pickling forty row tuples, and the
    surface is a slice of the body the writer holds anyway (store_packed_figures).
    """
    if not rows:
        return ()
    columns = list(zip(*rows, strict=True))
    del columns[_SURFACE]
    return tuple(columns)


def store_packed_figures(
    db: sqlite_utils.Database, articles: Iterable[tuple[int, str, PackedFigures]]
) -> int:
    """Store the packed figures of several articles (id, body, pack_figure_rows columns) in
    place of their old ones; runs inside the caller's transaction. Returns the rows stored.

    One DELETE per few hundred articles and no Python work per row: an import writes
    millions of figures.
    """
    articles = list(articles)
    conn = db.conn
    ids = [article_id for article_id, _, _ in articles]
    for first in range(0, len(ids), _DELETE_CHUNK):
        chunk = ids[first : first + _DELETE_CHUNK]
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM figures WHERE article_id IN ({marks})", chunk)
    stored = 0
    for article_id, body, columns in articles:
        if not columns:
            continue
        starts, ends = columns[0], columns[1]
        surfaces = [body[start:end] for start, end in zip(starts, ends, strict=True)]
        # One executemany per article: measured faster than one for the whole batch.
        conn.executemany(_INSERT, zip(repeat(article_id), starts, ends, surfaces, *columns[2:]))
        stored += len(starts)
    return stored


VALUE_INDEX = "idx_figures_kind_value"
"""The index search by value uses: costly to keep up row by row during a large import."""


@contextmanager
def value_index_suspended(db: sqlite_utils.Database) -> Iterator[Callable[[int], bool]]:
    """During a large import, drop the (kind, value) index and build it once at the end.

    Each figure row lands at a random place of that index: once it outgrows SQLite's
    page cache, every insert reads and rewrites pages (2.1 million rows: 14 s to keep
    it up, 5 s to build it afterwards). Yields `suspend_for(new_articles)`, which the
    import calls before each write with the number of new articles it expects from
    there on: the first time that is at least as many as are stored (building the
    index again then costs less than keeping it), the index is dropped, outside any
    transaction. It returns whether the index is dropped. Only then, or when the index
    was missing, is it built at the end: a re-import of unchanged files, which brings
    nothing new, leaves it alone (it used to rebuild it: 100k articles, 8 s).
    Building it again is best effort (another writer may hold the file): search by
    value stays correct without it, only slower, and the next large import builds it.
    """
    row = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [VALUE_INDEX]
    ).fetchone()
    definition = row[0] if row else _VALUE_INDEX_SQL
    dropped = False

    def suspend_for(new_articles: int) -> bool:
        nonlocal dropped
        if dropped or row is None or db.conn.in_transaction:
            return dropped
        stored = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        if new_articles >= max(stored, 1):
            try:
                with transaction(db):
                    db.execute(f"DROP INDEX IF EXISTS {VALUE_INDEX}")
            except sqlite3.OperationalError:  # another writer holds the file: keep the index
                return False
            dropped = True
        return dropped

    try:
        yield suspend_for
    finally:
        if dropped or row is None:
            with suppress(sqlite3.OperationalError), transaction(db):
                db.execute(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))


_VALUE_INDEX_SQL = f"CREATE INDEX {VALUE_INDEX} ON figures(kind, value)"


def extract_all(db: sqlite_utils.Database) -> int:
    """(Re-)extract the figures of every article (migrations); the caller holds a transaction."""
    rows = db.execute("SELECT id, body FROM articles").fetchall()
    return sum(replace_figures(db, int(article_id), body) for article_id, body in rows)


def _figure(row: tuple) -> Figure:
    """A stored figure: (id, article_id, then the FIGURE_ROW_FIELDS)."""
    return figure_from_row(row[2:], article_id=row[1], id=row[0])


def figures_for_article(db: sqlite_utils.Database, article_id: int) -> list[Figure]:
    """The stored figures of one article, ordered by position (empty for an unknown id)."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM figures WHERE article_id = ? ORDER BY start, id",
        [article_id],
    ).fetchall()
    return [_figure(row) for row in rows]


# --------------------------------------------------------------------------- search by value


@dataclass(frozen=True, slots=True)
class FigureSpec:
    """A parsed figure query: a value interval, optional unit words, kind and currency."""

    low: float
    high: float
    unit: str | None = None
    kind: str | None = None
    currency: str | None = None


_SPEC = re.compile(
    r"^\s*(?P<op>>=|<=|≥|≤|>|<|=|~)?\s*(?P<body>.+?)\s*$",
    re.DOTALL,
)
_RANGE_SPLIT = re.compile(r"\s*\.\.\s*")
_STRICT = 1e-9


def _read_quantity(text: str) -> Figure:
    """The one figure a piece of a query states ('2 500 arrestations', '600 M€')."""
    lang = "en" if re.search(r"\d,\d{3}\b", text) and not re.search(r"\d\.\d{3}\b", text) else "fr"
    figures = [f for f in extract_figures(text, lang) if f.value is not None]
    if not figures or figures[0].start > 0:
        value = parse_number(text.split()[0], lang) if text.split() else None
        if value is None:
            raise QueryError(
                f"not a figure query: {text!r} (try '2517', '>=2500 arrestations', "
                "'2000..3000 victimes')"
            )
        rest = text.split(maxsplit=1)[1] if len(text.split()) > 1 else ""
        return Figure(0, len(text), text, value, "count", unit=rest or None)
    return figures[0]


_LEADING_NUMBER = re.compile(r"^\s*(\d+(?:[ \u00a0\u202f.,]\d+)*)")
_BARE = re.compile(r"^\s*[-−]?\d[\d \u00a0\u202f.,]*\s*$")


def _scale_of_high_end(low_text: str, high_text: str, high: float) -> float:
    """The scale a bare low end takes from the high end, as a reader means it: '600..800
    millions' is 600 to 800 millions, '1,5..2 milliards d'euros' 1,5 to 2 milliards."""
    if not _BARE.match(low_text):
        return 1.0
    number = _LEADING_NUMBER.match(high_text)
    written = parse_number(number.group(1)) if number else None
    if not written or not high or high == written:
        return 1.0
    return high / written


def parse_figure_spec(spec: str) -> FigureSpec:
    """Read a figure query ('>=2500 arrestations'); QueryError when it cannot be read."""
    match = _SPEC.match(spec or "")
    if not match or not match.group("body").strip():
        raise QueryError("empty figure query")
    op = {"≥": ">=", "≤": "<="}.get(match.group("op") or "", match.group("op") or "=")
    body = match.group("body")
    parts = _RANGE_SPLIT.split(body, maxsplit=1)
    if len(parts) == 2:
        if op != "=":
            raise QueryError("a range (a..b) takes no comparison operator")
        low_fig, high_fig = _read_quantity(parts[0]), _read_quantity(parts[1])
        low, high = low_fig.value or 0.0, high_fig.value or 0.0
        low *= _scale_of_high_end(parts[0], parts[1], high)
        unit_fig = high_fig
    else:
        unit_fig = _read_quantity(body)
        value = unit_fig.value if unit_fig.value is not None else 0.0
        high_value = unit_fig.value_max if unit_fig.value_max is not None else value
        low, high = {
            "=": (value, high_value),
            ">=": (value, float("inf")),
            ">": (value + _STRICT * max(1.0, abs(value)), float("inf")),
            "<=": (float("-inf"), high_value),
            "<": (float("-inf"), high_value - _STRICT * max(1.0, abs(high_value))),
            "~": (value * 0.9, high_value * 1.1),
        }[op]
    if low > high:
        low, high = high, low
    unit = unit_fig.unit
    if unit_fig.kind == "money" and is_currency_unit(unit):
        unit = None
    # A bare "2000" may be a year or a count: search both (years are never above 2100).
    kind = unit_fig.kind if unit_fig.kind in ("money", "percent", "date") else None
    return FigureSpec(low, high, unit, kind, unit_fig.currency)


def _centre(query: FigureSpec) -> float:
    """The value a query asks for most: its middle, or its one finite end."""
    if math.isinf(query.low) and math.isinf(query.high):
        return 0.0
    if math.isinf(query.low):
        return query.high
    if math.isinf(query.high):
        return query.low
    return (query.low + query.high) / 2


def _reason(query: FigureSpec, figure: Figure) -> str | None:
    """Why a figure matched when it is not plainly a value asked for: a range that only
    reaches into the interval ('matched the range 1 000–4 000')."""
    if figure.value_max is None or figure.value is None:
        return None
    if query.low <= figure.value and figure.value_max <= query.high:
        return None
    return f"matched the range {format_figure_value(figure)}"


def search_figures(
    db: sqlite_utils.Database, spec: str | FigureSpec, limit: int = 200
) -> list[FigureHit]:
    """Figures whose value falls in the query's interval and whose unit matches its words."""
    query = spec if isinstance(spec, FigureSpec) else parse_figure_spec(spec)
    where = ["f.value <= ?", "coalesce(f.value_max, f.value) >= ?"]
    params: list[object] = [query.high, query.low]
    if query.kind:
        where.append("f.kind = ?")
        params.append(query.kind)
    else:
        where.append(f"f.kind NOT IN ({', '.join('?' for _ in _NOT_QUANTITIES)})")
        params.extend(_NOT_QUANTITIES)
    if query.currency:
        where.append("f.currency = ?")
        params.append(query.currency)
    sql = (
        f"SELECT {', '.join('f.' + c.strip() for c in _COLUMNS.split(','))}, "
        "a.title, a.outlet, a.published FROM figures f JOIN articles a ON a.id = f.article_id "
        f"WHERE {' AND '.join(where)} "
        # Most relevant first: figures inside the asked interval before ranges that only
        # reach into it, then the closest to what was asked.
        "ORDER BY (f.value_max IS NOT NULL AND (f.value < ? OR f.value_max > ?)), "
        "abs(coalesce((f.value + f.value_max) / 2.0, f.value) - ?), f.article_id, f.start"
    )
    params.extend([query.low, query.high, _centre(query)])
    hits: list[FigureHit] = []
    for row in db.execute(sql, params):
        figure = _figure(row[:13])
        if query.unit and not units_match(query.unit, figure.unit):
            continue
        hits.append(
            FigureHit(
                figure.article_id or 0, row[13], row[14], row[15], figure, _reason(query, figure)
            )
        )
        if len(hits) >= limit:
            break
    return hits
