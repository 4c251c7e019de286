"""Derived data, off the import path: one mechanism for everything computed from a text.

An import writes articles and their full-text index, and returns: the library can be
read and searched at once. What is derived from each article's text (key figures now;
names, quotations and story signatures next) is computed afterwards, by
``run_pending`` (in the background, in parallel on every core), or on demand for the
articles someone opens (``store.figures.figures_for_articles``). It is keyed by the
text's content hash: an unchanged text is never computed again.
"""

from store.derive.derivers import DERIVERS, Deriver, store_packed
from store.derive.on_demand import derived_for_articles
from store.derive.queue import DeriveRun, DeriveStatus, derive_status, run_pending

__all__ = [
    "DERIVERS",
    "DeriveRun",
    "DeriveStatus",
    "Deriver",
    "derive_status",
    "derived_for_articles",
    "run_pending",
    "store_packed",
]
