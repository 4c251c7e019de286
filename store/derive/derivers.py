"""The kinds of derived data, each described by a Deriver."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store import figures

if TYPE_CHECKING:
    from store.db import Library


@dataclass(frozen=True, slots=True)
class Deriver:
    """One kind of derived data.

    `compute(body)` is pure and picklable by name (it runs in worker processes) and
    returns the packed data; `store(library, items)` keeps (article id, content hash,
    packed data, body) items inside the caller's transaction, and marks each article
    done at `version` in ``derived_articles``.
    """

    kind: str
    version: int
    compute: Callable[[str], bytes]
    store: Callable[[Library, Sequence[tuple[int, str, bytes, str]]], None]


DERIVERS: tuple[Deriver, ...] = (
    Deriver(figures.KIND, figures.VERSION, figures.compute_figures, figures.store_figures),
)
"""Every kind of derived data, computed in this order."""
