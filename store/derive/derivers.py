"""The kinds of derived data, each described by a Deriver."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store import figures

if TYPE_CHECKING:
    from store.db import Library

Items = Sequence[tuple[int, str, bytes, str]]
"""(article id, content hash, packed data, body) of articles whose data was computed."""


@dataclass(frozen=True, slots=True)
class Deriver:
    """One kind of derived data.

    `compute(body)` is pure and picklable by name (it runs in worker processes) and
    returns the packed data; `store(library, items)` keeps computed items inside the
    caller's transaction and marks each article done at `version` in
    ``derived_articles``. A `background` kind is computed for every article after an
    import; the others (costly, needed only when someone looks: names and quotations
    need a language model) are computed on demand and kept.
    """

    kind: str
    version: int
    compute: Callable[[str], bytes]
    store: Callable[[Library, Items], None]
    background: bool = True


def store_packed(kind: str, version: int) -> Callable[[Library, Items], None]:
    """The store function of a kind kept only as packed data (no table of its own)."""

    def store(library: Library, items: Items) -> None:
        engine = library.engine
        library.executemany(
            engine.upsert(
                "derived", ("content_hash", "kind", "version", "data"), ("content_hash", "kind")
            ),
            [(digest, kind, version, data) for _, digest, data, _ in items],
        )
        library.executemany(
            engine.upsert(
                "derived_articles", ("article_id", "kind", "version"), ("article_id", "kind")
            ),
            [(article_id, kind, version) for article_id, _, _, _ in items],
        )

    return store


DERIVERS: tuple[Deriver, ...] = (
    Deriver(figures.KIND, figures.VERSION, figures.compute_figures, figures.store_figures),
)
"""Every kind of derived data."""

BACKGROUND: tuple[Deriver, ...] = tuple(d for d in DERIVERS if d.background)
"""The kinds computed for every article after an import, in this order."""
