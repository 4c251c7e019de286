"""Crash safety: SIGKILL during imports and during annotation saves, then check what is left.

    python bench/reliability_crash.py                    # 20 import kills, 20 annotation kills
    python bench/reliability_crash.py --trials 5 --corpus /tmp/bench/c10k

Imports: each trial starts `recoupe import` of the 10k corpus into a fresh database
and kills its whole process group (the parsing workers too) at a random moment.
Then: PRAGMA integrity_check, the FTS5 index agrees with the articles table
(FTS5 'integrity-check'), the index trigger is in place, every article left is
one of an uninterrupted import's, same content, with its figures (none missing
where that import has some), and a re-run completes the import.

Annotation saves: a child process saves annotations one by one and prints each
id once `create_annotation` has returned (acknowledged); it is killed at a random
moment, and every acknowledged annotation must still be there, note and tags intact.

Prints what it tried and what held; exits 1 when any check failed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DEFAULT_CORPUS = Path("/tmp/bench/c10k")
MAKE_CORPUS = ROOT.parent / "shared" / "bench" / "make_corpus.py"


def ensure_corpus(corpus: Path) -> Path:
    """The corpus's txt folder, generated when missing."""
    if not (corpus / "txt").is_dir():
        print(f"generating the corpus in {corpus} ...", flush=True)
        subprocess.run(
            [sys.executable, str(MAKE_CORPUS), "--n", "10000", "--out", str(corpus), "--jsonl"],
            check=True,
        )
    return corpus / "txt"


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the process and every worker it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def start_import(db_path: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(BIN / "recoupe"), "--db", str(db_path), "import", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: the kill reaches the pool workers too
    )


def check_database(
    db_path: Path, reference: Path, *, in_the_middle: bool = True
) -> tuple[int, list[str], int]:
    """(articles, problems, figure counts differing) of a database just after a kill.

    `reference` is a database the same import filled without interruption: every
    article left must be one of its articles, same content, and must carry figures
    when the reference's copy does (figures are written in the article's transaction).
    Exact figure counts are compared too, but only reported: the extractor may have
    changed between the two imports while other work goes on in the tree.
    """
    problems: list[str] = []
    conn = sqlite3.connect(db_path)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "articles" not in tables:
            return 0, problems, 0  # killed before the schema was committed: an empty file
        try:
            conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"FTS index disagrees with the articles: {exc}")
        if "articles_ai" not in tables:
            problems.append("the FTS insert trigger is missing")
        indexes = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "idx_figures_kind_value" not in indexes and not in_the_middle:
            # A large import drops it while loading: a kill may leave it out, a re-run builds it.
            problems.append("the figures (kind, value) index is missing after a completed import")
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("figures or annotations pointing at missing articles")
        count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        conn.execute("ATTACH DATABASE ? AS ref", [str(reference)])
        strangers = conn.execute(
            "SELECT count(*) FROM articles a LEFT JOIN ref.articles r "
            "ON r.source_key = a.source_key AND r.content_hash = a.content_hash "
            "WHERE r.id IS NULL"
        ).fetchone()[0]
        if strangers:
            problems.append(f"{strangers} articles differ from the uninterrupted import")
        per_article = (
            "SELECT a.id, (SELECT count(*) FROM figures f WHERE f.article_id = a.id), "
            "(SELECT count(*) FROM ref.figures g WHERE g.article_id = r.id) "
            "FROM articles a JOIN ref.articles r ON r.source_key = a.source_key"
        )
        rows = conn.execute(per_article).fetchall()
        missing = [aid for aid, stored, due in rows if stored == 0 and due > 0]
        if missing:
            problems.append(f"{len(missing)} articles without their figures, e.g. {missing[:3]}")
        differing = sum(1 for _, stored, due in rows if stored != due)
        if count:
            word = (
                conn.execute("SELECT title FROM articles ORDER BY random() LIMIT 1")
                .fetchone()[0]
                .split()[0]
            )
            hits = conn.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                ['"' + word.replace('"', '""') + '"'],
            ).fetchone()[0]
            if not hits:
                problems.append(f"the index does not find {word!r}, a word of a title")
    finally:
        conn.close()
    return count, problems, differing


def import_trials(
    folder: Path, trials: int, seed: int, full_seconds: float, reference: Path
) -> bool:
    rng = random.Random(seed)
    total_files = sum(1 for _ in folder.iterdir())
    print(f"\n== SIGKILL during `recoupe import` of {total_files} files, {trials} times")
    print("trial  kill at  articles left  checks            re-run")
    ok = True
    trial = missed = 0
    while trial < trials and missed < trials:
        with tempfile.TemporaryDirectory(prefix="recoupe-crash-") as tmp:
            db_path = Path(tmp) / "library.db"
            delay = rng.uniform(0.2, full_seconds * 0.8)
            process = start_import(db_path, folder)
            time.sleep(delay)
            finished = process.poll() is not None
            kill_group(process)
            if finished:  # the import was over before the kill: draw again
                missed += 1
                print(f"    -  {delay:6.2f}s  (the import had finished: not counted)", flush=True)
                continue
            trial += 1
            count, problems, _ = (
                check_database(db_path, reference) if db_path.exists() else (0, [], 0)
            )
            rerun = subprocess.run(
                [str(BIN / "recoupe"), "--db", str(db_path), "import", str(folder)],
                capture_output=True,
                text=True,
            )
            final, final_problems, differing = check_database(
                db_path, reference, in_the_middle=False
            )
            complete = rerun.returncode == 0 and final == total_files and not final_problems
            ok = ok and not problems and complete
            status = "ok" if not problems else "; ".join(problems)
            note = ""
            if differing:
                note += f" [{differing} figure counts differ from the reference]"
            summary = rerun.stdout.strip().splitlines()[-1] if rerun.stdout.strip() else ""
            print(
                f"{trial:5d}  {delay:6.2f}s  {count:13d}  {status:16s}  "
                f"{'complete' if complete else 'INCOMPLETE'}: {final} articles ({summary}){note}",
                flush=True,
            )
            for problem in final_problems:
                print(f"       after re-run: {problem}")
            if rerun.returncode != 0:
                print(f"       re-run failed: {rerun.stderr.strip()[-300:]}")
    return ok


SAVER = textwrap.dedent(
    """
    import sys
    from store.db.sqlite import connect
    from store.annotations.notes import create_annotation
    db = connect(sys.argv[1])
    ids = [row[0] for row in db.execute("SELECT id FROM articles ORDER BY id")]
    n = 0
    while True:
        article_id = ids[n % len(ids)]
        note = f"note {n} : « à vérifier » [bold]x[/]"
        made = create_annotation(db, article_id, 0, 5, note=note, tags=[f"t{n % 7}", "crash"])
        print(made.id, made.uid, n, flush=True)  # acknowledged: the save has returned
        n += 1
    """
)


def annotation_trials(folder: Path, trials: int, seed: int) -> bool:
    rng = random.Random(seed + 1)
    print(f"\n== SIGKILL during annotation saves, {trials} times")
    print("trial  kill at  acknowledged  present  lost  extra (saved, not yet acknowledged)")
    ok = True
    with tempfile.TemporaryDirectory(prefix="recoupe-crash-notes-") as tmp:
        db_path = Path(tmp) / "library.db"
        files = sorted(folder.iterdir())[:50]
        subprocess.run(
            [str(BIN / "recoupe"), "--db", str(db_path), "import", *map(str, files)],
            check=True,
            capture_output=True,
        )
        acknowledged: dict[str, tuple[int, int]] = {}
        for trial in range(1, trials + 1):
            process = subprocess.Popen(
                [sys.executable, "-c", SAVER, str(db_path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=ROOT,
                start_new_session=True,
            )
            delay = rng.uniform(0.3, 2.5)
            deadline = time.monotonic() + delay
            chunks: list[bytes] = []
            fd = process.stdout.fileno()
            os.set_blocking(fd, False)
            while time.monotonic() < deadline:
                try:
                    chunk = os.read(fd, 1 << 16)
                except BlockingIOError:
                    chunk = b""
                if chunk:
                    chunks.append(chunk)
                time.sleep(0.005)
            kill_group(process)
            # What was printed before the kill; a partial last line was not acknowledged.
            text = b"".join(chunks).decode("utf-8")
            complete_lines = text.split("\n")[:-1]
            for line in complete_lines:
                annotation_id, uid, n = line.split()
                acknowledged[uid] = (int(annotation_id), int(n))
            conn = sqlite3.connect(db_path)
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            stored = {
                uid: (annotation_id, note)
                for annotation_id, uid, note in conn.execute(
                    "SELECT id, uid, note FROM annotations"
                )
            }
            tags_ok = all(
                conn.execute(
                    "SELECT count(*) FROM annotation_tags x JOIN annotations n "
                    "ON n.id = x.annotation_id WHERE n.uid = ?",
                    [uid],
                ).fetchone()[0]
                == 2
                for uid in list(acknowledged)[-50:]
            )
            conn.close()
            lost = [
                uid
                for uid, (annotation_id, n) in acknowledged.items()
                if stored.get(uid, (None, None))[0] != annotation_id
                or not stored[uid][1].startswith(f"note {n} ")
            ]
            extra = len(set(stored) - set(acknowledged))
            held = integrity == "ok" and not lost and tags_ok
            ok = ok and held
            print(
                f"{trial:5d}  {delay:6.2f}s  {len(acknowledged):12d}  {len(stored):7d}  "
                f"{len(lost):4d}  {extra:5d}"
                + ("" if held else f"  FAILED (integrity {integrity}, tags {tags_ok})"),
                flush=True,
            )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--skip-annotations", action="store_true")
    args = parser.parse_args()
    folder = ensure_corpus(args.corpus)
    ok = True
    if not args.skip_import:
        with tempfile.TemporaryDirectory(prefix="recoupe-crash-reference-") as tmp:
            reference = Path(tmp) / "reference.db"
            started = time.perf_counter()
            subprocess.run(
                [str(BIN / "recoupe"), "--db", str(reference), "import", str(folder)],
                check=True,
                capture_output=True,
            )
            full = time.perf_counter() - started
            print(
                f"an uninterrupted import takes {full:.1f} s (kept as the reference): "
                f"kills land in 0.2 s .. {full * 0.8:.1f} s"
            )
            ok = import_trials(folder, args.trials, args.seed, full, reference) and ok
    if not args.skip_annotations:
        ok = annotation_trials(folder, args.trials, args.seed) and ok
    print("\nheld: every check passed" if ok else "\nFAILED: see the lines above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
