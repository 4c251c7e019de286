"""Export round trip at scale: 10 000 annotations to JSON-LD and back, identical.

    python bench/reliability_export.py               # 10 000 annotations on 500 articles
    python bench/reliability_export.py --annotations 2000

Annotations with awkward notes and tags (markup, formulas, emoji, newlines, 2 000
characters) are made on random passages (tests/reliability/annotation_factory.py),
exported with `recoupe export --format json`, imported with `recoupe
import-annotations` into a new library holding the same articles (under other ids),
then compared field by field: uid, article (by content), offsets, quote, prefix,
suffix, note, tags, dates, status. A second import must add nothing.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
DEFAULT_CORPUS = Path("/tmp/bench/c10k")


def recoupe(db_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "recoupe"), "--db", str(db_path), *args], capture_output=True, text=True
    )


def main() -> int:
    from store.db.sqlite import connect
    from tests.reliability.annotation_factory import library_records, random_annotations

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--annotations", type=int, default=10_000)
    args = parser.parse_args()
    files = sorted((args.corpus / "txt").iterdir())[: args.articles]
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="recoupe-export-") as tmp:
        source, target = Path(tmp) / "source.db", Path(tmp) / "target.db"
        export_file = Path(tmp) / "annotations.json"
        recoupe(source, "import", *map(str, files)).check_returncode()
        # The same articles in the other library, imported in reverse: other ids.
        recoupe(target, "import", *map(str, reversed(files))).check_returncode()

        db = connect(source)
        started = time.perf_counter()
        random_annotations(db, args.annotations, seed=10, per_transaction=500)
        made_seconds = time.perf_counter() - started
        original = library_records(db)
        db.close()

        started = time.perf_counter()
        exported = recoupe(source, "export", "--format", "json", "-o", str(export_file))
        export_seconds = time.perf_counter() - started
        if exported.returncode != 0:
            problems.append(f"export failed: {exported.stderr.strip()}")
        total = json.loads(export_file.read_text(encoding="utf-8"))["total"]
        size_mb = export_file.stat().st_size / 1_048_576

        started = time.perf_counter()
        imported = recoupe(target, "import-annotations", str(export_file))
        import_seconds = time.perf_counter() - started
        again = recoupe(target, "import-annotations", str(export_file))

        db = connect(target)
        back = library_records(db)
        stored = db.execute("SELECT count(*) FROM annotations").fetchone()[0]
        db.close()

    if len(original) != args.annotations:
        problems.append(f"{len(original)} annotations made, {args.annotations} asked")
    if total != args.annotations:
        problems.append(f"the export holds {total} annotations")
    if imported.returncode != 0:
        problems.append(f"import failed: {imported.stderr.strip()}")
    if back != original:
        problems.append(
            f"{len(original - back)} annotations differ or are missing after the round trip, "
            f"{len(back - original)} unexpected"
        )
    if stored != args.annotations:
        problems.append(f"{stored} annotations stored after importing twice")

    print(f"made {len(original)} annotations on {args.articles} articles in {made_seconds:.1f} s")
    print(
        f"recoupe export --format json: {total} annotations, {size_mb:.1f} MB, "
        f"{export_seconds:.1f} s"
    )
    print(
        f"recoupe import-annotations into a new library: {import_seconds:.1f} s; "
        f"{imported.stdout.strip()}"
    )
    print(f"imported again: {again.stdout.strip()}")
    print(f"identical field by field after the round trip: {back == original}")
    if problems:
        print("FAILED:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print("held: every annotation came back identical, the second import added nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
