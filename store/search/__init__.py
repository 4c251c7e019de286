"""Full-text search over the library: safe and advanced queries, numbers as written."""

from store.search.fulltext import (
    STOP_WORDS,
    parse_safe_query,
    search,
)

__all__ = [
    "STOP_WORDS",
    "parse_safe_query",
    "search",
]
