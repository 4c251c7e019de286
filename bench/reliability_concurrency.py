"""Concurrency: the app open on a library while `recoupe import` and `recoupe annotate` write.

    python bench/reliability_concurrency.py              # 1 000 articles added, 60 annotates
    python bench/reliability_concurrency.py --add 1000 --annotations 60

The app runs headless in this process (App.run_test) on a library of BASE
articles. Meanwhile one process runs `recoupe import` of ADD more articles and
another runs `recoupe annotate` ANNOTATIONS times, one process each, as a person
typing commands would. While they write, the app refreshes its list (F5), runs
searches and saves annotations itself through the store functions its screens use.
This runs twice: the app opened before the import, and the app and the annotates
joining an import under way (a large import loads in rollback-journal mode when
it is alone on the file). A last round runs two imports of ADD articles at once.

Checks: no "database is locked" (or any other error) reaches anyone: the exit
codes and stderr of every command, the app's notifications and its workers'
errors; after the import, a refresh lists BASE + ADD articles; every annotation
acknowledged by a command or by the app is in the database; the file is back in WAL.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DEFAULT_CORPUS = Path("/tmp/bench/c10k")
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"


@dataclass
class CommandLog:
    """What the annotate commands did."""

    runs: int = 0
    failures: list[str] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def run_annotates(db_path: Path, targets: list[tuple[int, str]], log: CommandLog) -> None:
    """`recoupe annotate` once per target, one process each, one after the other."""
    for number, (article_id, quote) in enumerate(targets):
        started = time.perf_counter()
        result = subprocess.run(
            [
                str(BIN / "recoupe"),
                "--db",
                str(db_path),
                "annotate",
                str(article_id),
                "--quote",
                quote,
                "--occurrence",
                "1",
                "--note",
                f"note concurrente {number}",
                "--tag",
                "concurrence",
                "--json",
            ],
            capture_output=True,
            text=True,
        )
        log.seconds.append(time.perf_counter() - started)
        log.runs += 1
        if result.returncode != 0 or "locked" in result.stderr:
            log.failures.append(f"exit {result.returncode}: {result.stderr.strip()}")
            continue
        import json

        log.acknowledged.append(int(json.loads(result.stdout.splitlines()[0])["id"]))


def pick_quotes(db_path: Path, count: int, seed: int) -> list[tuple[int, str]]:
    """(article id, first three words) of random articles already in the library."""
    from store.db.sqlite import connect

    db = connect(db_path)
    rows = db.execute("SELECT id, body FROM articles").fetchall()
    db.close()
    rng = random.Random(seed)
    return [(aid, " ".join(body.split()[:3])) for aid, body in rng.sample(rows, count)]


async def drive_app(db_path: Path, args, start_writers) -> dict:
    """Keep the app busy while the commands write; return what it saw."""
    from store.annotations.notes import create_annotation
    from tui.app import RecoupeApp
    from tui.messages import SearchRequested
    from tui.screens.library import LibraryScreen
    from tui.widgets.article_list import ArticleList

    app = RecoupeApp(db_path)
    seen: dict = {"refreshes": 0, "searches": 0, "app_saves": [], "errors": [], "totals": []}
    rng = random.Random(args.seed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        import_process, annotate_thread = start_writers()
        seen["writers"] = (import_process, annotate_thread)
        seen["import_running_when_app_ready"] = import_process.poll() is None
        words = ["interpol", "inflation", "victimes", "opération", "2 500", "préfecture"]
        while import_process.poll() is None or annotate_thread.is_alive():
            await pilot.press("f5")  # refresh the list
            seen["refreshes"] += 1
            screen.post_message(SearchRequested(rng.choice(words)))
            seen["searches"] += 1
            await settle(pilot)
            seen["totals"].append(screen.query_one(ArticleList).total)
            # A save from the app, as its annotate dialog does: off the UI thread, same lock.
            try:
                saved = await asyncio.to_thread(app_save, app, create_annotation, rng)
                seen["app_saves"].append(saved)
            except Exception as exc:
                seen["errors"].append(f"app save: {type(exc).__name__}: {exc}")
            await asyncio.sleep(0.2)
        await pilot.press("f5")
        await settle(pilot)
        seen["final_total"] = screen.query_one(ArticleList).total
        seen["notifications"] = [n.message for n in app._notifications]
        seen["worker_errors"] = [f"{w.name}: {w.error}" for w in app.workers if w.error is not None]
    return seen


def app_save(app, create_annotation, rng: random.Random) -> int:
    with app.database.use() as db:
        article_id, body = db.execute(
            "SELECT id, body FROM articles ORDER BY random() LIMIT 1"
        ).fetchone()
        end = min(len(body), 12)
        return create_annotation(db, article_id, 0, end, note="depuis l'app", tags=["app"]).id


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def run_round(order: str, args, files: list[Path]) -> list[str]:
    """One round: the app and the writers on a fresh library; returns the problems."""
    with tempfile.TemporaryDirectory(prefix="recoupe-concurrency-") as tmp:
        base_dir, add_dir = Path(tmp) / "base", Path(tmp) / "add"
        base_dir.mkdir()
        add_dir.mkdir()
        for path in files[: args.base]:
            shutil.copy(path, base_dir / path.name)
        for path in files[args.base : args.base + args.add]:
            shutil.copy(path, add_dir / path.name)
        db_path = Path(tmp) / "library.db"
        subprocess.run(
            [str(BIN / "recoupe"), "--db", str(db_path), "import", str(base_dir)],
            check=True,
            capture_output=True,
        )
        targets = pick_quotes(db_path, args.annotations, args.seed)
        log = CommandLog()

        def start_writers() -> tuple[subprocess.Popen, threading.Thread]:
            process = subprocess.Popen(
                [str(BIN / "recoupe"), "--db", str(db_path), "import", str(add_dir)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            thread = threading.Thread(target=run_annotates, args=(db_path, targets, log))
            if order == "import-first":
                time.sleep(0.7)  # the import has the file (and may have left WAL for the load)
            thread.start()
            return process, thread

        print(
            f"\n== {order}: library of {args.base} articles; while the app refreshes, searches "
            f"and saves, `recoupe import` adds {args.add} and `recoupe annotate` runs "
            f"{args.annotations} times"
        )
        started = time.perf_counter()
        if order == "import-first":
            writers = start_writers()
            seen = asyncio.run(drive_app(db_path, args, lambda: writers))
        else:
            seen = asyncio.run(drive_app(db_path, args, start_writers))
        import_process, annotate_thread = seen["writers"]
        import_out, import_err = import_process.communicate()
        annotate_thread.join()
        elapsed = time.perf_counter() - started

        from store.db.sqlite import connect

        db = connect(db_path)
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        stored = {row[0] for row in db.execute("SELECT id FROM annotations")}
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        db.close()

    problems: list[str] = []
    if import_process.returncode != 0 or "locked" in import_err:
        problems.append(f"import: exit {import_process.returncode}: {import_err.strip()[-300:]}")
    problems += [f"annotate: {failure}" for failure in log.failures]
    problems += seen["errors"]
    problems += [f"app notification: {m}" for m in seen["notifications"] if "locked" in m]
    problems += [f"app worker: {e}" for e in seen["worker_errors"]]
    if seen["final_total"] != args.base + args.add:
        problems.append(f"the refreshed list shows {seen['final_total']} articles")
    lost = [i for i in log.acknowledged + seen["app_saves"] if i not in stored]
    if lost:
        problems.append(f"{len(lost)} acknowledged annotations missing: {lost[:5]}")
    if integrity != "ok":
        problems.append(f"integrity_check: {integrity}")
    if mode != "wal":
        problems.append(f"the file was left in journal mode {mode!r}, not WAL")

    growth = sorted(set(seen["totals"]))
    print(f"ran for {elapsed:.1f} s")
    running = "still running" if seen["import_running_when_app_ready"] else "already done"
    print(f"import: exit {import_process.returncode}, {import_out.strip()}")
    print(f"when the app had its list on screen, the import was {running}")
    slowest = max(log.seconds) if log.seconds else 0.0
    print(
        f"recoupe annotate: {log.runs} runs, {len(log.failures)} failed, "
        f"{len(log.acknowledged)} acknowledged, slowest {slowest:.2f} s"
    )
    print(
        f"app: {seen['refreshes']} refreshes, {seen['searches']} searches, "
        f"{len(seen['app_saves'])} annotations saved; list sizes seen while importing: "
        f"{growth[0] if growth else '-'} .. {growth[-1] if growth else '-'}; "
        f"after the import: {seen['final_total']} (expected {args.base + args.add})"
    )
    print(
        f"database: {articles} articles, {len(stored)} annotations, integrity {integrity}, "
        f"journal {mode}; notifications in the app: {len(seen['notifications'])}"
    )
    for message in seen["notifications"]:
        print(f"  notification: {message}")
    return problems


def two_imports(args, files: list[Path]) -> list[str]:
    """Two `recoupe import`s of different folders at once, the second joining 0.5 s later."""
    print(f"\n== two imports at once: {args.add} articles each, into one library")
    with tempfile.TemporaryDirectory(prefix="recoupe-two-imports-") as tmp:
        folders = [Path(tmp) / "one", Path(tmp) / "two"]
        for number, folder in enumerate(folders):
            folder.mkdir()
            for path in files[number * args.add : (number + 1) * args.add]:
                shutil.copy(path, folder / path.name)
        db_path = Path(tmp) / "library.db"
        started = time.perf_counter()
        processes = []
        for folder in folders:
            processes.append(
                subprocess.Popen(
                    [str(BIN / "recoupe"), "--db", str(db_path), "import", str(folder)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            time.sleep(0.5)
        results = [process.communicate() for process in processes]
        elapsed = time.perf_counter() - started
        conn = sqlite3.connect(db_path)
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        conn.close()
    problems = []
    for number, (process, (out, err)) in enumerate(zip(processes, results, strict=True), 1):
        print(f"import {number}: exit {process.returncode}, {out.strip()} {err.strip()[-200:]}")
        if process.returncode != 0 or "locked" in err:
            problems.append(f"import {number}: exit {process.returncode}: {err.strip()[-300:]}")
    print(f"ran for {elapsed:.1f} s; {articles} articles (expected {2 * args.add}), journal {mode}")
    if articles != 2 * args.add:
        problems.append(f"{articles} articles after both imports")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--base", type=int, default=1000, help="articles before the import")
    parser.add_argument("--add", type=int, default=1000, help="articles the import adds")
    parser.add_argument("--annotations", type=int, default=60, help="recoupe annotate runs")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--order",
        choices=["app-first", "import-first", "both"],
        default="both",
        help="open the app before the import starts, or join an import under way",
    )
    args = parser.parse_args()
    if not (args.corpus / "txt").is_dir():
        subprocess.run(
            [sys.executable, str(MAKE_CORPUS), "--n", "10000", "--out", str(args.corpus)],
            check=True,
        )
    files = sorted((args.corpus / "txt").iterdir())
    orders = ["app-first", "import-first"] if args.order == "both" else [args.order]
    problems: list[str] = []
    for order in orders:
        problems += [f"{order}: {p}" for p in run_round(order, args, files)]
    if args.order == "both":
        problems += [f"two imports: {p}" for p in two_imports(args, files)]
    if problems:
        print("\nFAILED:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print('\nheld: no "database is locked" reached anyone, every acknowledged annotation is there')
    return 0


if __name__ == "__main__":
    sys.exit(main())
