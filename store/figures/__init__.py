"""Key figures: reading them in French and English text, storing them, searching by value.

- extract, digits, words, compound, ranges, kinds, context, skip, lexicon, units: the reader;
- storage: each text's figures, packed, computed once (see store.derive) or on demand;
- by_value: search by value; display: a value as people write it; evaluation: scoring;
- attribution: who the text says gives a figure.

Names are imported from their module when first used (PEP 562): `recoupe figures ID`
reads stored figures and should not load the reader (rapidfuzz, text2num) for that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.lazy import lazy_exports

_WHERE = {
    "compute_figures": "storage",
    "EN_NUMBER_WORDS": "lexicon",
    "extract_figure_rows": "extract",
    "extract_figures": "extract",
    "extract_title_figures": "extract",
    "figure_source": "attribution",
    "headline_figures": "extract",
    "figure_coverage": "storage",
    "FIGURE_ROW_FIELDS": "extract",
    "figures_for_article": "storage",
    "figures_for_articles": "storage",
    "FigureSpec": "by_value",
    "fold": "units",
    "format_figure_value": "display",
    "FR_NUMBER_WORDS": "lexicon",
    "guess_lang": "extract",
    "KIND": "storage",
    "pack_figure_rows": "storage",
    "parse_figure_spec": "by_value",
    "parse_number": "extract",
    "search_figures": "by_value",
    "stem": "units",
    "STOP_WORDS": "lexicon",
    "store_figures": "storage",
    "unit_stems": "units",
    "units_match": "units",
    "unpack_figure_rows": "storage",
    "VERSION": "storage",
}
"""Each public name and the module of store.figures that defines it."""

__all__ = [
    "EN_NUMBER_WORDS",
    "FIGURE_ROW_FIELDS",
    "FR_NUMBER_WORDS",
    "KIND",
    "STOP_WORDS",
    "VERSION",
    "FigureSpec",
    "compute_figures",
    "extract_figure_rows",
    "extract_figures",
    "extract_title_figures",
    "figure_coverage",
    "figure_source",
    "figures_for_article",
    "figures_for_articles",
    "fold",
    "format_figure_value",
    "guess_lang",
    "headline_figures",
    "pack_figure_rows",
    "parse_figure_spec",
    "parse_number",
    "search_figures",
    "stem",
    "store_figures",
    "unit_stems",
    "units_match",
    "unpack_figure_rows",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())


if TYPE_CHECKING:
    from store.figures.attribution import figure_source
    from store.figures.by_value import FigureSpec, parse_figure_spec, search_figures
    from store.figures.display import format_figure_value
    from store.figures.extract import (
        FIGURE_ROW_FIELDS,
        extract_figure_rows,
        extract_figures,
        extract_title_figures,
        guess_lang,
        headline_figures,
        parse_number,
    )
    from store.figures.lexicon import EN_NUMBER_WORDS, FR_NUMBER_WORDS, STOP_WORDS
    from store.figures.storage import (
        KIND,
        VERSION,
        compute_figures,
        figure_coverage,
        figures_for_article,
        figures_for_articles,
        pack_figure_rows,
        store_figures,
        unpack_figure_rows,
    )
    from store.figures.units import fold, stem, unit_stems, units_match
