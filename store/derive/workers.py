"""Derivation worker processes: compute derived data of texts in parallel, die with the parent."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress

from store.derive.derivers import BACKGROUND

_PR_SET_PDEATHSIG = 1
WORKER_NICENESS = 5
"""Workers run a little below the process that started them: the app stays responsive."""


def die_with_parent(parent: int) -> None:
    """Make this worker process end when `parent` dies, even by kill -9 (Linux).

    The kernel sends SIGKILL on the parent's death (PR_SET_PDEATHSIG); a parent that
    died before the request was made is caught by checking it is still our parent.
    """
    if sys.platform == "linux":
        with suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _start_worker(parent: int) -> None:
    die_with_parent(parent)
    if hasattr(os, "nice"):
        with suppress(OSError):
            os.nice(WORKER_NICENESS)


def compute_texts(bodies: list[str]) -> list[tuple[bytes, ...]]:
    """For each text, the packed data of every deriver, in BACKGROUND order."""
    return [tuple(deriver.compute(body) for deriver in BACKGROUND) for body in bodies]


def worker_pool(count: int) -> ProcessPoolExecutor:
    """A pool of `count` derivation workers (fork when this process has one thread)."""
    method = "fork" if threading.active_count() == 1 else "spawn"
    return ProcessPoolExecutor(
        count,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )
