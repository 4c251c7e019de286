"""Key figures: reading them in French and English text, storing them, searching by value.

- extract, digits, words, compound, ranges, kinds, context, skip, lexicon, units: the reader;
- storage: the figures of each article and search by value;
- attribution: who the text says gives a figure;
- display: a figure's value as people write it; evaluation: scoring against labels.
"""

from store.figures.attribution import figure_source
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

__all__ = [
    "EN_NUMBER_WORDS",
    "FIGURE_ROW_FIELDS",
    "FR_NUMBER_WORDS",
    "STOP_WORDS",
    "FigureSpec",
    "extract_all",
    "extract_figure_rows",
    "extract_figures",
    "extract_title_figures",
    "figure_source",
    "figures_for_article",
    "fold",
    "format_figure_value",
    "guess_lang",
    "headline_figures",
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
