"""Search by value: figures whose value lies in an interval, with unit words.

``search_figures`` reads a small syntax::

    2517                    any figure equal to 2 517
    >=2500 arrestations     at least 2 500, unit like "arrestations"
    <100 morts              below 100
    2000..3000 victimes     between 2 000 and 3 000 (inclusive)
    ~600 millions d'euros   within 10 % of 600 000 000, in euros

It sees the figures computed so far (``figure_coverage`` says how many articles
have theirs): callers say so when some are still pending.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store.errors import QueryError
from store.figures.display import format_figure_value
from store.figures.extract import extract_figures, parse_number
from store.figures.storage import figures_for_articles
from store.figures.units import is_currency_unit, units_match
from store.models import Figure, FigureHit

if TYPE_CHECKING:
    from store.db import Library

_NOT_QUANTITIES = ("date", "ordinal")


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


def search_figures(db: Library, spec: str | FigureSpec, limit: int = 200) -> list[FigureHit]:
    """Figures whose value falls in the query's interval and whose unit matches its words."""
    query = spec if isinstance(spec, FigureSpec) else parse_figure_spec(spec)
    where = ["v.value <= ?", "coalesce(v.value_max, v.value) >= ?"]
    params: list[object] = [query.high, query.low]
    if query.kind:
        where.append("v.kind = ?")
        params.append(query.kind)
    else:
        where.append(f"v.kind NOT IN ({', '.join('?' for _ in _NOT_QUANTITIES)})")
        params.extend(_NOT_QUANTITIES)
    if query.currency:
        where.append("v.currency = ?")
        params.append(query.currency)
    sql = (
        "SELECT v.article_id, v.n, a.title, a.outlet, a.published FROM figure_values v "
        f"JOIN articles a ON a.id = v.article_id WHERE {' AND '.join(where)} "
        # Most relevant first: figures inside the asked interval before ranges that only
        # reach into it, then the closest to what was asked.
        "ORDER BY (v.value_max IS NOT NULL AND (v.value < ? OR v.value_max > ?)), "
        "abs(coalesce((v.value + v.value_max) / 2.0, v.value) - ?), v.article_id, v.n"
    )
    params.extend([query.low, query.high, _centre(query)])
    hits: list[FigureHit] = []
    rows = db.execute(sql, params).fetchall()
    figures = figures_for_articles(db, sorted({row[0] for row in rows}), compute=False)
    for article_id, n, title, outlet, published in rows:
        article_figures = figures.get(article_id, [])
        if n >= len(article_figures):
            continue
        figure = article_figures[n]
        if query.unit and not units_match(query.unit, figure.unit):
            continue
        hits.append(FigureHit(article_id, title, outlet, published, figure, _reason(query, figure)))
        if len(hits) >= limit:
            break
    return hits
