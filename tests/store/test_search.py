"""Search: accent folding, safe mode, numbers, advanced mode, filters, ranking."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.db import Library
from store.errors import QueryError
from store.ingest.importer import import_text
from store.models import HIGHLIGHT_END, HIGHLIGHT_START
from store.search import search
from tests.conftest import article_id_by_path

LE_MONDE = "le-monde-interpol-liberterra-ii.txt"
DEPECHE = "depeche-interpol-liberterra-ii.txt"
ASSEMBLEE = "interpol-93e-assemblee-generale.txt"


def ids(hits) -> set[int]:
    return {hit.article_id for hit in hits}


@pytest.fixture
def small_db(db: Library) -> Library:
    """Four short articles with known words, outlets, dates and numbers."""
    articles = [
        (
            "a",
            "Le préfet Jürgen Müller à Lyon",
            "Le préfet a compté 2 517 arrestations.",
            "Le Monde",
            "2024-11-06",
        ),
        (
            "b",
            "Saisie record",
            "Les douanes ont saisi 2.517 kilos de cocaïne à Marseille.",
            "Libération",
            "2024-10-01",
        ),
        (
            "c",
            "Bilan",
            "Au total 2517 personnes et 3,5 millions d'euros, dit Jean-Pierre Dupont.",
            "Le Monde",
            "2023-05-02",
        ),
        (
            "d",
            "Météo",
            "Il a fait beau à Marseille du 24-27 novembre, 3.222 visiteurs.",
            "Ouest-France",
            None,
        ),
    ]
    for key, title, body, outlet, published in articles:
        import_text(db, body, source_key=key, title=title, outlet=outlet, published=published)
    return db


def key_ids(db, *keys: str) -> set[int]:
    marks = ", ".join("?" for _ in keys)
    return {
        row[0] for row in db.execute(f"SELECT id FROM articles WHERE source_key IN ({marks})", keys)
    }


# --------------------------------------------------------------------------- words and accents


def test_accents_are_ignored_both_ways(sample_db) -> None:
    assert ids(search(sample_db, "operation")) == ids(search(sample_db, "opération"))
    assert len(search(sample_db, "operation")) == 3


def test_jurgen_finds_jurgen_with_umlaut(small_db) -> None:
    assert ids(search(small_db, "Jurgen")) == key_ids(small_db, "a")
    assert ids(search(small_db, "JÜRGEN muller")) == key_ids(small_db, "a")


def test_hits_are_dataclasses_with_highlighted_snippets(sample_db) -> None:
    hits = search(sample_db, "victimes")
    assert hits
    for hit in hits:
        assert HIGHLIGHT_START in hit.snippet and HIGHLIGHT_END in hit.snippet
        matched = [text for text, is_match in hit.snippet_segments() if is_match]
        assert all(text.lower() == "victimes" for text in matched)
        assert HIGHLIGHT_START not in hit.plain_snippet
        assert isinstance(hit.score, float)


def test_hits_are_ranked_best_first(db) -> None:
    import_text(db, "Un mot sur la douane, puis rien.", source_key="once", title="Autre")
    import_text(db, "La douane, la douane et la douane.", source_key="often", title="Douane")
    hits = search(db, "douane")
    assert [hit.article_id for hit in hits] == [*key_ids(db, "often"), *key_ids(db, "once")]
    assert hits[0].score <= hits[1].score  # bm25: lower is better


def test_a_title_match_ranks_above_a_body_match(db) -> None:
    import_text(
        db, "Il est question d'inflation ici, et aussi là.", source_key="body", title="Prix"
    )
    import_text(db, "Rien à voir, sinon les prix.", source_key="title", title="Inflation")
    assert search(db, "inflation")[0].article_id == next(iter(key_ids(db, "title")))


def test_limit_and_offset_page_through_hits(sample_db) -> None:
    all_hits = search(sample_db, "interpol", limit=10)
    assert len(all_hits) == 3
    assert search(sample_db, "interpol", limit=2) == all_hits[:2]
    assert search(sample_db, "interpol", limit=2, offset=2) == all_hits[2:]


def test_stop_words_are_dropped_when_other_words_remain(small_db) -> None:
    assert ids(search(small_db, "les douanes de la cocaïne")) == key_ids(small_db, "b")


def test_a_query_of_only_stop_words_still_searches(small_db) -> None:
    assert ids(search(small_db, "les")) == key_ids(small_db, "b")


# --------------------------------------------------------------------------- safe mode


@pytest.mark.parametrize(
    "query",
    [
        "l'opération",
        "l’opération",
        "3.222",
        "Jean-Pierre",
        "24-27",
        '"traite des',
        "(police",
        "police)",
        "NEAR(",
        "AND",
        "OR NOT",
        "title:",
        "body:x",
        "*",
        "^début",
        "a + b",
        "'",
        "é-",
    ],
)
def test_safe_mode_never_raises_on_what_people_type(sample_db, query: str) -> None:
    try:
        search(sample_db, query)
    except QueryError as error:
        assert "nothing to search for" in str(error)


def test_safe_mode_searches_an_apostrophe_as_two_words(sample_db) -> None:
    assert len(search(sample_db, "l'opération")) == 3
    assert ids(search(sample_db, "l’opération")) == ids(search(sample_db, "operation"))


def test_safe_mode_searches_punctuated_words_as_words(small_db) -> None:
    assert ids(search(small_db, "Jean-Pierre")) == key_ids(small_db, "c")
    assert ids(search(small_db, "24-27")) == key_ids(small_db, "d")
    assert ids(search(small_db, "3.222")) == key_ids(small_db, "d")
    assert ids(search(small_db, '"cocaïne')) == key_ids(small_db, "b")
    assert ids(search(small_db, "(préfet")) == key_ids(small_db, "a")


def test_safe_mode_treats_operators_as_words(small_db) -> None:
    # 'OR' is a word here, not an operator: nothing contains both.
    assert search(small_db, "cocaïne OR beau") == []


def test_an_empty_query_is_a_query_error(small_db) -> None:
    for query in ("", "   ", "!!!", "«»"):
        with pytest.raises(QueryError, match="nothing to search for"):
            search(small_db, query)


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("query", ["2 517", "2.517", "2517", "2\u00a0517", "2\u202f517"])
def test_a_number_finds_every_spelling_of_it(small_db, query: str) -> None:
    assert ids(search(small_db, query)) == key_ids(small_db, "a", "b", "c")


def test_the_number_is_highlighted_however_it_is_written(small_db) -> None:
    for hit in search(small_db, "2517"):
        matched = [text for text, is_match in hit.snippet_segments() if is_match]
        assert any(text.replace("\u00a0", " ") in ("2 517", "2.517", "2517") for text in matched)


def test_the_sample_corpus_figure_is_found_as_written(sample_db) -> None:
    # The wire writes "2 517" and "3 222", Le Monde "2.517" and "3.222".
    both = {article_id_by_path(sample_db, DEPECHE), article_id_by_path(sample_db, LE_MONDE)}
    for query in ("2 517", "2517", "2.517", "2\u202f517"):
        assert ids(search(sample_db, query)) == both
    assert ids(search(sample_db, "3 222 victimes")) == both


def test_decimal_numbers_match_their_decimal_spelling(small_db) -> None:
    assert ids(search(small_db, "3,5 millions")) == key_ids(small_db, "c")


def test_numbers_and_words_combine(small_db) -> None:
    assert ids(search(small_db, "2517 cocaïne")) == key_ids(small_db, "b")


# --------------------------------------------------------------------------- advanced mode


def test_advanced_phrase(sample_db) -> None:
    hits = search(sample_db, '"traite des êtres humains"', advanced=True)
    assert len(hits) == 3
    assert ids(search(sample_db, '"humains des êtres"', advanced=True)) == set()
    phrase = '"Valdecy Urquiza"'
    assert ids(search(sample_db, phrase, advanced=True)) == {
        article_id_by_path(sample_db, ASSEMBLEE)
    }


def test_advanced_prefix(small_db) -> None:
    assert ids(search(small_db, "douan*", advanced=True)) == key_ids(small_db, "b")


def test_advanced_boolean_operators(small_db) -> None:
    assert ids(search(small_db, "Marseille AND cocaïne", advanced=True)) == key_ids(small_db, "b")
    assert ids(search(small_db, "cocaïne OR beau", advanced=True)) == key_ids(small_db, "b", "d")
    assert ids(search(small_db, "Marseille NOT cocaïne", advanced=True)) == key_ids(small_db, "d")


def test_advanced_near(small_db) -> None:
    assert ids(search(small_db, "NEAR(douanes cocaïne, 6)", advanced=True)) == key_ids(
        small_db, "b"
    )
    assert search(small_db, "NEAR(douanes Marseille, 2)", advanced=True) == []


def test_advanced_title_field(small_db) -> None:
    assert ids(search(small_db, "title:préfet", advanced=True)) == key_ids(small_db, "a")
    assert ids(search(small_db, "title:cocaïne", advanced=True)) == set()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"traite des', "unbalanced double quote"),
        ("police AND", "invalid search syntax"),
        ("(police", "invalid search syntax"),
        ("Jean-Pierre", "unknown field 'Pierre:'"),
        ("auteur:Dupont", "unknown field 'auteur:'"),
        ("l'opération", "invalid search syntax"),
        ("   ", "nothing to search for"),
    ],
)
def test_malformed_advanced_queries_raise_a_readable_query_error(sample_db, query, message) -> None:
    with pytest.raises(QueryError) as error:
        search(sample_db, query, advanced=True)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert "fts5" not in str(error.value).lower()


# --------------------------------------------------------------------------- filters


def test_outlet_filter_ignores_case(small_db) -> None:
    assert ids(search(small_db, "2517", outlet="le monde")) == key_ids(small_db, "a", "c")
    assert search(small_db, "2517", outlet="Nulle part") == []


def test_date_range_filter(small_db) -> None:
    assert ids(search(small_db, "2517", since="2024-01-01")) == key_ids(small_db, "a", "b")
    assert ids(search(small_db, "2517", until="2024-10-01")) == key_ids(small_db, "b", "c")
    assert ids(search(small_db, "2517", since="2024-10-02", until="2024-12-31")) == key_ids(
        small_db, "a"
    )
    assert ids(search(small_db, "2517", since="06/11/2024")) == key_ids(small_db, "a")


def test_articles_without_a_date_are_left_out_by_a_date_filter(small_db) -> None:
    assert search(small_db, "Marseille", since="2000-01-01") == [
        hit for hit in search(small_db, "Marseille") if hit.published
    ]


@pytest.mark.parametrize("few_matches", [0, 10**6])
def test_filtered_hits_are_the_unfiltered_ranking_filtered(db, monkeypatch, few_matches) -> None:
    import store.db.sqlite.fulltext as search_module

    # Both ways of restricting the match: the filtered ids collected once, or a lookup
    # of each match's article. bm25 does not depend on filters: same order, same scores.
    monkeypatch.setattr(search_module, "FEW_MATCHES", few_matches)
    for number in range(40):
        import_text(
            db,
            " ".join(["douane"] * (number % 5 + 1)) + f" saisie numéro {number}.",
            source_key=f"k{number}",
            title="Douane" if number % 6 == 0 else f"Saisie {number}",
            outlet=["Le Monde", "Libération", "Ouest-France"][number % 3],
            published=None if number % 7 == 0 else f"2024-{number % 12 + 1:02d}-15",
        )
    everything = search(db, "douane", limit=100)
    assert len(everything) == 40
    cases = [
        ({"outlet": "le monde"}, lambda hit: hit.outlet == "Le Monde"),
        ({"since": "2024-06-01"}, lambda hit: (hit.published or "") >= "2024-06-01"),
        (
            {"outlet": "Libération", "until": "2024-09-30"},
            lambda hit: hit.outlet == "Libération" and "" < (hit.published or "") <= "2024-09-30",
        ),
    ]
    for filters, keeps in cases:
        expected = [hit for hit in everything if keeps(hit)]
        assert expected, filters
        assert search(db, "douane", limit=100, **filters) == expected, filters
        assert search(db, "douane", limit=3, offset=2, **filters) == expected[2:5], filters


def test_a_bad_date_is_a_query_error(small_db) -> None:
    with pytest.raises(QueryError, match="not a date"):
        search(small_db, "2517", since="hier")


def test_filters_combine_with_advanced_mode(small_db) -> None:
    hits = search(small_db, "2517 OR Marseille", advanced=True, outlet="Libération")
    assert ids(hits) == key_ids(small_db, "b")


# --------------------------------------------------------------------------- property


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=40), advanced=st.booleans())
def test_arbitrary_queries_raise_nothing_but_query_error(
    small_db, query: str, advanced: bool
) -> None:
    try:
        hits = search(small_db, query, advanced=advanced)
    except QueryError as error:
        assert str(error)
    else:
        assert all(isinstance(hit.snippet, str) for hit in hits)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=st.lists(
        st.sampled_from(
            [
                '"',
                "(",
                ")",
                "*",
                "^",
                ":",
                "-",
                "+",
                "AND",
                "OR",
                "NOT",
                "NEAR",
                "title",
                "body",
                "numbers",
                "préfet",
                "2 517",
                "3,5",
                "l'",
                ",",
                "{",
                "}",
            ]
        ),
        max_size=8,
    ).map(" ".join),
    advanced=st.booleans(),
)
def test_fts_syntax_fragments_raise_nothing_but_query_error(
    small_db, query: str, advanced: bool
) -> None:
    try:
        search(small_db, query, advanced=advanced)
    except QueryError as error:
        assert str(error)


# --------------------------------------------------------------------------- both cores


def test_ranking_both_halves_in_parallel_gives_the_same_hits(db, monkeypatch) -> None:
    import store.db.sqlite.fulltext as search_module

    for number in range(60):
        words = " ".join(["douane"] * (number % 7 + 1))
        import_text(
            db,
            f"Texte {number} : {words} à Marseille, {number * 100} kilos.",
            source_key=f"k{number}",
            title=f"Saisie {number}" + (" douane" if number % 10 == 0 else ""),
            outlet="Le Monde" if number % 2 else "Libération",
            published=f"2024-01-{number % 28 + 1:02d}",
        )
    queries = [
        ("douane", {}),
        ("douane marseille", {"limit": 5, "offset": 3}),
        ("douane", {"outlet": "le monde", "since": "2024-01-10"}),
        ('"à Marseille" OR kilos', {"advanced": True, "limit": 50}),
        ("2 500", {}),
    ]
    expected = [search(db, query, **options) for query, options in queries]
    monkeypatch.setattr(search_module, "PARALLEL_MIN_ARTICLES", 0)
    monkeypatch.setattr(search_module, "_a_core_is_free", lambda: True)
    assert search_module._halves(db) is not None
    for (query, options), single in zip(queries, expected, strict=True):
        assert single
        assert search(db, query, **options) == single, query
    with pytest.raises(QueryError, match="invalid search syntax"):
        search(db, "douane AND", advanced=True)


def test_a_number_is_searched_under_each_way_fts5_splits_it() -> None:
    from store.numbers import token_forms

    assert token_forms("2 517") == (("2517",), ("2", "517"))
    assert token_forms("2517") == (("2517",), ("2", "517"))
    assert token_forms("1.234.567,5") == (("1234567", "5"), ("1", "234", "567", "5"))
    assert token_forms("3,5") == (("3", "5"),)
    assert token_forms("007") == (("7",), ("007",))
    assert token_forms("93") == (("93",),)


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("2 500", "Plus de 2 500 000 euros."),  # the start of a larger number
        ("2 500", "Il y a 12 500 personnes."),  # the end of a larger number
        ("2 500", "Les chapitres 2, 500 et 7."),  # a list
        ("2 500", "Il y a 2 500,5 tonnes."),  # a decimal
        ("3,5", "Les notes 3, 5 et 7."),
        ("3,5", "Les notes 3 5 et 7."),
    ],
)
def test_a_split_number_finds_only_articles_that_state_it(db, query: str, body: str) -> None:
    import_text(db, body, source_key="other", title="Autre")
    import_text(db, f"Le bilan fait état de {query} victimes.", source_key="it", title="Bilan")
    assert ids(search(db, query)) == key_ids(db, "it")
    assert ids(search(db, f"{query} victimes")) == key_ids(db, "it")


def test_a_number_in_the_title_is_found(db) -> None:
    import_text(db, "Rien de chiffré ici.", source_key="t", title="2 517 arrestations")
    assert ids(search(db, "2517")) == key_ids(db, "t")


# Texts of written numbers (digit groups, separators, decimal commas, stray digits)
# and what may touch a number (letters, a combining accent, '²', '_', dots, commas).
_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=4)
_WRITTEN_NUMBER = st.builds(
    lambda head, groups, fraction: head + "".join(groups) + fraction,
    _DIGITS,
    st.lists(st.tuples(st.sampled_from(" \u00a0\u202f."), _DIGITS).map("".join), max_size=3),
    st.one_of(st.just(""), _DIGITS.map(lambda digits: "," + digits)),
)
_NUMBERISH = st.lists(
    st.one_of(
        _WRITTEN_NUMBER, st.sampled_from([" ", ".", ",", "-", "a", "é", "\u0301", "²", "_", "\n"])
    ),
    max_size=8,
).map("".join)


@given(_NUMBERISH)
@settings(max_examples=60, deadline=None)
def test_every_number_of_a_text_finds_it_and_a_longer_one_does_not(text: str) -> None:
    """However a number is written, searching it as written finds the article; the same
    number with one more digit group, which the text does not state, finds nothing."""
    from store.db.sqlite import connect
    from store.library.articles import get_article
    from store.numbers import canonical_number, digit_groups, find_numbers

    db = connect(":memory:")
    outcome = import_text(db, "mot " + text, source_key="n", title="Titre")
    body = get_article(db, outcome.article_id).body  # as normalised on import
    stated = {canonical for _, _, canonical in find_numbers(body)}
    for start, end, _ in find_numbers(body):
        surface = body[start:end]
        if unicodedata.category(body[start - 1])[0] == "M" or (
            unicodedata.category(body[end : end + 1] or " ")[0] == "M"
        ):
            continue  # FTS5 keeps a combining mark inside the token: '0\u03010' is '00'
        assert len(search(db, surface)) == 1, surface
        whole = canonical_number(surface).partition("d")[0]
        longer = " ".join([*digit_groups(whole), "000"])  # '2 517' -> '2 517 000'
        if canonical_number(longer) not in stated:
            assert search(db, longer) == [], longer
    db.close()


@given(_NUMBERISH)
@settings(max_examples=300)
def test_a_number_is_spelled_as_its_digits_without_separators(text: str) -> None:
    from store.numbers import find_numbers

    for start, end, canonical in find_numbers(text):
        whole, _, fraction = text[start:end].partition(",")
        digits = "".join(c for c in whole if c.isdigit()).lstrip("0") or "0"
        assert canonical == (f"{digits}d{fraction}" if fraction else digits)


def test_a_snippet_cut_around_a_number_starts_and_ends_between_words(db) -> None:
    words = [f"mot{index:02d}" for index in range(40)]
    body = " ".join(words[:20]) + " avec 2 517 arrestations " + " ".join(words[20:])
    import_text(db, body, source_key="long", title="Titre")
    (hit,) = search(db, "2517")
    text = hit.plain_snippet
    assert text.startswith("…") and text.endswith("…")
    assert set(text.strip("…").split()) <= {*words, "avec", "2", "517", "arrestations"}
    assert [piece for piece, marked in hit.snippet_segments() if marked] == ["2 517"]
