"""What screens need from the app, named without importing the app module.

The app imports the screens (to push them); a screen that imported the app back, even
only for its type, would close an import loop. Screens reach the library through
`library_database`, which asks only for this protocol.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from tui.db_access import LibraryDatabase

if TYPE_CHECKING:
    from textual.dom import DOMNode


class LibraryHost(Protocol):
    """An app that holds the library's database connections (the recoupe app)."""

    database: LibraryDatabase


def library_database(node: DOMNode) -> LibraryDatabase:
    """The database of the app that `node` (a screen) runs in."""
    return cast("LibraryHost", node.app).database
