"""Derived data from the command line: compute what is pending, say how far it has got.

`recoupe import` waits for the figures of what it imported (a progress bar on a
terminal) unless given --no-wait; then a background process computes them and
`recoupe status` tells how far it has got.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import click

from tui.commands.context import pass_context, store_errors
from tui.commands.output import import_progress

POLL_SECONDS = 0.3
"""How often a command waiting for another process's derivation looks at its progress."""


def wait_for_derived(db: Any, *, label: str = "Figures") -> None:
    """Compute every pending article's derived data, or wait while another process does."""
    from store.derive import derive_status, run_pending

    with import_progress(label) as on_progress:
        run = run_pending(db, on_progress=on_progress)
        while run.busy:  # another process is at it: follow its progress
            status = derive_status(db)
            if on_progress:
                on_progress(status.done, status.total)
            if status.complete:
                return
            if not status.running:  # it stopped (killed): carry on ourselves
                run = run_pending(db, on_progress=on_progress)
                continue
            time.sleep(POLL_SECONDS)


def start_background_derivation(db_path: str) -> None:
    """A detached `recoupe derive` for this library: it outlives this command."""
    subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--db", str(db_path), "derive", "--quiet"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def coverage_note(db: Any) -> None:
    """Say on stderr when figures are still being computed: results may be missing some."""
    from store.derive import derive_status

    status = derive_status(db)
    if not status.complete:
        click.echo(f"recoupe: {status.describe()} (see `recoupe status`)", err=True)


@click.command("derive")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_context
@store_errors
def derive_command(ctx, quiet: bool) -> None:
    """Compute the figures of every article that lacks them, on every core.

    Imports leave this work to be done after they return; it is resumable: a run
    stopped at any point goes on from there next time.
    """
    from store.derive import derive_status, run_pending

    if quiet:
        run_pending(ctx.db)
        return
    wait_for_derived(ctx.db)
    click.echo(derive_status(ctx.db).describe())


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@pass_context
@store_errors
def status_command(ctx, as_json: bool) -> None:
    """How many articles the library holds and how far their figures have got."""
    from store.derive import derive_status

    status = derive_status(ctx.db)
    if as_json:
        record = {
            "articles": status.total,
            "derived": status.done,
            "pending": status.pending,
            "running": status.running,
        }
        click.echo(json.dumps(record))
        return
    click.echo(f"library: {ctx.db_path}")
    click.echo(f"articles: {status.total}")
    line = status.describe()
    if not status.complete:
        line += " (being computed now)" if status.running else " (run `recoupe derive`)"
    click.echo(line)


COMMANDS = [derive_command, status_command]
