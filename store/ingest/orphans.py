"""Import workers end with the process that started them, however it ends.

A `kill -9` of an import leaves its pool's workers behind: nothing tells them, and
each would parse on, then wait forever for work. Two ways out, both set up when a
worker starts:

* on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker as soon
  as its parent dies;
* elsewhere (or if prctl fails), a daemon thread that checks every PARENT_POLL_SECONDS
  whether the parent is still there, and ends the worker when it is not.

Between the fork and the prctl call the parent may already have died: the worker then
sees another parent process id at once and ends.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
PR_GET_PDEATHSIG = 2
PARENT_POLL_SECONDS = 0.5
"""How often a worker without prctl checks that its parent still runs."""


def die_with_parent(parent_pid: int) -> None:
    """Make this process end when the process `parent_pid` (its parent) dies."""
    if not _kill_me_when_parent_dies():
        _watch_parent(parent_pid)
    if os.getppid() != parent_pid:  # the parent died before we could ask
        os._exit(1)


def _kill_me_when_parent_dies() -> bool:
    """Ask Linux for SIGKILL when the parent dies; False where that cannot be done."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def parent_death_signal() -> int:
    """The signal this process gets when its parent dies (0: none; Linux only)."""
    if not sys.platform.startswith("linux"):
        return 0
    value = ctypes.c_int(0)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_GET_PDEATHSIG, ctypes.byref(value), 0, 0, 0)
    return value.value


def _watch_parent(parent_pid: int) -> None:
    """Start a daemon thread that ends this process once `parent_pid` is no longer its parent."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="recoupe-parent-watch", daemon=True).start()
