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


class DatabaseError(RecoupeError):
    """The database could not be read or written (damaged, locked for too long, unreadable)."""


class ForeignDatabase(DatabaseError):
    """A database file that belongs to another program: recoupe will not alter it."""


class LocationError(RecoupeError):
    """A library location (--db) that recoupe cannot open: an unknown URL scheme, say."""
