"""Where figures are kept: packed once per text, plus one small row per figure for search.

The figures of a text are computed once (``compute_figures``, pure: it runs in the
derivation workers, see ``store.derive``) and kept packed in ``derived``, keyed by the
text's content hash; ``figure_values`` holds only what search by value needs (kind,
value, currency) and ``derived_articles`` says which articles have theirs. An article
whose figures are not computed yet gets them when someone asks (``figures_for_article``).

Packing: the figures' columns (the surface left out: it is a slice of the body) as
JSON, compressed. Measured at 100k articles (bench/derive.py): 378 MB in all (packed
174, figure_values 107 and its index 95), as much as the old figures table with its
two indexes (383 MB): the per-figure search rows are what is left to shrink.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from store.figures.rows import FIGURE_ROW_FIELDS, figure_from_row
from store.models import Figure

if TYPE_CHECKING:
    from store.db import Library

KIND = "figures"
"""The kind of derived data figures are stored as."""
VERSION = 2
"""The figure reader's version: raising it computes every article's figures again."""

_SURFACE = FIGURE_ROW_FIELDS.index("surface")
_VALUE_COLUMNS = tuple(FIGURE_ROW_FIELDS.index(name) for name in ("kind", "value", "value_max"))
_CURRENCY = FIGURE_ROW_FIELDS.index("currency")


def _extractor() -> Callable[[str], list[tuple]]:
    """extract_figure_rows, imported on first use: reading stored figures skips the reader."""
    found = globals().get("extract_figure_rows")
    if found is None:
        from store.figures.extract import extract_figure_rows as found

        globals()["extract_figure_rows"] = found
    return found


def __getattr__(name: str) -> Any:
    """`extract_figure_rows` stays readable (and replaceable) as this module's attribute."""
    if name == "extract_figure_rows":
        return _extractor()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def figure_rows_of(body: str) -> list[tuple]:
    """The figures of a text as rows in FIGURE_ROW_FIELDS order; none when the reader fails.

    Figures are derived data: a reader bug on one odd text (a '²' where a number was
    expected once raised ValueError) must not stop the derivation of the others.
    """
    try:
        return _extractor()(body)
    except Exception:
        return []


def pack_figure_rows(rows: Sequence[tuple]) -> bytes:
    """Figure rows packed for storage: columns without the surface, JSON, compressed."""
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else []
    if columns:
        del columns[_SURFACE]
    return zlib.compress(json.dumps(columns, separators=(",", ":")).encode(), 6)


def unpack_figure_rows(data: bytes, body: str) -> list[tuple]:
    """The rows pack_figure_rows packed, surfaces cut again from `body`."""
    columns = json.loads(zlib.decompress(data))
    if not columns:
        return []
    starts, ends = columns[0], columns[1]
    surfaces = [body[start:end] for start, end in zip(starts, ends, strict=True)]
    columns.insert(_SURFACE, surfaces)
    return list(zip(*columns, strict=True))


def compute_figures(body: str) -> bytes:
    """The packed figures of a text (what derivation workers compute)."""
    return pack_figure_rows(figure_rows_of(body))


def store_figures(library: Library, items: Sequence[tuple[int, str, bytes, str]]) -> None:
    """Keep computed figures: (article id, content hash, packed figures, body) for each.

    Runs inside the caller's transaction. The packed figures go in once per text; each
    article gets its search rows and is marked done at this reader version.
    """
    engine = library.engine
    keep = engine.upsert(
        "derived", ("content_hash", "kind", "version", "data"), ("content_hash", "kind")
    )
    mark = engine.upsert(
        "derived_articles", ("article_id", "kind", "version"), ("article_id", "kind")
    )
    ids = [(article_id,) for article_id, _, _, _ in items]
    library.executemany("DELETE FROM figure_values WHERE article_id = ?", ids)
    library.executemany(keep, [(digest, KIND, VERSION, data) for _, digest, data, _ in items])
    values = []
    for article_id, _, data, body in items:
        for n, row in enumerate(unpack_figure_rows(data, body)):
            kind, value, value_max = (row[i] for i in _VALUE_COLUMNS)
            values.append((article_id, n, kind, value, value_max, row[_CURRENCY]))
    library.executemany(
        "INSERT INTO figure_values (article_id, n, kind, value, value_max, currency) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        values,
    )
    library.executemany(mark, [(article_id, KIND, VERSION) for article_id, _, _, _ in items])


def figures_for_articles(
    library: Library, article_ids: Sequence[int], *, compute: bool = True
) -> dict[int, list[Figure]]:
    """The figures of each article (ordered by position), computed now where missing.

    With `compute` (the default: someone is looking at these articles) an article
    whose figures the background derivation has not reached yet gets them at once
    and they are kept (best effort: if another writer holds the library, they are
    only returned). Unknown ids are left out.
    """
    found: dict[int, list[Figure]] = {}
    missing: list[tuple[int, str, bytes, str]] = []
    for first in range(0, len(article_ids), 500):
        chunk = list(article_ids[first : first + 500])
        marks = ", ".join("?" for _ in chunk)
        rows = library.execute(
            f"""SELECT a.id, a.content_hash, a.body, d.data FROM articles a
                LEFT JOIN derived d ON d.content_hash = a.content_hash AND d.kind = ?
                     AND d.version = ?
                WHERE a.id IN ({marks})""",
            [KIND, VERSION, *chunk],
        ).fetchall()
        for article_id, digest, body, data in rows:
            if data is None:
                if not compute:
                    continue
                data = compute_figures(body)
                missing.append((article_id, digest, data, body))
            found[article_id] = [
                figure_from_row(row, article_id=article_id, id=n)
                for n, row in enumerate(unpack_figure_rows(data, body))
            ]
    if missing:  # kept unless busy: the background derivation keeps them later
        from store.db import write_unless_busy

        write_unless_busy(library, lambda lib: store_figures(lib, missing))
    return found


def figures_for_article(library: Library, article_id: int) -> list[Figure]:
    """The figures of one article, ordered by position (empty for an unknown id)."""
    return figures_for_articles(library, [article_id]).get(article_id, [])


def figure_coverage(library: Library) -> tuple[int, int]:
    """(articles whose figures are computed, articles in all)."""
    done, total = library.execute(
        "SELECT (SELECT count(*) FROM derived_articles WHERE kind = ? AND version = ?), "
        "(SELECT count(*) FROM articles)",
        [KIND, VERSION],
    ).fetchone()
    return int(done), int(total)
