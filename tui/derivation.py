"""Derived data computed in the app's background, with its progress for the footer.

The app opens a connection of its own for it (the screens keep theirs free), runs
`store.derive.run_pending` in a worker thread (which starts one process per core when
there is much to do), and tells the footer how far it has got. An article the reader
opens meanwhile gets its figures at once (store.figures computes them on demand).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

SHOW_FROM = 50
"""Pending articles from which the footer shows progress (a few are done in a blink)."""
POLL_SECONDS = 1.0
"""How often progress is read while another process computes."""
NEWS_EVERY_SECONDS = 2.0
"""How often, at most, the screens hear that more articles have their derived data."""


def progress_text(done: int, total: int) -> str:
    """The footer's words for derivation under way, '' once it is done."""
    if total <= 0 or done >= total:
        return ""
    return f"figures {done * 100 // total}%"


def derive_pending(
    path: Path | str,
    report: Callable[[str], None],
    stop: threading.Event,
    on_news: Callable[[], None] | None = None,
) -> None:
    """Compute every pending article's derived data of the library at `path`.

    `report` hears the footer text (from this thread); `stop` ends the run between
    writes. Runs again while a write made more articles pending meanwhile. `on_news`
    is called when more articles have their derived data (at most every few seconds,
    and once at the end), so that counts on screen can be read again.
    """
    from store.db import connect
    from store.derive import derive_status, run_pending

    library = connect(path)
    status = derive_status(library)
    show = status.pending >= SHOW_FROM
    first_done = status.done
    told = [first_done, time.monotonic()]  # done when last told, and when

    def tell_news(done: int) -> None:
        if on_news is not None and done > told[0]:
            told[:] = [done, time.monotonic()]
            on_news()

    def on_progress(done: int, total: int) -> None:
        if show:
            report(progress_text(done, total))
        if time.monotonic() - told[1] >= NEWS_EVERY_SECONDS:
            tell_news(done)

    try:
        while not stop.is_set() and not status.complete:
            if status.running:  # another process (`recoupe import --no-wait`) is at it
                on_progress(status.done, status.total)
                stop.wait(POLL_SECONDS)
            else:
                run_pending(library, on_progress=on_progress, should_stop=stop.is_set)
            status = derive_status(library)
        tell_news(status.done)
    finally:
        if show:
            report("")
        library.close()
