"""Whole-process time to the first screen and peak memory of the app, against a bare Textual app.

Each measurement is a fresh process, run headless at 100x30:

* bare: a Textual app showing an empty screen; the time is taken when its first
  frame has been drawn;
* app: `recoupe --db LIBRARY` through its command line; the time is taken when the
  article list has drawn its first real rows (not placeholders). Then the list jumps
  to its last row and a search runs, and the peak memory is read again: nothing
  loads the whole library. The filters and the search results widget are built when
  first used, as in normal use.

Times are from the parent's `Popen` to the moment the child reports (wall clock,
same machine), so they include the interpreter start and every import. The CPU time
of the child up to that moment is printed too: on a machine shared with other work,
wall time swings with the load and CPU time much less. Runs of the bare app and the
app alternate; medians are printed with the ratio to the bare app.

    .venv/bin/python bench/tui_startup.py --db 10k=/tmp/c10k.db --db 100k=/tmp/c100k.db

Targets (issue 4): first screen <= 1.6 x the bare app; peak memory <= 60 MiB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (100, 30)
TIME_TARGET = 1.6
MEMORY_TARGET_MIB = 60.0
SEARCH_QUERY = "trafic"
CHILD_TIMEOUT_S = 120


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time used by this process so far, all threads (steadier than wall time on a busy box)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def report(payload: dict[str, float]) -> None:
    """Hand the measurements to the parent on stdout (the app's screen goes nowhere)."""
    sys.__stdout__.write(json.dumps(payload) + "\n")
    sys.__stdout__.flush()


def run_bare_child() -> None:
    """An empty Textual app that reports once its first frame is drawn, then exits."""
    from textual.app import App

    class Bare(App[None]):
        def on_mount(self) -> None:
            self.call_after_refresh(self.first_frame)

        def first_frame(self) -> None:
            report(
                {"first_screen": time.time(), "cpu_s": cpu_seconds(), "peak_mib": peak_rss_mib()}
            )
            self.exit()

    Bare().run(headless=True, size=SIZE)


def run_app_child(db_path: str) -> None:
    """`recoupe --db PATH`: report the first screen, then scroll to the end and search.

    The app starts through the real command line (click, then `tui.app.run_app`); only
    the app class is swapped for a subclass that reports and runs headless.
    """
    sys.path.insert(0, str(ROOT))
    import tui.app
    import tui.cli
    from tui.app import RecoupeApp
    from tui.messages import RowsShown, SearchRequested

    class Measured(RecoupeApp):
        results: dict[str, float] = {}  # noqa: RUF012 (one instance per process)

        def run(self, **kwargs: object) -> None:  # type: ignore[override]
            super().run(headless=True, size=SIZE)

        def on_rows_shown(self, message: RowsShown) -> None:
            # Posted once the frame holding the first rows has been drawn.
            if "first_screen" not in self.results:
                self.first_screen(message.count)

        def first_screen(self, count: int) -> None:
            self.results.update(
                first_screen=time.time(),
                cpu_s=cpu_seconds(),
                peak_mib=peak_rss_mib(),
                articles=float(count),
            )
            from tui.widgets.article_list import ArticleList

            self.article_list = self.screen.query_one(ArticleList)
            self.mark = time.perf_counter()
            self.article_list.action_last()
            self.set_interval(0.005, self.wait_for_last_row, name="last-row")

        def wait_for_last_row(self) -> None:
            if self.article_list.row(self.article_list.total - 1) is None:
                return
            for timer in list(self._timers):
                if timer.name == "last-row":
                    timer.stop()
            self.results["scroll_to_end_s"] = time.perf_counter() - self.mark
            self.mark = time.perf_counter()
            self.screen.post_message(SearchRequested(SEARCH_QUERY))
            self.set_interval(0.005, self.wait_for_search, name="search")

        def wait_for_search(self) -> None:
            from tui.widgets.search_results import SearchResults

            found = self.screen.query(SearchResults)
            if not found or found.first().query_text != SEARCH_QUERY:
                return
            results = found.first()
            self.results["search_s"] = time.perf_counter() - self.mark
            self.results["search_hits"] = float(len(results.hits))
            self.results["peak_after_mib"] = peak_rss_mib()
            report(self.results)
            self.exit()

    tui.app.RecoupeApp = Measured  # type: ignore[misc]
    sys.argv = ["recoupe", "--db", db_path]
    with contextlib.suppress(SystemExit):  # click exits once the app is done
        tui.cli.main()


def measure(args: list[str]) -> dict[str, float]:
    """Run one child process and return its report, with the time from spawn to first screen."""
    start = time.time()
    done = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"child {args} failed ({done.returncode}): {done.stderr[-2000:]}")
    result = json.loads(lines[-1])
    result["first_screen_s"] = result.pop("first_screen") - start
    return result


def median(rows: list[dict[str, float]], key: str) -> float:
    """The median of one measurement over the runs."""
    return statistics.median(row[key] for row in rows)


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", default=[], help="LABEL=PATH of a library")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=["bare", "app"], help=argparse.SUPPRESS)
    parser.add_argument("--child-db", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child == "bare":
        run_bare_child()
        return
    if options.child == "app":
        run_app_child(options.child_db)
        return
    libraries = [entry.split("=", 1) for entry in options.db]
    if not libraries:
        parser.error("give at least one --db LABEL=PATH")
    for label, path in libraries:
        if not Path(path).is_file():
            parser.error(f"{label}: no database at {path}")

    bare: list[dict[str, float]] = []
    apps: dict[str, list[dict[str, float]]] = {label: [] for label, _ in libraries}
    measure(["--child", "bare"])  # warm the file cache once, unmeasured
    for _label, path in libraries:
        measure(["--child", "app", "--child-db", path])
    for _ in range(options.runs):
        bare.append(measure(["--child", "bare"]))
        for label, path in libraries:
            apps[label].append(measure(["--child", "app", "--child-db", path]))

    bare_time = median(bare, "first_screen_s")
    bare_cpu = median(bare, "cpu_s")
    bare_mib = median(bare, "peak_mib")
    print(f"recoupe TUI startup, {options.runs} runs each, medians, headless {SIZE[0]}x{SIZE[1]}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{'what':<14}{'articles':>9}{'first screen':>14}{'ratio':>7}{'CPU':>8}{'ratio':>7}"
        f"{'peak MiB':>10}{'after scroll+search':>21}{'to end':>8}{'search':>8}"
    )
    print(
        f"{'bare Textual':<14}{'-':>9}{bare_time * 1000:>12.0f}ms{1:>7.2f}"
        f"{bare_cpu * 1000:>6.0f}ms{1:>7.2f}{bare_mib:>10.1f}"
    )
    verdicts = []
    for label, rows in apps.items():
        first = median(rows, "first_screen_s")
        ratio = first / bare_time
        cpu = median(rows, "cpu_s")
        peak = max(median(rows, "peak_mib"), median(rows, "peak_after_mib"))
        print(
            f"{'app ' + label:<14}{int(rows[0]['articles']):>9}{first * 1000:>12.0f}ms"
            f"{ratio:>7.2f}{cpu * 1000:>6.0f}ms{cpu / bare_cpu:>7.2f}"
            f"{median(rows, 'peak_mib'):>10.1f}{median(rows, 'peak_after_mib'):>21.1f}"
            f"{median(rows, 'scroll_to_end_s') * 1000:>6.0f}ms"
            f"{median(rows, 'search_s') * 1000:>6.0f}ms"
        )
        verdicts.append(
            f"{label}: first screen {ratio:.2f}x bare in wall time, {cpu / bare_cpu:.2f}x in CPU "
            f"(target <= {TIME_TARGET}) {'OK' if ratio <= TIME_TARGET else 'MISSED'}; "
            f"peak {peak:.1f} MiB (target <= {MEMORY_TARGET_MIB:.0f}) "
            f"{'OK' if peak <= MEMORY_TARGET_MIB else 'MISSED'}"
        )
    print()
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
