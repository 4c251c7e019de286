"""Typed errors raised by the store; callers turn them into one-line messages."""

from __future__ import annotations


class RecoupeError(Exception):
    """Base class of every error the store raises on purpose."""


class QueryError(RecoupeError):
    """A search query that cannot be run, with a message a person understands."""


class NotFoundError(RecoupeError):
    """An article, annotation or tag that does not exist."""


class ImportFailure(RecoupeError):
    """A file that cannot be imported (binary, empty, undecodable, malformed)."""


class SchemaError(RecoupeError):
    """A database whose schema this version of recoupe cannot read."""


class QueryTooCostly(QueryError):
    """A search stopped after its time budget: the query must be refined."""


class SearchCancelled(QueryError):
    """A search stopped because it was cancelled (a newer query, the app quitting)."""


class DatabaseError(RecoupeError):
    """The database could not be read or written (damaged, locked for too long, unreadable)."""


class ForeignDatabase(DatabaseError):
    """A database file that belongs to another program: recoupe will not alter it."""


class LocationError(RecoupeError):
    """A library location (--db) that recoupe cannot open: an unknown URL scheme, say."""


QUOTED_CHARS = 80
"""Characters of a query an error message quotes."""


def quoted(query: str) -> str:
    """A query as an error message quotes it: repr, cut after QUOTED_CHARS characters."""
    if len(query) <= QUOTED_CHARS:
        return repr(query)
    return repr(query[:QUOTED_CHARS]) + f"… ({len(query)} characters)"
