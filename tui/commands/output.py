"""Output helpers shared by the commands: rich tables, JSON lines, progress bars.

rich is imported inside the helpers, not here: every command module imports this
one, and `recoupe search --json` or a piped search should not pay for what it
does not draw.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

import click

from store.models import split_highlights

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


def stdout_console() -> Console:
    """A console on the current stdout (CliRunner swaps it), wide enough off a terminal."""
    from rich.console import Console

    stream = sys.stdout
    width = None if stream.isatty() else 120
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    """A console on stderr, for progress and reports; one report stays one line."""
    from rich.console import Console

    return Console(file=sys.stderr, highlight=False, soft_wrap=True)


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
        click.echo("\t".join(strip_unsafe(field) for field in fields))


def echo_json_lines(items: Iterable[Any]) -> None:
    """Print one JSON object per line (dataclasses are converted)."""
    for item in items:
        record = dataclasses.asdict(item) if dataclasses.is_dataclass(item) else item
        click.echo(json.dumps(record, ensure_ascii=False))


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
