"""Peak memory of `recoupe import-annotations` on a large notes file (issue 19).

    python bench/reliability_notes_memory.py             # ~190 MB notes file
    python bench/reliability_notes_memory.py --mb 50     # a smaller one

Builds a library of the three sample articles, exports their annotations, and writes
a notes file of about --mb megabytes: the exported annotations repeated with new ids
and long notes, nine in ten of them on articles the library lacks (as a notes file
from a larger library would be). Then, each in a process of its own:

* recoupe import-annotations FILE (the import streams the file);
* the baseline: json.loads of the same file (what the import did before).

Prints each one's peak resident memory (ru_maxrss) and wall time, the ratio, and
checks the import's bound (300 MB) and that every annotation on a known article landed.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

MEMORY_BOUND_MB = 300


def build_library(folder: Path) -> tuple[Path, dict]:
    """A library with the sample articles and a few annotations; its JSON-LD export."""
    from store.annotations import annotate_quote, export_annotations
    from store.db import connect
    from store.ingest import import_paths

    db_path = folder / "library.db"
    db = connect(db_path)
    import_paths(db, [ROOT / "sample_corpus"], workers=1)
    for article_id, body in db.execute("SELECT id, body FROM articles").fetchall():
        for word in body.split()[5:25:5]:
            try:
                annotate_quote(db, article_id, word, occurrence=1, note="n", tags=["bench"])
            except Exception:  # a quote the anchoring refuses: another word will do
                continue
    document = json.loads(export_annotations(db, "json"))
    db.close()
    return db_path, document


def write_notes_file(path: Path, document: dict, megabytes: int) -> tuple[int, int]:
    """Write the big collection item by item; (annotations, those on known articles)."""
    items = document["first"]["items"]
    note = "Une note assez longue sur ce passage. " * 100  # ~3.8 kB each
    written = known = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"@context": "http://www.w3.org/ns/anno.jsonld", ')
        handle.write('"type": "AnnotationCollection", "first": {"type": "AnnotationPage", ')
        handle.write('"items": [')
        while handle.tell() < megabytes * 1024 * 1024:
            item = json.loads(json.dumps(items[written % len(items)]))
            item["id"] = f"urn:uuid:{uuid.uuid4()}"
            item["body"] = [{"type": "TextualBody", "value": note, "purpose": "commenting"}]
            if written % 10:  # an article this library does not have
                target = item["target"]
                target["source"] = f"urn:recoupe:article:{written:064x}"
                target["recoupe:article"] = {"title": f"Absent {written % 500}"}
            else:
                known += 1
            handle.write(("," if written else "") + json.dumps(item, ensure_ascii=False))
            written += 1
        handle.write("]}}")
    return written, known


def peak_of(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(peak resident MB, wall seconds, result) of a command run alone in a child."""
    script = (
        "import resource, subprocess, sys, json\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps([peak, r.returncode, r.stdout[-400:], r.stderr[-400:]]))\n"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script, *command], capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - started
    peak, code, out, err = json.loads(result.stdout)
    return peak, elapsed, subprocess.CompletedProcess(command, code, out, err)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=190, help="size of the notes file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="recoupe-notes-") as tmp:
        folder = Path(tmp)
        db_path, document = build_library(folder)
        before = sqlite3.connect(db_path).execute("SELECT count(*) FROM annotations").fetchone()[0]
        notes = folder / "notes.json"
        written, known = write_notes_file(notes, document, args.mb)
        size_mb = notes.stat().st_size / 1024 / 1024
        print(f"notes file: {size_mb:.0f} MB, {written} annotations ({known} on known articles)")
        baseline_peak, baseline_time, _ = peak_of(
            [sys.executable, "-c", f"import json; json.loads(open({str(notes)!r}, 'rb').read())"]
        )
        peak, elapsed, result = peak_of(
            [str(BIN / "recoupe"), "--db", str(db_path), "import-annotations", str(notes)]
        )
        after = sqlite3.connect(db_path).execute("SELECT count(*) FROM annotations").fetchone()[0]
    print(f"recoupe import-annotations: exit {result.returncode} in {elapsed:.1f} s, ")
    print(f"  peak memory {peak:.0f} MB (bound {MEMORY_BOUND_MB}); {result.stdout.strip()}")
    print(f"baseline json.loads of the file: peak {baseline_peak:.0f} MB in {baseline_time:.1f} s")
    print(f"ratio of peaks: {peak / baseline_peak:.2f}")
    problems = []
    if result.returncode != 0:
        problems.append(f"exit {result.returncode}: {result.stderr}")
    if peak > MEMORY_BOUND_MB:
        problems.append(f"peak {peak:.0f} MB over {MEMORY_BOUND_MB} MB")
    # The exported annotations are already in this library: the known copies are new ids.
    if after - before != known:
        problems.append(f"{after - before} annotations added, {known} due")
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
