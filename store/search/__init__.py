"""Full-text search over the library: safe and advanced queries, numbers as written."""

from store.search.fulltext import (
    STOP_WORDS,
    parse_safe_query,
    query_notices,
    search,
)
from store.search.guard import SEARCH_BUDGET_SECONDS, cancel_all_searches

__all__ = [
    "SEARCH_BUDGET_SECONDS",
    "STOP_WORDS",
    "cancel_all_searches",
    "parse_safe_query",
    "query_notices",
    "search",
]
