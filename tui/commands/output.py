"""Output helpers shared by the commands: rich tables, JSON lines, progress bars.

Every command prints through this module, and what it prints is data, never a
terminal command: whatever the database holds (written by an older build, another
tool, a future import path), escape sequences, control and invisible characters are
neutralised here, at output time. Text gets a visible mark for each (ESC becomes ␛,
as in the app); JSON gets a \\u escape, so that nothing is lost. A test
(tests/reliability/test_terminal_escapes.py) checks that no command prints another way.

rich is imported inside the helpers, not here: every command module imports this
one, and `recoupe search --json` or a piped search should not pay for what it
does not draw.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

import click

from tui.closed_pipe import exit_on_closed_pipe

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# What a terminal would obey or hide: C0 controls but tab and line ends, DEL, C1 controls
# (0x9b is CSI on some terminals), a carriage return not ending a line (it lets a line
# overwrite another), bidi embeddings, overrides and isolates, zero-width characters and
# the BOM: the characters tui.rendering.visible shows in the app.
_UNSAFE = re.compile(
    "\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# In JSON text json.dumps escapes C0 controls already; these it leaves raw (plus the
# line and paragraph separators, which end a line in some readers).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _picture(match: re.Match[str]) -> str:
    """The visible mark of a control character: its Unicode control picture, else U+FFFD."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def terminal_safe(text: str) -> str:
    """The text with every control and invisible character shown as a visible mark.

    Tabs and line ends (``\\n``, ``\\r\\n``) stay: they move the cursor, never restyle
    or retitle the terminal.
    """
    return _UNSAFE.sub(_picture, text)


def json_safe(text: str) -> str:
    """JSON text with the characters json.dumps leaves raw escaped as \\uXXXX (lossless)."""
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """click.echo of text made terminal-safe: how commands print plain lines."""
    click.echo(terminal_safe(str(message)), err=err, nl=nl)


def echo_document(text: str, fmt: str) -> None:
    """Print an exported document (json, csv, md) whole, made safe as its format allows.

    A leading byte-order mark stays: the CSV export starts with one for spreadsheets.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    click.echo(bom + (json_safe(body) if fmt == "json" else terminal_safe(body)), nl=False)


def _safe_console_class() -> type[Console]:
    """A rich Console whose printed text segments are terminal-safe (styles kept).

    rich's Text drops a few controls (BEL, backspace, CR) but passes ESC and the C1
    controls through; neutralising each segment as the console renders it covers every
    renderable (tables, cells, panels), whoever built the Text.
    """
    global _SafeConsole
    if _SafeConsole is None:
        from rich.console import Console
        from rich.segment import Segment

        class SafeConsole(Console):
            """A console that prints data, never terminal commands."""

            def render(self, renderable: Any, options: Any = None) -> Any:
                for segment in super().render(renderable, options):
                    if segment.control is None and _UNSAFE.search(segment.text):
                        yield Segment(terminal_safe(segment.text), segment.style)
                    else:
                        yield segment

        _SafeConsole = SafeConsole
    return _SafeConsole


_SafeConsole: Any = None


def stdout_console() -> Console:
    """A console on the current stdout (CliRunner swaps it), wide enough off a terminal."""
    stream = sys.stdout
    width = None if stream.isatty() else 120
    # emoji=False: `:name:` in an article is text, and the emoji table costs ~10 ms to load.
    console = _safe_console_class()(
        file=stream, width=width, highlight=False, soft_wrap=False, emoji=False
    )
    console.on_broken_pipe = exit_on_closed_pipe  # type: ignore[method-assign]
    return console


def stderr_console() -> Console:
    """A console on stderr, for progress and reports; one report stays one line."""
    console = _safe_console_class()(file=sys.stderr, highlight=False, soft_wrap=True)
    console.on_broken_pipe = exit_on_closed_pipe  # type: ignore[method-assign]
    return console


def stdout_is_terminal() -> bool:
    """Whether the output goes to a terminal (tables) or to a pipe or file (plain lines)."""
    return sys.stdout.isatty()


def echo_tab_separated(rows: Iterable[Iterable[object]]) -> None:
    """Print one tab-separated line per row (for pipes: grep, cut, sort).

    Fields never contain a tab or a line break (they are collapsed to spaces), and
    text goes through strip_unsafe: it is data, never a terminal command.
    """
    from store.library import strip_unsafe

    for row in rows:
        fields = ("" if value is None else " ".join(str(value).split()) for value in row)
        echo("\t".join(strip_unsafe(field) for field in fields))


def echo_json_lines(items: Iterable[Any]) -> None:
    """Print one JSON object per line (dataclasses are converted), terminal-safe."""
    for item in items:
        record = dataclasses.asdict(item) if dataclasses.is_dataclass(item) else item
        click.echo(json_safe(json.dumps(record, ensure_ascii=False)))


class ArticleHit(Protocol):
    """A search result: an article found (SearchHit) or a figure in one (FigureHit)."""

    article_id: int
    title: str
    outlet: str | None
    published: str | None


def hit_record(hit: ArticleHit, **extra: Any) -> dict[str, Any]:
    """The JSON fields of one search result: the article's, then `extra` (snippet, figure)."""
    return {
        "id": hit.article_id,
        "title": hit.title,
        "outlet": hit.outlet,
        "published": hit.published,
        **extra,
    }


def one_line(text: str) -> str:
    """Text for a one-line report: line breaks and control characters shown, never obeyed.

    A file name may hold a newline or an escape sequence; printed raw it would split
    the report or drive the terminal (retitle it, recolour it).
    """
    from tui.rendering import visible

    return visible(text.replace("\n", "\u2424"))  # ␤, the symbol for newline


def highlighted(text: str, style: str = "bold yellow") -> Text:
    """A rich Text of a snippet with its matches styled; the text itself is never markup."""
    from rich.text import Text

    from store.models import split_highlights

    result = Text()
    for piece, is_match in split_highlights(text):
        result.append(piece, style=style if is_match else None)
    return result


def _progress_bar(label: str) -> Any:
    """A rich progress bar: files done of all, files per second, elapsed time."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Files per second (a file is an article, except JSONL files)."""

        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.0f} files/s" if speed else "", style="progress.data.speed")

    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        console=stderr_console(),
        transient=False,
    )


@contextmanager
def import_progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress callback drawing a bar on a terminal; None (quiet) when not on one."""
    if not sys.stderr.isatty():
        yield None
        return
    progress = _progress_bar(label)
    task = progress.add_task(label, total=None)

    def advance(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    with progress:
        yield advance
