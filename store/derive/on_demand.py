"""Derived data of the articles someone looks at: read when kept, else computed now and kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from store.db import write_unless_busy
from store.derive.derivers import Deriver

if TYPE_CHECKING:
    from store.db import Library

_CHUNK = 500


def derived_for_articles(
    library: Library,
    article_ids: Sequence[int],
    deriver: Deriver,
    compute_many: Callable[[list[str]], list[bytes]] | None = None,
) -> dict[int, tuple[bytes, str]]:
    """(packed data, body) of each article for one kind; unknown ids are left out.

    Data kept for the article's text is read; the rest is computed here (with
    `compute_many` when given: a language model runs faster over a batch) and kept,
    unless another writer holds the library right now (then it is only returned).
    """
    found: dict[int, tuple[bytes, str]] = {}
    missing: list[tuple[int, str, str]] = []
    for first in range(0, len(article_ids), _CHUNK):
        chunk = list(article_ids[first : first + _CHUNK])
        marks = ", ".join("?" for _ in chunk)
        rows = library.execute(
            f"""SELECT a.id, a.content_hash, a.body, d.data FROM articles a
                LEFT JOIN derived d ON d.content_hash = a.content_hash AND d.kind = ?
                     AND d.version = ?
                WHERE a.id IN ({marks})""",
            [deriver.kind, deriver.version, *chunk],
        ).fetchall()
        for article_id, digest, body, data in rows:
            if data is None:
                missing.append((article_id, digest, body))
            else:
                found[article_id] = (data, body)
    if missing:
        bodies = [body for _, _, body in missing]
        datas = compute_many(bodies) if compute_many else [deriver.compute(b) for b in bodies]
        items = [
            (article_id, digest, data, body)
            for (article_id, digest, body), data in zip(missing, datas, strict=True)
        ]
        write_unless_busy(library, lambda lib: deriver.store(lib, items))  # else: next time
        found.update({article_id: (data, body) for article_id, _, data, body in items})
    return found
