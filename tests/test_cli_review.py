"""A note whose words changed on re-import, from the command line: listed, exported, accepted."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.cli_helpers import json_lines, run

TEXT = (
    "Fraude fiscale : le préjudice chiffré\n\nSelon la plainte, le préjudice s'élève à "
    "751 millions d'euros pour l'État. Les avocats contestent ce montant."
)


@pytest.fixture
def changed_note(tmp_path: Path, db_path: Path) -> tuple[CliRunner, Path]:
    """A library whose one note sat on « 751 millions d'euros », now « 715 millions »."""
    runner = CliRunner()
    article = tmp_path / "plainte.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert run(runner, db_path, "import", str(article)).exit_code == 0
    made = run(
        runner,
        db_path,
        "annotate",
        "1",
        "-q",
        "751 millions d'euros",
        "-n",
        "vérifié avec la plainte",
    )
    assert made.exit_code == 0, made.output
    article.write_text(TEXT.replace("751 millions", "715 millions"), encoding="utf-8")
    assert run(runner, db_path, "import", str(article)).exit_code == 0
    return runner, db_path


def test_the_table_and_the_changed_filter_show_the_old_words(changed_note) -> None:
    runner, db_path = changed_note
    for args in (["annotations"], ["annotations", "--changed"]):
        result = run(runner, db_path, *args)
        assert result.exit_code == 0, result.output
        flat = " ".join(result.stdout.split())
        assert "715 millions d'euros" in flat
        assert "changed: was « 751 millions d'euros »" in flat
    [record] = json_lines(run(runner, db_path, "annotations", "--changed", "--json").stdout)
    assert (record["status"], record["previous_exact"]) == ("changed", "751 millions d'euros")


def test_exports_show_old_and_new_words(changed_note) -> None:
    runner, db_path = changed_note
    markdown = run(runner, db_path, "export", "-f", "md").stdout
    assert "> 715 millions d'euros" in markdown
    assert "was « 751 millions d'euros »" in markdown
    rows = list(csv.DictReader(io.StringIO(run(runner, db_path, "export", "-f", "csv").stdout)))
    assert [(r["quote"], r["status"], r["previous_quote"]) for r in rows] == [
        ("715 millions d'euros", "changed", "751 millions d'euros")
    ]
    document = run(runner, db_path, "export").stdout
    assert '"recoupe:status": "changed"' in document
    assert '"recoupe:previousExact": "751 millions d\'euros"' in document


def test_accept_ends_the_review(changed_note) -> None:
    runner, db_path = changed_note
    result = run(runner, db_path, "accept", "1")
    assert result.exit_code == 0, result.output
    assert "accepted annotation 1 (changed)" in result.output
    assert run(runner, db_path, "annotations", "--changed").exit_code == 1
    listed = run(runner, db_path, "annotations").stdout
    assert "was «" not in listed and "changed" not in listed
    assert "already anchored" in run(runner, db_path, "accept", "1").output
    assert run(runner, db_path, "accept", "99").exit_code == 1
