"""Hostile queries and arguments: any text gets results or a clear error, never a crash.

Property-based over search queries (words and advanced mode), figure queries,
annotation searches, tag names and export paths, at the store and at the CLI.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.annotations.notes import annotate_quote, list_annotations
from store.annotations.tags import TagError, clean_tag, list_tags
from store.db import Library
from store.db.sqlite import connect
from store.errors import QueryError, RecoupeError
from store.figures import search_figures
from store.ingest.importer import import_paths
from store.search import search
from tests.conftest import SAMPLE_CORPUS, derive_all
from tui.cli import cli

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CLI_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Text that looks like what people paste: FTS operators, quotes, numbers, markup, controls.
PIECES = st.sampled_from(
    [
        "traite",
        "opération",
        "l'opération",
        "Jean-Pierre",
        "24-27",
        "2 517",
        "3.222",
        "2,5",
        "AND",
        "OR",
        "NOT",
        "NEAR(",
        ")",
        "(",
        '"',
        "*",
        "^",
        ":",
        "title:",
        "body:",
        "-",
        "+",
        "{",
        "}",
        "[bold]",
        "[/]",
        "\x00",
        "\x1b[31m",
        "\u202e",
        "%",
        "_",
        "'",
        ";",
        "DROP TABLE articles;",
        ">=",
        "<",
        "..",
        "~",
        "1e999",
        "nan",
        "inf",
        "-0",
        "€",
        "M€",
        "millions",
        "victimes",
    ]
)
QUERIES = st.one_of(
    st.text(max_size=60),
    st.lists(PIECES, max_size=8).map(" ".join),
    st.lists(PIECES, max_size=8).map("".join),
)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    path = tmp_path_factory.mktemp("queries") / "library.db"
    db = connect(path)
    import_paths(db, [SAMPLE_CORPUS], workers=1)
    article_id = db.execute("SELECT id FROM articles ORDER BY id").fetchone()[0]
    body = db.execute("SELECT body FROM articles WHERE id = ?", [article_id]).fetchone()[0]
    annotate_quote(db, article_id, body.split()[3], note="une note", tags=["chiffre-clé"])
    return db


def row_count(db: Library) -> int:
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]


@SETTINGS
@given(query=QUERIES, advanced=st.booleans())
def test_search_gives_hits_or_a_query_error(library, query: str, advanced: bool) -> None:
    before = row_count(library)
    try:
        hits = search(library, query, limit=20, advanced=advanced)
    except QueryError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert all(hit.article_id for hit in hits)
    assert row_count(library) == before  # a query never writes


@SETTINGS
@given(spec=QUERIES)
def test_figure_search_gives_hits_or_a_query_error(library, spec: str) -> None:
    try:
        hits = search_figures(library, spec)
    except QueryError as error:
        assert str(error)
    else:
        assert all(hit.figure.value is not None for hit in hits)


@SETTINGS
@given(text=QUERIES)
def test_annotation_search_gives_results_or_a_query_error(library, text: str) -> None:
    try:
        list_annotations(library, search=text)
    except QueryError as error:
        assert str(error)


@SETTINGS
@given(name=st.one_of(st.text(max_size=80), st.lists(PIECES, max_size=4).map(" ".join)))
def test_a_tag_name_is_refused_clearly_or_found_again(library, name: str) -> None:
    try:
        cleaned = clean_tag(name)
    except TagError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert cleaned == cleaned.strip() and "," not in cleaned and "\x1b" not in cleaned
    article_id, body = library.execute("SELECT id, body FROM articles ORDER BY id").fetchone()
    made = annotate_quote(library, article_id, body.split()[5], tags=[name], occurrence=1)
    assert made.id in {a.id for a in list_annotations(library, tags=[name])}
    assert any(t.name.casefold() == cleaned.casefold() for t in list_tags(library))


# --------------------------------------------------------------------------- the CLI


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "library.db"
    db = connect(path)
    import_paths(db, [SAMPLE_CORPUS], workers=1)
    derive_all(db)
    article_id, body = db.execute("SELECT id, body FROM articles ORDER BY id").fetchone()
    annotate_quote(db, article_id, body.split()[3], note="à exporter", tags=["chiffre-clé"])
    db.close()
    return path


def assert_clean_exit(result, allowed: set[int]) -> None:
    """An expected exit code and, on error, one line without a traceback."""
    assert result.exit_code in allowed, (result.exit_code, result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    assert "Traceback" not in result.output and "unexpected error" not in result.output
    if result.exit_code:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@CLI_SETTINGS
@given(query=QUERIES.filter(lambda q: "\x00" not in q), advanced=st.booleans())
def test_cli_search_exits_cleanly(cli_db: Path, query: str, advanced: bool) -> None:
    args = ["--db", str(cli_db), "search", "--", query]
    if advanced:
        args.insert(3, "--advanced")
    assert_clean_exit(CliRunner().invoke(cli, args), {0, 1, 2})


@CLI_SETTINGS
@given(spec=QUERIES.filter(lambda q: "\x00" not in q))
def test_cli_figure_search_exits_cleanly(cli_db: Path, spec: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(cli_db), "search", "--figure", spec])
    assert_clean_exit(result, {0, 1, 2})


def export(cli_db: Path, output: Path | str, *extra: str):
    return CliRunner().invoke(cli, ["--db", str(cli_db), "export", "-o", str(output), *extra])


def test_export_into_a_missing_folder_is_a_clear_error(cli_db: Path, tmp_path: Path) -> None:
    result = export(cli_db, tmp_path / "missing" / "notes.json")
    assert_clean_exit(result, {2})
    assert "no such folder" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_export_onto_a_folder_is_a_clear_error(cli_db: Path, tmp_path: Path) -> None:
    result = export(cli_db, tmp_path)
    assert_clean_exit(result, {2})
    assert "is a folder" in result.stderr


def test_export_into_a_read_only_place_is_a_clear_error(cli_db: Path) -> None:
    """/proc refuses new files even to root (chmod would not stop root)."""
    result = export(cli_db, "/proc/recoupe-notes.json")
    assert_clean_exit(result, {2})
    assert "cannot write" in result.stderr
    assert not os.path.exists("/proc/recoupe-notes.json")


def test_an_existing_file_is_kept_without_force(cli_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "notes.json"
    target.write_text("mes notes précieuses", encoding="utf-8")
    result = export(cli_db, target)
    assert_clean_exit(result, {2})
    assert "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "mes notes précieuses"
    forced = export(cli_db, target, "--force")
    assert_clean_exit(forced, {0})
    assert json.loads(target.read_text(encoding="utf-8"))["total"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["notes.json"]  # no temporary file left


FILE_NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/"),
    min_size=1,
    max_size=40,
)


@CLI_SETTINGS
@given(name=FILE_NAMES, fmt=st.sampled_from(["json", "csv", "md"]))
def test_export_to_any_file_name_writes_it_or_says_why(
    cli_db: Path, tmp_path_factory: pytest.TempPathFactory, name: str, fmt: str
) -> None:
    folder = tmp_path_factory.mktemp("out")
    result = export(cli_db, folder / name, "--format", fmt)
    assert_clean_exit(result, {0, 2})
    written = [p for p in folder.iterdir()]
    if result.exit_code == 0:
        assert len(written) == 1 and written[0].stat().st_size > 0
    else:
        assert [p for p in written if p.name.endswith(".tmp")] == []


def test_any_store_error_is_a_recoupe_error() -> None:
    """The CLI maps RecoupeError to one line: the errors above must all be of that family."""
    assert issubclass(QueryError, RecoupeError) and issubclass(TagError, RecoupeError)


@pytest.mark.parametrize("spec", ["²", "①", ">=²", "2²", "10..①", "٣ victimes"])
def test_digits_float_cannot_read_are_a_query_error_not_a_crash(library, spec: str) -> None:
    """'²'.isdigit() is true but float('²') fails: found by the property test above."""
    with contextlib.suppress(QueryError):
        search_figures(library, spec)


HUGE = str(2**70)


@pytest.mark.parametrize(
    "args",
    [
        ["show", HUGE],
        ["annotate", HUGE, "--quote", "x"],
        ["figures", HUGE],
        ["export", "--article", HUGE],
        ["annotations", "--article", HUGE],
        ["compare", HUGE, "1"],
    ],
)
def test_an_id_too_large_for_sqlite_is_a_clear_error(cli_db: Path, args: list[str]) -> None:
    """It raised OverflowError, shown as an 'unexpected error'."""
    result = CliRunner().invoke(cli, ["--db", str(cli_db), *args])
    assert_clean_exit(result, {1, 2})
