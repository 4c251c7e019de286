"""Page furniture dropped from plain-text scrapes: accuracy on labelled scrapes, its rules,
and the raw text kept recoverable."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.library.furniture import clean_furniture
from store.library.metadata_eval import (
    eval_data_folder,
    score_furniture,
    score_unlabelled,
    scrape_cases,
)
from store.library.parsing import split_front_matter
from tests.conftest import SAMPLE_CORPUS

# Measured (bench/metadata_accuracy.py): 136/136 article lines and 158/158 sentences kept,
# 244/246 furniture lines removed (99.2 %); 0 of 3745 sentences lost on 200 RPM2 articles.
REMOVED_FLOOR = 0.95


def test_no_article_line_lost_and_furniture_removed_on_the_labelled_scrapes() -> None:
    cases = scrape_cases()
    assert len(cases) == 31
    score, mistakes = score_furniture(cases)
    assert score.article_lines_kept == score.article_lines, mistakes
    assert score.article_sentences_kept == score.article_sentences, mistakes
    assert score.furniture_lines >= 240
    assert score.removed_share >= REMOVED_FLOOR, mistakes


@pytest.mark.skipif(eval_data_folder() is None, reason="eval-data missing")
def test_no_sentence_lost_on_real_articles() -> None:
    folder = eval_data_folder()
    assert folder is not None
    score = score_unlabelled(folder / "rpm2-dev")
    assert score.articles == 200
    assert score.sentences_lost == ()
    assert score.lines_dropped <= score.lines * 0.01  # real articles hold little furniture


def sample() -> tuple[str, str]:
    meta, body = split_front_matter(
        (SAMPLE_CORPUS / "le-monde-interpol-liberterra-ii.txt").read_text(encoding="utf-8")
    )
    return body, meta["title"]


def test_the_le_monde_sample_of_the_issue() -> None:
    body, title = sample()
    cleaned = clean_furniture(body, title)
    assert body.count("2 500 arrestations") == 2
    assert "2 500 arrestations" not in cleaned.text
    for furniture in (
        "Les nouvelles les plus importantes",
        "Lire aussi",
        "Les ateliers du monde",
        "Découvrir",
        "Réutiliser ce contenu",
        "Quitter la version mobile",
    ):
        assert furniture not in cleaned.text
    assert "\nArnaque en ligne\n" in cleaned.text  # a subheading stays
    assert cleaned.text.startswith("Le secrétaire général d'Interpol")
    assert cleaned.text.endswith("qui se tient actuellement à Glasgow.")
    assert cleaned.restore() == body


def test_dropped_lines_say_where_they_were_and_why() -> None:
    body, title = sample()
    dropped = clean_furniture(body, title).dropped
    lines = body.split("\n")
    for line in dropped:
        assert body[line.start : line.end] == line.text == lines[line.line]
    reasons = {line.text: line.reason for line in dropped}
    assert reasons["Réutiliser ce contenu"] == "phrase"
    assert reasons["Le Monde avec l’AFP"] == "metadata"
    assert reasons["Les ateliers du monde"] == "beside"


def test_sentences_list_items_and_subheadings_stay() -> None:
    text = (
        "Partager les richesses : c'est l'objectif du budget, doté de 2,5 millions.\n"
        "Voici les conditions :\n"
        "- être majeur ;\n"
        "- résider en France\n"
        "\n"
        "Un vote en ligne\n"
        "\n"
        "Les habitants ont voté pendant un mois.\n"
        "Lire aussi : Nantes mise sur les jardins\n"
        "Partager\n"
    )
    cleaned = clean_furniture(text, "Le budget participatif")
    assert [line.text for line in cleaned.dropped] == [
        "Lire aussi : Nantes mise sur les jardins",
        "Partager",
        "",
    ]
    assert "- résider en France" in cleaned.text
    assert "Un vote en ligne" in cleaned.text


def test_readers_comments_close_the_page_but_a_counter_above_the_text_stays_out_alone() -> None:
    article = "Le maire a parlé mardi.\nIl a promis des bancs.\nLe coût est de 4 000 euros."
    text = (
        f"12 commentaires\n{article}\n"
        "Commentaires (2)\nJean_37\nEnfin une bonne idée !\nMarie T.\nEt les poubelles ?\n"
    )
    cleaned = clean_furniture(text, None)
    assert cleaned.text == article
    reasons = [line.reason for line in cleaned.dropped if line.text]
    assert reasons == ["phrase", "phrase"] + ["comments"] * 4  # the counter, the heading


def test_a_line_repeated_in_the_text() -> None:
    text = "Publicité maison\nLe maire a parlé.\nSuivez-nous\nLe maire a parlé.\nLa fin.\n"
    cleaned = clean_furniture(text, None)
    assert cleaned.text == "Le maire a parlé.\nLa fin."
    repeated = [line.line for line in cleaned.dropped if line.reason == "repeated"]
    assert repeated == [3]  # the later copy of a sentence; the first stays


def test_the_headline_with_other_quotes_is_a_repeat_but_a_sentence_must_match_exactly() -> None:
    title = "L'Ecureuil perd 600 millions d'euros"
    text = (
        "L’Ecureuil perd 600 millions d’euros\n"
        "L'Ecureuil perd 600 millions d'euros en un jour.\n"
        "Le groupe l'a annoncé vendredi.\n"
    )
    cleaned = clean_furniture(text, title)
    assert [line.reason for line in cleaned.dropped] == ["title", "blank"]
    assert cleaned.text.startswith("L'Ecureuil perd 600 millions d'euros en un jour.")


LINES = st.sampled_from(
    [
        "",
        " ",
        "Partager",
        "Lire aussi | Un autre article",
        "Le maire a annoncé un budget de 3 millions d'euros.",
        "Un titre court",
        "- un élément ;",
        "Par Jean Dupont",
        "Publié le 12/03/2008 à 14h05",
        "Le Monde avec l'AFP",
        "Découvrir",
        "\ufeffLes nouvelles",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=25), st.sampled_from([None, "Un titre court", ""]))
def test_the_raw_text_is_always_recoverable(lines: list[str], title: str | None) -> None:
    text = "\n".join(lines)
    cleaned = clean_furniture(text, title)
    assert cleaned.restore() == text
    assert "\n\n\n" not in cleaned.text
    assert cleaned.text == cleaned.text.strip("\n")
