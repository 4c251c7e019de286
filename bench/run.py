"""recoupe benchmarks: each figure beside a baseline measured in the same run, and the ratio.

    python bench/run.py                       # every benchmark on /tmp/bench/c100k
    python bench/run.py import search cli --corpus /tmp/bench/c100k
    python bench/run.py search --n 10000      # a smaller corpus (generated if missing)

Benchmarks:

* import: `recoupe --db X import DIR/txt`, whole process, against `sqlite-utils insert`
  of the same articles (JSONL) then `sqlite-utils enable-fts`; target ratio <= 1.0.
* search: the queries of queries.tsv, in process, through store.search.search, against a
  plain `ORDER BY rank LIMIT 20` query with snippet() on the same FTS table; targets
  p50 <= 10 ms and p95 <= 40 ms.
* cli: `recoupe --db X search WORD`, whole process, against `rg -l WORD DIR/txt`;
  target ratio <= 0.3.

The corpus comes from ../shared/bench/make_corpus.py (needs `apt-get install wfrench`
for comparable figures); it is generated when missing.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import math
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_BENCH = ROOT.parent / "shared" / "bench"
QUERIES = SHARED_BENCH / "queries.tsv"
BIN = Path(sys.executable).parent
CLI_WORDS = ("maillotins", "inflation", "interpol", "cocaïne")
FTS_SYNTAX = ('"', "*", ":", " OR ", " AND ", " NOT ", "NEAR(")

sys.path.insert(0, str(ROOT))


def tool(name: str) -> str:
    """A command next to this interpreter (the venv), else on PATH."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        sys.exit(f"bench: {name} not found (pip install -e '.[test]', apt-get install ripgrep)")
    return found


def ensure_corpus(corpus: Path, n: int) -> None:
    """Generate the reference corpus (txt files and JSONL) when it is not there yet."""
    if (corpus / "articles.jsonl").exists() and (corpus / "txt").is_dir():
        return
    if not Path("/usr/share/dict/french").exists():
        print(
            "warning: /usr/share/dict/french missing (apt-get install wfrench): figures not "
            "comparable",
            file=sys.stderr,
        )
    print(f"generating {n} articles into {corpus} ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            str(SHARED_BENCH / "make_corpus.py"),
            "--n",
            str(n),
            "--out",
            str(corpus),
            "--jsonl",
        ],
        check=True,
    )


def children_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], **kwargs: object) -> float:
    """Wall time of a whole process, output discarded (piped), in seconds."""
    start = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, **kwargs
    )  # type: ignore[call-overload]
    return time.perf_counter() - start


def fresh(path: Path) -> Path:
    """Remove a database file and its WAL companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def warm_page_cache(*paths: Path) -> float:
    """Read files (folders: every file under them) once, so that runs start from a warm cache.

    The reference figures are for a warm cache, and this VM reclaims file pages it has
    not used for a while (kdamond): the first import after other work read the 100 000
    files from disk and took 15 to 40 % longer than the second. Returns the seconds taken.
    """
    start = time.perf_counter()
    for path in paths:
        files = path.rglob("*") if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                with file.open("rb") as handle:
                    while handle.read(1 << 20):
                        pass
    return time.perf_counter() - start


def settle(limit: float = 20.0) -> None:
    """Let the machine quiet down: the previous run's writes on disk, no other thread runnable.

    An import leaves up to 1 GB of dirty pages that the kernel writes back for seconds
    afterwards, on the CPU the next run needs (searches right after the import ran with
    3 threads runnable and took 1.5 times as long).
    """
    os.sync()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        runnable = runnable_now()
        if runnable is None or runnable <= 1:  # unknown, or this process alone
            return
        time.sleep(0.2)


def runnable_now() -> int | None:
    """Threads runnable at this instant, this one included (Linux), else None."""
    try:
        fields = Path("/proc/loadavg").read_text(encoding="ascii").split()
    except OSError:
        return None
    return int(fields[3].split("/")[0])


def line(label: str, ours: float, base: float, unit: str, target: str = "") -> None:
    """One result line: our figure, the baseline, the ratio."""
    ratio = ours / base if base else float("nan")
    print(
        f"  {label:<44} {ours:9.3f} {unit}   baseline {base:9.3f} {unit}   "
        f"ratio {ratio:5.2f}  {target}",
        flush=True,
    )


# --------------------------------------------------------------------------- import


def sqlite_utils_load(corpus: Path, path: Path) -> float:
    """The baseline: `sqlite-utils insert` of the JSONL, then `sqlite-utils enable-fts`."""
    fresh(path)
    insert = [tool("sqlite-utils"), "insert", str(path), "articles"]
    seconds = timed([*insert, str(corpus / "articles.jsonl"), "--nl"])
    fts = [tool("sqlite-utils"), "enable-fts", str(path), "articles", "title", "body"]
    return seconds + timed([*fts, "--tokenize", "unicode61 remove_diacritics 2"])


CPU_REPORT = (
    "import atexit, resource\n"
    "def _cpu_report():\n"
    "    own = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    workers = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "    print(f'cpu-split {own.ru_utime + own.ru_stime:.2f} '\n"
    "          f'{workers.ru_utime + workers.ru_stime:.2f}', file=sys.stderr)\n"
    "atexit.register(_cpu_report)\n"
)
"""Prints the CPU seconds of the writer (the main process) and of its parsing workers."""

HOOKS_OFF = (
    "import sys, store.ingest.importer as ingest\n"
    "ingest.after_article_written = lambda *args, **kwargs: None\n"
    "ingest.after_articles_written = lambda *args, **kwargs: None\n"
    "ingest.derive_packed = lambda body: ()\n"
)
RUN_CLI = "from tui.cli import cli\ncli(sys.argv[1:], prog_name='recoupe')\n"
STORE_ONLY = HOOKS_OFF + CPU_REPORT + RUN_CLI
"""recoupe with the derived-data hooks (key figures, annotation anchors) switched off."""


@dataclass(frozen=True)
class ImportRun:
    """One whole-process `recoupe import`: wall time, summary line, CPU of writer and workers."""

    seconds: float
    summary: str
    writer_cpu: float | None = None
    workers_cpu: float | None = None


def recoupe_import(corpus: Path, path: Path, *, store_only: bool = False) -> ImportRun:
    """A whole-process `recoupe import` of the .txt files (store-only: CPU split reported)."""
    command = [sys.executable, "-c", STORE_ONLY] if store_only else [tool("recoupe")]
    start = time.perf_counter()
    result = subprocess.run(
        [*command, "--db", str(path), "import", str(corpus / "txt")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - start
    lines = result.stdout.strip().splitlines() or [result.stderr.strip()[-200:]]
    split = [line.split() for line in result.stderr.splitlines() if line.startswith("cpu-split ")]
    if split:
        return ImportRun(seconds, lines[-1], float(split[-1][1]), float(split[-1][2]))
    return ImportRun(seconds, lines[-1])


def bench_import(corpus: Path, work: Path, with_figures: bool) -> None:
    """Whole-process import of the .txt corpus against sqlite-utils insert + enable-fts.

    The corpus is read once first (warm cache, as the reference figures), and each run
    starts once the previous run's writes are on disk (settle). The baseline and
    recoupe's store-only import run in turn, twice each, and the faster run of each
    counts: a load spike then weighs on neither side alone.
    The machine has few cores: wall time is at least the writer's CPU time and at
    least all processes' CPU time over the cores, so both are printed.
    """
    print(f"import: {sum(1 for _ in (corpus / 'txt').iterdir())} files of {corpus / 'txt'}")
    base_db = work / "sqlite_utils.db"
    warmed = warm_page_cache(corpus / "txt", corpus / "articles.jsonl")
    print(f"  corpus files read once beforehand (page cache): {warmed:.1f} s")
    load_before = os.getloadavg()[0]
    base_runs: list[tuple[float, float]] = []  # (seconds, CPU seconds)
    our_runs: list[tuple[ImportRun, float]] = []
    for _ in range(2):
        settle()
        cpu = children_cpu()
        seconds = sqlite_utils_load(corpus, base_db)
        base_runs.append((seconds, children_cpu() - cpu))
        settle()
        cpu = children_cpu()
        run = recoupe_import(corpus, fresh(work / "store_only.db"), store_only=True)
        our_runs.append((run, children_cpu() - cpu))
    base, base_cpu = min(base_runs)
    ours, ours_cpu = min(our_runs, key=lambda pair: pair[0].seconds)
    print(
        f"  baseline runs {base_runs[0][0]:.1f} s and {base_runs[1][0]:.1f} s; recoupe store-only"
        f" runs {our_runs[0][0].seconds:.1f} s and {our_runs[1][0].seconds:.1f} s; {ours.summary}"
    )
    split = (
        f" = writer {ours.writer_cpu:.1f} + parsing workers {ours.workers_cpu:.1f}"
        if ours.writer_cpu is not None and ours.workers_cpu is not None
        else ""
    )
    print(
        f"  load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; "
        f"CPU seconds: recoupe {ours_cpu:.1f}{split} (all processes), "
        f"sqlite-utils {base_cpu:.1f}"
    )
    line("recoupe import, store (hooks off)", ours.seconds, base, "s", "target ratio <= 1.0")
    fresh(work / "store_only.db")
    if with_figures:
        # What users run: the same import plus the key figures and annotation anchors.
        settle()
        full = recoupe_import(corpus, fresh(work / "recoupe.db"))
        print(f"  recoupe with derived data: {full.summary}")
        line("recoupe import, with figures (whole process)", full.seconds, base, "s")
        settle()
        again = recoupe_import(corpus, work / "recoupe.db")
        print(f"  re-import: {again.summary}")
        line("re-import, nothing changed", again.seconds, base, "s")


# --------------------------------------------------------------------------- search


def read_queries() -> list[tuple[str, str]]:
    """(label, query) pairs of the shared query set."""
    with QUERIES.open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["label"], row["query"]) for row in rows]


def medians_ms(runs: list[Callable[[], object]], repeat: int) -> list[float]:
    """Median wall time of each function in milliseconds, after one warm-up call each.

    The functions run in turn, round after round, so that a change of load on the
    machine weighs on each of them alike.
    """
    for run in runs:
        run()
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for index, run in enumerate(runs):
            start = time.perf_counter()
            run()
            times[index].append((time.perf_counter() - start) * 1000)
    return [statistics.median(values) for values in times]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with `fraction` of the values at or below it.

    Of 20 queries, p95 is the 19th fastest (rank ceil(0.95 * 20) = 19), not the slowest:
    the shared reference figures give p95 and the worst query apart.
    """
    ordered = sorted(values)
    rank = math.ceil(round(fraction * len(ordered), 9))  # 0.95 * 20 is 19.000000000000004
    return ordered[max(0, min(len(ordered), rank) - 1)]


def ensure_database(corpus: Path, work: Path) -> Path:
    """The imported corpus database (imports it when the import benchmark did not run)."""
    path = work / "recoupe.db"
    if not path.exists():
        print(f"importing {corpus / 'txt'} for the search benchmarks ...", flush=True)
        subprocess.run(
            [tool("recoupe"), "--db", str(path), "import", str(corpus / "txt")],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


def load_now() -> str:
    """The machine's load: one-minute average and threads runnable at this instant."""
    runnable = runnable_now()
    average = f"load average {os.getloadavg()[0]:.2f}"
    return average if runnable is None else f"{average}, runnable now {runnable}"


def run_once(run: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, CPU ms of this process, every thread) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def summary(label: str, ours: list[float], base: list[float], unit: str, targets: bool) -> None:
    """p50 and p95 lines of one series against the plain query's."""
    line(
        f"{label} p50",
        statistics.median(ours),
        statistics.median(base),
        unit,
        "target <= 10 ms" if targets else "",
    )
    line(
        f"{label} p95",
        percentile(ours, 0.95),
        percentile(base, 0.95),
        unit,
        "target <= 40 ms" if targets else "",
    )
    line(f"{label} worst", max(ours), max(base), unit)


def bench_search(corpus: Path, work: Path, repeat: int) -> None:
    """In-process latency of store.search.search against a plain ORDER BY rank query.

    cold: each query's first search, with the kept rankings (``search_top``) cleared
    before each round; the median of `repeat` rounds. A query whose index tokens equal
    an earlier one's (``operation`` after ``opération``) is served from the list that
    query kept, as it would be for a user. warm: the same search again (kept lists
    read back), median of `repeat` runs. plain: the baseline query, median of `repeat`.
    """
    from store.db.sqlite import connect
    from store.search import search

    path = ensure_database(corpus, work)
    warm_page_cache(path)
    settle()
    db = connect(path)
    plain = sqlite3.connect(path)
    count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    queries = [
        (label, query, any(token in query for token in FTS_SYNTAX))
        for label, query in read_queries()
    ]
    plain_sql = (
        "SELECT rowid, snippet(articles_fts, 1, '[', ']', '…', 16) FROM articles_fts "
        "WHERE articles_fts MATCH ? ORDER BY rank LIMIT 20"
    )
    print(f"search: {count} articles, {len(queries)} queries, {load_now()}")
    print("  cold = first search of each query after the kept rankings were cleared, median of")
    print(f"  {repeat} rounds; warm = the same search again (kept ranking read back); plain = the")
    print("  baseline query. Medians in ms: wall, and CPU of the process (all threads).")

    def ours(query: str, advanced: bool) -> Callable[[], object]:
        return lambda: search(db, query, limit=20, advanced=advanced)

    def baseline(query: str) -> Callable[[], object]:
        return lambda: plain.execute(plain_sql, [query]).fetchall()

    cold: list[list[tuple[float, float]]] = [[] for _ in queries]
    first_search = (0.0, 0.0)
    for round_number in range(repeat):
        db.execute("DELETE FROM search_top")
        for index, (_, query, advanced) in enumerate(queries):
            cold[index].append(run_once(ours(query, advanced)))
            if round_number == 0 and index == 0:
                first_search = cold[index][0]
    warm: list[list[tuple[float, float]]] = [[] for _ in queries]
    base: list[list[tuple[float, float]]] = [[] for _ in queries]
    for _ in range(repeat):  # in turn, so that a change of load weighs on both alike
        for index, (_, query, advanced) in enumerate(queries):
            warm[index].append(run_once(ours(query, advanced)))
            base[index].append(run_once(baseline(query)))

    def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)

    header = f"  {'query':<24} {'mode':>4} {'cold':>7} {'cpu':>6} {'warm':>7} {'cpu':>6}"
    print(header + f" {'plain':>7} {'cpu':>6} {'hits':>5}")
    rows = []
    for index, (label, query, advanced) in enumerate(queries):
        row = (*medians(cold[index]), *medians(warm[index]), *medians(base[index]))
        rows.append(row)
        hits = len(search(db, query, limit=20, advanced=advanced))
        figures = " ".join(f"{value:{7 if n % 2 == 0 else 6}.1f}" for n, value in enumerate(row))
        mode = "adv" if advanced else "safe"
        print(f"  {query[:24]:<24} {mode:>4} {figures} {hits:5d}   {label}")
    columns = list(zip(*rows, strict=True))
    cold_wall, cold_cpu, warm_wall, warm_cpu, base_wall, base_cpu = (list(c) for c in columns)
    print(f"  {load_now()}")
    print(
        f"  first search of the process ({queries[0][1]}, cold): "
        f"{first_search[0]:.1f} ms wall, {first_search[1]:.1f} ms CPU"
    )
    summary("cold search (what a first search costs)", cold_wall, base_wall, "ms", True)
    summary("cold search, CPU", cold_cpu, base_cpu, "ms", False)
    summary("warm search (kept ranking)", warm_wall, base_wall, "ms", True)
    summary("warm search, CPU", warm_cpu, base_cpu, "ms", False)
    bench_filtered_search(db, repeat)
    bench_number_search(db, repeat)
    db.close()
    plain.close()


def bench_filtered_search(db: object, repeat: int) -> None:
    """A few searches with an outlet or a date range (never kept: each one ranks live)."""
    from store.search import search

    outlet = db.execute(  # type: ignore[attr-defined]
        "SELECT outlet FROM articles GROUP BY outlet ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    cases = [
        ("les", {"outlet": outlet.lower()}),
        ("inflation", {"since": "2024-06-01"}),
        ("trafic", {"outlet": outlet, "until": "2024-01-01"}),
        ("maillotins", {"since": "2016-06-01"}),
        ("police marseille", {"since": "2020-01-01", "until": "2022-12-31"}),
    ]
    print(f"  filtered searches (ranked live every time), median of {repeat}, ms wall / CPU:")
    for query, filters in cases:
        runs = [run_once(lambda q=query, f=filters: search(db, q, **f)) for _ in range(repeat)]
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"    {query:<18} {filters!s:<50} {wall:7.1f} {cpu:7.1f}")


NUMBER_QUERIES = ["2517", "2 500", "1 000 000", "3,5", "12,5 %", "2 500 euros"]
"""Numbers as people type them: a split one is searched under each way FTS5 splits it,
and the articles found are checked for the number itself (store.numbers)."""


def bench_number_search(db: object, repeat: int) -> None:
    """Searches of numbers, ranked live every time (the kept rankings are bypassed)."""
    from store.search import search

    print(f"  numbers (ranked live every time), median of {repeat}, ms wall / CPU, hits:")
    for query in NUMBER_QUERIES:
        # An offset past the kept depth: every run ranks and checks live.
        runs = [run_once(lambda q=query: search(db, q, limit=1, offset=250)) for _ in range(repeat)]
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        hits = len(search(db, query, limit=20))
        print(f"    {query:<18} {wall:7.1f} {cpu:7.1f} {hits:5d}")


# --------------------------------------------------------------------------- cli


def bench_cli(corpus: Path, work: Path, repeat: int) -> None:
    """Whole-process `recoupe search WORD` against `rg -l WORD` over the same files."""
    path = ensure_database(corpus, work)
    recoupe, rg = tool("recoupe"), tool("rg")
    print(f"cli: whole process, output piped, median of {repeat} runs")
    ratios = []
    for word in CLI_WORDS:
        ours, base = medians_ms(
            [
                lambda w=word: timed([recoupe, "--db", str(path), "search", w]),
                lambda w=word: timed([rg, "-l", w, str(corpus / "txt")]),
            ],
            repeat,
        )
        ratios.append(ours / base)
        line(f"recoupe search {word}", ours, base, "ms", "target ratio <= 0.3")
    print(f"  median ratio {statistics.median(ratios):.2f}")


BENCHMARKS = ("import", "search", "cli")


def compile_sources() -> None:
    """Byte-compile recoupe's packages, as an install does.

    With PYTHONDONTWRITEBYTECODE set (some shells and CI images set it) no process
    would keep its compiled modules, and each `recoupe search` compiled ten of them
    again: about 20 ms of a 90 ms run, which no installed copy pays.
    """
    for package in ("store", "tui"):
        compileall.compile_dir(ROOT / package, quiet=1)


def main() -> None:
    """Parse the arguments and run the chosen benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names",
        nargs="*",
        default=[],
        help=f"benchmarks to run, among {', '.join(BENCHMARKS)} (default: all)",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="corpus folder (default /tmp/bench/c100k, or c10k with --n 10000)",
    )
    parser.add_argument("--n", type=int, default=100_000, help="articles, when generating")
    parser.add_argument("--work", type=Path, default=None, help="where the databases go")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query or word")
    parser.add_argument(
        "--store-only",
        action="store_true",
        help="import: skip the (long) run with key figures and the re-import",
    )
    args = parser.parse_args()
    names = args.names or list(BENCHMARKS)
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        parser.error(
            f"unknown benchmark {', '.join(unknown)}: choose among {', '.join(BENCHMARKS)}"
        )
    corpus = args.corpus or Path(f"/tmp/bench/c{args.n // 1000}k")
    work = args.work or corpus.parent / f"{corpus.name}-work"
    work.mkdir(parents=True, exist_ok=True)
    ensure_corpus(corpus, args.n)
    compile_sources()
    print(f"corpus {corpus}, databases in {work}, {os.cpu_count()} cores")
    if "import" in names:
        bench_import(corpus, work, with_figures=not args.store_only)
    if "search" in names:
        bench_search(corpus, work, args.repeat)
    if "cli" in names:
        bench_cli(corpus, work, args.repeat)


if __name__ == "__main__":
    main()
