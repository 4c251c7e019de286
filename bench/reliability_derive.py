"""Derivation under kill -9: the library stays consistent and the next run resumes.

    python bench/reliability_derive.py --corpus /tmp/bench/c10k --trials 10

The corpus is imported once without derivation (store.ingest.import_paths); a copy is
derived without interruption (the reference). Then, on one library, each trial starts
`recoupe derive --quiet`, kills its main process with SIGKILL at a random moment (the
workers are left to die with it: PR_SET_PDEATHSIG), and checks:

* no derivation worker of that run is left alive a moment later;
* PRAGMA integrity_check;
* every article marked done (``derived_articles``) has its packed figures (``derived``)
  and exactly the reference's search rows (``figure_values``); an article not marked
  done has no search rows;
* articles done never go down from one trial to the next (at most the write in
  progress is lost);
* `recoupe status` does not report a derivation running (the lock died with it).

Finally a run without interruption completes and the whole library equals the
reference. Prints each trial; exits 1 when any check failed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent


def import_only(folder: Path, path: Path) -> None:
    """The articles and full-text index, nothing derived (what `import --no-wait` writes)."""
    from store.db import connect
    from store.ingest import import_paths

    with connect(path) as library:
        import_paths(library, [folder])


def derive_fully(path: Path) -> float:
    """run_pending to the end in this process; its seconds."""
    from store.db import connect
    from store.derive import run_pending

    start = time.perf_counter()
    with connect(path) as library:
        run_pending(library)
    return time.perf_counter() - start


def figure_values(conn: sqlite3.Connection) -> dict[int, list[tuple]]:
    """Each article's search rows, in order."""
    found: dict[int, list[tuple]] = {}
    for row in conn.execute(
        "SELECT article_id, n, kind, value, value_max, currency FROM figure_values "
        "ORDER BY article_id, n"
    ):
        found.setdefault(row[0], []).append(row[1:])
    return found


def processes_with(marker: str) -> list[int]:
    """Pids whose command line holds `marker` (Linux /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if marker in command:
            pids.append(int(entry.name))
    return pids


def check(path: Path, reference: dict[int, list[tuple]]) -> tuple[int, list[str]]:
    """(articles done, problems) of the library after a kill."""
    problems = []
    conn = sqlite3.connect(path)
    verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        problems.append(f"integrity_check: {verdict}")
    done = {row[0] for row in conn.execute("SELECT article_id FROM derived_articles")}
    unpacked = conn.execute(
        "SELECT count(*) FROM derived_articles m JOIN articles a ON a.id = m.article_id "
        "WHERE NOT EXISTS (SELECT 1 FROM derived d WHERE d.content_hash = a.content_hash "
        "AND d.kind = m.kind)"
    ).fetchone()[0]
    if unpacked:
        problems.append(f"{unpacked} articles marked done without packed figures")
    values = figure_values(conn)
    conn.close()
    wrong = [a for a in done if values.get(a, []) != reference.get(a, [])]
    if wrong:
        problems.append(f"{len(wrong)} done articles whose search rows differ, e.g. {wrong[:3]}")
    orphans = [a for a in values if a not in done]
    if orphans:
        problems.append(f"{len(orphans)} articles with search rows but not marked done")
    return len(done), problems


def status_running(path: Path) -> bool:
    """Whether `recoupe status --json` says a derivation is running."""
    result = subprocess.run(
        [str(BIN / "recoupe"), "--db", str(path), "status", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return '"running": true' in result.stdout


def main() -> None:
    """Run the trials and print what held."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/bench/c10k"))
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench/reliability-derive"))
    args = parser.parse_args()
    folder = args.corpus / "txt"
    if not folder.is_dir():
        sys.exit(f"no corpus at {folder} (python ../shared/bench/make_corpus.py --n 10000 ...)")
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    template, reference_path, path = (args.work / n for n in ("t.db", "ref.db", "lib.db"))
    import_only(folder, template)
    shutil.copy(template, reference_path)
    full = derive_fully(reference_path)
    conn = sqlite3.connect(reference_path)
    reference = figure_values(conn)
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    print(f"{total} articles; an uninterrupted derivation took {full:.1f} s (in process)")
    shutil.copy(template, path)
    rng = random.Random(args.seed)
    failures, last_done = 0, 0
    for trial in range(1, args.trials + 1):
        process = subprocess.Popen(
            [str(BIN / "recoupe"), "--db", str(path), "derive", "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # From before the first write to past the end (a whole `recoupe derive` process
        # also starts Python and its workers): kills land anywhere, some runs finish.
        delay = rng.uniform(0.3, full + 2.0)
        time.sleep(delay)
        finished = process.poll() is not None
        if not finished:
            process.send_signal(signal.SIGKILL)  # the main process only: workers must follow
        process.wait()
        time.sleep(0.5)
        left = [pid for pid in processes_with(str(path)) if pid != process.pid]
        done, problems = check(path, reference)
        if left:
            problems.append(f"workers still alive after the kill: {left}")
        if done < last_done:
            problems.append(f"articles done went down: {last_done} -> {done}")
        if status_running(path):
            problems.append("status says a derivation is running after the kill")
        last_done = done
        failures += bool(problems)
        state = "finished before the kill" if finished else f"killed after {delay:.2f} s"
        print(
            f"trial {trial:2d}: {state}; {done} of {total} done; "
            + ("; ".join(problems) if problems else "consistent")
        )
        if done >= total:
            shutil.copy(template, path)  # start over, so that the next kills land mid-run
            last_done = 0
            print("  (complete: starting again from the un-derived library)")
    derive_fully(path)
    done, problems = check(path, reference)
    conn = sqlite3.connect(path)
    same = figure_values(conn) == reference
    conn.close()
    if done != total or not same:
        problems.append(f"after a last run: {done} of {total} done, same as reference: {same}")
    print(f"resumed to the end: {done} of {total} done, " + ("; ".join(problems) or "all held"))
    failures += bool(problems)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
