"""Full-text ranking on SQLite: FTS5, accent-insensitive, bm25, snippets, kept rankings.

The query comes read already (store.search.query: safe mode quotes every word and
spells numbers every way FTS5 may have split them); this module ranks it. A number
whose forms could match another number is checked in each article found with an SQL
function (store.numbers.states_numbers). A malformed advanced query raises
QueryError with a readable message.

Ranking is bm25 (title weighted 8) over every matching article, in an outer
``ORDER BY score LIMIT`` (FTS5's own ``ORDER BY rank`` sorts every match in a query of its
own: 1.6x the CPU). That is about 0.7 µs per match, 70 ms for a word in every article of
a 100k library; when a core is idle the two halves of the ids are ranked at once. The
exact top 200 hits of a query without filters are kept in ``search_top`` once a search
has ranked them (when that took 2 ms or more), keyed by the query's index tokens and
tagged with the library's write counter (``search_generation``, bumped by triggers on
every insert, delete and text update): a later search of the same query (another page,
``operation`` after ``opération``) reads them back when nothing was written since, and
ranks live otherwise. bm25 depends on every article (idf, average length), so any write
makes every kept list stale: never a wrong order, only a slower first search.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from store.db.library import ArticleFilters, FullTextRequest
from store.db.sqlite.guard import SearchGuard
from store.db.sqlite.schema import FTS_TOKENIZER
from store.errors import QueryError, quoted
from store.models import HIGHLIGHT_END, HIGHLIGHT_START
from store.numbers import states_numbers

if TYPE_CHECKING:
    from store.db.library import Library

SNIPPET_TOKENS = 16
# bm25 weights for the title and body columns: a title match says most.
RANK_WEIGHTS = "bm25(8.0, 1.0)"


def full_text_search(library: Library, request: FullTextRequest) -> list[tuple[Any, ...]]:
    """(id, title, outlet, published, snippet, score) of one page of the best hits.

    On a large library the ranking runs on both halves of the articles at once, in
    two threads with their own connections (SQLite releases the GIL), and the two
    top lists are merged: bm25 uses whole-index statistics, so scores compare.

    Every connection the search uses checks its guard (store.db.sqlite.guard): past
    `request.budget` it stops with QueryTooCostly, once `request.cancel` is set with
    SearchCancelled.
    """
    key = None
    if not request.filters.params and request.offset + request.limit <= TOP_K:
        key = _cache_key(request)
    conn = library.conn
    if request.checked:
        allow_number_checks(conn)
    guard = SearchGuard(request.budget, request.cancel)
    try:
        with guard.watching(conn):
            ranking = _restricted(conn, request.match, request.filters, request.checked)
            return _best_rows(conn, ranking, key, request.limit, request.offset, guard)
    except sqlite3.OperationalError as exc:
        raise (guard.error(quoted(request.query)) or explain_fts_error(request.query, exc)) from exc


def explain_fts_error(query: str, error: sqlite3.Error) -> QueryError:
    """A QueryError a person can act on, from SQLite's message about an FTS5 query."""
    message = str(error)
    excerpt = quoted(query)
    column = re.match(r"no such column: (.+)", message)
    if column:
        return QueryError(
            f"unknown field '{column.group(1)}:' in {excerpt}: the fields are title: and body: "
            "(a hyphen starts a field too: quote the word, or leave advanced mode)"
        )
    near = re.search(r'syntax error near "(.*)"', message)
    if near:
        where = near.group(1) or "the end of the query"
        return QueryError(
            f"invalid search syntax near {quoted(where)} in {excerpt}: check quotes, parentheses "
            "and AND/OR/NOT, or search without advanced mode"
        )
    if "unterminated string" in message:
        return QueryError(f'unbalanced double quote in {excerpt}: close the phrase with "')
    return QueryError(f"cannot run the search {excerpt}: {message}")


@dataclass(frozen=True, slots=True)
class _Ranking:
    """What to rank: the FTS5 match and the filters' SQL with its parameters."""

    match: str
    where: str = ""
    where_params: tuple[object, ...] = ()


FEW_MATCHES = 5_000
"""Up to this many matches, a filtered search checks each match's article on its own."""


def _restricted(
    conn: sqlite3.Connection, match: str, filters: ArticleFilters, checked: str = ""
) -> _Ranking:
    """What to rank: the match, restricted to the articles that `filters` keep and that
    state the `checked` numbers.

    Never a plain ``rowid IN (SELECT ...)``: FTS5 takes it as one query per listed id and
    counts the matches for bm25's idf in each (at 100k articles: 5.7 s for ``les`` in one
    outlet). A match with few rows looks each of its articles up (``maillotins`` since
    2016: 0.0 ms against 38 for collecting 97 000 ids); one with many collects the
    filtered ids once and SQLite checks each match against them (``les`` in one outlet:
    23 ms against 93 for a lookup per match).
    """
    where, params = _filtered(conn, match, filters) if filters.params else ("", ())
    if checked:
        where += f" AND {_STATES_NUMBERS}(({_ARTICLE_TEXT}), ?)"
        params += (checked,)
    return _Ranking(match, where, params)


_STATES_NUMBERS = "recoupe_states_numbers"
_ARTICLE_TEXT = (
    # A line break: no number runs across it (title '... 2', body '500 ...').
    "SELECT a.title || char(10) || a.body FROM articles a WHERE a.id = articles_fts.rowid"
)


def allow_number_checks(conn: sqlite3.Connection) -> None:
    """Give `conn` the SQL function a search uses to check that an article states a number."""
    conn.create_function(_STATES_NUMBERS, 2, states_numbers, deterministic=True)


def _filtered(
    conn: sqlite3.Connection, match: str, filters: ArticleFilters
) -> tuple[str, tuple[object, ...]]:
    """The condition (and its parameters) that keeps the matches `filters` allow."""
    counted = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
        [match, FEW_MATCHES],
    ).fetchone()[0]
    if counted < FEW_MATCHES:
        where = (
            f"AND (SELECT {filters.per_article} FROM articles a WHERE a.id = articles_fts.rowid)"
        )
    else:  # the unary + keeps SQLite from handing the id list to FTS5
        where = f"AND +articles_fts.rowid IN (SELECT id FROM articles WHERE {filters.collected})"
    return where, filters.params


def _best_rows(
    conn: sqlite3.Connection,
    request: _Ranking,
    key: str | None,
    limit: int,
    offset: int,
    guard: SearchGuard | None = None,
) -> list[tuple[Any, ...]]:
    """(id, title, outlet, published, snippet, score) of one page of the best hits.

    Everything is read in one snapshot (one read transaction): the write counter, the
    kept or live ranking and the snippets agree. A query with a cache key reads its
    kept hits when they are still exact, else ranks its top TOP_K and keeps them.
    """
    own_transaction = not conn.in_transaction
    if own_transaction:
        conn.execute("BEGIN")
    try:
        generation, kept = _kept_hits(conn, key) if key else (_generation(conn), None)
        if kept is not None:
            return _with_snippets(conn, request.match, kept[offset : offset + limit])
        started = time.perf_counter()
        # A caller's transaction may hold writes or locks that another connection would
        # not see or would wait for: rank on this connection alone then.
        shared = generation if own_transaction else None
        hits = _ranked(conn, request, TOP_K if key else offset + limit, shared, guard)
        took = time.perf_counter() - started
        rows = _with_snippets(conn, request.match, hits[offset : offset + limit])
        # Kept only from a transaction of our own: a caller's may hold writes not yet final.
        if key and own_transaction and generation is not None and took >= CACHE_MIN_SECONDS:
            _keep_hits(conn, key, generation, hits)
        return rows
    finally:
        if own_transaction and conn.in_transaction:
            conn.execute("COMMIT")


def _generation(conn: sqlite3.Connection) -> int | None:
    """The library's write counter, or None on a database without one."""
    try:
        row = conn.execute("SELECT value FROM search_generation WHERE id = 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else int(row[0])


_BM25 = RANK_WEIGHTS.replace("bm25(", "bm25(articles_fts, ", 1)
_RANGE_SQL = (
    f"SELECT rowid, {_BM25} AS score FROM articles_fts "
    "WHERE articles_fts MATCH ? AND rowid BETWEEN ? AND ? {where} "
    "ORDER BY score, rowid LIMIT ?"
)
_ALL_ROWS = (-(2**63), 2**63 - 1)


def _ranked_range(
    conn: sqlite3.Connection, request: _Ranking, bounds: tuple[int, int], depth: int
) -> list[tuple[int, float]]:
    """The `depth` best (id, score) pairs among the articles whose ids lie in `bounds`."""
    sql = _RANGE_SQL.format(where=request.where)
    params = [request.match, *bounds, *request.where_params, depth]
    return conn.execute(sql, params).fetchall()


PARALLEL_MIN_ARTICLES = 20_000
"""From this many articles, a search ranks both halves of the library at once."""
_search_threads: Any = None
_thread_connections = threading.local()


def _ranked(
    conn: sqlite3.Connection,
    request: _Ranking,
    depth: int,
    generation: int | None,
    guard: SearchGuard | None = None,
) -> list[tuple[int, float]]:
    """The `depth` best (id, score) pairs of the match, best first, as `conn` sees them.

    On a large library another thread ranks the upper half of the ids on its own
    connection while this one ranks the lower half. The other connection reads the
    write counter in its own snapshot: when it differs from ours (a write landed in
    between, or it could not read at once), that half is ranked again here, so the hits
    always belong to our snapshot. `generation` is None when no other connection may help.
    Splitting only when another core is idle: see _a_core_is_free. The other thread's
    connection checks the same `guard` as ours: a cancelled search stops in both.
    """
    halves = _halves(conn) if generation is not None else None
    if halves is None:
        return _ranked_range(conn, request, _ALL_ROWS, depth)
    path, lower, upper = halves
    other = _search_pool().submit(_ranked_in_own_snapshot, path, request, upper, depth, guard)
    try:
        hits = _ranked_range(conn, request, lower, depth)
    except BaseException:
        # Stopped (cancelled, over budget) or refused: the other half stops or fails too
        # (same guard, same query); wait for it, so that no statement of a search that
        # has ended is still running behind it.
        from concurrent.futures import wait

        wait([other])
        raise
    upper_hits, seen = other.result()
    if seen != generation:
        if guard is not None and guard.stopped_by:  # the other half stopped: so do we
            raise sqlite3.OperationalError("interrupted")
        upper_hits = _ranked_range(conn, request, upper, depth)
    return sorted(hits + upper_hits, key=lambda hit: (hit[1], hit[0]))[:depth]


def _halves(db: Any) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    """(database file, lower half's id range, upper half's) when worth splitting, else None."""
    # Two subqueries: min() and max() in one SELECT would scan the table.
    low, high = db.execute(
        "SELECT (SELECT min(id) FROM articles), (SELECT max(id) FROM articles)"
    ).fetchone()
    if low is None or high - low < PARALLEL_MIN_ARTICLES or not _a_core_is_free():
        return None
    files = {name: file for _, name, file in db.execute("PRAGMA database_list").fetchall()}
    if not files.get("main"):
        return None  # an in-memory database cannot be opened by a second connection
    middle = (low + high) // 2
    return files["main"], (low, middle), (middle + 1, high)


def _a_core_is_free() -> bool:
    """Whether another core is idle right now, so that a second ranking thread runs at once.

    Measured at 100k articles on 2 cores with the other core busy: the two halves take
    as long as one ranking and cost 5 to 30 % more CPU (each connection counts the
    matches for idf, a prefix is expanded twice). Linux tells how many threads are
    runnable at this instant (``/proc/loadavg``, this one included), which follows the
    machine far better than the one-minute load average.
    """
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    if cores < 2:
        return False
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:
            running = int(handle.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        try:
            return os.getloadavg()[0] < cores - 0.5
        except OSError:
            return True
    return running < cores


def _search_pool() -> Any:
    """The threads that rank the other half (two: searches may overlap in the app)."""
    global _search_threads
    if _search_threads is None:
        from concurrent.futures import ThreadPoolExecutor

        _search_threads = ThreadPoolExecutor(2, thread_name_prefix="recoupe-search")
    return _search_threads


def _thread_connection(path: str) -> sqlite3.Connection:
    """This thread's own read-only connection to the database file."""
    connections = getattr(_thread_connections, "by_path", None)
    if connections is None:
        connections = _thread_connections.by_path = {}
    if path not in connections:
        # No busy wait: this thread must never wait for a lock while ours holds a read
        # lock (a writer waiting on both would stall all three); our thread ranks instead.
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0, isolation_level=None)
        allow_number_checks(conn)
        connections[path] = conn
    return connections[path]


def _ranked_in_own_snapshot(
    path: str,
    request: _Ranking,
    bounds: tuple[int, int],
    depth: int,
    guard: SearchGuard | None = None,
) -> tuple[list[tuple[int, float]], int | None]:
    """(best hits within `bounds`, write counter seen), read in one transaction of its own.

    On any SQLite error (busy, interrupted by the `guard`, or a malformed query that our
    own half reports too) the counter is None: the caller ranks this half itself, or
    stops when the guard stopped this one.
    """
    conn = _thread_connection(path)
    watching = guard.watching(conn) if guard is not None else contextlib.nullcontext()
    try:
        with watching:
            conn.execute("BEGIN")
            return _ranked_range(conn, request, bounds, depth), _generation(conn)
    except sqlite3.Error:
        return [], None
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def _with_snippets(db: Any, match: str, best: list[tuple[int, float]]) -> list[tuple[Any, ...]]:
    """(id, title, outlet, published, snippet, score) of already ranked (id, score) pairs."""
    if not best:
        return []
    marks = ", ".join("?" for _ in best)
    # FTS5 runs the match once per id of an IN list, which costs a seek for words and
    # phrases but merges every expansion of a prefix again (measured for traf*: 51 ms
    # for 20 ids, 4.8 ms for one pass over its matches with the ids checked by SQLite,
    # which `+rowid` asks for). No rank here: bm25 would count the matches once more.
    rowid = "+articles_fts.rowid" if "*" in match else "articles_fts.rowid"
    rows = db.execute(
        f"""SELECT a.id, a.title, a.outlet, a.published,
                   snippet(articles_fts, 1, ?, ?, '…', {SNIPPET_TOKENS})
            FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
            WHERE articles_fts MATCH ? AND {rowid} IN ({marks})""",
        [HIGHLIGHT_START, HIGHLIGHT_END, match, *(rowid for rowid, _ in best)],
    ).fetchall()
    order = {rowid: index for index, (rowid, _) in enumerate(best)}
    score = dict(best)
    return sorted(((*tuple(row), score[row[0]]) for row in rows), key=lambda row: order[row[0]])


# --------------------------------------------------------------------------- top-hits cache

TOP_K = 200
"""How many hits of a query are kept: a search up to this far down is served from them."""
CACHE_MIN_SECONDS = 0.002
"""A query whose live ranking took less than this is not worth keeping."""
KEPT_MAX = 1000
"""At most this many rankings are kept (about 6 kB each): the oldest go first."""
_BAREWORD = re.compile(r"\w+")
_FTS_KEYWORDS = frozenset(["AND", "OR", "NOT", "NEAR"])


def _cache_key(request: FullTextRequest) -> str | None:
    """What identifies the query's ranking in ``search_top``: its index tokens.

    A query of one word is keyed by its token alone (safe and advanced modes share
    it); other safe queries by their terms' tokens, or by their FTS5 query when they
    search numbers (``007`` and ``7`` search different forms); other advanced queries
    by their text, prefixed so no key collides with a token (tokens never hold ``:``).
    """
    if request.advanced:
        word = request.query.strip()
        if not _BAREWORD.fullmatch(word) or word in _FTS_KEYWORDS:
            return "advanced:" + request.query
        terms: tuple[str, ...] = (word,)
    elif request.has_numbers:
        return "safe:" + request.match
    else:
        terms = request.terms
    tokens = [fts_tokens(term) for term in terms]
    if len(tokens) == 1 and len(tokens[0]) == 1:
        return tokens[0][0]
    return "safe:" + "\x1f".join(" ".join(term) for term in tokens)


_tokenizer_lock = threading.Lock()
_tokenizer: sqlite3.Connection | None = None


@functools.lru_cache(maxsize=4096)
def fts_tokens(text: str) -> tuple[str, ...]:
    """The index tokens of `text`, as the library's FTS5 tokenizer makes them."""
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            conn.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{FTS_TOKENIZER}')")
            conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
            _tokenizer = conn
        _tokenizer.execute("DELETE FROM t")
        _tokenizer.execute("INSERT INTO t (x) VALUES (?)", [text])
        rows = _tokenizer.execute("SELECT term FROM v ORDER BY offset").fetchall()
    return tuple(term for (term,) in rows)


def _kept_hits(conn: sqlite3.Connection, key: str) -> tuple[int | None, list[Any] | None]:
    """(write counter, the kept hits of `key` if computed at that counter, else None)."""
    try:
        row = conn.execute(
            """SELECT g.value, t.generation, t.weights, t.hits
               FROM search_generation g LEFT JOIN search_top t ON t.term = ?
               WHERE g.id = 1""",
            [key],
        ).fetchone()
    except sqlite3.OperationalError:  # a database without the cache tables
        return None, None
    if row is None:
        return None, None
    generation, kept_at, weights, hits = row
    if kept_at != generation or weights != RANK_WEIGHTS:
        return generation, None
    return generation, [tuple(hit) for hit in json.loads(hits)]


def _keep_hits(
    conn: sqlite3.Connection, key: str, generation: int, hits: list[tuple[int, float]]
) -> None:
    """Store the top hits computed in this read transaction, if it can write right now.

    The write happens in the same transaction as the ranking: if another connection
    wrote since, SQLite refuses the upgrade and nothing is stored. Lists ranked before
    the last write can never be read again: they go.
    """
    timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("DELETE FROM search_top WHERE generation <> ?", [generation])
        conn.execute(
            "INSERT OR REPLACE INTO search_top (term, weights, generation, hits) "
            "VALUES (?, ?, ?, ?)",
            [key, RANK_WEIGHTS, generation, json.dumps([list(hit) for hit in hits])],
        )
        conn.execute(
            "DELETE FROM search_top WHERE rowid <= (SELECT max(rowid) FROM search_top) - ?",
            [KEPT_MAX],
        )
    except sqlite3.OperationalError:  # busy, or a read-only connection: rank live next time
        conn.execute("ROLLBACK")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
