"""Quotations reported by articles, lined up across the compared articles."""

from store.quotes.align import DiffOp, QuoteCell, QuoteGroup, align_quotes, word_diff
from store.quotes.finder import Quote, find_quotes

__all__ = [
    "DiffOp",
    "Quote",
    "QuoteCell",
    "QuoteGroup",
    "align_quotes",
    "find_quotes",
    "word_diff",
]
