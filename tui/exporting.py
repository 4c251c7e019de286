"""Export of the annotations from the app: which ones (the screen's), where, in what format.

The export dialog (tui.screens.export) offers what the command line offers: every
annotation, or those of the tag, the articles or the search on screen; and a file,
by default in the user's documents folder, shown in full once written.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.db_access import LibraryDatabase

EXPORT_FORMATS = (("json", "JSON (W3C Web Annotation)"), ("csv", "CSV"), ("md", "Markdown"))


@dataclass(frozen=True, slots=True)
class ExportScope:
    """Which annotations an export holds: any of `tags`, in any of `article_ids` (all: none)."""

    label: str
    tags: tuple[str, ...] = ()
    article_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What the export dialog returns."""

    fmt: str
    scope: ExportScope
    path: Path


EVERYTHING = ExportScope("Every annotation")


def export_scopes(screen: Any) -> list[ExportScope]:
    """What the screen on show can narrow an export to, every annotation first.

    Read from the screen's state without importing the screens: the tag chosen in the
    tags view, the article read, the articles compared, the library's current search.
    """
    scopes = [EVERYTHING]
    chosen = getattr(screen, "chosen", None)
    if getattr(chosen, "kind", None) == "tag":
        scopes.append(ExportScope(f"Tagged #{chosen.name}", tags=(chosen.name,)))
    compared = getattr(screen, "article_ids", None)
    if isinstance(compared, list) and compared:
        count = len(compared)
        scopes.append(ExportScope(f"These {count} articles", article_ids=tuple(compared)))
    read = getattr(screen, "article_id", None)
    if isinstance(read, int):
        scopes.append(ExportScope("This article", article_ids=(read,)))
    results = _search_results(screen)
    if results is not None and results.hits and getattr(screen, "searching", False):
        ids = tuple(dict.fromkeys(hit.article_id for hit in results.hits))
        query = results.query_text.strip()
        scopes.append(ExportScope(f"The search “{query}” ({len(ids)} articles)", article_ids=ids))
    return scopes


def _search_results(screen: Any) -> Any:
    """The library screen's search results widget, if the screen has one."""
    from textual.css.query import NoMatches

    from tui.widgets.search_results import SearchResults

    try:
        return screen.query_one(SearchResults)
    except (NoMatches, AttributeError):
        return None


_USER_DIRS_LINE = re.compile(r'^\s*XDG_DOCUMENTS_DIR\s*=\s*"(?P<path>[^"]*)"', re.MULTILINE)


def documents_folder() -> Path:
    """Where exports go by default: the XDG documents folder, else ~/Documents, else home.

    The XDG folder comes from $XDG_DOCUMENTS_DIR, else from user-dirs.dirs (as
    `xdg-user-dir DOCUMENTS` reads it); it counts only when it exists.
    """
    home = Path.home()
    candidates: list[Path] = []
    if os.environ.get("XDG_DOCUMENTS_DIR"):
        candidates.append(Path(os.environ["XDG_DOCUMENTS_DIR"]).expanduser())
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    try:
        match = _USER_DIRS_LINE.search((config / "user-dirs.dirs").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        match = None
    if match:
        candidates.append(Path(match.group("path").replace("$HOME", str(home))))
    candidates.append(home / "Documents")
    for folder in candidates:
        if folder.is_dir() and os.access(folder, os.W_OK):
            return folder
    return home


def suggested_path(fmt: str, scope: ExportScope, folder: Path | None = None) -> Path:
    """A new file for an export: recoupe-annotations-DATE[-what].ext in the documents folder."""
    from store.annotations import suggest_export_path
    from store.annotations.notes import now_timestamp

    what = ""
    if scope.tags:
        what = "-" + _slug(scope.tags[0])
    elif len(scope.article_ids) == 1:
        what = f"-article-{scope.article_ids[0]}"
    elif scope.article_ids:
        what = f"-{len(scope.article_ids)}-articles"
    stem = f"recoupe-annotations-{now_timestamp()[:10]}{what}"
    return suggest_export_path(fmt, folder or documents_folder(), stem=stem)


def _slug(text: str) -> str:
    """A tag as part of a file name: letters, digits and hyphens."""
    return re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-").lower()[:40] or "tag"


def export_to_file(database: LibraryDatabase, request: ExportRequest) -> tuple[Path | None, int]:
    """Write the export asked for: its absolute path and how many annotations it holds.

    Nothing is written when the scope holds no annotation (the path is None then); an
    existing file is never overwritten (OutputExists). Call it from a worker thread.
    """
    from store.annotations import count_annotations, write_export

    scope = request.scope
    with database.use() as db:
        count = count_annotations(db, tags=scope.tags, article_ids=scope.article_ids)
        if not count:
            return None, 0
        path = write_export(
            db, request.path, request.fmt, tags=scope.tags, article_ids=scope.article_ids
        )
        return path, count
