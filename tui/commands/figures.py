"""Commands for key figures: list an article's figures, extract from a file, compare articles."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tui.commands.context import BadInput, pass_context, store_errors

if TYPE_CHECKING:  # loaded when used: `recoupe --help` imports this module for its names
    from rich.table import Table
    from rich.text import Text

    from store.models import Comparison, Figure, FigureHit, SearchHit

from tui.commands.output import (
    echo,
    echo_json_lines,
    echo_tab_separated,
    hit_record,
    stdout_console,
    stdout_is_terminal,
)

STATUS_STYLES = {
    "conflict": "bold red",
    "revised": "bold magenta",
    "compatible": "yellow",
    "agree": "green",
    "single-source": "dim",
}


def figure_fields() -> tuple[str, ...]:
    """The fields of a figure in --json output (its sentence bounds are left out)."""
    from store.figures.rows import FIGURE_ROW_FIELDS

    return FIGURE_ROW_FIELDS[: FIGURE_ROW_FIELDS.index("qualifier") + 1]


def figure_record(figure: Figure, **extra: Any) -> dict[str, Any]:
    """The JSON fields of one figure (plus `extra` ones such as article_id)."""
    record = {name: getattr(figure, name) for name in figure_fields()}
    return {**extra, **record}


def format_value(figure: Figure) -> str:
    """A figure's value for reading: qualifier sign, thousands spaces, range, currency."""
    from store.figures.display import format_figure_value

    return format_figure_value(figure) if figure.value is not None else ""


def figures_table(figures: list[Figure], titled: list[Figure] | None = None) -> Table:
    """A rich table of figures (the headline's first, where 'title'); every cell built from
    article text is a Text, never markup."""
    from rich.table import Table
    from rich.text import Text

    table = Table()
    table.add_column("where", justify="right", style="cyan", no_wrap=True)
    table.add_column("as written", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("unit", overflow="fold")
    rows = [("title", f) for f in titled or []] + [(str(f.start), f) for f in figures]
    for where, figure in rows:
        table.add_row(
            where,
            Text(figure.surface, style="bold"),
            Text(format_value(figure)),
            figure.kind,
            Text(figure.unit or ""),
        )
    return table


def read_text_for_figures(path: Path) -> str:
    """A file's text as `recoupe import` reads it, NFC, with \\n line ends (--file's offsets)."""
    from store.errors import ImportFailure
    from store.library import read_text_file

    try:
        text = read_text_file(path)
    except ImportFailure as exc:
        raise BadInput(f"{path}: {exc}") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


@click.command("figures")
@click.argument("article_ids", nargs=-1, type=int)
@click.option(
    "--file",
    "file_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Extract from a text file (any encoding `import` reads) without importing it.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per figure.")
@pass_context
@store_errors
def figures_command(
    ctx, article_ids: tuple[int, ...], file_path: Path | None, as_json: bool
) -> None:
    """Print the key figures of articles (by id), or of a text file with --file.

    With --file, offsets are Python string indices into the file's text after NFC
    and newline normalisation.
    """
    from rich.text import Text

    if bool(article_ids) == bool(file_path):
        raise BadInput("give article ids or --file PATH (one or the other)")
    if file_path is not None:
        from store.figures import extract_figures

        figures = extract_figures(read_text_for_figures(file_path))
        if as_json:
            echo_json_lines(figure_record(f) for f in figures)
            return
        console = stdout_console()
        console.print(Text(str(file_path), style="bold"))
        console.print(figures_table(figures))
        return
    from store.figures import figures_for_article, headline_figures
    from store.library import get_article

    articles = [get_article(ctx.reader, article_id) for article_id in article_ids]
    if as_json:
        echo_json_lines(
            figure_record(f, article_id=a.id, field=field)
            for a in articles
            for field, figures in (
                ("title", headline_figures(a.title, a.body, a.lang)),
                ("body", figures_for_article(ctx.reader, a.id)),
            )
            for f in figures
        )
        return
    if not stdout_is_terminal():
        # Piped, as list, search and compare: one line per figure of the text (article,
        # offset, words, value, kind, unit), for grep, cut and sort.
        echo_tab_separated(
            (a.id, f.start, f.surface, format_value(f), f.kind, f.unit)
            for a in articles
            for f in figures_for_article(ctx.reader, a.id)
        )
        return
    console = stdout_console()
    for article in articles:
        titled = headline_figures(article.title, article.body, article.lang)
        figures = figures_for_article(ctx.reader, article.id)
        heading = Text.assemble((f"#{article.id} ", "cyan"), (article.title, "bold"))
        if article.outlet:
            heading.append(f" · {article.outlet}", style="dim")
        console.print(heading)
        console.print(figures_table(figures, titled))
        figures = titled + figures
        console.print(Text(f"{len(figures)} figures", style="dim"))


def comparison_records(comparison: Comparison) -> list[dict[str, Any]]:
    """One JSON-ready object per fact: label, kind, status and each article's figures."""
    return [
        {
            "label": fact.label,
            "kind": fact.kind,
            "status": fact.status,
            "note": fact.note,
            "cells": [
                figure_record(c.figure, article_id=c.article_id, source=c.source)
                for c in fact.cells
            ],
        }
        for fact in comparison.facts
    ]


def comparison_table(comparison: Comparison, titles: dict[int, str]) -> Table:
    """One row per fact, one column per article: what each article says, in its words."""
    from rich.table import Table
    from rich.text import Text

    from store.compare import STATUS_WORDS

    table = Table(show_lines=True)
    table.add_column("fact", overflow="fold")
    table.add_column("status", no_wrap=True)
    for article_id in comparison.article_ids:
        table.add_column(Text(f"#{article_id} {titles.get(article_id, '')}"), overflow="fold")
    for fact in comparison.facts:
        row: list[Text | str] = [
            Text(fact.label),
            Text(
                STATUS_WORDS.get(fact.status, fact.status)
                + (f"\n({fact.note})" if fact.note else ""),
                style=STATUS_STYLES.get(fact.status, ""),
            ),
        ]
        for article_id in comparison.article_ids:
            cell = Text()
            for i, fc in enumerate(fact.cells_for(article_id)):
                if i:
                    cell.append("\n")
                cell.append(fc.figure.surface, style="bold")
                cell.append(f"  {format_value(fc.figure)}", style="dim")
                if fc.source:
                    cell.append(f"\nselon {fc.source}", style="italic")
            row.append(cell)
        table.add_row(*row)
    return table


@click.command("compare")
@click.argument("article_ids", nargs=-1, type=int, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per fact.")
@click.option(
    "--shared-only", is_flag=True, help="Leave out facts only one article states (table only)."
)
@pass_context
@store_errors
def compare_command(ctx, article_ids: tuple[int, ...], as_json: bool, shared_only: bool) -> None:
    """Line up the figures of two or more articles: conflicts first, then compatible,
    agree, and the facts only one article states."""
    if len(set(article_ids)) < 2:
        raise BadInput("compare needs at least two different article ids")
    from store.compare import compare_articles
    from store.library import get_summaries

    comparison = compare_articles(ctx.reader, list(article_ids))
    if as_json:
        echo_json_lines(comparison_records(comparison))
        return
    single = sum(1 for f in comparison.facts if f.status == "single-source")
    from store.models import Comparison

    shown = Comparison(
        comparison.article_ids,
        tuple(f for f in comparison.facts if not shared_only or f.status != "single-source"),
    )
    from store.compare import STATUS_WORDS

    counts = {s: sum(1 for f in comparison.facts if f.status == s) for s in STATUS_STYLES}
    summary = ", ".join(f"{n} {STATUS_WORDS[status]}" for status, n in counts.items())
    hint = " (not listed: --shared-only)" if shared_only and single else ""
    if not stdout_is_terminal():
        # One line per figure of each fact: fact, status, article, words, value.
        echo_tab_separated(
            (
                fact.label,
                fact.status,
                cell.article_id,
                cell.figure.surface,
                format_value(cell.figure),
            )
            for fact in shown.facts
            for cell in fact.cells
        )
        echo(f"{len(comparison.facts)} facts: {summary}{hint}", err=True)
        return
    from rich.text import Text

    titles = {s.id: s.title for s in get_summaries(ctx.reader, list(comparison.article_ids))}
    console = stdout_console()
    console.print(comparison_table(shown, titles))
    console.print(Text(f"{len(comparison.facts)} facts: {summary}{hint}", style="dim"))


# --------------------------------------------------------------------------- for `search`

_BARE_NUMBER = re.compile(r"^\s*\d[\d \u00a0\u202f.,]*\s*$")


def is_bare_number(query: str | None) -> bool:
    """Whether a search query is only a number ('2517', '2 517', '3.222')."""
    return bool(query and _BARE_NUMBER.match(query))


def _in_filters(hit: FigureHit, outlet: str | None, since: str | None, until: str | None) -> bool:
    if outlet and (hit.outlet or "").casefold() != outlet.casefold():
        return False
    if since and (not hit.published or hit.published < since):
        return False
    return not (until and (not hit.published or hit.published > until))


def figure_search_hits(
    db: Any,
    spec: str,
    *,
    limit: int,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    article_ids: set[int] | None = None,
) -> list[FigureHit]:
    """Figures matching a spec, filtered like a search (outlet, dates, some articles)."""
    from store.figures import search_figures

    hits = [
        h
        for h in search_figures(db, spec, limit=max(limit * 20, 200))
        if _in_filters(h, outlet, since, until)
        and (article_ids is None or h.article_id in article_ids)
    ]
    return hits[:limit]


def figure_snippet(db: Any, hit: FigureHit) -> str:
    """The figure's sentence with the figure marked, as a search snippet."""
    from store.library import get_article
    from store.models import HIGHLIGHT_END, HIGHLIGHT_START

    body = get_article(db, hit.article_id).body
    figure = hit.figure
    start = figure.sentence_start if figure.sentence_start is not None else figure.start
    end = figure.sentence_end if figure.sentence_end is not None else figure.end
    start, end = max(start, figure.start - 120), min(end, figure.end + 120)
    return (
        body[start : figure.start]
        + HIGHLIGHT_START
        + body[figure.start : figure.end]
        + HIGHLIGHT_END
        + body[figure.end : end]
    )


def number_hits_from_figures(db: Any, query: str, hits: list[SearchHit], **filters: Any) -> list:
    """Articles stating a bare-number query's value in a form words cannot match
    ('3500000' finds '3,5 millions'), as search hits after the full-text ones."""
    if not is_bare_number(query):
        return []
    from store.errors import QueryError
    from store.models import SearchHit

    seen = {h.article_id for h in hits}
    try:
        found = figure_search_hits(db, f"={query.strip()}", **filters)
    except QueryError:
        return []
    extra: list[SearchHit] = []
    for hit in found:
        if hit.article_id in seen:
            continue
        seen.add(hit.article_id)
        snippet = figure_snippet(db, hit)
        extra.append(SearchHit(hit.article_id, hit.title, hit.outlet, hit.published, snippet, 0.0))
    return extra


def print_figure_hits(db: Any, hits: list[FigureHit], as_json: bool) -> None:
    """Figures found by value: JSON lines, or a table with each figure in its sentence."""
    from rich.table import Table
    from rich.text import Text

    if as_json:
        echo_json_lines(
            hit_record(h, figure=figure_record(h.figure), reason=h.reason) for h in hits
        )
        return
    from tui.commands.output import highlighted

    table = Table()
    table.add_column("id", justify="right", style="cyan", no_wrap=True)
    table.add_column("figure", no_wrap=True)
    table.add_column("article", overflow="fold")
    for hit in hits:
        cell = Text(hit.title, style="bold")
        cell.append("\n")
        cell.append_text(highlighted(figure_snippet(db, hit)))
        figure = Text(format_value(hit.figure))
        if hit.figure.unit:
            figure.append(f"\n{hit.figure.unit}", style="dim")
        if hit.reason:
            figure.append(f"\n{hit.reason}", style="italic")
        table.add_row(str(hit.article_id), figure, cell)
    stdout_console().print(table)


COMMANDS = [figures_command, compare_command]
