"""Where a library lives: a file path, never a URL taken for one.

`--db postgresql://user@/db` must not create a folder named `postgresql:` with a
SQLite file inside it. A URL names an engine; recoupe knows none but SQLite files
yet, so every URL is refused with one line saying so, before any path is made.
"""

from __future__ import annotations

import re
from pathlib import Path

from store.errors import RecoupeError

KNOWN_URL_SCHEMES: frozenset[str] = frozenset()
"""URL schemes an engine of recoupe opens (none yet: a library is a SQLite file)."""
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


class DatabaseLocationError(RecoupeError):
    """A database location recoupe cannot open, such as a URL of an unknown engine."""


def url_scheme(location: str | Path) -> str | None:
    """The scheme of a location written as a URL ('postgresql'), else None."""
    match = _URL.match(str(location)) if isinstance(location, str) else None
    return match.group(1).lower() if match else None


def check_db_location(location: str | Path, *, name: str = "--db") -> None:
    """DatabaseLocationError when `location` is a URL no engine of recoupe opens.

    `name` says where the location was given (--db, RECOUPE_DB), for the message.
    """
    scheme = url_scheme(location)
    if scheme is None or scheme in KNOWN_URL_SCHEMES:
        return
    if scheme == "file":
        raise DatabaseLocationError(
            f"{name} takes a file path, not a file: URL ({location}): give the path itself"
        )
    raise DatabaseLocationError(
        f"{name} {location}: recoupe cannot open {scheme}:// databases yet; "
        "give the path of a SQLite file"
    )
