"""Export of the annotations from the app: a new file in the current directory, and its path."""

from __future__ import annotations

import os
from pathlib import Path

from tui.db_access import LibraryDatabase

EXPORT_FORMATS = (("json", "JSON (W3C Web Annotation)"), ("csv", "CSV"), ("md", "Markdown"))


def export_folder(database: LibraryDatabase) -> Path:
    """Where the app writes exports: the current directory, or the database's when unwritable."""
    here = Path.cwd()
    return here if os.access(here, os.W_OK) else database.path.parent


def export_to_file(database: LibraryDatabase, fmt: str) -> tuple[Path | None, int]:
    """Export every annotation to a new file (see export_folder): its path and the count.

    Nothing is written when there is no annotation (the path is None then). Call it
    from a worker thread.
    """
    from store.annotations import count_annotations, suggest_export_path, write_export

    with database.use() as db:
        count = count_annotations(db)
        if not count:
            return None, 0
        path = suggest_export_path(fmt, export_folder(database))
        return write_export(db, path, fmt), count
