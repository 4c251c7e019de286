"""Full-text search over the library: safe and advanced queries, numbers as written.

- query: what a person typed, read (safe mode quotes every word; numbers every way);
- hits: the search itself (the ranking is the engine's, see store.db), numbers marked.
"""

from store.search.hits import search
from store.search.query import STOP_WORDS, ParsedQuery, parse_safe_query

__all__ = ["STOP_WORDS", "ParsedQuery", "parse_safe_query", "search"]
