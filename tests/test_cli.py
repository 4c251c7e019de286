"""The command line, driven with click's CliRunner: output, JSON, exit codes, errors."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from store.db.sqlite import connect
from tests.cli_helpers import assert_one_line_error, json_lines, run
from tests.conftest import SAMPLE_CORPUS
from tui.cli import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def sample_db_path(runner: CliRunner, db_path: Path) -> Path:
    result = runner.invoke(cli, ["--db", str(db_path), "import", str(SAMPLE_CORPUS)])
    assert result.exit_code == 0, result.output
    return db_path


# --------------------------------------------------------------------------- import


def test_import_reports_counts_and_is_idempotent(runner, db_path: Path) -> None:
    first = run(runner, db_path, "import", str(SAMPLE_CORPUS))
    assert first.exit_code == 0
    assert "3 imported, 0 updated, 0 unchanged, 0 skipped" in first.output
    second = run(runner, db_path, "import", str(SAMPLE_CORPUS))
    assert "0 imported, 0 updated, 3 unchanged, 0 skipped" in second.output


def test_import_lists_skipped_files_with_their_reason(runner, db_path, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Titre\n\nTexte.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run(runner, db_path, "import", str(tmp_path))
    assert result.exit_code == 0
    assert f"skipped {tmp_path / 'empty.txt'}: empty file" in result.output
    assert "1 imported, 0 updated, 0 unchanged, 1 skipped" in result.output


def test_import_of_nothing_importable_exits_1(runner, db_path, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run(runner, db_path, "import", str(tmp_path / "empty.txt"), str(tmp_path / "absent"))
    assert result.exit_code == 1
    assert f"skipped {tmp_path / 'absent'}: no such file or folder" in result.output
    assert "0 imported, 0 updated, 0 unchanged, 2 skipped" in result.output


def test_import_json_prints_one_outcome_per_line(runner, db_path) -> None:
    result = run(runner, db_path, "import", "--json", str(SAMPLE_CORPUS))
    outcomes = json_lines(result.output)
    assert [o["status"] for o in outcomes] == ["imported"] * 3
    assert all(isinstance(o["article_id"], int) for o in outcomes)


def test_import_without_a_path_is_a_usage_error(runner, db_path) -> None:
    result = run(runner, db_path, "import")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- search


def test_search_prints_a_table_with_highlighted_hits(runner, sample_db_path) -> None:
    result = run(runner, sample_db_path, "search", "2517")
    assert result.exit_code == 0, result.output
    assert "Le Monde" in result.output
    assert "2 517" in result.output or "2.517" in result.output
    assert "\x02" not in result.output and "\x1b[" not in result.output


def test_search_json_gives_one_object_per_hit(runner, sample_db_path) -> None:
    hits = json_lines(run(runner, sample_db_path, "search", "--json", "operation").output)
    assert len(hits) == 3
    assert set(hits[0]) == {"id", "title", "outlet", "published", "snippet", "score"}
    assert [h["score"] for h in hits] == sorted(h["score"] for h in hits)
    assert all("\x02" not in h["snippet"] for h in hits)


def test_search_limit(runner, sample_db_path) -> None:
    hits = json_lines(
        run(runner, sample_db_path, "search", "--json", "--limit", "2", "interpol").output
    )
    assert len(hits) == 2
    assert run(runner, sample_db_path, "search", "--limit", "0", "interpol").exit_code == 2


def test_search_outlet_and_dates(runner, sample_db_path) -> None:
    by_outlet = json_lines(
        run(runner, sample_db_path, "search", "--json", "--outlet", "le monde", "interpol").output
    )
    assert [h["outlet"] for h in by_outlet] == ["Le Monde"]
    none_after = run(runner, sample_db_path, "search", "--since", "2030-01-01", "interpol")
    assert none_after.exit_code == 1


def test_search_dates_filter_on_published(runner, db_path, tmp_path: Path) -> None:
    for name, date in (("a", "2024-01-10"), ("b", "2024-06-10"), ("c", "2025-01-10")):
        (tmp_path / f"{name}.txt").write_text(
            f"Titre {name}\n\nOuest-France — {date}\n\nLa préfecture communique.", encoding="utf-8"
        )
    run(runner, db_path, "import", str(tmp_path))
    result = run(
        runner,
        db_path,
        "search",
        "--json",
        "--since",
        "2024-02-01",
        "--until",
        "2024-12-31",
        "prefecture",
    )
    assert [h["title"] for h in json_lines(result.output)] == ["Titre b"]


def test_search_advanced(runner, sample_db_path) -> None:
    result = run(
        runner, sample_db_path, "search", "--json", "--advanced", "title:interpol NOT monde"
    )
    assert result.exit_code == 0, result.output
    assert len(json_lines(result.output)) >= 1


def test_search_with_no_hit_exits_1(runner, sample_db_path) -> None:
    assert_one_line_error(run(runner, sample_db_path, "search", "zzyzx"), 1, "no article matches")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--advanced", '"traite des'], "unbalanced double quote"),
        (["--advanced", "police AND"], "invalid search syntax"),
        (["--advanced", "auteur:x"], "unknown field"),
        (["--since", "hier", "police"], "not a date"),
        (["!!!"], "nothing to search for"),
    ],
)
def test_a_bad_query_exits_2_with_one_line(runner, sample_db_path, args, fragment) -> None:
    assert_one_line_error(run(runner, sample_db_path, "search", *args), 2, fragment)


def test_safe_search_never_fails_on_punctuation(runner, sample_db_path) -> None:
    for query in ("l'opération", "3.222", "Jean-Pierre", "24-27", '"traite', "(police"):
        result = run(runner, sample_db_path, "search", query)
        assert result.exit_code in (0, 1), (query, result.output)
        assert "Traceback" not in result.output


# --------------------------------------------------------------------------- list and show


def test_list_table_and_json(runner, sample_db_path) -> None:
    table = run(runner, sample_db_path, "list")
    assert table.exit_code == 0
    assert "Le Monde" in table.output
    rows = json_lines(run(runner, sample_db_path, "list", "--json").output)
    assert len(rows) == 3
    assert {"id", "title", "outlet", "published", "url"} <= set(rows[0])


def test_show_prints_the_article(runner, sample_db_path) -> None:
    article_id = json_lines(run(runner, sample_db_path, "list", "--json").output)[0]["id"]
    result = run(runner, sample_db_path, "show", str(article_id))
    assert result.exit_code == 0
    assert "Interpol" in result.output
    record = json_lines(run(runner, sample_db_path, "show", "--json", str(article_id)).output)[0]
    assert record["id"] == article_id and record["body"]


def test_show_an_unknown_id_exits_1(runner, sample_db_path) -> None:
    assert_one_line_error(run(runner, sample_db_path, "show", "999"), 1, "no article with id 999")


def test_show_a_non_number_is_a_usage_error(runner, sample_db_path) -> None:
    assert run(runner, sample_db_path, "show", "abc").exit_code == 2


def test_article_text_is_never_markup_or_escapes(runner, db_path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "[bold red]Titre[/] \x1b[31mrouge\n\nCorps [link=http://x]lien[/link] \x1b]0;t\x07fin.",
        encoding="utf-8",
    )
    run(runner, db_path, "import", str(tmp_path))
    result = run(runner, db_path, "show", "1")
    assert "[bold red]Titre[/]" in result.output
    assert "[link=http://x]lien[/link]" in result.output
    assert "\x1b" not in result.output


# --------------------------------------------------------------------------- database location


def test_recoupe_db_environment_variable(runner, tmp_path: Path) -> None:
    path = tmp_path / "env.db"
    result = runner.invoke(cli, ["import", str(SAMPLE_CORPUS)], env={"RECOUPE_DB": str(path)})
    assert result.exit_code == 0
    assert path.exists()


def test_default_database_under_xdg_data_home(runner, tmp_path: Path) -> None:
    xdg = tmp_path / "xdg"
    result = runner.invoke(cli, ["import", str(SAMPLE_CORPUS)], env={"XDG_DATA_HOME": str(xdg)})
    assert result.exit_code == 0
    db = connect(xdg / "recoupe" / "recoupe.db")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    db.close()


def test_db_option_wins_over_the_environment(runner, tmp_path: Path) -> None:
    env_path, option_path = tmp_path / "env.db", tmp_path / "option.db"
    runner.invoke(
        cli,
        ["--db", str(option_path), "import", str(SAMPLE_CORPUS)],
        env={"RECOUPE_DB": str(env_path)},
    )
    assert option_path.exists() and not env_path.exists()


def test_a_file_that_is_not_a_database_is_a_one_line_error(runner, tmp_path: Path) -> None:
    bad = tmp_path / "not.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    assert_one_line_error(run(runner, bad, "list"), 2, "cannot open the database")
    assert_one_line_error(run(runner, bad, "search", "x"), 2, "cannot open the database")


def test_search_refuses_a_database_from_a_newer_recoupe(runner, sample_db_path) -> None:
    import sqlite3

    raw = sqlite3.connect(sample_db_path)
    raw.execute("PRAGMA user_version = 999")
    raw.close()
    assert_one_line_error(run(runner, sample_db_path, "search", "interpol"), 2, "newer")


def test_help_lists_every_command_and_an_unknown_one_is_a_usage_error(runner) -> None:
    help_text = runner.invoke(cli, ["--help"]).output
    for name in ("import", "search", "list", "show"):
        assert f"  {name} " in help_text
    result = runner.invoke(cli, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.output


# --------------------------------------------------------------------------- progress bar


class FakeTerminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_import_progress_draws_a_bar_on_a_terminal(monkeypatch) -> None:
    from tui.commands.output import import_progress

    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with import_progress("Importing") as advance:
        assert advance is not None
        for done in range(1, 4):
            time.sleep(0.02)  # rich needs elapsed time to compute a rate
            advance(done, 3)
    drawn = terminal.getvalue()
    assert "Importing" in drawn
    assert "3/3" in drawn
    assert "files/s" in drawn


def test_import_progress_is_quiet_off_a_terminal(monkeypatch) -> None:
    from tui.commands.output import import_progress

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with import_progress("Importing") as advance:
        assert advance is None
    assert sys.stderr.getvalue() == ""


# --------------------------------------------------------------------------- piped or on a terminal


def test_piped_search_and_list_print_one_tab_separated_line_each(runner, sample_db_path) -> None:
    hits = run(runner, sample_db_path, "search", "2517").output.splitlines()
    fields = [line.split("\t") for line in hits]
    assert all(len(row) == 5 for row in fields)
    le_monde = next(row for row in fields if row[2] == "Le Monde")
    assert le_monde[1].startswith("plus de 2 500 arrestations")
    assert "2.517" in le_monde[4] and "\x02" not in le_monde[4]
    rows = [line.split("\t") for line in run(runner, sample_db_path, "list").output.splitlines()]
    assert [row[0] for row in rows if len(row) == 6] == ["1", "2", "3"]


def test_tab_separated_fields_are_cleaned_even_if_the_store_was_not(runner, db_path) -> None:
    db = connect(db_path)
    db.execute(
        "INSERT INTO articles (title, outlet, body, content_hash, imported_at, updated_at) "
        "VALUES ('Titre\t\x1b[31mrouge\nsuite', 'A\tB', 'corps', 'h', 'now', 'now')"
    )
    db.close()
    (row,) = [line.split("\t") for line in run(runner, db_path, "list").output.splitlines()[:1]]
    assert row[:3] == ["1", "Titre rouge suite", "A B"]


def test_on_a_terminal_search_and_list_draw_tables(runner, sample_db_path, monkeypatch) -> None:
    import tui.commands.library as library

    monkeypatch.setattr(library, "stdout_is_terminal", lambda: True)
    for args in (["search", "2517"], ["list"]):
        result = run(runner, sample_db_path, *args)
        assert result.exit_code == 0
        assert "┃" in result.output and "Le Monde" in result.output
        assert "\t" not in result.output


def test_opening_an_older_file_says_it_upgrades_it_on_stderr(runner, tmp_path: Path) -> None:
    from tests.reliability.test_schema_upgrades import build_file

    path = tmp_path / "old.db"
    build_file(path, 4)
    result = run(runner, path, "search", "2517", "--json")
    assert result.exit_code == 0
    assert "upgrading the library from schema 4" in result.stderr
    assert [hit["id"] for hit in json_lines(result.stdout)] == [1]  # stdout stays JSON
    again = run(runner, path, "search", "2517", "--json")
    assert "upgrading" not in again.stderr
