"""The figures and compare commands, and search by figure, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from store.db.sqlite import connect
from store.ingest.importer import import_paths, import_text
from tests.conftest import SAMPLE_CORPUS, article_id_by_path, derive_all
from tui.cli import cli

FIELDS = {"start", "end", "surface", "value", "value_max", "kind", "unit", "currency", "qualifier"}


@pytest.fixture
def library(db_path: Path) -> Path:
    """A database file holding the sample corpus, figures computed."""
    db = connect(db_path)
    import_paths(db, [SAMPLE_CORPUS])
    derive_all(db)
    db.close()
    return db_path


def run(db_path: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db_path), *args])


def ids(db_path: Path, *names: str) -> list[str]:
    db = connect(db_path)
    try:
        return [str(article_id_by_path(db, name)) for name in names]
    finally:
        db.close()


def test_figures_json_lines_have_the_documented_fields(library: Path) -> None:
    (depeche,) = ids(library, "depeche-interpol-liberterra-ii.txt")
    result = run(library, "figures", depeche, "--json")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert records and all(set(r) >= FIELDS for r in records)
    assert all(r["article_id"] == int(depeche) for r in records)
    arrests = next(r for r in records if r["surface"] == "2 517")
    assert (arrests["value"], arrests["unit"], arrests["qualifier"]) == (
        2517,
        "arrestations",
        "exact",
    )


def test_figures_table_shows_article_text_literally(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.commands.figures as figures

    monkeypatch.setattr(figures, "stdout_is_terminal", lambda: True)
    db = connect(db_path)
    outcome = import_text(
        db, "Selon [bold]la police[/bold], 40 [red]blessés[/red] au total.", source_key="m"
    )
    db.close()
    result = run(db_path, "figures", str(outcome.article_id))
    assert result.exit_code == 0, result.output
    assert "[red]blessés[/red]" in result.output
    assert "40" in result.output


def test_figures_from_a_file_without_importing(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "note.txt"
    text = "Bilan\r\nPlus de 3\u00a0000 victimes et 12 % de hausse.\r\n"
    path.write_bytes(text.encode("utf-8"))
    result = run(db_path, "figures", "--file", str(path), "--json")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    normalised = text.replace("\r\n", "\n")
    assert [r["surface"] for r in records] == ["3\u00a0000", "12 %"]
    for record in records:
        assert normalised[record["start"] : record["end"]] == record["surface"]
    assert records[0]["qualifier"] == "at_least" and records[1]["kind"] == "percent"
    count = connect(db_path).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert count == 0


def test_figures_errors_are_one_line(tmp_path: Path, library: Path) -> None:
    missing = run(library, "figures", "999")
    assert missing.exit_code == 1 and "no article with id 999" in missing.output
    neither = run(library, "figures")
    assert neither.exit_code == 2 and "Traceback" not in neither.output
    binary = tmp_path / "bin.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    bad = run(library, "figures", "--file", str(binary))
    assert bad.exit_code == 2 and "binary file" in bad.output and "Traceback" not in bad.output
    gone = run(library, "figures", "--file", str(tmp_path / "gone.txt"))
    assert gone.exit_code == 2 and "gone.txt: unreadable" in gone.output


def test_figures_from_a_file_read_as_import_reads_it(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Bilan : 40 blessés et 12 % de hausse à Lyon.\n".encode("cp1252"))
    result = run(db_path, "figures", "--file", str(path), "--json")
    assert result.exit_code == 0, result.output
    surfaces = [json.loads(line)["surface"] for line in result.output.splitlines()]
    assert surfaces == ["40", "12 %"]


def test_compare_table_and_json(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.commands.figures as figures

    pair = ids(library, "depeche-interpol-liberterra-ii.txt", "le-monde-interpol-liberterra-ii.txt")
    monkeypatch.setattr(figures, "stdout_is_terminal", lambda: True)
    table = run(library, "compare", *pair)
    assert table.exit_code == 0, table.output
    assert "arrestations" in table.output and "compatible" in table.output
    assert "single source" in table.output  # the app's wording (issue 16)
    assert "17 793" in table.output
    shared = run(library, "compare", *pair, "--shared-only")
    assert "3 222" in shared.output and "Togolaises" in shared.output
    assert "not listed" in shared.output
    as_json = run(library, "compare", *pair, "--json")
    facts = [json.loads(line) for line in as_json.output.splitlines()]
    statuses = [f["status"] for f in facts]
    order = ["conflict", "compatible", "agree", "single-source"]
    assert statuses == sorted(statuses, key=order.index)
    arrests = next(f for f in facts if f["label"] == "arrestations")
    assert {c["surface"] for c in arrests["cells"]} == {"2 517", "2 500", "2.517"}
    assert all(FIELDS | {"article_id"} <= set(c) for c in arrests["cells"])


def test_piped_figures_print_one_tab_separated_line_per_figure(library: Path) -> None:
    (monde,) = ids(library, "le-monde-interpol-liberterra-ii.txt")
    result = run(library, "figures", monde)
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and all(len(row) == 6 and row[0] == monde for row in rows)
    offsets = [int(row[1]) for row in rows]
    assert offsets == sorted(offsets)
    assert ("2.517", "2 517", "count") in {(row[2], row[3], row[4]) for row in rows}


def test_piped_compare_prints_one_tab_separated_line_per_figure(library: Path) -> None:
    pair = ids(library, "depeche-interpol-liberterra-ii.txt", "le-monde-interpol-liberterra-ii.txt")
    result = run(library, "compare", *pair)
    assert result.exit_code == 0, result.output
    assert "┃" not in result.stdout and "│" not in result.stdout
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows and all(len(row) == 5 for row in rows)
    arrests = {(row[2], row[3]) for row in rows if row[0] == "arrestations"}
    assert {surface for _, surface in arrests} == {"2 517", "2 500", "2.517"}
    assert {article for article, _ in arrests} == set(pair)
    assert {row[1] for row in rows} <= {"conflict", "compatible", "agree", "single-source"}
    assert "facts:" in result.stderr


def test_compare_needs_two_known_articles(library: Path) -> None:
    assert run(library, "compare", "1").exit_code == 2
    assert run(library, "compare", "1", "1").exit_code == 2
    unknown = run(library, "compare", "1", "999")
    assert unknown.exit_code == 1 and "999" in unknown.output


def test_search_by_figure_spec(library: Path) -> None:
    result = run(library, "search", "--figure", ">=2500 arrestations", "--json")
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert {h["figure"]["value"] for h in hits} == {2500, 2517}
    nothing = run(library, "search", "--figure", "<10 arrestations")
    assert nothing.exit_code == 1
    bad = run(library, "search", "--figure", "beaucoup")
    assert bad.exit_code == 2 and "not a figure query" in bad.output


def test_search_bare_number_uses_figures(db_path: Path) -> None:
    db = connect(db_path)
    outcome = import_text(db, "La ville compte 3,5 millions d'habitants.", source_key="v")
    import_text(db, "Un autre texte sans ce chiffre, 12 personnes.", source_key="w")
    db.close()
    pending = run(db_path, "search", "3500000", "--json")
    assert "figures for 0 of 2 articles so far" in pending.stderr
    assert run(db_path, "derive", "--quiet").exit_code == 0
    result = run(db_path, "search", "3500000", "--json")
    assert result.stderr == ""
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert [h["id"] for h in hits] == [outcome.article_id]
    assert "3,5 millions" in hits[0]["snippet"]


def test_a_headline_figures_are_listed_and_compared_with_their_source(db_path: Path) -> None:
    db = connect(db_path)
    first = import_text(
        db, "La tempête a touché la côte est.", source_key="a", title="Ouragan : 39 morts"
    ).article_id
    second = import_text(
        db, "L'ouragan a fait 39 morts sur la côte est, selon les autorités.", source_key="b"
    ).article_id
    db.close()
    listed = [
        json.loads(line)
        for line in run(db_path, "figures", str(first), "--json").output.splitlines()
    ]
    assert [(r["field"], r["surface"], r["unit"]) for r in listed] == [("title", "39", "morts")]
    compared = run(db_path, "compare", str(first), str(second), "--json")
    assert compared.exit_code == 0, compared.output
    facts = [json.loads(line) for line in compared.output.splitlines()]
    deaths = next(f for f in facts if f["label"] == "morts")
    assert deaths["status"] == "agree"
    assert {c["source"] for c in deaths["cells"]} == {None, "les autorités"}
