"""The library's articles: reading files, text hygiene, dates, and the articles table.

Names are imported from their module when first used (PEP 562): `recoupe list` reads
the articles table and should not load the file readers (hashlib, json, the parsers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.lazy import lazy_exports

_WHERE = {
    "article_ids": "articles",
    "ARTICLE_SUFFIXES": "parsing",
    "content_digest": "parsing",
    "count_articles": "articles",
    "decode_bytes": "parsing",
    "delete_article": "articles",
    "finish_article": "parsing",
    "get_article": "articles",
    "get_summaries": "articles",
    "iter_article_files": "parsing",
    "iter_jsonl": "parsing",
    "list_articles": "articles",
    "MAX_FILE_BYTES": "parsing",
    "normalize_date": "dates",
    "normalize_line": "text",
    "normalize_text": "text",
    "outlets": "articles",
    "parse_file": "parsing",
    "parse_html": "parsing",
    "parse_jsonl_line": "parsing",
    "parse_md": "parsing",
    "parse_txt": "parsing",
    "ParsedArticle": "parsing",
    "read_text_file": "parsing",
    "SortKey": "articles",
    "split_front_matter": "parsing",
    "strip_unsafe": "text",
}
"""Each public name and the module of store.library that defines it."""

__all__ = [
    "ARTICLE_SUFFIXES",
    "MAX_FILE_BYTES",
    "ParsedArticle",
    "SortKey",
    "article_ids",
    "content_digest",
    "count_articles",
    "decode_bytes",
    "delete_article",
    "finish_article",
    "get_article",
    "get_summaries",
    "iter_article_files",
    "iter_jsonl",
    "list_articles",
    "normalize_date",
    "normalize_line",
    "normalize_text",
    "outlets",
    "parse_file",
    "parse_html",
    "parse_jsonl_line",
    "parse_md",
    "parse_txt",
    "read_text_file",
    "split_front_matter",
    "strip_unsafe",
]


__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())


if TYPE_CHECKING:
    from store.library.articles import (
        SortKey,
        article_ids,
        count_articles,
        delete_article,
        get_article,
        get_summaries,
        list_articles,
        outlets,
    )
    from store.library.dates import normalize_date
    from store.library.parsing import (
        ARTICLE_SUFFIXES,
        MAX_FILE_BYTES,
        ParsedArticle,
        content_digest,
        decode_bytes,
        finish_article,
        iter_article_files,
        iter_jsonl,
        parse_file,
        parse_html,
        parse_jsonl_line,
        parse_md,
        parse_txt,
        read_text_file,
        split_front_matter,
    )
    from store.library.text import normalize_line, normalize_text, strip_unsafe
