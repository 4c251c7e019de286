"""Imports under attack (issue 19): links out of the folder, orphaned workers, bad JSONL lines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from store.ingest.importer import import_paths
from store.library.parsing import LINK_OUTSIDE
from tests.conftest import ROOT
from tui.cli import cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symlinks, signals and /proc")

ARTICLE = "Un titre\n\nUn article assez long pour être importé, avec 12 personnes et des mots."


# --------------------------------------------------------------------------- links


@pytest.fixture
def linked_folder(tmp_path: Path) -> Path:
    """A folder with an article, a link to it, and links to files outside the folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nUn fichier local qui ne doit pas entrer.")
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE)
    (folder / "sub" / "inside-link.txt").symlink_to("../a.txt")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "sub" / "secret.txt").symlink_to(outside / "secret.txt")
    (folder / "escape.txt").symlink_to("../outside/secret.txt")
    return folder


def test_links_out_of_the_folder_are_skipped_and_named(
    db: sqlite_utils.Database, linked_folder: Path
) -> None:
    report = import_paths(db, [linked_folder], workers=1)
    skipped = sorted((Path(o.path).relative_to(linked_folder), o.reason) for o in report.skipped)
    assert skipped == [
        (Path("escape.txt"), LINK_OUTSIDE),
        (Path("passwd.txt"), LINK_OUTSIDE),
        (Path("sub/secret.txt"), LINK_OUTSIDE),
    ]
    bodies = [row[0] for row in db.execute("SELECT body FROM articles")]
    assert len(bodies) == 1 and "12 personnes" in bodies[0]  # a.txt (its link is the same file)
    assert not any("root:" in body or "local" in body for body in bodies)


def test_follow_symlinks_imports_what_the_links_point_to(
    db: sqlite_utils.Database, linked_folder: Path
) -> None:
    report = import_paths(db, [linked_folder], workers=1, follow_symlinks=True)
    assert LINK_OUTSIDE not in {o.reason for o in report.skipped}
    bodies = [row[0] for row in db.execute("SELECT body FROM articles")]
    assert any("fichier local" in body for body in bodies)


def test_the_cli_reports_the_links_it_skipped(tmp_path: Path, linked_folder: Path) -> None:
    db_path = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["--db", str(db_path), "import", str(linked_folder)])
    assert result.exit_code == 0, result.output
    assert f"skipped {linked_folder / 'passwd.txt'}: {LINK_OUTSIDE}" in result.stderr
    assert result.stdout.startswith("1 imported")
    again = CliRunner().invoke(
        cli, ["--db", str(db_path), "import", "--follow-symlinks", str(linked_folder)]
    )
    assert "passwd.txt" not in again.stderr.replace("not an article", "")
    assert LINK_OUTSIDE not in again.stderr


# --------------------------------------------------------------------------- JSONL lines


def test_one_bad_jsonl_line_is_reported_and_the_rest_imports(
    db: sqlite_utils.Database, tmp_path: Path
) -> None:
    good = {"title": "Bon", "text": "Un texte correct avec 3 mots et plus encore."}
    lines = [
        json.dumps(good | {"id": "1"}),
        "[" * 200_000,  # nested too deep for json.loads
        '{"text": "pas fini',
        '{"text": ' + "9" * 5000 + "}",  # an integer Python refuses to read
        '{"a": ' * 50_000 + "1" + "}" * 50_000,
        json.dumps(good | {"id": "2", "text": "Un autre texte correct, bien plus long."}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(db, [path], workers=1)
    assert report.imported == 2
    bad = {o.path.rsplit(":", 1)[1]: o.reason for o in report.skipped}
    assert sorted(bad) == ["2", "3", "4", "5"]
    assert bad["2"] == "line 2: JSON nested too deeply"
    assert bad["5"] == "line 5: JSON nested too deeply"
    assert bad["3"].startswith("line 3: malformed JSON")
    assert bad["4"].startswith("line 4: unreadable JSON")


# --------------------------------------------------------------------------- orphans

ORPHAN_SCRIPT = textwrap.dedent(
    """
    import ctypes, os, sys, time
    sys.path.insert(0, sys.argv[3])
    import store.ingest.importer as importer
    from store.db import connect

    def parent_death_signal():  # prctl(PR_GET_PDEATHSIG)
        value = ctypes.c_int(0)
        ctypes.CDLL(None).prctl(2, ctypes.byref(value), 0, 0, 0)
        return value.value

    def parse_forever(paths):  # a worker busy with a file that takes for ever
        # One write, atomic on a pipe: the two workers' lines never interleave.
        os.write(1, f"worker {os.getpid()} {parent_death_signal()}\\n".encode())
        time.sleep(3600)
        return []

    importer.parse_files = parse_forever  # forked workers inherit it
    db = connect(sys.argv[1])
    importer.import_paths(db, [sys.argv[2]], workers=2)
    """
)


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for its new parent to reap it does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_import_is_killed(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(600):  # three chunks of files: both workers get one
        (folder / f"{index:04d}.txt").write_text(ARTICLE)
    parent = subprocess.Popen(
        [sys.executable, "-c", ORPHAN_SCRIPT, str(tmp_path / "o.db"), str(folder), str(ROOT)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        workers: list[int] = []
        for _ in range(2):
            word, pid, death_signal = parent.stdout.readline().split()
            workers.append(int(pid))
            assert word == "worker"
            assert int(death_signal) == signal.SIGKILL  # the mechanism is in place
        assert all(_alive(pid) for pid in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 2.0
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        parent.kill()
        parent.wait()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


WATCHER_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, sys.argv[1])
    from store.derive.workers import _watch_parent

    parent = os.getpid()
    child = os.fork()
    if child == 0:
        _watch_parent(parent)  # the fallback alone, as where prctl is missing
        os.write(1, f"{os.getpid()}\\n".encode())
        time.sleep(3600)
        os._exit(0)
    time.sleep(3600)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_fallback_watcher_ends_a_worker_whose_parent_died() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", WATCHER_SCRIPT, str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    child = int(parent.stdout.readline())
    try:
        assert _alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 2.0
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child)
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)
