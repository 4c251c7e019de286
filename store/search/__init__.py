"""Full-text search over the library: safe and advanced queries, numbers as written.

- query: what a person typed, read (safe mode quotes every word; numbers every way);
- hits: the search itself (the ranking is the engine's, see store.db), numbers marked;
- limits: repeated words folded, terms and snippets bounded, queries quoted short.
"""

from store.db import SEARCH_BUDGET_SECONDS, cancel_all_searches
from store.search.hits import search
from store.search.query import STOP_WORDS, ParsedQuery, parse_safe_query, query_notices

__all__ = [
    "SEARCH_BUDGET_SECONDS",
    "STOP_WORDS",
    "ParsedQuery",
    "cancel_all_searches",
    "parse_safe_query",
    "query_notices",
    "search",
]
