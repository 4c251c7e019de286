"""Full-text search over the library: safe and advanced queries, numbers as written."""

from store.search.fulltext import (
    STOP_WORDS,
    create_search_cache_schema,
    create_text_update_trigger,
    parse_safe_query,
    search,
)

__all__ = [
    "STOP_WORDS",
    "create_search_cache_schema",
    "create_text_update_trigger",
    "parse_safe_query",
    "search",
]
