"""Tags: names shown as first typed, matched case-folded; counts, rename, merge, delete.

``Chiffre-clé`` and ``chiffre-clé`` are one tag, shown with the spelling it was
first given. A tag no annotation carries any more is removed (see prune_tags).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Literal

from store.db import transaction
from store.errors import NotFoundError, RecoupeError
from store.library import normalize_text
from store.models import TagCount

if TYPE_CHECKING:
    from store.db import Library


MAX_TAG_CHARS = 64


class TagError(RecoupeError):
    """A tag name the store refuses, or a rename onto another existing tag."""


def _shorten(text: str, width: int = 60) -> str:
    """One line of at most `width` characters, for messages."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def clean_tag(name: str) -> str:
    """A tag name as it will be shown: trimmed, spaces collapsed, no leading '#'.

    TagError when nothing is left, when it holds a comma (the app separates
    tags with commas) or when it is longer than MAX_TAG_CHARS.
    """
    text = " ".join(normalize_text(str(name)).split()).lstrip("#").strip()
    if not text:
        raise TagError("a tag cannot be empty")
    if "," in text:
        raise TagError(f"a tag cannot contain a comma: {_shorten(text)!r}")
    if len(text) > MAX_TAG_CHARS:
        raise TagError(f"a tag is at most {MAX_TAG_CHARS} characters: {_shorten(text)!r}")
    return text


def fold_tag(name: str) -> str:
    """The key tags are matched by: the cleaned name, case-folded."""
    return unicodedata.normalize("NFC", clean_tag(name).casefold())


def clean_tags(names: Iterable[str]) -> list[str]:
    """Cleaned tag names, the first spelling of each kept, duplicates dropped, order kept."""
    seen: dict[str, str] = {}
    for name in names:
        cleaned = clean_tag(name)
        seen.setdefault(fold_tag(cleaned), cleaned)
    return list(seen.values())


def split_tags(text: str) -> list[str]:
    """Tags typed as one comma-separated string (the app's tag field), cleaned."""
    return clean_tags(part for part in text.split(",") if part.strip())


def _tag_id(db: Library, name: str) -> int | None:
    row = db.execute("SELECT id FROM tags WHERE folded = ?", [fold_tag(name)]).fetchone()
    return int(row[0]) if row else None


def _ensure_tag(db: Library, name: str) -> int:
    """The id of the tag, created with this spelling when it does not exist yet."""
    existing = _tag_id(db, name)
    if existing is not None:
        return existing
    cursor = db.execute(
        "INSERT INTO tags (name, folded) VALUES (?, ?)", [clean_tag(name), fold_tag(name)]
    )
    return int(cursor.lastrowid or 0)


def link_tags(db: Library, annotation_id: int, names: Sequence[str]) -> None:
    """Give an annotation these tags (created when new); call inside a transaction."""
    link = db.engine.insert_ignore("annotation_tags", ("annotation_id", "tag_id"))
    for name in names:
        db.execute(link, [annotation_id, _ensure_tag(db, name)])


def prune_tags(db: Library) -> None:
    """Remove tags no annotation carries any more; call inside a transaction."""
    db.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM annotation_tags)")


TagOrder = Literal["count", "name"]


def list_tags(db: Library, *, order: TagOrder = "count") -> list[TagCount]:
    """Every tag with how many annotations carry it: most used first, or by name."""
    rows = db.execute(
        "SELECT t.name, count(x.annotation_id) FROM tags t "
        "JOIN annotation_tags x ON x.tag_id = t.id GROUP BY t.id"
    ).fetchall()
    tags = [TagCount(name, int(count)) for name, count in rows]
    if order == "count":
        return sorted(tags, key=lambda t: (-t.count, tag_sort_key(t.name)))
    return sorted(tags, key=lambda t: tag_sort_key(t.name))


def tag_sort_key(name: str) -> tuple[str, str]:
    """Sort tags as a reader expects: accents and case ignored first ("à vérifier" near "a")."""
    folded = name.casefold()
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return bare, folded


def suggest_tags(db: Library, typed: str, limit: int = 10) -> list[str]:
    """Existing tag names starting with what was typed (case-folded), most used first."""
    start = unicodedata.normalize("NFC", " ".join(typed.split()).lstrip("#").casefold())
    escaped = start.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.execute(
        "SELECT t.name FROM tags t JOIN annotation_tags x ON x.tag_id = t.id "
        "WHERE t.folded LIKE ? ESCAPE '\\' GROUP BY t.id "
        "ORDER BY count(*) DESC, t.folded LIMIT ?",
        [escaped + "%", limit],
    ).fetchall()
    return [row[0] for row in rows]


def get_tag(db: Library, name: str) -> TagCount:
    """A tag with its count, found case-folded; NotFoundError when no annotation carries it."""
    row = db.execute(
        "SELECT t.name, (SELECT count(*) FROM annotation_tags x WHERE x.tag_id = t.id) "
        "FROM tags t WHERE t.folded = ?",
        [fold_tag(name)],
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no tag {clean_tag(name)!r}")
    return TagCount(row[0], int(row[1]))


def rename_tag(db: Library, old: str, new: str) -> TagCount:
    """Rename a tag everywhere (a change of case or accents' spelling included).

    NotFoundError when `old` does not exist; TagError when `new` is another
    existing tag (merge them instead).
    """
    new_name = clean_tag(new)
    with transaction(db):
        tag_id = _tag_id(db, old)
        if tag_id is None:
            raise NotFoundError(f"no tag {clean_tag(old)!r}")
        other = _tag_id(db, new_name)
        if other is not None and other != tag_id:
            existing = get_tag(db, new_name).name
            raise TagError(
                f"a tag {existing!r} already exists: merge {clean_tag(old)!r} into it instead"
            )
        db.execute(
            "UPDATE tags SET name = ?, folded = ? WHERE id = ?",
            [new_name, fold_tag(new_name), tag_id],
        )
    return get_tag(db, new_name)


def merge_tags(db: Library, sources: Iterable[str], target: str) -> TagCount:
    """Give every annotation tagged with one of `sources` the tag `target` instead.

    The target is created when it does not exist. NotFoundError when a source tag
    does not exist (then nothing changes).
    """
    target_name = clean_tag(target)
    with transaction(db):
        source_ids: list[int] = []
        for source in sources:
            tag_id = _tag_id(db, source)
            if tag_id is None:
                raise NotFoundError(f"no tag {clean_tag(source)!r}")
            source_ids.append(tag_id)
        target_id = _ensure_tag(db, target_name)
        for tag_id in source_ids:
            if tag_id == target_id:
                continue
            db.execute(
                "INSERT INTO annotation_tags (annotation_id, tag_id) "
                "SELECT x.annotation_id, ? FROM annotation_tags x WHERE x.tag_id = ? "
                "AND NOT EXISTS (SELECT 1 FROM annotation_tags y "
                "WHERE y.annotation_id = x.annotation_id AND y.tag_id = ?)",
                [target_id, tag_id, target_id],
            )
            db.execute("DELETE FROM tags WHERE id = ?", [tag_id])
    return get_tag(db, target_name)


def delete_tag(db: Library, name: str) -> int:
    """Remove a tag from every annotation (the annotations stay); returns how many had it."""
    with transaction(db):
        tag_id = _tag_id(db, name)
        if tag_id is None:
            raise NotFoundError(f"no tag {clean_tag(name)!r}")
        count = db.execute(
            "SELECT count(*) FROM annotation_tags WHERE tag_id = ?", [tag_id]
        ).fetchone()[0]
        db.execute("DELETE FROM tags WHERE id = ?", [tag_id])
    return int(count)
