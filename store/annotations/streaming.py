"""Reading an annotation collection without loading the file whole (ijson events).

A notes file may be 200 MB: ``json.loads`` of it took 1.3 GB. It is read twice,
as a stream of parse events, never as one document:

1. the outline: the collection's own fields (``@context``, ``type``, ``total``, the
   first page's ``next``) and whether the first page has an ``items`` list, each
   annotation skipped as it streams by. It is checked like the whole document was
   (store.annotations.export.parse_collection), with the same messages, before
   anything is written;
2. the annotations of that list, built one at a time.

Duplicate keys resolve as ``json.loads`` does: the last one counts (for ``first`` and
``items`` too: only the items of the last ones are read). Nesting is walked without
recursion, so a file nested 200 000 deep is no RecursionError.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from store.errors import ImportFailure

CHUNK_BYTES = 1 << 20
CAPTURED_EVENTS = 10_000
"""A collection field of more parse events than this is not kept (read as invalid)."""
_CAPTURED_FIELDS = frozenset(["@context", "type", "@type", "total"])
_TOO_LARGE = object()
"""Stands for a collection field too large to keep: no check accepts it."""
_OPEN = frozenset(["start_map", "start_array"])
_CLOSE = frozenset(["end_map", "end_array"])


class _Utf8Reader:
    """A binary file read in chunks, checked as UTF-8 on the way (BOM dropped)."""

    def __init__(self, handle: BinaryIO, name: str) -> None:
        self.handle = handle
        self.name = name
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.started = False

    def read(self, size: int = -1) -> bytes:
        """The next bytes of the file (ijson's interface); ImportFailure if not UTF-8."""
        if size == 0:  # ijson asks for nothing first, to learn bytes from text
            return b""
        data = self.handle.read(CHUNK_BYTES if size is None or size < 0 else size)
        if not self.started:
            self.started = True
            if data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8) :]
        try:
            self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise ImportFailure(f"{self.name} is not UTF-8 text") from exc
        return data


@dataclass
class Outline:
    """The collection without its annotations, and where the annotations read are."""

    document: Any = None
    first_count: int = 0  # how many top-level "first" keys: the last one counts
    items_count: int = 0  # how many "items" keys in that last "first": the last counts
    item_count: int = 0  # how many annotations that list holds


def _events(path: Path, handle: BinaryIO) -> Iterator[tuple[str, Any]]:
    """The parse events of the file; ImportFailure when it is not valid JSON."""
    events = ijson.basic_parse(_Utf8Reader(handle, path.name), use_float=True)
    try:
        yield from events
    except ijson.JSONError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else "incomplete"
        raise ImportFailure(f"{path.name} is not valid JSON ({detail})") from exc
    except ValueError as exc:  # a number Python refuses (over 4300 digits)
        raise ImportFailure(f"{path.name} is not valid JSON ({exc})") from exc


def _skip(events: Iterator[tuple[str, Any]], event: str) -> int:
    """Consume the rest of a value that began with `event`; how many events it held."""
    if event not in _OPEN:
        return 1
    depth, count = 1, 1
    while depth:
        kind, _ = next(events)
        count += 1
        if kind in _OPEN:
            depth += 1
        elif kind in _CLOSE:
            depth -= 1
    return count


def _build(events: Iterator[tuple[str, Any]], event: str, value: Any, limit: int = 0) -> Any:
    """The value that began with (`event`, `value`), built without recursion.

    With a `limit`, a value of more events is skipped and _TOO_LARGE returned.
    """
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1 if event in _OPEN else 0
    count = 1
    while depth:
        kind, data = next(events)
        count += 1
        if limit and count > limit:
            _skip_to_depth(events, depth, kind)
            return _TOO_LARGE
        builder.event(kind, data)
        if kind in _OPEN:
            depth += 1
        elif kind in _CLOSE:
            depth -= 1
    return builder.value


def _skip_to_depth(events: Iterator[tuple[str, Any]], depth: int, kind: str) -> None:
    """Consume events until the value open at `depth` (after event `kind`) is closed."""
    if kind in _OPEN:
        depth += 1
    elif kind in _CLOSE:
        depth -= 1
    while depth:
        kind, _ = next(events)
        if kind in _OPEN:
            depth += 1
        elif kind in _CLOSE:
            depth -= 1


def read_outline(path: Path) -> Outline:
    """The collection's own fields, its annotations counted and skipped (first pass)."""
    outline = Outline()
    with open(path, "rb") as handle:
        events = _events(path, handle)
        event, value = next(events, ("end", None))
        if event == "end":
            raise ImportFailure(f"{path.name} is not valid JSON (empty file)")
        if event != "start_map":
            outline.document = _build(events, event, value, CAPTURED_EVENTS)
            _ensure_end(events)
            if outline.document is _TOO_LARGE:
                outline.document = []
            return outline
        document: dict[str, Any] = {}
        for key, event, value in _members(events):
            if key == "first":
                outline.first_count += 1
                if event == "start_map":
                    document["first"] = _first_page(events, outline)
                else:
                    document["first"] = _build(events, event, value, CAPTURED_EVENTS)
            elif key in _CAPTURED_FIELDS:
                document[key] = _build(events, event, value, CAPTURED_EVENTS)
            else:
                _skip(events, event)
        _ensure_end(events)
        outline.document = document
    return outline


def _members(events: Iterator[tuple[str, Any]]) -> Iterator[tuple[str, str, Any]]:
    """(key, first event of its value, event value) of an open map, up to its end.

    The caller consumes each value before asking for the next member.
    """
    while True:
        event, key = next(events)
        if event == "end_map":
            return
        kind, value = next(events)
        yield key, kind, value


def _first_page(events: Iterator[tuple[str, Any]], outline: Outline) -> dict[str, Any]:
    """The first page without its annotations: an empty ``items`` list stands for them."""
    page: dict[str, Any] = {}
    outline.items_count = 0
    outline.item_count = 0
    for key, event, value in _members(events):
        if key == "items":
            outline.items_count += 1
            if event == "start_array":
                page["items"] = []
                outline.item_count = _count_elements(events)
            else:
                page["items"] = _build(events, event, value, CAPTURED_EVENTS)
        elif key == "next":
            page["next"] = _build(events, event, value, CAPTURED_EVENTS)
        else:
            _skip(events, event)
    return page


def _count_elements(events: Iterator[tuple[str, Any]]) -> int:
    """Consume an open array's elements; how many there were."""
    count = 0
    while True:
        event, _ = next(events)
        if event == "end_array":
            return count
        _skip(events, event)
        count += 1


def _ensure_end(events: Iterator[tuple[str, Any]]) -> None:
    """Read to the end of the file (ijson reports anything after the document)."""
    for _ in events:
        pass


def iter_items(path: Path, outline: Outline) -> Iterator[Any]:
    """The annotations of the collection's items list, one value at a time (second pass)."""
    if not outline.item_count:
        return
    with open(path, "rb") as handle:
        events = _events(path, handle)
        next(events)  # the collection's start_map, as the outline found
        firsts = 0
        for key, event, _value in _members(events):
            if key == "first" and event == "start_map":
                firsts += 1
                if firsts == outline.first_count:
                    yield from _page_items(events, outline)
                    return
                _skip(events, event)
            elif key == "first":
                firsts += 1
                _skip(events, event)
            else:
                _skip(events, event)


def _page_items(events: Iterator[tuple[str, Any]], outline: Outline) -> Iterator[Any]:
    """The elements of the last ``items`` list of an open page map."""
    lists = 0
    for key, event, _value in _members(events):
        if key != "items":
            _skip(events, event)
            continue
        lists += 1
        if lists < outline.items_count or event != "start_array":
            _skip(events, event)
            continue
        while True:
            kind, value = next(events)
            if kind == "end_array":
                return
            yield _build(events, kind, value)
