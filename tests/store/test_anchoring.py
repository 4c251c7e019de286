"""Re-anchoring annotations when an article is re-imported with a changed text.

The texts are real French news articles (eval-data), edited the way a site edits
a story: a paragraph added before the passage, words changed inside it, the
passage removed.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.annotations.anchoring import (
    CONTEXT_CHARS,
    context_agreement,
    fuzzy_locate,
    locate,
    occurrences,
    quote_selector,
    reanchor_article,
)
from store.annotations.notes import (
    annotate_quote,
    create_annotation,
    get_annotation,
    list_annotations,
)
from store.db import Library
from store.ingest.importer import import_text
from store.library.articles import get_article
from tests.conftest import EVAL_DATA

ARTICLES = EVAL_DATA / "articles"


def read_article(name: str) -> str:
    """The text of an eval-data article."""
    return (ARTICLES / name).read_text(encoding="utf-8")


def import_version(db: Library, text: str, key: str = "story") -> int:
    """Import (or re-import) a text under a fixed source key; returns the article id."""
    outcome = import_text(db, text, source_key=key)
    assert outcome.article_id is not None
    return outcome.article_id


def quote_at(db: Library, annotation_id: int) -> str:
    """The article text under an annotation's current offsets."""
    annotation = get_annotation(db, annotation_id)
    return get_article(db, annotation.article_id).body[annotation.start : annotation.end]


# --------------------------------------------------------------------------- pure functions


def test_quote_selector_takes_32_characters_of_context() -> None:
    body = read_article("rpm2_T02_C1_01.txt")
    start = body.index("600 millions d’euros")
    exact, prefix, suffix = quote_selector(body, start, start + len("600 millions d’euros"))
    assert exact == "600 millions d’euros"
    assert len(prefix) == CONTEXT_CHARS == len(suffix)
    assert body[start - CONTEXT_CHARS : start] == prefix
    assert quote_selector("abc", 0, 3) == ("abc", "", "")


def test_occurrences_and_context_agreement() -> None:
    body = "le chat dort. le chien dort. le chat mange."
    assert occurrences(body, "le chat") == [0, 29]
    assert occurrences(body, "absent") == []
    assert context_agreement(body, 29, 36, "chien dort. ", " mange") == 12 + 6
    assert context_agreement(body, 0, 7, "chien dort. ", " mange") == 1  # the space


def test_locate_prefers_the_position_when_the_quote_is_still_there() -> None:
    body = "un deux trois un deux trois"
    anchor = locate(body, "un deux", "trois ", " trois", 14, 21)
    assert (anchor.start, anchor.end, anchor.status, anchor.method) == (
        14,
        21,
        "anchored",
        "position",
    )


def test_locate_picks_the_occurrence_whose_context_agrees() -> None:
    body = "Selon la police, 600 morts. Selon les organisateurs, 600 morts aussi."
    start = body.index("600 morts", 30)
    prefix = body[start - CONTEXT_CHARS : start]
    edited = "Mise à jour. " + body
    anchor = locate(edited, "600 morts", prefix, " aussi.", start, start + 9)
    assert anchor.method == "context"
    assert anchor.start == edited.index("600 morts", 40)


def test_fuzzy_locate_refuses_a_short_quote_without_its_context() -> None:
    body = "Le bilan fait état de 19 morts et 623 blessés selon les autorités."
    # "18 morts" resembles "19 morts" but the context is unrelated: no match.
    assert fuzzy_locate(body, "18 morts", "aucun rapport avec ce texte ", " ni celui-ci") is None
    # With a matching context, the edited figure is found.
    span = fuzzy_locate(body, "18 morts", "Le bilan fait état de ", " et 623 blessés")
    assert span is not None
    assert body[span[0] : span[1]] == "19 morts"


# --------------------------------------------------------------------------- re-import


def test_insertion_before_the_passage_moves_the_annotation(db: Library) -> None:
    text = read_article("rpm2_T02_C1_01.txt")
    article_id = import_version(db, text)
    quote = "cette perte n’affecte pas la solidité financière d’un établissement"
    annotation = annotate_quote(db, article_id, quote, note="à comparer", tags=["chiffre-clé"])

    title, _, rest = text.partition("\n")
    inserted = "Mise à jour à 18 h : le groupe a précisé ses comptes dans la soirée.\n"
    import_version(db, f"{title}\n{inserted}{rest}")

    moved = get_annotation(db, annotation.id)
    assert moved.status == "moved"
    assert moved.start == annotation.start + len(inserted)
    assert moved.exact == quote == quote_at(db, annotation.id)
    assert moved.previous_exact is None
    assert moved.note == "à comparer" and moved.tags == ("chiffre-clé",)


def test_change_after_the_passage_keeps_it_anchored(db: Library) -> None:
    text = read_article("frwikinews_44372.txt")
    article_id = import_version(db, text)
    annotation = annotate_quote(db, article_id, "9,40 euros brut de l'heure")
    import_version(db, text + "\n\nCet article a été complété le 27 juin.")
    again = get_annotation(db, annotation.id)
    assert (again.start, again.end, again.status) == (annotation.start, annotation.end, "anchored")


def test_changed_words_inside_the_passage_are_found_by_fuzzy_match(
    db: Library,
) -> None:
    text = read_article("rpm2_T20_C1_04.txt")
    article_id = import_version(db, text)
    quote = (
        '280 criminels suspects se sont déjà rendus à la police" après les émeutes de '
        "Lhassa du 14 mars, qui ont fait officiellement 19 morts"
    )
    annotation = annotate_quote(db, article_id, quote, note="bilan officiel")
    edited_quote = (
        "280 suspects se sont déjà rendus aux forces de l'ordre\" après les émeutes de "
        "Lhassa du 14 mars, qui ont fait officiellement 22 morts"
    )
    edited = ("Dépêche actualisée.\n" + text).replace(quote, edited_quote)
    assert edited_quote in edited
    import_version(db, edited)

    moved = get_annotation(db, annotation.id)
    assert moved.status == "moved"
    assert moved.exact == edited_quote
    assert quote_at(db, annotation.id) == edited_quote
    assert moved.previous_exact == quote
    assert moved.note == "bilan officiel"


def test_removed_passage_is_orphaned_not_deleted(db: Library) -> None:
    text = read_article("rpm2_T02_C1_05.txt")
    paragraphs = text.split("\n")
    target = max(paragraphs[1:], key=len)
    article_id = import_version(db, text)
    quote = target[: min(len(target), 120)]
    annotation = annotate_quote(db, article_id, quote, note="garder", tags=["à vérifier"])

    import_version(db, "\n".join(p for p in paragraphs if p != target))

    orphan = get_annotation(db, annotation.id)
    assert orphan.status == "orphaned"
    # The selectors keep the passage as it was marked, for the reader and a later import.
    assert (orphan.exact, orphan.prefix, orphan.suffix) == (
        annotation.exact,
        annotation.prefix,
        annotation.suffix,
    )
    assert orphan.note == "garder" and orphan.tags == ("à vérifier",)
    assert [a.id for a in list_annotations(db, status="orphaned")] == [annotation.id]

    # The passage comes back in a later version: the annotation is found again.
    import_version(db, "Nouvelle version.\n" + text)
    back = get_annotation(db, annotation.id)
    assert back.status == "moved"
    assert quote_at(db, annotation.id) == quote


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in ARTICLES.glob("*.txt") if p.name != "RPM2_readme.txt"),
)
def test_every_real_article_survives_the_three_edits(db: Library, name: str) -> None:
    """On each real article: a paragraph inserted before, a word changed inside, a removal."""
    text = read_article(name)
    article_id = import_version(db, text, key=name)
    body = get_article(db, article_id).body
    sentences = [s for s in body.split("\n") if len(s) >= 90]
    assert sentences, name
    passage = sentences[len(sentences) // 2][:90]
    start = body.index(passage)
    annotation = create_annotation(db, article_id, start, start + len(passage))
    passage = annotation.exact  # trailing spaces are left out of a selection

    # 1. A paragraph inserted at the top.
    inserted = "Correctif : une précision a été ajoutée en tête de cet article.\n\n"
    title, _, rest = body.partition("\n")
    version = f"{title}\n{inserted}{rest}"
    import_version(db, version, key=name)
    assert quote_at(db, annotation.id) == passage
    assert get_annotation(db, annotation.id).status == "moved"

    # 2. One word inside the passage changed.
    words = passage.split(" ")
    middle = len(words) // 2
    words[middle] = "modifié" if words[middle] != "modifié" else "changé"
    changed = " ".join(words)
    import_version(db, version.replace(passage, changed, 1), key=name)
    found = get_annotation(db, annotation.id)
    assert found.status == "moved"
    assert found.exact == changed == quote_at(db, annotation.id)
    assert found.previous_exact == passage

    # 3. The paragraph holding the passage removed.
    current = get_article(db, article_id).body
    kept = [p for p in current.split("\n") if changed not in p]
    import_version(db, "\n".join(kept), key=name)
    assert get_annotation(db, annotation.id).status == "orphaned"


def test_reanchor_report_counts_each_outcome(db: Library) -> None:
    text = read_article("frwikinews_44372.txt")
    article_id = import_version(db, text)
    kept = annotate_quote(db, article_id, "9,40 euros brut de l'heure")
    lost = annotate_quote(db, article_id, "Force ouvrière qui espérait une augmentation de 5 %")
    body = get_article(db, article_id).body
    new_body = "Avant-propos.\n" + body.replace(
        "Force ouvrière qui espérait une augmentation de 5 %", "les syndicats"
    )
    report = reanchor_article(db, article_id, new_body)
    assert (report.anchored, report.moved, report.orphaned) == (0, 1, 1)
    assert get_annotation(db, kept.id).status == "moved"
    assert get_annotation(db, lost.id).status == "orphaned"


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    insertion=st.text(alphabet="abcdéè ,.\n0123456789«»’", min_size=1, max_size=80),
)
def test_an_insertion_outside_the_passage_never_loses_it(
    data: st.DataObject, insertion: str
) -> None:
    """Wherever text is inserted outside a passage and its context, the passage is found again."""
    body = read_article("rpm2_T20_C1_01.txt")
    start = data.draw(st.integers(0, len(body) - 40), label="start")
    end = data.draw(st.integers(start + 1, min(len(body), start + 200)), label="end")
    exact, prefix, suffix = quote_selector(body, start, end)
    before = data.draw(st.booleans(), label="before")
    if before:
        at = data.draw(st.integers(0, max(0, start - CONTEXT_CHARS)), label="at")
    else:
        at = data.draw(st.integers(min(len(body), end + CONTEXT_CHARS), len(body)), label="at")
    edited = body[:at] + insertion + body[at:]
    anchor = locate(edited, exact, prefix, suffix, start, end)
    expected = start + len(insertion) if before and at <= start else start
    assert edited[anchor.start : anchor.end] == exact
    assert anchor.start == expected
