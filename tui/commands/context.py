"""What every command shares: the database it opens on first use, and how it fails.

Errors of the store become a one-line message and an exit code, never a traceback
(the codes are listed in `tui.cli`). The command modules import this module, not
`tui.cli`: the command line imports them to register their commands.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from store.errors import NotFoundError, RecoupeError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_NOTHING_FOUND = 1
EXIT_USAGE = 2


class NothingFound(click.ClickException):
    """A search or lookup that found nothing: exit code 1."""

    exit_code = EXIT_NOTHING_FOUND


class BadInput(click.ClickException):
    """A bad query or argument the store refused: exit code 2."""

    exit_code = EXIT_USAGE


def store_errors(func: F) -> F:
    """Turn store errors into one-line click errors with the right exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NotFoundError as exc:
            raise NothingFound(str(exc)) from exc
        except RecoupeError as exc:
            raise BadInput(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


class Context:
    """What every command shares: where the database is, opened on first use."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._db: Any = None
        self._reader: Any = None

    @staticmethod
    def tell_upgrade(message: str) -> None:
        """Say that the file is being upgraded, on stderr: the output may be JSON."""
        from tui.commands.output import echo

        echo(f"recoupe: {message}...", err=True)

    @property
    def db(self) -> Any:
        """The opened library (opened and migrated on first use)."""
        if self._db is None:
            from store.db import connect

            self._db = self._open(connect)
        return self._db

    @property
    def reader(self) -> Any:
        """The library opened for commands that only read (list, show, figures, compare...).

        It opens without loading sqlite-utils (about a third of a short command's
        start-up); the store's read functions take it as they take `db`.
        """
        if self._db is not None:
            return self._db
        if self._reader is None:
            from store.db import connect_reader

            self._reader = self._open(connect_reader)
        return self._reader

    def _open(self, opener: Callable[..., Any]) -> Any:
        """The library opened by `opener`; an unexpected failure becomes one line."""
        try:
            return opener(self.db_path, on_upgrade=self.tell_upgrade)
        except RecoupeError:
            raise
        except Exception as exc:
            raise BadInput(f"cannot open the database {self.db_path}: {exc}") from exc


pass_context = click.make_pass_decorator(Context)
