"""Full-text search over the library (SQLite FTS5, accent-insensitive, bm25 ranking).

Two modes:

* safe (the default): any text a person types is searched as words. Every word is
  quoted for FTS5, so ``l'opération``, ``Jean-Pierre``, ``24-27`` or an unbalanced
  quote never reach the FTS5 parser as syntax. A number is searched in each way
  FTS5 may have split it, and checked in the articles found where one of those ways
  could match another number (see ``store.numbers``): ``2 517``, ``2.517`` and
  ``2517`` find the same articles, ``2 500`` not ``2 500 000``. Common French and
  English words are dropped when the query has other words: they add little to the
  ranking and cost the most.
* advanced: the query is FTS5 syntax (``"phrases"``, ``prefix*``, AND/OR/NOT,
  NEAR, ``title:``). A malformed query raises QueryError with a readable message.

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

import functools
import json
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from store.errors import QueryError
from store.library import normalize_date
from store.models import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit, split_highlights
from store.numbers import NUMBER_RE, canonical_number, find_numbers, states_numbers, token_forms
from store.spans import merge_spans

if TYPE_CHECKING:
    from store.db import Library

SNIPPET_TOKENS = 16
# bm25 weights for the title and body columns: a title match says most.
RANK_WEIGHTS = "bm25(8.0, 1.0)"

STOP_WORDS = frozenset(
    [
        "a",
        "à",
        "au",
        "aux",
        "avec",
        "c",
        "ce",
        "ces",
        "cet",
        "cette",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "en",
        "et",
        "est",
        "il",
        "ils",
        "j",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "m",
        "ma",
        "mais",
        "me",
        "mes",
        "n",
        "ne",
        "nous",
        "on",
        "ou",
        "où",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "son",
        "sont",
        "sur",
        "t",
        "ta",
        "te",
        "tes",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "été",
        "être",
        "avoir",
        "ont",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "with",
    ]
)

_QUERY_NUMBER = NUMBER_RE
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query ready for FTS5, with the numbers it asks for (canonical spelling).

    `checked`: the numbers (canonical, space-separated) that each article found must
    state, because a form they are searched under may match another number too.
    """

    match: str
    numbers: tuple[str, ...]
    terms: tuple[str, ...] = ()
    checked: str = ""


def parse_safe_query(query: str) -> ParsedQuery:
    """Turn free text into an FTS5 query of quoted words; QueryError when nothing is left."""
    surfaces = [m.group() for m in _QUERY_NUMBER.finditer(query)]
    numbers = [canonical_number(surface) for surface in surfaces]
    words = _WORD.findall(_QUERY_NUMBER.sub(" ", query))
    words = [w for w in words if w.strip("_")]
    content = [w for w in words if w.lower() not in STOP_WORDS]
    kept_words = content if (content or numbers) else words
    if not numbers and not kept_words:
        raise QueryError("nothing to search for: type at least one word or number")
    forms = [token_forms(surface) for surface in surfaces]
    parts = [_any_of(number_forms) for number_forms in forms]
    parts += ['"' + word.replace('"', '""') + '"' for word in kept_words]
    checked = dict.fromkeys(
        number
        for number, number_forms in zip(numbers, forms, strict=True)
        if any(len(form) > 1 for form in number_forms)
    )
    return ParsedQuery(
        # FTS5 reads two terms side by side as AND, but not after a parenthesis.
        match=(" AND " if numbers else " ").join(parts),
        numbers=tuple(numbers),
        terms=tuple(numbers + kept_words),
        checked=" ".join(checked),
    )


def _any_of(forms: tuple[tuple[str, ...], ...]) -> str:
    """An FTS5 expression matching any of the token sequences (digits: nothing to quote)."""
    phrases = ['"' + " ".join(form) + '"' for form in forms]
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def explain_fts_error(query: str, error: sqlite3.Error) -> QueryError:
    """A QueryError a person can act on, from SQLite's message about an FTS5 query."""
    message = str(error)
    column = re.match(r"no such column: (.+)", message)
    if column:
        return QueryError(
            f"unknown field '{column.group(1)}:' in {query!r}: the fields are title: and body: "
            "(a hyphen starts a field too: quote the word, or leave advanced mode)"
        )
    near = re.search(r'syntax error near "(.*)"', message)
    if near:
        where = near.group(1) or "the end of the query"
        return QueryError(
            f"invalid search syntax near {where!r} in {query!r}: check quotes, parentheses "
            "and AND/OR/NOT, or search without advanced mode"
        )
    if "unterminated string" in message:
        return QueryError(f'unbalanced double quote in {query!r}: close the phrase with "')
    return QueryError(f"cannot run the search {query!r}: {message}")


def _check_date(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    iso = normalize_date(value)
    if iso is None:
        raise QueryError(f"{name} date {value!r} is not a date: use YYYY-MM-DD")
    return iso


def search(
    db: Library,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    advanced: bool = False,
) -> list[SearchHit]:
    """Ranked articles matching `query`, best first, each with a highlighted snippet.

    On a large library the ranking runs on both halves of the articles at once, in
    two threads with their own connections (SQLite releases the GIL), and the two
    top lists are merged: bm25 uses whole-index statistics, so scores compare.
    """
    if advanced:
        if not query.strip():
            raise QueryError("nothing to search for: type at least one word or number")
        parsed = ParsedQuery(match=query, numbers=())
    else:
        parsed = parse_safe_query(query)
    filters = _filters(outlet, since, until)
    key = None
    if not filters.params and offset + limit <= TOP_K:
        key = _cache_key(query, parsed, advanced)
    conn = getattr(db, "conn", db)
    if parsed.checked:
        allow_number_checks(conn)
    try:
        request = _restricted(conn, parsed.match, filters, parsed.checked)
        rows = _best_rows(conn, request, key, limit, offset)
    except sqlite3.OperationalError as exc:
        raise explain_fts_error(query, exc) from exc
    hits = [SearchHit(*row[:4], " ".join(row[4].split()), row[5]) for row in rows]
    if parsed.numbers:
        hits = [_highlight_numbers(db, hit, parsed.numbers) for hit in hits]
    return hits


@dataclass(frozen=True, slots=True)
class _Filters:
    """The outlet and date range asked for, as conditions on ``articles``.

    `per_article` is checked on one article at a time; `collected` selects the kept
    articles in one go, finding the outlet through its index (``COLLATE NOCASE`` alone
    cannot use the index, which made ``trafic`` in one outlet before 2024 cost 131 ms
    instead of 16 at 100k articles).
    """

    per_article: str = ""
    collected: str = ""
    params: tuple[object, ...] = ()


def _filters(outlet: str | None, since: str | None, until: str | None) -> _Filters:
    """The conditions for the outlet and date range asked for (empty without filters)."""
    since_iso = _check_date(since, "--since")
    until_iso = _check_date(until, "--until")
    per_article: list[str] = []
    collected: list[str] = []
    params: list[object] = []
    if outlet:
        per_article.append("outlet = ? COLLATE NOCASE")
        collected.append(
            "outlet IN (SELECT DISTINCT outlet FROM articles WHERE outlet = ? COLLATE NOCASE)"
        )
        params.append(outlet)
    for bound, operator in ((since_iso, ">="), (until_iso, "<=")):
        if bound:
            per_article.append(f"published {operator} ?")
            collected.append(f"published {operator} ?")
            params.append(bound)
    return _Filters(" AND ".join(per_article), " AND ".join(collected), tuple(params))


@dataclass(frozen=True, slots=True)
class _Ranking:
    """What to rank: the FTS5 match and the filters' SQL with its parameters."""

    match: str
    where: str = ""
    where_params: tuple[object, ...] = ()


FEW_MATCHES = 5_000
"""Up to this many matches, a filtered search checks each match's article on its own."""


def _restricted(
    conn: sqlite3.Connection, match: str, filters: _Filters, checked: str = ""
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
    conn: sqlite3.Connection, match: str, filters: _Filters
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
    conn: sqlite3.Connection, request: _Ranking, key: str | None, limit: int, offset: int
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
        hits = _ranked(conn, request, TOP_K if key else offset + limit, shared)
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
    conn: sqlite3.Connection, request: _Ranking, depth: int, generation: int | None
) -> list[tuple[int, float]]:
    """The `depth` best (id, score) pairs of the match, best first, as `conn` sees them.

    On a large library another thread ranks the upper half of the ids on its own
    connection while this one ranks the lower half. The other connection reads the
    write counter in its own snapshot: when it differs from ours (a write landed in
    between, or it could not read at once), that half is ranked again here, so the hits
    always belong to our snapshot. `generation` is None when no other connection may help.
    Splitting only when another core is idle: see _a_core_is_free.
    """
    halves = _halves(conn) if generation is not None else None
    if halves is None:
        return _ranked_range(conn, request, _ALL_ROWS, depth)
    path, lower, upper = halves
    other = _search_pool().submit(_ranked_in_own_snapshot, path, request, upper, depth)
    hits = _ranked_range(conn, request, lower, depth)
    upper_hits, seen = other.result()
    if seen != generation:
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
    path: str, request: _Ranking, bounds: tuple[int, int], depth: int
) -> tuple[list[tuple[int, float]], int | None]:
    """(best hits within `bounds`, write counter seen), read in one transaction of its own.

    On any SQLite error (busy, or a malformed query that our own half reports too) the
    counter is None: the caller ranks this half itself.
    """
    conn = _thread_connection(path)
    try:
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


def _cache_key(query: str, parsed: ParsedQuery, advanced: bool) -> str | None:
    """What identifies the query's ranking in ``search_top``: its index tokens.

    A query of one word is keyed by its token alone (safe and advanced modes share
    it); other safe queries by their terms' tokens, or by their FTS5 query when they
    search numbers (``007`` and ``7`` search different forms); other advanced queries
    by their text, prefixed so no key collides with a token (tokens never hold ``:``).
    """
    if advanced:
        word = query.strip()
        if not _BAREWORD.fullmatch(word) or word in _FTS_KEYWORDS:
            return "advanced:" + query
        terms: tuple[str, ...] = (word,)
    elif parsed.numbers:
        return "safe:" + parsed.match
    else:
        terms = parsed.terms
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
    from store.db import FTS_TOKENIZER

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


def _highlight_numbers(db: Library, hit: SearchHit, numbers: tuple[str, ...]) -> SearchHit:
    """Mark the searched numbers in the snippet, however the article spells them."""
    snippet = _mark_numbers(hit.snippet, numbers)
    if HIGHLIGHT_START not in snippet:
        # FTS5 chose the fragment without seeing '2 517' as 2517: cut one around the number.
        body = db.execute("SELECT body FROM articles WHERE id = ?", [hit.article_id]).fetchone()[0]
        snippet = _snippet_around_number(body, numbers) or snippet
    return SearchHit(hit.article_id, hit.title, hit.outlet, hit.published, snippet, hit.score)


def _mark_numbers(text: str, numbers: tuple[str, ...]) -> str:
    """Add highlight markers around the wanted numbers, merged with the existing ones."""
    plain_parts: list[str] = []
    marked: list[tuple[int, int]] = []
    position = 0
    for piece, is_match in split_highlights(text):
        if is_match:
            marked.append((position, position + len(piece)))
        plain_parts.append(piece)
        position += len(piece)
    plain = "".join(plain_parts)
    wanted = set(numbers)
    marked += [(s, e) for s, e, canonical in find_numbers(plain) if canonical in wanted]
    pieces: list[str] = []
    last = 0
    for start, end in merge_spans(marked):
        pieces += [plain[last:start], HIGHLIGHT_START, plain[start:end], HIGHLIGHT_END]
        last = end
    pieces.append(plain[last:])
    return "".join(pieces)


def _snippet_around_number(body: str, numbers: tuple[str, ...], width: int = 60) -> str | None:
    """About `width` characters each side of the first wanted number, cut between words."""
    for start, end, canonical in find_numbers(body):
        if canonical in numbers:
            left = max(0, start - width)
            if left:  # start after a space, not in the middle of a word
                space = body.find(" ", left, start)
                left = space + 1 if space != -1 else left
            right = min(len(body), end + width)
            if right < len(body):
                space = body.rfind(" ", end, right)
                right = space if space != -1 else right
            prefix = "…" if left else ""
            suffix = "…" if right < len(body) else ""
            text = body[left:start] + HIGHLIGHT_START + body[start:end] + HIGHLIGHT_END
            return prefix + " ".join((text + body[end:right]).split()) + suffix
    return None
