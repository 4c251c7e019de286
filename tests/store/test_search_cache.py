"""The kept top hits of frequent words: same hits and order as ranking live, never stale."""

from __future__ import annotations

import pytest

import store.db.sqlite.fulltext as search_module
from store.db import Library
from store.db.sqlite.fulltext import RANK_WEIGHTS, SNIPPET_TOKENS, TOP_K, fts_tokens
from store.ingest.importer import import_text
from store.library.articles import delete_article
from store.models import HIGHLIGHT_END, HIGHLIGHT_START
from store.search import parse_safe_query, search


def plain_ranked(db: Library, match: str, limit: int, offset: int) -> list[tuple]:
    """(id, snippet, score) of FTS5's own ``ORDER BY rank`` query: what search() must equal.

    search() ranks with bm25() in an outer ``ORDER BY ... LIMIT`` instead (FTS5 sorts every
    match of ``ORDER BY rank`` in a query of its own: 1.6x the CPU at 100k articles).
    """
    rows = db.execute(
        f"""SELECT rowid, snippet(articles_fts, 1, ?, ?, '…', {SNIPPET_TOKENS}), rank
            FROM articles_fts
            WHERE articles_fts MATCH ? AND rank MATCH '{RANK_WEIGHTS}'
            ORDER BY rank LIMIT ? OFFSET ?""",
        [HIGHLIGHT_START, HIGHLIGHT_END, match, limit, offset],
    ).fetchall()
    return [(row[0], " ".join(row[1].split()), row[2]) for row in rows]


def live(db: Library, query: str, limit: int = 20, offset: int = 0) -> list[tuple]:
    """(id, snippet, score) of the plain ranked query, with no cache involved."""
    return plain_ranked(db, parse_safe_query(query).match, limit, offset)


def served(db: Library, query: str, limit: int = 20, offset: int = 0) -> list[tuple]:
    return [
        (h.article_id, h.snippet, h.score) for h in search(db, query, limit=limit, offset=offset)
    ]


def kept_terms(db: Library) -> dict[str, int]:
    """term -> write counter it was ranked at."""
    return dict(db.execute("SELECT term, generation FROM search_top").fetchall())


@pytest.fixture
def busy_db(db: Library, monkeypatch: pytest.MonkeyPatch) -> Library:
    """60 articles where 'douane' appears with varied counts and lengths; every ranking kept."""
    monkeypatch.setattr(search_module, "CACHE_MIN_SECONDS", 0.0)
    for n in range(60):
        body = " ".join(["La douane contrôle."] * (1 + n % 7) + ["Un mot de plus."] * (n % 11))
        title = "Douane" if n % 13 == 0 else f"Article {n}"
        import_text(db, body, source_key=f"k{n}", title=title, outlet="Le Monde")
    return db


def test_a_kept_ranking_gives_the_same_hits_in_the_same_order(busy_db) -> None:
    first = served(busy_db, "douane", limit=50)  # ranked live, then kept
    assert "douane" in kept_terms(busy_db)
    second = served(busy_db, "Douane", limit=50)  # read back
    expected = live(busy_db, "douane", limit=50)
    assert len(expected) == 50
    assert first == second == expected
    assert [score for _, _, score in second] == sorted(score for _, _, score in second)


def test_kept_hits_page_like_live_ones_and_serve_accent_variants(busy_db) -> None:
    served(busy_db, "douane", limit=20)
    for offset in (0, 7, 40):
        assert served(busy_db, "douane", limit=10, offset=offset) == live(
            busy_db, "douane", limit=10, offset=offset
        )
    import_text(busy_db, "Une opération, deux opérations.", source_key="op", title="Opé")
    served(busy_db, "opération")
    assert "operation" in kept_terms(busy_db)
    assert served(busy_db, "operation") == live(busy_db, "opération")


def test_an_insert_makes_kept_hits_stale(busy_db) -> None:
    served(busy_db, "douane")
    generation = kept_terms(busy_db)["douane"]
    import_text(busy_db, "douane douane douane", source_key="new", title="Douane douane")
    new_id = busy_db.execute("SELECT id FROM articles WHERE source_key = 'new'").fetchone()[0]
    hits = served(busy_db, "douane")
    assert hits[0][0] == new_id  # the new best article, not the kept list
    assert hits == live(busy_db, "douane")
    assert kept_terms(busy_db)["douane"] > generation  # ranked again and kept again
    assert served(busy_db, "douane") == hits


def test_an_update_makes_kept_hits_stale(busy_db) -> None:
    best = served(busy_db, "douane")[0][0]
    key = busy_db.execute("SELECT source_key FROM articles WHERE id = ?", [best]).fetchone()[0]
    import_text(busy_db, "Plus rien à voir ici.", source_key=key, title="Changé")
    hits = served(busy_db, "douane")
    assert best not in [article_id for article_id, _, _ in hits]
    assert hits == live(busy_db, "douane")


def test_a_delete_makes_kept_hits_stale(busy_db) -> None:
    before = served(busy_db, "douane")
    delete_article(busy_db, before[0][0])
    hits = served(busy_db, "douane")
    assert before[0][0] not in [article_id for article_id, _, _ in hits]
    assert hits == live(busy_db, "douane")
    assert len(hits) == 20


def test_a_stale_list_is_never_read_even_when_it_cannot_be_refreshed(busy_db) -> None:
    served(busy_db, "douane")
    # Another version of the ranking could only come from a write: fake one with an old list.
    busy_db.execute("UPDATE search_top SET hits = '[[1, -99.0]]'")
    busy_db.execute("UPDATE search_generation SET value = value + 1")
    assert served(busy_db, "douane") == live(busy_db, "douane")


def test_filters_and_deep_pages_rank_live_and_keep_nothing(busy_db) -> None:
    served(busy_db, "douane", limit=TOP_K + 1)
    search(busy_db, "douane", outlet="Le Monde")
    search(busy_db, "douane contrôle", since="2000-01-01")
    assert kept_terms(busy_db) == {}


def test_several_words_phrases_and_prefixes_are_kept_exactly(busy_db) -> None:
    assert served(busy_db, "douane contrôle") == served(busy_db, "DOUANE controle")
    assert served(busy_db, "douane contrôle") == live(busy_db, "douane contrôle")
    for query in ('"la douane"', "douan*", "douane OR plus", "title:douane"):
        first = search(busy_db, query, advanced=True)
        again = search(busy_db, query, advanced=True)
        expected = plain_ranked(busy_db, query, 20, 0)
        assert expected
        assert [(h.article_id, h.snippet, h.score) for h in again] == expected
        assert first == again
    assert set(kept_terms(busy_db)) == {
        "safe:douane\x1fcontrole",
        'advanced:"la douane"',
        "advanced:douan*",
        "advanced:douane OR plus",
        "advanced:title:douane",
    }


def test_a_write_drops_the_lists_it_made_stale(busy_db) -> None:
    served(busy_db, "douane")
    served(busy_db, "douane contrôle")
    import_text(busy_db, "Autre chose.", source_key="other", title="Autre")
    served(busy_db, "douane")
    assert set(kept_terms(busy_db)) == {"douane"}


def test_a_malformed_advanced_query_still_raises_and_keeps_nothing(busy_db) -> None:
    from store.errors import QueryError

    with pytest.raises(QueryError):
        search(busy_db, '"douane', advanced=True)
    assert kept_terms(busy_db) == {}
    assert served(busy_db, "douane") == live(busy_db, "douane")


def test_tokens_follow_the_index_tokenizer() -> None:
    assert fts_tokens("Opération") == ("operation",)
    assert fts_tokens("JÜRGEN") == ("jurgen",)
    assert fts_tokens("foo_bar") == ("foo", "bar")


def test_a_ranking_split_over_two_threads_is_kept_exactly(busy_db, monkeypatch) -> None:
    monkeypatch.setattr(search_module, "PARALLEL_MIN_ARTICLES", 10)
    monkeypatch.setattr(search_module, "_a_core_is_free", lambda: True)
    expected = live(busy_db, "douane", limit=50)
    assert served(busy_db, "douane", limit=50) == expected  # ranked in halves, then kept
    assert "douane" in kept_terms(busy_db)
    assert served(busy_db, "douane", limit=50) == expected


def test_a_half_ranked_after_a_write_is_ranked_again_in_our_snapshot(busy_db, monkeypatch) -> None:
    monkeypatch.setattr(search_module, "PARALLEL_MIN_ARTICLES", 10)
    monkeypatch.setattr(search_module, "_a_core_is_free", lambda: True)
    expected = live(busy_db, "douane", limit=50)

    def after_a_write(path, request, bounds, depth):
        return [(bounds[0], -99.0)], 10**6  # what another snapshot could say: never merged

    monkeypatch.setattr(search_module, "_ranked_in_own_snapshot", after_a_write)
    assert served(busy_db, "douane", limit=50) == expected


def test_a_half_that_cannot_be_read_at_once_is_ranked_in_our_snapshot(busy_db, monkeypatch) -> None:
    import sqlite3

    monkeypatch.setattr(search_module, "PARALLEL_MIN_ARTICLES", 10)
    monkeypatch.setattr(search_module, "_a_core_is_free", lambda: True)
    expected = live(busy_db, "douane", limit=50)

    class Locked:
        in_transaction = False

        def execute(self, *args):
            raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(search_module, "_thread_connection", lambda path: Locked())
    assert served(busy_db, "douane", limit=50) == expected


def test_only_the_latest_rankings_are_kept(busy_db, monkeypatch) -> None:
    monkeypatch.setattr(search_module, "KEPT_MAX", 2)
    for query in ("douane", "contrôle", "plus", "mot"):
        served(busy_db, query)
    assert set(kept_terms(busy_db)) == {"plus", "mot"}
    assert served(busy_db, "douane") == live(busy_db, "douane")
