"""What figure extraction adds to import time, measured in one run.

    python bench/figures_import.py                     # /tmp/bench/c100k if present, else c10k
    python bench/figures_import.py --corpus /tmp/bench/c10k --limit 5000 --repeat 2

Imports the same .txt files twice into fresh databases, as `recoupe import` does (its
worker processes included): once with figure extraction switched off (the baseline),
once as recoupe ships. Prints both
times, the extraction throughput on the same texts, and the ratio; the target is a
ratio <= 1.30. Runs alternate and the best of --repeat is kept, so a busy machine
hurts both sides alike. The CPU time of each side (this process and its import
workers) and its ratio are printed too, with the load average: on a shared machine
the wall times depend on what else runs, the CPU times much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 1.30


def pick_corpus(explicit: str | None) -> Path:
    """The corpus folder: the one asked for, else c100k when complete, else c10k."""
    if explicit:
        return Path(explicit)
    for name in ("c100k", "c10k"):
        candidate = Path("/tmp/bench") / name
        if (candidate / "manifest.json").exists() and (candidate / "txt").is_dir():
            return candidate
    sys.exit("bench: no corpus under /tmp/bench (see ../shared/bench/make_corpus.py)")


def files_of(corpus: Path, limit: int | None) -> list[Path]:
    """The corpus's .txt files, sorted, the first `limit` of them."""
    files = sorted((corpus / "txt").glob("*.txt"))
    return files[:limit] if limit else files


def cpu_seconds() -> tuple[float, float]:
    """CPU time used so far by this process (the writer) and by its finished children
    (the import workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def timed_import(
    files: list[Path], with_figures: bool, workers: int | None = None
) -> tuple[float, tuple[float, float], int]:
    """Wall seconds and CPU seconds (of the writer, of the workers) to import `files` into
    a fresh database, and the figures stored."""
    import store.ingest.importer as ingest
    from store.db.sqlite import connect

    # Import workers are forked, so they inherit the switch made here.
    original = ingest.extract_figures
    if not with_figures:
        ingest.extract_figures = lambda body, lang=None: []  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = connect(Path(tmp) / "bench.db")
            start, cpu_start = time.perf_counter(), cpu_seconds()
            report = ingest.import_paths(db, files, workers=workers)
            elapsed, cpu_end = time.perf_counter() - start, cpu_seconds()
            cpu = (cpu_end[0] - cpu_start[0], cpu_end[1] - cpu_start[1])
            figures = db.execute("SELECT count(*) FROM figures").fetchone()[0]
            assert report.imported == len(files), report.summary()
            db.close()
    finally:
        ingest.extract_figures = original
    return elapsed, cpu, int(figures)


def extraction_only(files: list[Path]) -> tuple[float, int, int]:
    """CPU seconds to extract the figure rows of every body (no database, as an import
    worker does), figures found, characters read."""
    from store.figures import extract_figure_rows
    from store.library import parse_txt

    bodies = [parse_txt(f.read_text(encoding="utf-8"), str(f)).body for f in files]
    start = time.process_time()
    count = sum(len(extract_figure_rows(body)) for body in bodies)
    return time.process_time() - start, count, sum(len(b) for b in bodies)


def main() -> None:
    """Run the benchmark and print figures and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="corpus folder with txt/ (default: /tmp/bench/c100k)")
    parser.add_argument("--limit", type=int, help="only the first N files")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side (best kept)")
    parser.add_argument(
        "--workers", type=int, help="import worker processes (default: as recoupe import does)"
    )
    args = parser.parse_args()
    corpus = pick_corpus(args.corpus)
    files = files_of(corpus, args.limit)
    workers = "default" if args.workers is None else args.workers
    print(f"corpus: {corpus} ({len(files)} articles), import workers: {workers}")
    baseline: list[tuple[float, tuple[float, float]]] = []
    shipped: list[tuple[float, tuple[float, float]]] = []
    stored = 0
    for _ in range(args.repeat):
        seconds, cpu, _ = timed_import(files, with_figures=False, workers=args.workers)
        baseline.append((seconds, cpu))
        seconds, cpu, stored = timed_import(files, with_figures=True, workers=args.workers)
        shipped.append((seconds, cpu))
    (base, base_cpu), (full, full_cpu) = min(baseline), min(shipped)
    extract_seconds, found, chars = extraction_only(files[: min(len(files), 5000)])
    sample = min(len(files), 5000)
    for label, seconds, (writer, workers_cpu) in (
        ("import without figures:", base, base_cpu),
        ("import with figures:   ", full, full_cpu),
    ):
        print(
            f"{label} {seconds:8.2f} s  ({seconds / len(files) * 1000:.3f} ms/article), "
            f"CPU {writer + workers_cpu:.2f} s (writer {writer:.2f}, workers {workers_cpu:.2f})"
        )
    print(f"figures stored:         {stored:8d}    ({stored / len(files):.1f} per article)")
    print(
        f"extraction alone:       {extract_seconds / sample * 1000:8.3f} ms/article, "
        f"{chars / extract_seconds / 1e6:.1f} M chars/s, {found / sample:.1f} figures/article"
    )
    ratio = full / base
    verdict = "meets" if ratio <= TARGET else "MISSES"
    print(f"ratio with/without figures: {ratio:.2f} ({verdict} the target <= {TARGET:.2f})")
    print(f"CPU ratio with/without figures: {sum(full_cpu) / sum(base_cpu):.2f}")
    extra = (sum(full_cpu) - sum(base_cpu)) / len(files) * 1e6
    print(f"CPU the figures add: {extra:.0f} us/article")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (other work slows both sides)")


if __name__ == "__main__":
    main()
