"""The `recoupe` command line: import, search, list, show, figures, export, and the app.

Every command calls plain functions of `store`; errors of the store become a
one-line message and an exit code, never a traceback:

* 0: success;
* 1: nothing found (a search with no hit, an unknown id);
* 2: a usage error or a bad query.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from store.errors import RecoupeError
from tui.commands.context import BadInput, Context


class RecoupeGroup(click.Group):
    """A click group that never lets a traceback reach the user (set RECOUPE_DEBUG=1 to see it).

    Subcommands are registered lazily (see register_commands) to keep start-up lean.
    """

    _all_registered = False

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The subcommand, importing only the module that declares it when possible."""
        command = super().get_command(ctx, cmd_name)
        if command is None:
            register_commands(cmd_name)
            command = super().get_command(ctx, cmd_name)
        if command is None and not self._all_registered:
            self.list_commands(ctx)
            command = super().get_command(ctx, cmd_name)
        return command

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every subcommand (imports every command module once)."""
        if not RecoupeGroup._all_registered:
            RecoupeGroup._all_registered = True
            register_commands()
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            raise click.Abort() from None
        except RecoupeError as exc:
            raise BadInput(str(exc)) from exc
        except OverflowError as exc:  # an id beyond SQLite's 64-bit integers: `show 1e20`
            raise BadInput(f"a number given is too large ({exc})") from exc
        except Exception as exc:
            if os.environ.get("RECOUPE_DEBUG"):
                raise
            raise click.ClickException(
                f"unexpected error: {type(exc).__name__}: {exc} (RECOUPE_DEBUG=1 shows details)"
            ) from exc


def _default_db() -> Path:
    from store.db import default_db_path

    return default_db_path()


@click.group(cls=RecoupeGroup, invoke_without_command=True)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Database file (default: $RECOUPE_DB, else $XDG_DATA_HOME/recoupe/recoupe.db).",
)
@click.version_option(package_name="recoupe")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None) -> None:
    """recoupe: read news sources side by side, compare their figures, annotate, export.

    Run without a command to open the app (the sample corpus loads into an
    empty library on first launch).
    """
    ctx.obj = Context(db_path or _default_db())
    if ctx.invoked_subcommand is None:
        from tui.app import run_app

        run_app(ctx.obj.db_path)


def register_commands(name: str | None = None) -> None:
    """Attach the subcommands: every module of tui.commands with a COMMANDS list.

    With a `name`, only the modules whose source declares `@click.command("name")`
    are imported (a module not declaring its names that way is found by the full
    scan): `recoupe search` then does not load the figures or export commands.
    """
    import importlib
    import pkgutil
    import re

    import tui.commands

    declares = re.compile(rf"""command\(\s*["']{re.escape(name)}["']""") if name else None
    folder = Path(tui.commands.__path__[0])
    for info in pkgutil.iter_modules(tui.commands.__path__):
        if declares is not None:
            try:
                source = (folder / f"{info.name}.py").read_text(encoding="utf-8")
            except OSError:
                source = ""
            if not declares.search(source):
                continue
        module = importlib.import_module(f"tui.commands.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="recoupe")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
