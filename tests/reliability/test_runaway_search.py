"""A search that never ends (issue 19, hole 1): folded, bounded, interrupted, cancelled.

Mechanism, never timing: a search is stopped by its guard while SQLite runs it (a row
check that moves a fake clock past the budget, or sets the cancel event), and the
connections it used are left without a progress handler.
"""

from __future__ import annotations

import sqlite3
import threading
import types

import pytest
import sqlite_utils

import store.db.sqlite.fulltext as fulltext
import store.db.sqlite.guard as guard_module
from store.db.sqlite.guard import SearchGuard
from store.errors import QUOTED_CHARS, QueryError, QueryTooCostly, SearchCancelled
from store.search import cancel_all_searches, parse_safe_query, query_notices, search
from store.search.limits import (
    MAX_ADVANCED_TERMS,
    MAX_SAFE_TERMS,
    SNIPPET_CHARS,
    SNIPPET_WORD_CHARS,
)

NUMBER_QUERY = "2 517"  # searched in several token forms, so every row found is checked
LIVE = fulltext.TOP_K + 1  # a page this deep is ranked live, never read from kept rankings


def test_repeated_words_are_searched_once_with_a_notice(sample_db: sqlite_utils.Database) -> None:
    repeated = " ".join(["de"] * 300)
    parsed = parse_safe_query(repeated)
    assert parsed.match == '"de"'
    assert parsed.notices == ("299 repeated words searched once",)
    assert parse_safe_query("Opération operation OPERATION").terms == ("Opération",)
    assert search(sample_db, repeated) == search(sample_db, "de")


def test_a_query_keeps_its_first_terms_with_a_notice() -> None:
    words = [f"mot{index}" for index in range(10_000)]
    parsed = parse_safe_query(" ".join(words))
    assert parsed.terms == tuple(words[:MAX_SAFE_TERMS])
    assert query_notices(" ".join(words)) == (
        f"only the first {MAX_SAFE_TERMS} of 10000 words searched: refine the query",
    )
    assert query_notices("trafic migrants") == ()


def test_an_advanced_query_of_too_many_words_is_refused_quoting_little() -> None:
    query = "NEAR(" + " ".join(["de"] * (MAX_ADVANCED_TERMS + 1)) + ")"
    conn = sqlite3.connect(":memory:")
    with pytest.raises(QueryError) as caught:
        search(conn, query, advanced=True)
    message = str(caught.value)
    assert message.startswith("query too costly: refine it")
    assert query not in message and len(message) < QUOTED_CHARS + 120


def test_an_advanced_syntax_error_quotes_a_cut_query(sample_db: sqlite_utils.Database) -> None:
    query = "trafic AND (" + "x" * 10_000
    with pytest.raises(QueryError) as caught:
        search(sample_db, query, advanced=True)
    message = str(caught.value)
    assert "…" in message and len(message) < 2 * QUOTED_CHARS + 200


def row_check_that(monkeypatch: pytest.MonkeyPatch, action) -> list[int]:
    """Replace the per-row number check of a search by one that runs `action` first."""
    calls: list[int] = []
    original = fulltext.states_numbers

    def checking(text: str, numbers: str) -> bool:
        calls.append(1)
        action()
        return original(text, numbers)

    monkeypatch.setattr(fulltext, "states_numbers", checking)
    return calls


def test_a_search_over_its_budget_stops_with_query_too_costly(
    sample_db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [0.0]
    monkeypatch.setattr(guard_module, "time", types.SimpleNamespace(monotonic=lambda: clock[0]))
    assert search(sample_db, NUMBER_QUERY, limit=LIVE, budget=5.0)  # within budget: found

    def an_hour_passes() -> None:
        clock[0] += 3600

    calls = row_check_that(monkeypatch, an_hour_passes)
    with pytest.raises(QueryTooCostly, match="query too costly: refine it"):
        search(sample_db, NUMBER_QUERY, limit=LIVE, budget=5.0)
    assert calls  # stopped while SQLite ran the query, not before
    assert search(sample_db, NUMBER_QUERY, limit=LIVE, budget=None)  # the connection works on


def test_a_search_cancelled_from_another_thread_stops(
    sample_db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    cancel = threading.Event()
    calls = row_check_that(monkeypatch, cancel.set)
    with pytest.raises(SearchCancelled):
        search(sample_db, NUMBER_QUERY, limit=LIVE, cancel=cancel)
    assert calls
    conn = sample_db.conn
    # No handler left behind: a long statement on the same connection runs to its end.
    count = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) "
    assert conn.execute(count + "SELECT count(*) FROM c").fetchone()[0] == 200_000


def test_both_halves_of_a_parallel_search_stop(
    sample_db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "PARALLEL_MIN_ARTICLES", 1)
    monkeypatch.setattr(fulltext, "_a_core_is_free", lambda: True)
    monkeypatch.setattr(guard_module, "PROGRESS_STEPS", 1)  # the sample's queries are short
    other_halves: list[tuple[list, int | None]] = []
    rank_other_half = fulltext._ranked_in_own_snapshot

    def recorded(*args):
        other_halves.append(rank_other_half(*args))
        return other_halves[-1]

    monkeypatch.setattr(fulltext, "_ranked_in_own_snapshot", recorded)
    assert search(sample_db, NUMBER_QUERY, limit=LIVE)
    assert other_halves[-1][1] is not None  # not cancelled: the other half ranked its ids
    cancel = threading.Event()
    rank_range = fulltext._ranked_range

    def cancelled_in_the_other_thread(conn, request, bounds, depth):
        if threading.current_thread().name.startswith("recoupe-search"):
            cancel.set()  # while the other half's statement is about to run
        return rank_range(conn, request, bounds, depth)

    monkeypatch.setattr(fulltext, "_ranked_range", cancelled_in_the_other_thread)
    with pytest.raises(SearchCancelled):
        search(sample_db, NUMBER_QUERY, limit=LIVE, cancel=cancel)
    assert other_halves[-1] == ([], None)  # the other thread's statement was stopped


def test_an_endless_statement_is_stopped_by_cancel_all_searches() -> None:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    guard = SearchGuard(budget=None)
    endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"
    started = threading.Event()
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            with guard.watching(conn):
                started.set()
                conn.execute(endless).fetchone()
        except sqlite3.OperationalError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    started.wait(5)
    cancel_all_searches()
    thread.join(30)
    assert not thread.is_alive()
    assert [str(exc) for exc in outcome] == ["interrupted"]
    assert guard.stopped_by == "cancel"


def test_a_huge_word_comes_back_cut_in_its_snippet(db: sqlite_utils.Database) -> None:
    from store.ingest import import_text

    word = "zorglub" * 30_000  # 210 000 characters, one FTS5 token
    import_text(db, f"Avant {word} après la fin.", source_key="huge", title="Un mot immense")
    hits = search(db, word[:30] + "*", advanced=True) or search(db, "Avant")
    assert hits
    snippet = hits[0].plain_snippet
    assert len(snippet) <= SNIPPET_CHARS + 1
    assert word[: SNIPPET_WORD_CHARS + 1] not in snippet


# --------------------------------------------------------------------------- the app


@pytest.fixture
def library_path(sample_db: sqlite_utils.Database, db_path):
    """A database file holding the three sample articles."""
    return db_path


ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"


class EndlessSearch:
    """Stands for a query that would run for minutes: an endless statement on the app's
    reader connection, under a real guard (30 s at worst, should cancelling fail)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import store.search

        self.started = threading.Event()
        self.stopped_by: list[str | None] = []
        self.real_search = store.search.search
        monkeypatch.setattr(store.search, "search", self)

    def __call__(self, db, query: str, **options):
        if query != "endless":
            return self.real_search(db, query, **options)
        guard = SearchGuard(budget=30, cancel=options.get("cancel"))
        conn = getattr(db, "conn", db)  # a Library handle, or a connection
        self.started.set()
        try:
            with guard.watching(conn):
                conn.execute(ENDLESS).fetchone()
        except sqlite3.OperationalError as exc:
            self.stopped_by.append(guard.stopped_by)
            raise guard.error("'endless'") from exc
        return []


async def wait_for(event: threading.Event, pilot) -> None:
    for _ in range(500):
        if event.is_set():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")


@pytest.mark.asyncio
async def test_a_new_query_cancels_the_search_still_running(
    library_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tui.conftest import settle
    from tui.app import RecoupeApp
    from tui.messages import SearchRequested
    from tui.widgets.search_results import SearchResults

    endless = EndlessSearch(monkeypatch)
    app = RecoupeApp(library_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.post_message(SearchRequested("endless"))
        await wait_for(endless.started, pilot)
        # The list reads its pages on a connection the search does not hold.
        listed: list[int] = []

        def read_a_page() -> None:
            with app.database.read() as reader:
                listed.append(reader.execute("SELECT count(*) FROM articles").fetchone()[0])

        reading = threading.Thread(target=read_a_page)
        reading.start()
        reading.join(10)
        assert listed == [3]
        app.screen.post_message(SearchRequested("interpol"))
        await settle(pilot)  # the interpol search waited for the reader connection
        assert endless.stopped_by == ["cancel"]
        assert app.screen.query_one(SearchResults).query_text == "interpol"


@pytest.mark.asyncio
async def test_ctrl_q_quits_while_a_search_runs(
    library_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.tui.conftest import settle
    from tui.app import RecoupeApp
    from tui.messages import SearchRequested

    endless = EndlessSearch(monkeypatch)
    app = RecoupeApp(library_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.post_message(SearchRequested("endless"))
        await wait_for(endless.started, pilot)
        await pilot.press("ctrl+q")
    assert endless.stopped_by == ["cancel"]
    assert app.return_code == 0


def test_the_cli_tells_what_it_changed_in_the_query(library_path) -> None:
    from click.testing import CliRunner

    from tui.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(library_path), "search", "interpol interpol"])
    assert result.exit_code == 0
    assert result.stderr == "recoupe: note: 1 repeated word searched once\n"
    many = " ".join(f"mot{index}" for index in range(40))
    missed = runner.invoke(cli, ["--db", str(library_path), "search", many])
    assert missed.exit_code == 1
    assert len(missed.stderr.splitlines()) == 1  # the notice rides on the one error line
    assert f"only the first {MAX_SAFE_TERMS} of 40 words searched" in missed.stderr


def test_ctrl_c_stops_a_search_with_keyboard_interrupt(
    sample_db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal

    def ctrl_c() -> None:
        # What Python does when SIGINT arrives, without an asynchronous signal (whose
        # handling could land in another test): call the handler installed now. Were it
        # still the default one, KeyboardInterrupt would be raised inside SQLite and lost.
        signal.getsignal(signal.SIGINT)(signal.SIGINT, None)

    row_check_that(monkeypatch, ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        search(sample_db, NUMBER_QUERY, limit=LIVE)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


@pytest.mark.asyncio
async def test_the_app_tells_what_it_changed_in_the_query(library_path) -> None:
    from textual.widgets import Label

    from tests.tui.conftest import settle
    from tui.app import RecoupeApp
    from tui.messages import SearchRequested

    app = RecoupeApp(library_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.post_message(SearchRequested("interpol interpol INTERPOL"))
        await settle(pilot)
        status = str(app.screen.query_one("#search-status", Label).render())
        assert "result" in status and "2 repeated words searched once" in status
