"""Commands for annotations and tags: annotate, annotations, tags, export, import-annotations."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from tui.commands.context import BadInput, NothingFound, pass_context, store_errors
from tui.commands.output import echo_json_lines, stderr_console, stdout_console


def _tags_from_options(values: tuple[str, ...]) -> list[str]:
    """Tags given as repeated options, each possibly a comma-separated list."""
    from store.annotations import clean_tag, split_tags

    tags: list[str] = []
    for value in values:
        tags += split_tags(value) if value.strip(" ,") else [clean_tag(value)]
    return tags


def _count(number: int, noun: str) -> str:
    """'1 annotation', '3 annotations'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _one_line(text: str, width: int = 100) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


@click.command("annotate")
@click.argument("article_id", type=int)
@click.option("--quote", "-q", required=True, help="The exact passage to mark.")
@click.option(
    "--occurrence",
    type=click.IntRange(min=1),
    help="Which occurrence of the quote, counting from 1, when it occurs several times.",
)
@click.option("--note", "-n", default="", help="The note (several lines allowed).")
@click.option("--tag", "-t", "tags", multiple=True, help="A tag (repeat, or separate with commas).")
@click.option("--json", "as_json", is_flag=True, help="Print the annotation as JSON.")
@pass_context
@store_errors
def annotate_command(
    ctx,
    article_id: int,
    quote: str,
    occurrence: int | None,
    note: str,
    tags: tuple[str, ...],
    as_json: bool,
) -> None:
    """Mark a passage of article ARTICLE_ID with a note and tags.

    The quote must occur in the article (apostrophes, quotes, dashes and spaces
    may differ); when it occurs several times, say which with --occurrence.
    """
    from store.annotations import AmbiguousQuote, annotate_quote

    try:
        annotation = annotate_quote(
            ctx.db,
            article_id,
            quote,
            occurrence=occurrence,
            note=note,
            tags=_tags_from_options(tags),
        )
    except AmbiguousQuote as exc:
        raise BadInput(
            f"the quote {_one_line(quote, 60)!r} occurs {exc.count} times in article "
            f"{article_id}: add --occurrence N (1 to {exc.count})"
        ) from exc
    if as_json:
        echo_json_lines([annotation])
        return
    click.echo(
        f"annotation {annotation.id} on article {article_id}, "
        f"characters {annotation.start}–{annotation.end}"
    )


@click.command("annotations")
@click.option("--tag", "-t", "tags", multiple=True, help="Only with this tag (repeat: any of).")
@click.option(
    "--article", "-a", "article_ids", multiple=True, type=int, help="Only in this article."
)
@click.option("--search", "-s", help="Words in the note, the quote or the tags.")
@click.option("--orphaned", is_flag=True, help="Only those not found in the current text.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per annotation.")
@pass_context
@store_errors
def annotations_command(
    ctx,
    tags: tuple[str, ...],
    article_ids: tuple[int, ...],
    search: str | None,
    orphaned: bool,
    as_json: bool,
) -> None:
    """List annotations, by article and position (best matches first with --search).

    Exit code 1 when none matches.
    """
    from store.annotations import list_annotations

    annotations = list_annotations(
        ctx.db,
        tags=_tags_from_options(tags),
        article_ids=article_ids,
        search=search,
        status="orphaned" if orphaned else None,
    )
    if not annotations:
        raise NothingFound("no annotation matches")
    if as_json:
        echo_json_lines(annotations)
        return
    table = Table()
    table.add_column("id", justify="right", style="cyan", no_wrap=True)
    table.add_column("article", overflow="fold", max_width=30)
    table.add_column("passage", overflow="fold")
    for a in annotations:
        article = Text(f"{a.article_id} ", style="cyan")
        article.append(a.article_title)
        if a.outlet:
            article.append(f"\n{a.outlet}", style="dim")
        cell = Text("« ", style="dim")
        cell.append(_one_line(a.exact, 300), style="italic")
        cell.append(" »", style="dim")
        if a.note:
            cell.append("\n" + a.note)
        details = [", ".join(f"#{t}" for t in a.tags)] if a.tags else []
        if a.status != "anchored":
            details.append(a.status)
        if details:
            cell.append("\n" + " · ".join(details), style="yellow")
        table.add_row(str(a.id), article, cell)
    stdout_console().print(table)
    click.echo(_count(len(annotations), "annotation"), err=True)


@click.group("tags", invoke_without_command=True)
@click.option("--sort", type=click.Choice(["count", "name"]), default="count", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per tag.")
@click.pass_context
def tags_command(click_ctx: click.Context, sort: str, as_json: bool) -> None:
    """List the tags with how many annotations carry each; rename, merge or delete them."""
    if click_ctx.invoked_subcommand is not None:
        return
    from store.annotations import list_tags

    tags = list_tags(click_ctx.obj.db, order=sort)  # type: ignore[arg-type]
    if as_json:
        echo_json_lines(tags)
        return
    if not tags:
        raise NothingFound("no tags yet")
    table = Table()
    table.add_column("tag")
    table.add_column("annotations", justify="right")
    for tag in tags:
        table.add_row(Text(tag.name), str(tag.count))
    stdout_console().print(table)


@tags_command.command("rename")
@click.argument("old")
@click.argument("new")
@pass_context
@store_errors
def tags_rename_command(ctx, old: str, new: str) -> None:
    """Rename the tag OLD to NEW on every annotation."""
    from store.annotations import rename_tag

    tag = rename_tag(ctx.db, old, new)
    click.echo(f"renamed {old!r} to {tag.name!r} ({_count(tag.count, 'annotation')})")


@tags_command.command("merge")
@click.argument("sources", nargs=-1, required=True)
@click.option("--into", "target", required=True, help="The tag they all become.")
@pass_context
@store_errors
def tags_merge_command(ctx, sources: tuple[str, ...], target: str) -> None:
    """Merge the tags SOURCES into one tag (created when it does not exist)."""
    from store.annotations import merge_tags

    tag = merge_tags(ctx.db, sources, target)
    merged = ", ".join(repr(s) for s in sources)
    click.echo(f"merged {merged} into {tag.name!r} ({_count(tag.count, 'annotation')})")


@tags_command.command("delete")
@click.argument("name")
@pass_context
@store_errors
def tags_delete_command(ctx, name: str) -> None:
    """Remove the tag NAME from every annotation (the annotations stay)."""
    from store.annotations import delete_tag

    count = delete_tag(ctx.db, name)
    click.echo(f"deleted tag {name!r} from {_count(count, 'annotation')}")


@click.command("export")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["json", "csv", "md"]),
    default="json",
    show_default=True,
    help="W3C JSON-LD, CSV for a spreadsheet, or a Markdown report.",
)
@click.option("--tag", "-t", "tags", multiple=True, help="Only with this tag (repeat: any of).")
@click.option(
    "--article", "-a", "article_ids", multiple=True, type=int, help="Only in this article (repeat)."
)
@click.option("--by-tag", is_flag=True, help="Markdown: group by tag instead of by article.")
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Write to this file (default: stdout)."
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@pass_context
@store_errors
def export_command(
    ctx,
    fmt: str,
    tags: tuple[str, ...],
    article_ids: tuple[int, ...],
    by_tag: bool,
    output: Path | None,
    force: bool,
) -> None:
    """Export annotations as W3C Web Annotation JSON-LD, CSV or Markdown."""
    from store.annotations import OutputExists, count_annotations, export_annotations, write_export

    if by_tag and fmt != "md":
        raise BadInput("--by-tag groups the Markdown report: add --format md")
    tag_list = _tags_from_options(tags)
    if output is None:
        text = export_annotations(
            ctx.db, fmt, tags=tag_list, article_ids=article_ids, by_tag=by_tag
        )
        click.echo(text, nl=False)
        return
    try:
        path = write_export(
            ctx.db, output, fmt, tags=tag_list, article_ids=article_ids, by_tag=by_tag, force=force
        )
    except OutputExists as exc:
        raise BadInput(f"{exc.path} already exists: add --force to overwrite it") from exc
    count = count_annotations(ctx.db, tags=tag_list, article_ids=article_ids)
    click.echo(f"wrote {_count(count, 'annotation')} to {path}", err=True)


@click.command("import-annotations")
@click.argument("file", type=click.Path(path_type=Path))
@pass_context
@store_errors
def import_annotations_command(ctx, file: Path) -> None:
    """Import annotations from a JSON-LD file written by `recoupe export`.

    Each annotation goes to the same article in this library (found by URL,
    content or title); those whose article is missing are listed and left out.
    A malformed file imports nothing.
    """
    from store.annotations import import_annotations

    report = import_annotations(ctx.db, file)
    err = stderr_console()
    for description in report.unknown_articles:
        err.print(Text.assemble(("not in the library ", "yellow"), description))
    click.echo(report.summary())


COMMANDS = [
    annotate_command,
    annotations_command,
    tags_command,
    export_command,
    import_annotations_command,
]
