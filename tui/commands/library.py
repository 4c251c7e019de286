"""Commands for the library itself: import, search, list, show.

rich and the store modules are imported inside each command, so that the start-up
of `recoupe search` stays lean (it is timed against ripgrep in bench/run.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from tui.commands.context import BadInput, NothingFound, pass_context, store_errors
from tui.commands.output import (
    echo_json_lines,
    echo_tab_separated,
    highlighted,
    hit_record,
    import_progress,
    one_line,
    stderr_console,
    stdout_console,
    stdout_is_terminal,
)

EXIT_NOTHING_IMPORTED = 1


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON outcome per file.")
@click.option(
    "--no-wait",
    is_flag=True,
    help="Return once the articles are searchable; figures are computed in the background.",
)
@pass_context
@store_errors
def import_command(ctx, paths: tuple[Path, ...], as_json: bool, no_wait: bool) -> None:
    """Import articles from files or folders (.txt, .md, .html, .jsonl), recursively.

    Re-importing identical content changes nothing; a changed file updates its
    article in place. Files that cannot be imported are listed with the reason;
    the exit code is 1 when nothing at all could be imported. The articles are
    searchable as soon as they are written; their figures are computed next, with
    a progress bar (or in the background with --no-wait: see `recoupe status`).
    """
    from store.ingest import import_paths
    from tui.commands.derive import start_background_derivation, wait_for_derived

    db = ctx.db
    with import_progress("Importing") as on_progress:
        report = import_paths(db, paths, on_progress=on_progress)
    if no_wait:
        start_background_derivation(ctx.db_path)
    else:
        wait_for_derived(db)
    if as_json:
        echo_json_lines(report.outcomes)
        return
    from rich.text import Text

    err = stderr_console()
    for outcome in report.skipped:
        line = f"{one_line(outcome.path)}: {one_line(outcome.reason or '')}"
        err.print(Text.assemble(("skipped ", "yellow"), line))
    click.echo(report.summary())
    if report.skipped and len(report.skipped) == len(report.outcomes):
        click.get_current_context().exit(EXIT_NOTHING_IMPORTED)


@click.command("search")
@click.argument("query", required=False)
@click.option(
    "--figure",
    "figure_spec",
    metavar="SPEC",
    help='Figures by value and unit: "2517", ">=2500 arrestations", "2000..3000 victimes".',
)
@click.option("--limit", "-n", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--outlet", help="Only articles from this outlet.")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE.")
@click.option(
    "--advanced", is_flag=True, help='FTS5 syntax: "phrases", prefix*, AND/OR/NOT, NEAR, title:.'
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit.")
@pass_context
@store_errors
def search_command(
    ctx,
    query: str | None,
    figure_spec: str | None,
    limit: int,
    outlet: str | None,
    since: str | None,
    until: str | None,
    advanced: bool,
    as_json: bool,
) -> None:
    """Search the library; best matches first. Exit code 1 when nothing matches.

    By default any text is searched as words, accents ignored: `operation`
    finds `opération`, and `2 517`, `2.517` and `2517` find the same figure.
    With --figure, figures are found by value (and unit word), within the
    articles matching QUERY when one is given.
    """
    from store.db import connect_reader
    from store.search import search
    from tui.commands.derive import coverage_note

    filters = {"limit": limit, "outlet": outlet, "since": since, "until": until}
    reader = _reader(ctx, connect_reader)
    if figure_spec is not None:
        from tui.commands.figures import figure_search_hits, print_figure_hits

        within = None
        if query:
            within = {h.article_id for h in search(reader, query, **filters, advanced=advanced)}
        found = figure_search_hits(reader, figure_spec, **filters, article_ids=within)
        coverage_note(reader)
        if not found:
            raise NothingFound(f"no figure matches {figure_spec!r}")
        print_figure_hits(reader, found, as_json)
        return
    if not query:
        raise BadInput("give a QUERY, or --figure SPEC")
    hits = search(
        reader,
        query,
        limit=limit,
        outlet=outlet,
        since=since,
        until=until,
        advanced=advanced,
    )
    if not advanced and len(hits) < limit and any(char.isdigit() for char in query):
        from tui.commands.figures import number_hits_from_figures

        hits += number_hits_from_figures(reader, query, hits, **filters)[: limit - len(hits)]
        coverage_note(reader)
    if not hits:
        raise NothingFound(f"no article matches {query!r}")
    if as_json:
        echo_json_lines(hit_record(h, snippet=h.plain_snippet, score=h.score) for h in hits)
        return
    if not stdout_is_terminal():
        echo_tab_separated(
            (h.article_id, h.title, h.outlet, h.published, h.plain_snippet) for h in hits
        )
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=False, expand=False)
    table.add_column("id", justify="right", style="cyan", no_wrap=True)
    table.add_column("article", overflow="fold")
    for hit in hits:
        source = " · ".join(p for p in (hit.outlet, hit.published) if p)
        cell = Text(hit.title, style="bold")
        if source:
            cell.append(f"\n{source}", style="dim")
        cell.append("\n")
        cell.append_text(highlighted(hit.snippet))
        table.add_row(str(hit.article_id), cell)
    stdout_console().print(table)


def _reader(ctx, connect_reader) -> Any:
    """The library opened for reads (light: no migration machinery); errors are the store's."""
    return connect_reader(ctx.db_path, on_upgrade=ctx.tell_upgrade)


@click.command("list")
@click.option(
    "--sort",
    type=click.Choice(["id", "title", "outlet", "published", "figures", "annotations"]),
    default="id",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article.")
@pass_context
@store_errors
def list_command(ctx, sort: str, as_json: bool) -> None:
    """List the articles of the library."""
    from store.library import list_articles

    articles = list_articles(ctx.db, sort=sort)  # type: ignore[arg-type]
    if as_json:
        echo_json_lines(articles)
        return
    if not stdout_is_terminal():
        echo_tab_separated(
            (a.id, a.title, a.outlet, a.published, a.figure_count, a.annotation_count)
            for a in articles
        )
        click.echo(f"{len(articles)} articles", err=True)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table()
    table.add_column("id", justify="right", style="cyan", no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("outlet")
    table.add_column("date", no_wrap=True)
    table.add_column("figures", justify="right")
    table.add_column("notes", justify="right")
    for a in articles:
        table.add_row(
            str(a.id),
            Text(a.title),
            Text(a.outlet or ""),
            a.published or "",
            str(a.figure_count),
            str(a.annotation_count),
        )
    stdout_console().print(table)
    click.echo(f"{len(articles)} articles", err=True)


@click.command("show")
@click.argument("article_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="The article as one JSON object.")
@pass_context
@store_errors
def show_command(ctx, article_id: int, as_json: bool) -> None:
    """Print one article with its metadata."""
    from store.library import get_article

    article = get_article(ctx.db, article_id)
    if as_json:
        echo_json_lines([article])
        return
    from rich.text import Text

    console = stdout_console()
    console.print(Text(article.title, style="bold"))
    meta = " · ".join(p for p in (article.outlet, article.published, article.url) if p)
    if meta:
        console.print(Text(meta, style="dim"))
    console.print()
    console.print(Text(article.body))


COMMANDS = [import_command, search_command, list_command, show_command]
