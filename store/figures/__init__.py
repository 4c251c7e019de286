"""Key figures: reading them in French and English text, storing them, searching by value.

- extract, digits, words, compound, ranges, kinds, context, skip, lexicon, units: the reader;
- storage: the figures of each article and search by value;
- display: a figure's value as people write it; evaluation: scoring against labels.

Names are imported from their module when first used (PEP 562): `recoupe figures ID`
reads stored figures and should not load the reader (rapidfuzz, text2num) for that.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "format_figure_value": "display",
    "FIGURE_ROW_FIELDS": "extract",
    "extract_figure_rows": "extract",
    "extract_figures": "extract",
    "guess_lang": "extract",
    "parse_number": "extract",
    "EN_NUMBER_WORDS": "lexicon",
    "FR_NUMBER_WORDS": "lexicon",
    "STOP_WORDS": "lexicon",
    "FigureSpec": "storage",
    "extract_all": "storage",
    "figures_for_article": "storage",
    "pack_figure_rows": "storage",
    "parse_figure_spec": "storage",
    "replace_figure_rows": "storage",
    "replace_figures": "storage",
    "search_figures": "storage",
    "store_packed_figures": "storage",
    "value_index_suspended": "storage",
    "fold": "units",
    "stem": "units",
    "unit_stems": "units",
    "units_match": "units",
}
"""Each public name and the module of store.figures that defines it."""

__all__ = [
    "EN_NUMBER_WORDS",
    "FIGURE_ROW_FIELDS",
    "FR_NUMBER_WORDS",
    "STOP_WORDS",
    "FigureSpec",
    "extract_all",
    "extract_figure_rows",
    "extract_figures",
    "figures_for_article",
    "fold",
    "format_figure_value",
    "guess_lang",
    "pack_figure_rows",
    "parse_figure_spec",
    "parse_number",
    "replace_figure_rows",
    "replace_figures",
    "search_figures",
    "stem",
    "store_packed_figures",
    "unit_stems",
    "units_match",
    "value_index_suspended",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use, then keep the name here."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


if TYPE_CHECKING:
    from store.figures.display import format_figure_value
    from store.figures.extract import (
        FIGURE_ROW_FIELDS,
        extract_figure_rows,
        extract_figures,
        guess_lang,
        parse_number,
    )
    from store.figures.lexicon import EN_NUMBER_WORDS, FR_NUMBER_WORDS, STOP_WORDS
    from store.figures.storage import (
        FigureSpec,
        extract_all,
        figures_for_article,
        pack_figure_rows,
        parse_figure_spec,
        replace_figure_rows,
        replace_figures,
        search_figures,
        store_packed_figures,
        value_index_suspended,
    )
    from store.figures.units import fold, stem, unit_stems, units_match
