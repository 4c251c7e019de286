"""Killing the background derivation loses nothing, leaves nothing half-written, and its
worker processes die with it; the next run resumes where it stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from store.db import connect
from store.derive import derive_status, run_pending
from store.figures import unpack_figure_rows
from store.ingest import import_paths
from tests.conftest import ROOT

ARTICLES = 1500
SENTENCE = (
    "Selon la préfecture, {n} manifestants ont défilé le {day} mars, contre 2 500 la veille ; "
    "les syndicats en comptaient {big} et le coût est estimé à {m},5 millions d'euros. "
)


def make_library(path: Path, tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "title": f"Manifestation {n}",
                "body": "".join(
                    SENTENCE.format(n=n + k, day=1 + k % 28, big=3000 + n, m=k) for k in range(8)
                ),
            }
        )
        for n in range(ARTICLES)
    ]
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    library = connect(path)
    assert import_paths(library, [source], workers=1).imported == ARTICLES
    library.close()


def children_of(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        found.update(int(child) for child in children)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(")")[-1].split()[0] != "Z"


def check_consistent(path: Path) -> int:
    """Every article marked done has all its figure rows; returns how many are done."""
    library = connect(path)
    try:
        assert library.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        marked = library.execute(
            "SELECT a.id, a.body, d.data FROM derived_articles m JOIN articles a "
            "ON a.id = m.article_id JOIN derived d ON d.content_hash = a.content_hash"
        ).fetchall()
        for article_id, body, data in marked:
            rows = library.execute(
                "SELECT count(*) FROM figure_values WHERE article_id = ?", [article_id]
            ).fetchone()[0]
            assert rows == len(unpack_figure_rows(data, body)) > 0
        unmarked_rows = library.execute(
            "SELECT count(*) FROM figure_values WHERE article_id NOT IN "
            "(SELECT article_id FROM derived_articles)"
        ).fetchone()[0]
        assert unmarked_rows == 0
        return len(marked)
    finally:
        library.close()


def test_a_killed_derivation_loses_nothing_and_resumes(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    make_library(path, tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--db", str(path), "derive", "--quiet"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    watcher = connect(path)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            workers |= children_of(process.pid)
            if 0 < derive_status(watcher).done < ARTICLES and workers:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the derivation ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        watcher.close()
        if process.poll() is None:
            process.kill()
    assert workers, "the derivation ran without worker processes"
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "workers outlived their parent"

    done = check_consistent(path)
    assert 0 < done < ARTICLES
    library = connect(path)
    try:
        assert not derive_status(library).running  # the lock died with its holder
        run = run_pending(library, workers=1)
        assert run.computed == ARTICLES - done
        assert derive_status(library).complete
    finally:
        library.close()
    assert check_consistent(path) == ARTICLES
