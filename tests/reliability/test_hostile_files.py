"""Hostile files: the import finishes, reports each bad file in one line, imports every good one."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from store.db import Library
from store.db.sqlite import connect
from store.derive import derive_status
from store.figures.extract import extract_figures
from store.ingest.importer import import_paths
from store.library import decode_bytes
from store.models import FileOutcome
from store.search import search
from tests.conftest import derive_all
from tests.reliability.hostile_files import (
    Expectation,
    fifo,
    good_txt,
    make_hostile_folder,
    symlink_loop,
)
from tui.cli import cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs, symlinks and /proc are POSIX")


def file_name(outcome_path: str) -> str:
    """The file an outcome is about: JSONL articles end in #id, their skipped lines in :N."""
    path = outcome_path.split("#", 1)[0]
    return re.sub(r":\d+$", "", os.path.basename(path))


def outcomes_by_file(outcomes: list[FileOutcome]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        counts.setdefault(file_name(outcome.path), Counter())[outcome.status] += 1
    return counts


def pair_name(expectation: Expectation) -> list[str]:
    """A symlink loop is two files: both must be reported."""
    if expectation.name.endswith("-loop-a.txt"):
        return [expectation.name, expectation.name.replace("-loop-a", "-loop-b")]
    return [expectation.name]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Expectation]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, make_hostile_folder(folder)


def check_report(db: Library, outcomes: list[FileOutcome], expected) -> None:
    by_file = outcomes_by_file(outcomes)
    for expectation in expected:
        names = pair_name(expectation)
        got = Counter()
        for name in names:
            got += by_file.get(name, Counter())
        assert got["imported"] == expectation.imported, (expectation.name, got)
        assert got["skipped"] == expectation.skipped, (expectation.name, got)
    for outcome in outcomes:
        if outcome.status == "skipped":
            assert outcome.reason and "\n" not in outcome.reason, outcome
    imported = sum(e.imported for e in expected)
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == imported
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    fts_rows = db.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert fts_rows == imported


def test_every_good_file_imports_and_every_bad_one_is_one_outcome(hostile, db) -> None:
    folder, expected = hostile
    report = import_paths(db, [folder], workers=1)
    check_report(db, report.outcomes, expected)
    bodies = [row[0] for row in db.execute("SELECT body FROM articles")]
    for expectation in expected:
        if expectation.contains:
            assert any(expectation.contains in body for body in bodies), expectation.name
    # Escapes and invisible characters are gone from what was stored; markup stays literal text.
    for body in bodies:
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e]", body)
    assert search(db, "Périgueux", limit=100)


def test_parsing_in_worker_processes_gives_the_same_outcomes(hostile, tmp_path: Path) -> None:
    folder, expected = hostile
    db = connect(tmp_path / "pool.db")
    report = import_paths(db, [folder], workers=2)
    check_report(db, report.outcomes, expected)
    db.close()


def test_cli_reports_each_bad_file_on_one_line_without_escapes(hostile, tmp_path: Path) -> None:
    folder, expected = hostile
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "cli.db"), "import", str(folder)])
    assert result.exit_code == 0, result.output
    skipped_lines = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert len(skipped_lines) == sum(e.skipped for e in expected)
    assert len(result.stderr.splitlines()) == len(skipped_lines)  # nothing spills onto a 2nd line
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert any("-new␤line␛]0;PWNED␇.txt: empty file" in line for line in skipped_lines)
    imported = sum(e.imported for e in expected)
    assert result.stdout.startswith(f"{imported} imported")


def test_a_pipe_does_not_block_the_import(db, tmp_path: Path) -> None:
    """Opening a FIFO for reading waits for a writer: the import must not open it that way."""
    import random

    rng = random.Random(1)
    fifo(tmp_path, "a", rng)
    good_txt(tmp_path, "b", rng)
    report = import_paths(db, [tmp_path], workers=1)
    assert report.imported == 1
    assert [(Path(o.path).name, o.reason) for o in report.skipped] == [
        ("a-pipe.txt", "not a regular file (a device, pipe or socket)")
    ]


def test_a_symlink_loop_is_reported_as_such(db, tmp_path: Path) -> None:
    import random

    symlink_loop(tmp_path, "x", random.Random(3))
    report = import_paths(db, [tmp_path], workers=1)
    assert [(Path(o.path).name, o.reason) for o in report.skipped] == [
        ("x-loop-a.txt", "unreadable (Too many levels of symbolic links)"),
        ("x-loop-b.txt", "unreadable (Too many levels of symbolic links)"),
    ]


def test_a_file_refused_by_the_system_is_reported(db, tmp_path: Path, monkeypatch) -> None:
    """chmod 000 does not stop root (these tests run as root): the open itself is made to fail."""
    import random

    rng = random.Random(2)
    good_txt(tmp_path, "good", rng)
    good_txt(tmp_path, "locked", rng)
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs) -> int:
        if Path(path).name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)
    report = import_paths(db, [tmp_path], workers=1)
    assert report.imported == 1
    assert [(Path(o.path).name, o.reason) for o in report.skipped] == [
        ("locked.txt", "unreadable (permission denied)")
    ]


def test_utf8_cut_mid_character_keeps_the_text() -> None:
    data = "Un été à Noël, déjà ".encode()
    assert decode_bytes(data + "é".encode()[:1]) == "Un été à Noël, déjà "
    assert decode_bytes(data + "€".encode()[:2]) == "Un été à Noël, déjà "
    assert decode_bytes(data + "𝄞".encode()[:3]) == "Un été à Noël, déjà "


def test_latin1_ending_in_an_accent_is_not_mistaken_for_cut_utf8() -> None:
    assert decode_bytes("Un café".encode("latin-1")) == "Un café"


def test_a_text_the_figure_extractor_fails_on_still_imports(
    db, tmp_path: Path, monkeypatch
) -> None:
    """Figures are derived data: an extractor bug costs that article its figures, nothing more."""
    import random

    import store.figures.storage

    rng = random.Random(4)
    good_txt(tmp_path, "a", rng)
    good_txt(tmp_path, "b", rng)
    (tmp_path / "c.txt").write_text("Piège\n\nUn texte piégé avec 12 personnes.", encoding="utf-8")
    real = store.figures.storage.extract_figure_rows

    def extractor_with_a_bug(body: str, *args, **kwargs):
        if "piégé" in body:
            raise ValueError("extractor bug")
        return real(body, *args, **kwargs)

    monkeypatch.setattr(store.figures.storage, "extract_figure_rows", extractor_with_a_bug)
    report = import_paths(db, [tmp_path], workers=1)
    assert report.imported == 3 and not report.skipped
    derive_all(db)
    assert derive_status(db).complete
    trapped = db.execute("SELECT id FROM articles WHERE body LIKE '%piégé%'").fetchone()[0]
    figures_of = "SELECT count(*) FROM figure_values WHERE article_id {} ?"
    assert db.execute(figures_of.format("="), [trapped]).fetchone()[0] == 0
    assert db.execute(figures_of.format("!="), [trapped]).fetchone()[0] > 0


def test_superscript_digits_in_a_text_are_no_crash() -> None:
    """'² sur dix' reached float('²') in the proportion reader and aborted a whole import."""
    from store.figures.extract import extract_figures

    figures = extract_figures("Un habitant ² sur dix a voté ; soit ① sur deux, un sur ².")
    assert all(f.value is not None for f in figures)


ODD_PIECES = st.sampled_from(
    [
        "²",
        "①",
        "٣",
        "１２",
        "2",
        "500",
        ",",
        ".",
        "-",
        "–",
        "%",
        "€",
        "M€",
        "millions",
        "sur",
        "un",
        "deux",
        "vingt-quatre",
        "entre",
        "et",
        "1er",
        "janvier",
        "2024",
        "km²",
        "10³",
        "/",
        "..",
        "½",
        "∞",
        "1e5",
        "−",
        "fois",
        "mille",
        "virgule",
        "quart",
        "moitié",
        "«",
        "’",
        "(",
        ")",
        " ",
        "\u202f",
        "\n",
        "plus de",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=80),
        st.lists(ODD_PIECES, max_size=15).map(" ".join),
        st.lists(ODD_PIECES, max_size=15).map("".join),
    )
)
def test_the_figure_extractor_never_raises(text: str) -> None:
    """Run locally with 20 000 examples too; 300 here keep the suite fast."""
    for figure in extract_figures(text):
        assert 0 <= figure.start < figure.end <= len(text)
