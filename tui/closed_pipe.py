"""Leaving quietly when the reader of our output has gone (`recoupe search … | head`).

A command piped into `head` finds its output closed after the first lines. Like
git or ripgrep, recoupe then stops at once and says nothing: no error on stderr,
and the exit status a shell gives a program ended by SIGPIPE (128 + 13).
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from typing import NoReturn

EXIT_CLOSED_PIPE = 141
"""128 + SIGPIPE: what `git log | head` reports, and what a shell's pipefail sees."""


def exit_on_closed_pipe() -> NoReturn:
    """Stop now, quietly: what is left in the output buffers goes nowhere."""
    # Python flushes stdout and stderr at exit: pointed at /dev/null, that flush cannot
    # fail again and print "Exception ignored ... BrokenPipeError".
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError, AttributeError):  # a stream without a file (tests)
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    raise SystemExit(EXIT_CLOSED_PIPE)


def flush_or_exit_quietly() -> None:
    """Flush stdout; if its reader has gone, stop quietly (see exit_on_closed_pipe)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        exit_on_closed_pipe()
