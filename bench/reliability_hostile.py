"""Hostile files at scale: a fuzzed folder of ~500 files, imported by `recoupe import`.

    python bench/reliability_hostile.py            # ~500 files, a 50 MB text, 1M-char lines
    python bench/reliability_hostile.py --copies 5 # a smaller folder

The folder holds every kind of tests/reliability/hostile_files.py (truncated UTF-8,
UTF-16 without BOM, Latin-1, binary, NUL bytes, blank files, deeply nested HTML,
JSONL with wrong types, symlink loops, a link to /proc/self/mem (unreadable even
for root), FIFOs, a link to /dev/zero, names with newlines and escapes, markup)
many times over, plus a real 50 MB text (over the 20 MB limit), a 15 MB text
(under it), 1-million-character single lines and HTML nested 200 000 deep.

Checks: the import finishes (exit 0), prints one line per bad file and nothing
else, imports every good file, and its peak memory (the largest process of the
import, pool workers included) stays bounded; the figure is printed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from tests.reliability.hostile_files import (  # noqa: E402
    MAKERS,
    Expectation,
    deeply_nested_html,
    make_hostile_folder,
    single_line,
)
from tui.rendering import visible  # noqa: E402

MEMORY_LIMIT_MB = 1024
"""Peak resident memory the import may use on this folder (its largest process)."""


def big_text(folder: Path, stem: str, rng: random.Random, megabytes: int) -> Expectation:
    """A real text file of `megabytes` MB, with paragraphs (not sparse)."""
    name = f"{stem}-{megabytes}mb.txt"
    paragraph = (
        "Le conseil municipal a voté un budget de 2,5 millions d’euros pour la rénovation "
        "de 17 écoles, a indiqué la mairie, qui prévoit 340 emplois.\n\n"
    ).encode()
    with open(folder / name, "wb") as handle:
        handle.write(f"Très long texte {stem}\n\n".encode())
        for _ in range(megabytes * 1024 * 1024 // len(paragraph) + 1):
            handle.write(paragraph)
    limit_mb = 20
    return Expectation(name, 0 if megabytes > limit_mb else 1, 1 if megabytes > limit_mb else 0)


def build_folder(folder: Path, copies: int, seed: int) -> list[Expectation]:
    expected = make_hostile_folder(folder, copies=copies, seed=seed)
    rng = random.Random(seed)
    extra = [
        partial(big_text, megabytes=50),
        partial(big_text, megabytes=15),
        partial(single_line, chars=1_000_000),
        partial(single_line, chars=1_000_000),
        partial(single_line, chars=1_000_000),
        partial(deeply_nested_html, depth=200_000),
        partial(deeply_nested_html, depth=200_000),
    ]
    for number, maker in enumerate(extra):
        expected.append(maker(folder, f"big{number}", rng))
    return expected


def expected_line(expectation: Expectation, folder: Path) -> str:
    """How the report names a file: its path, control characters shown."""
    return visible(str(folder / expectation.name).replace("\n", "\u2424"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=23, help="copies of each hostile kind")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="recoupe-hostile-") as tmp:
        folder = Path(tmp) / "fuzzed"
        started = time.perf_counter()
        expected = build_folder(folder, args.copies, args.seed)
        entries = len(os.listdir(folder))
        print(
            f"built {entries} hostile files ({len(MAKERS)} kinds x {args.copies} + 7 large ones) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        db_path = Path(tmp) / "library.db"
        started = time.perf_counter()
        result = subprocess.run(
            [str(BIN / "recoupe"), "--db", str(db_path), "import", str(folder)],
            capture_output=True,
            text=True,
            timeout=1800,
        )
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        conn = sqlite3.connect(db_path)
        sources = [row[0] for row in conn.execute("SELECT source_path FROM articles")]
        articles = len(sources)
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.close()
        lines = result.stderr.splitlines()
        skipped_lines = [line for line in lines if line.startswith("skipped ")]
        problems: list[str] = []
        if result.returncode != 0:
            problems.append(f"exit code {result.returncode}: {result.stderr[-500:]}")
        if len(lines) != len(skipped_lines):
            problems.append(f"{len(lines) - len(skipped_lines)} stderr lines are not reports")
        if any("\x1b" in line or "\x07" in line for line in lines):
            problems.append("an escape sequence reached the terminal")
        by_source: dict[str, int] = {}
        for source in sources:
            name = os.path.basename(source)
            by_source[name] = by_source.get(name, 0) + 1
        for expectation in expected:
            got = by_source.get(expectation.name, 0)
            if got != expectation.imported:
                problems.append(f"{expectation.name!r}: {got} imported, {expectation.imported} due")
            named = expected_line(expectation, folder)
            # A JSONL file's bad lines are reported as path:line; a symlink loop is two files.
            prefix = f"skipped {named}:" if named.endswith(".jsonl") else f"skipped {named}: "
            reports = sum(1 for line in skipped_lines if line.startswith(prefix))
            due = 1 if expectation.name.endswith("-loop-a.txt") else expectation.skipped
            if reports != due:
                problems.append(f"{expectation.name!r}: {reports} report lines, {due} due")
        due_articles = sum(e.imported for e in expected)
        due_skips = sum(e.skipped for e in expected)
        if articles != due_articles:
            problems.append(f"{articles} articles imported, {due_articles} due")
        if len(skipped_lines) != due_skips:
            problems.append(f"{len(skipped_lines)} skipped lines, {due_skips} due")
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        if peak_mb > MEMORY_LIMIT_MB:
            problems.append(f"peak memory {peak_mb:.0f} MB over {MEMORY_LIMIT_MB} MB")
        reasons: dict[str, int] = {}
        for line in skipped_lines:
            reason = line.rsplit(": ", 1)[-1]
            reason = reason.split(" (")[0] if "too large" in reason else reason
            reasons[reason] = reasons.get(reason, 0) + 1

    print(f"recoupe import: exit {result.returncode} in {elapsed:.1f} s; {result.stdout.strip()}")
    print(f"articles stored: {articles} (due {due_articles}); integrity {integrity}")
    print(f"one-line reports: {len(skipped_lines)} (due {due_skips}); reasons:")
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        print(f"  {count:4d}  {reason}")
    print(
        f"peak memory of the import (largest process): {peak_mb:.0f} MB (bound {MEMORY_LIMIT_MB})"
    )
    if problems:
        print("FAILED:")
        for problem in problems[:40]:
            print(f"  {problem}")
        return 1
    print("held: the import finished, every good file imported, every bad one reported in one line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
