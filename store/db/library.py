"""The library handle: one open connection and the engine that speaks to it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.db.engine import Engine


class Library:
    """An open library. Store functions take one; nothing outside store/db names the engine.

    `conn` is the engine's DB-API connection, `engine` what differs between engines,
    `location` the file path (or ":memory:") it was opened from.
    """

    def __init__(self, conn: Any, engine: Engine, location: str) -> None:
        self.conn = conn
        self.engine = engine
        self.location = location

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        """Run one statement; returns the engine's cursor."""
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        """Run one statement for each row."""
        return self.conn.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on this connection."""
        return bool(self.conn.in_transaction)

    def table_names(self) -> list[str]:
        """The tables of the library."""
        return self.engine.table_names(self)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Library {self.engine.name}:{self.location}>"
