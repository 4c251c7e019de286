"""A newsroom at work on one library: one import, annotating clients and searching clients.

    python bench/team_load.py                                # SQLite, 2 minutes
    python bench/team_load.py --db /tmp/team.db --seconds 30
    python bench/team_load.py --db postgresql://localhost/recoupe_team   # once the engine exists

Each client is a process of its own with its own connection, as separate people (or
separate `recoupe` processes on one SQLite file) would be:

* one importer adds articles in batches of `--batch` files for the whole run;
* `--annotators` clients each annotate a random passage of a random article, then pause
  `--think` seconds, and remember every annotation the store acknowledged;
* `--searchers` clients each run the queries of the reference query set in turn
  (`../shared/bench/queries.tsv`), timing each.

Before the load, one searching client alone for `--quiet-seconds` gives the baseline of
the search latency, in the same run. Afterwards every acknowledged annotation is looked
for in the library. Printed: errors of every kind (target 0), annotations acknowledged
then missing (target 0), search p50/p95 under load against the quiet baseline, and
annotation latency.

The library starts from the first `--base` articles of the reference corpus
(`/tmp/bench/c10k/articles.jsonl`, made by ../shared/bench/make_corpus.py when missing);
the importer adds the next `--add`. A SQLite path is created afresh; a PostgreSQL database
is emptied first only with `--fresh`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
DEFAULT_CORPUS = Path("/tmp/bench/c10k")
QUERIES = SHARED / "bench" / "queries.tsv"


@dataclass
class ClientReport:
    """What one client did: operations, their seconds, errors, acknowledged annotations."""

    role: str
    operations: int = 0
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)  # annotation uids


def is_url(location: str) -> bool:
    """Whether `location` names a server rather than a file."""
    return "://" in location


def ensure_corpus(corpus: Path, articles: int) -> Path:
    """The reference corpus's JSONL file, generated when missing."""
    jsonl = corpus / "articles.jsonl"
    if not jsonl.exists():
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "bench" / "make_corpus.py"),
                "--n",
                str(articles),
                "--out",
                str(corpus),
            ],
            check=True,
        )
    return jsonl


def split_corpus(
    jsonl: Path, base: int, add: int, batch: int, work: Path
) -> tuple[Path, list[Path]]:
    """The base articles as one JSONL file, and the articles to add as batch files."""
    base_file = work / "base.jsonl"
    batches: list[Path] = []
    with jsonl.open(encoding="utf-8") as source, base_file.open("w", encoding="utf-8") as out:
        for _ in range(base):
            out.write(source.readline())
        lines: list[str] = []
        for _ in range(add):
            line = source.readline()
            if not line:
                break
            lines.append(line)
            if len(lines) == batch:
                batches.append(_write_batch(work, len(batches), lines))
                lines = []
        if lines:
            batches.append(_write_batch(work, len(batches), lines))
    return base_file, batches


def _write_batch(work: Path, index: int, lines: list[str]) -> Path:
    path = work / f"add-{index:04d}.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def read_queries() -> list[str]:
    """The reference query set (label, query per line, a header first)."""
    rows = QUERIES.read_text(encoding="utf-8").splitlines()[1:]
    return [row.split("\t", 1)[1] for row in rows if "\t" in row]


# --------------------------------------------------------------------------- clients


def _error(report: ClientReport, exc: BaseException) -> None:
    report.errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0][:200])


def run_importer(location: str, batches: list[str], deadline: float, out: mp.Queue) -> None:
    """Import the batch files one after the other until they are done or time is up."""
    from store.db import connect
    from store.ingest import import_paths

    report = ClientReport("import")
    library = connect(location)
    for batch in batches:
        if time.time() >= deadline:
            break
        start = time.perf_counter()
        try:
            result = import_paths(library, [batch], workers=1)
            report.operations += result.imported
        except Exception as exc:
            _error(report, exc)
        report.seconds.append(time.perf_counter() - start)
    library.close()
    out.put(report)


def run_annotator(location: str, seed: int, think: float, deadline: float, out: mp.Queue) -> None:
    """Annotate random passages of random articles until time is up."""
    from store.annotations import create_annotation
    from store.db import connect
    from store.library import get_article

    report = ClientReport("annotate")
    rng = random.Random(seed)
    library = connect(location)
    try:
        ids = [row[0] for row in library.execute("SELECT id FROM articles").fetchall()]
    except Exception as exc:
        _error(report, exc)
        ids = []
    while ids and time.time() < deadline:
        article_id = rng.choice(ids)
        start = time.perf_counter()
        try:
            body = get_article(library, article_id).body
            where = rng.randrange(0, max(len(body) - 40, 1))
            made = create_annotation(
                library,
                article_id,
                where,
                min(where + 30, len(body)),
                note=f"client {seed} note {report.operations}",
                tags=[f"client-{seed}"],
            )
            report.acknowledged.append(made.uid)
            report.operations += 1
        except Exception as exc:
            _error(report, exc)
        report.seconds.append(time.perf_counter() - start)
        time.sleep(think)
    library.close()
    out.put(report)


def run_searcher(location: str, seed: int, deadline: float, out: mp.Queue) -> None:
    """Run the reference queries in turn (from a random first one) until time is up."""
    from store.db import connect
    from store.search import search

    report = ClientReport("search")
    queries = read_queries()
    library = connect(location)
    index = seed % len(queries)
    while time.time() < deadline:
        start = time.perf_counter()
        try:
            search(library, queries[index], limit=20)
            report.operations += 1
        except Exception as exc:
            _error(report, exc)
        report.seconds.append(time.perf_counter() - start)
        index = (index + 1) % len(queries)
    library.close()
    out.put(report)


def _guarded(target: Callable[..., None], *args: Any) -> None:
    try:
        target(*args)
    except BaseException:  # a client that dies still reports, so the run never hangs
        report = ClientReport(target.__name__)
        report.errors.append(traceback.format_exc().splitlines()[-1])
        args[-1].put(report)


# --------------------------------------------------------------------------- the run


def prepare(location: str, base_file: Path, fresh: bool) -> int:
    """Create the library with the base articles; returns how many articles it holds."""
    from store.db import connect
    from store.ingest import import_paths

    if not is_url(location):
        for suffix in ("", "-wal", "-shm", ".derive-lock"):
            Path(f"{location}{suffix}").unlink(missing_ok=True)
    library = connect(location)
    if is_url(location) and fresh:
        library.execute("DELETE FROM annotations")
        library.execute("DELETE FROM articles")
    if library.execute("SELECT count(*) FROM articles").fetchone()[0] == 0:
        import_paths(library, [base_file])
    count = int(library.execute("SELECT count(*) FROM articles").fetchone()[0])
    library.close()
    return count


def run_clients(
    location: str, batches: list[Path], args: argparse.Namespace, seconds: float, load: bool
) -> list[ClientReport]:
    """Start the clients (all of them, or one searcher alone) and collect their reports."""
    context = mp.get_context("spawn")
    out: mp.Queue = context.Queue()
    deadline = time.time() + seconds
    plans: list[tuple] = []
    if load:
        plans.append((run_importer, location, [str(b) for b in batches], deadline, out))
        for n in range(args.annotators):
            plans.append((run_annotator, location, n, args.think, deadline, out))
        for n in range(args.searchers):
            plans.append((run_searcher, location, n, deadline, out))
    else:
        plans.append((run_searcher, location, 0, deadline, out))
    processes = [context.Process(target=_guarded, args=plan) for plan in plans]
    for process in processes:
        process.start()
    reports = [out.get(timeout=seconds + 600) for _ in processes]
    for process in processes:
        process.join()
    return reports


def missing_annotations(location: str, uids: list[str]) -> int:
    """How many acknowledged annotations the library does not hold."""
    from store.db import connect

    library = connect(location)
    found = 0
    for first in range(0, len(uids), 500):
        chunk = uids[first : first + 500]
        marks = ", ".join("?" for _ in chunk)
        found += library.execute(
            f"SELECT count(*) FROM annotations WHERE uid IN ({marks})", chunk
        ).fetchone()[0]
    library.close()
    return len(uids) - int(found)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (ms)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def print_summary(
    location: str, quiet: list[ClientReport], loaded: list[ClientReport], missing: int
) -> None:
    """The figures of the run, with the search latency's ratio to the quiet baseline."""
    engine = "PostgreSQL" if is_url(location) else "SQLite"
    print(f"\n{engine}: {location.split('@')[-1]}")
    quiet_times = [s for r in quiet for s in r.seconds]
    errors = [e for r in loaded + quiet for e in r.errors]
    for role in ("import", "annotate", "search"):
        reports = [r for r in loaded if r.role == role]
        if not reports:
            continue
        times = [s for r in reports for s in r.seconds]
        print(
            f"  {role:9} clients {len(reports)}  operations {sum(r.operations for r in reports):6d}"
            f"  p50 {percentile(times, 0.5):8.1f} ms  p95 {percentile(times, 0.95):8.1f} ms"
            f"  errors {sum(len(r.errors) for r in reports)}"
        )
    under_load = [s for r in loaded if r.role == "search" for s in r.seconds]
    q95, l95 = percentile(quiet_times, 0.95), percentile(under_load, 0.95)
    print(
        f"  search p95 alone {q95:.1f} ms, under load {l95:.1f} ms "
        f"(ratio {l95 / q95 if q95 else float('nan'):.2f}); p50 alone "
        f"{percentile(quiet_times, 0.5):.1f} ms, under load {percentile(under_load, 0.5):.1f} ms"
    )
    acknowledged = sum(len(r.acknowledged) for r in loaded)
    print(f"  annotations acknowledged {acknowledged}, then missing {missing} (target 0)")
    print(f"  errors {len(errors)} (target 0)")
    for message in sorted(set(errors))[:10]:
        print(f"    {errors.count(message)} x {message}")


def main() -> None:
    """Parse the options, prepare the library, run the quiet baseline then the load."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="library path or postgresql:// URL")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--base", type=int, default=5000, help="articles before the run")
    parser.add_argument("--add", type=int, default=5000, help="articles the importer adds")
    parser.add_argument("--batch", type=int, default=200, help="files per import")
    parser.add_argument("--annotators", type=int, default=5)
    parser.add_argument("--searchers", type=int, default=5)
    parser.add_argument("--think", type=float, default=0.2, help="pause between annotations")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--quiet-seconds", type=float, default=10.0)
    parser.add_argument("--fresh", action="store_true", help="empty a PostgreSQL library first")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="recoupe-team-"))
    location = args.db or str(work / "team.db")
    jsonl = ensure_corpus(args.corpus, max(10_000, args.base + args.add))
    base_file, batches = split_corpus(jsonl, args.base, args.add, args.batch, work)
    articles = prepare(location, base_file, args.fresh)
    print(
        f"{articles} articles; {args.annotators} annotating and {args.searchers} searching "
        f"clients and one import of up to {args.add} articles for {args.seconds:.0f} s; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    quiet = run_clients(location, [], args, args.quiet_seconds, load=False)
    loaded = run_clients(location, batches, args, args.seconds, load=True)
    uids = [uid for report in loaded for uid in report.acknowledged]
    print_summary(location, quiet, loaded, missing_annotations(location, uids))
    print(json.dumps({"load_average_after": os.getloadavg()[0]}))


if __name__ == "__main__":
    main()
