"""Start-up of the short, read-only commands against `recoupe --version`, in the same run.

Each measurement is a fresh process, as a person runs it: `recoupe --db LIBRARY ARGS`.
Two outputs are measured, since commands draw tables on a terminal and print plain
lines into a pipe:

* terminal: stdout is a pseudo-terminal (the tables and rich are loaded);
* piped: stdout is a pipe, read to its end.

For every command the median wall time and the median CPU time of the child (user +
system, from wait4: steadier than wall time on a shared machine) are printed with
their ratio to `recoupe --version` measured in the same rounds. Runs alternate
between the commands, round after round, so a slow phase of the machine hits all.

The library is the sample corpus (3 articles), imported into a fresh file: start-up
is about imports, not data (a 100k library only changes what the queries read).

    .venv/bin/python bench/cli_startup.py [--rounds 15]

Targets (issue 17): every read-only command (list, show, search, figures ID,
compare) within 1.6 x `--version`; `--help` within 1.2 x.
"""

from __future__ import annotations

import argparse
import compileall
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ_ONLY_TARGET = 1.6
HELP_TARGET = 1.2
RECOUPE = [sys.executable, "-c", "from tui.cli import main; main()"]


def commands(ids: list[int]) -> dict[str, list[str]]:
    """The commands measured, by label (the first is the baseline)."""
    first, *_ = ids
    return {
        "--version": ["--version"],
        "--help": ["--help"],
        "list": ["list"],
        f"show {first}": ["show", str(first)],
        "search interpol": ["search", "interpol"],
        f"figures {first}": ["figures", str(first)],
        "compare " + " ".join(map(str, ids)): ["compare", *map(str, ids)],
    }


def build_library(folder: Path) -> tuple[Path, list[int]]:
    """The sample corpus in a fresh library; its path and article ids."""
    from store.db import connect
    from store.derive import run_pending
    from store.ingest import import_paths

    path = folder / "sample.db"
    db = connect(path)
    import_paths(db, [ROOT / "sample_corpus"])
    run_pending(db, workers=1)  # figures computed, as once an import's derivation is done
    ids = [int(row[0]) for row in db.execute("SELECT id FROM articles ORDER BY id")]
    db.close()
    return path, ids


def _drain(fd: int) -> None:
    """Read a pseudo-terminal until its other end closes."""
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def run_once(args: list[str], db: Path, terminal: bool) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one whole `recoupe --db DB ARGS`."""
    env = {**os.environ, "COLUMNS": "120", "LINES": "40"}
    argv = [*RECOUPE, "--db", str(db), *args]
    if terminal:
        master, slave = pty.openpty()
        reader = threading.Thread(target=_drain, args=(master,), daemon=True)
        reader.start()
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=slave, stderr=subprocess.DEVNULL, env=env)
        os.close(slave)
    else:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        assert child.stdout is not None
        child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if terminal:
        os.close(master)
    if child.returncode not in (0, 1):
        raise SystemExit(f"recoupe {' '.join(args)} failed with status {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def measure(
    labelled: dict[str, list[str]], db: Path, rounds: int, terminal: bool
) -> dict[str, tuple[float, float]]:
    """Median (wall ms, CPU ms) per command, runs interleaved round after round."""
    walls: dict[str, list[float]] = {label: [] for label in labelled}
    cpus: dict[str, list[float]] = {label: [] for label in labelled}
    for args in labelled.values():  # one warm-up run each: disk cache, .pyc files
        run_once(args, db, terminal)
    for _ in range(rounds):
        for label, args in labelled.items():
            wall, cpu = run_once(args, db, terminal)
            walls[label].append(wall * 1000)
            cpus[label].append(cpu * 1000)
    return {
        label: (statistics.median(walls[label]), statistics.median(cpus[label]))
        for label in labelled
    }


def report(title: str, medians: dict[str, tuple[float, float]]) -> bool:
    """Print one table; whether every target is met (on wall time)."""
    base_wall, base_cpu = medians["--version"]
    print(f"\n{title}")
    print(f"  {'command':<22} {'wall ms':>8} {'ratio':>6} {'CPU ms':>8} {'ratio':>6}  target")
    met = True
    for label, (wall, cpu) in medians.items():
        if label == "--version":
            target, verdict = "baseline", ""
        else:
            limit = HELP_TARGET if label == "--help" else READ_ONLY_TARGET
            ok = wall / base_wall <= limit
            met &= ok
            target, verdict = f"<= {limit}", "met" if ok else "NOT met"
        print(
            f"  {label:<22} {wall:8.1f} {wall / base_wall:6.2f} {cpu:8.1f} "
            f"{cpu / base_cpu:6.2f}  {target} {verdict}"
        )
    return met


def main() -> None:
    """Build the sample library, then time every command in both outputs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timed runs of each command")
    args = parser.parse_args()
    for package in ("store", "tui"):  # as an install does (see bench/run.py)
        compileall.compile_dir(ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory(prefix="recoupe-startup-") as folder:
        db, ids = build_library(Path(folder))
        labelled = commands(ids)
        print(
            f"recoupe start-up, sample corpus ({len(ids)} articles), medians of {args.rounds} "
            f"runs, load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores"
        )
        on_terminal = report("terminal (tables):", measure(labelled, db, args.rounds, True))
        piped = report("piped (plain lines):", measure(labelled, db, args.rounds, False))
    print(f"\nall targets met: terminal {on_terminal}, piped {piped}")


if __name__ == "__main__":
    main()
