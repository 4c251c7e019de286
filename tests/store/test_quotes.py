"""Quotations: marks, speakers, alignment across articles, the labelled set."""

from __future__ import annotations

from store.quotes import align_quotes, find_quotes, word_diff


def test_every_kind_of_mark_with_or_without_inner_spaces() -> None:
    text = (
        "Il a parlé d'une « réforme juste ». Elle répond “non merci”. "
        'On évoque un "plan B" et «sans espace». Puis « Une phrase. Et une autre. » fin.'
    )
    surfaces = [q.surface for q in find_quotes(text)]
    assert surfaces == [
        "réforme juste",
        "non merci",
        "plan B",
        "sans espace",
        "Une phrase. Et une autre.",
    ]
    for quote in find_quotes(text):
        assert text[quote.start : quote.end] == quote.surface


def test_straight_quotes_nest_by_their_spacing() -> None:
    text = (
        '"Selon le texte, la base contiendra des "données d\'identité" sur '
        '"des personnes de 13 ans et plus" et leurs "signes particuliers"".'
    )
    surfaces = [q.surface for q in find_quotes(text)]
    assert surfaces == [
        text[1:-2],
        "données d'identité",
        "des personnes de 13 ans et plus",
        "signes particuliers",
    ]


def test_a_quotation_holding_others_does_not_chain_their_statements() -> None:
    first = '"Le plan prévoit "une aide aux familles" et "un contrôle des loyers"".'
    second = 'Il promet "une aide aux familles". Elle réclame "un contrôle des loyers".'
    groups = align_quotes([(1, first), (2, second)])
    aligned = [g for g in groups if g.status != "single-source"]
    assert sorted(tuple(c.surface for c in g.cells) for g in aligned) == [
        ("un contrôle des loyers", "un contrôle des loyers"),
        ("une aide aux familles", "une aide aux familles"),
    ]
    assert all(g.status == "identical" for g in aligned)


def test_a_two_word_quotation_joins_the_statement_it_cuts_but_one_word_does_not() -> None:
    first = "Il juge la loi « assez équilibrée » et parle de « nounou »."
    second = "« Nous avons une loi qui est assez équilibrée », dit-il. « La nounou est partie. »"
    groups = align_quotes([(1, first), (2, second)])
    (aligned,) = [g for g in groups if g.status != "single-source"]
    assert {c.surface for c in aligned.cells} == {
        "assez équilibrée",
        "Nous avons une loi qui est assez équilibrée",
    }
    assert aligned.status == "reworded"
    assert ("insert", "Nous avons une loi qui est") in {(d.op, d.text) for d in aligned.diff}


def test_speaker_cues_after_and_before_the_quotation() -> None:
    cases = {
        "« Nous partirons demain », a déclaré Paul Vernet, lundi.": "Paul Vernet",
        '"Le budget est tenu", indique le communiqué.': "le communiqué",
        "« Rien ne change »a souligné l’association.": "l’association",
        "Selon la préfète, « la route restera fermée ».": "la préfète",
        "Léa Morin a souligné que « tout est prêt ».": "Léa Morin",
        "« Le dossier est clos », a déclaré M. Vernet.": "M. Vernet",
        "« Je pars », a expliqué Léa Morin avant de quitter la salle.": "Léa Morin",
    }
    for text, speaker in cases.items():
        (quote,) = find_quotes(text)
        assert quote.speaker == speaker, text
        assert text[quote.speaker_start : quote.speaker_end] == speaker


def test_empty_and_unbalanced_marks_give_nothing() -> None:
    assert find_quotes("") == []
    assert find_quotes('« »  " " « sans fin') == []
    assert align_quotes([]) == []


def test_a_pronoun_is_no_speaker() -> None:
    (quote,) = find_quotes("« Je reviendrai », a-t-il dit.")
    assert quote.speaker is None


def test_word_diff_marks_deletions_and_insertions() -> None:
    ops = [
        (d.op, d.text) for d in word_diff("Dans leur quête de profits", "Dans leur quête de profit")
    ]
    assert ops == [("equal", "Dans leur quête de"), ("delete", "profits"), ("insert", "profit")]


def test_the_three_sample_quotation_pairs_are_reworded(sample_articles) -> None:
    groups = align_quotes(sample_articles)
    bodies = dict(sample_articles)

    def group_with(words: str):
        (found,) = [g for g in groups if any(words in c.surface for c in g.cells)]
        return found

    for words, deleted, inserted in (
        ("opération contre la traite des êtres humains", None, None),
        ("retenues dans cet emploi", "retenues dans cet emploi", "sont maintenues sur place"),
        ("quête incessante de profits", "profits", "profit"),
    ):
        group = group_with(words)
        assert group.status == "reworded"
        assert {c.article_id for c in group.cells} == {1, 2}
        ops = {(d.op, d.text) for d in group.diff}
        if deleted:
            assert ("delete", deleted) in ops and ("insert", inserted) in ops
        for cell in group.cells:
            assert bodies[cell.article_id][cell.start : cell.end] == cell.surface
    identical = group_with("seule une action coordonnée peut contrer ces menaces")
    assert identical.status == "identical" and identical.diff == ()
    # The General Assembly report quotes other statements: nothing of it is aligned.
    for group in groups:
        if any(c.article_id == 3 for c in group.cells):
            assert group.status == "single-source"


def test_quotations_kept_per_article_align_alike(sample_articles) -> None:
    kept = [find_quotes(body) for _, body in sample_articles]
    assert align_quotes(sample_articles, quotes=kept) == align_quotes(sample_articles)


def test_quote_json_has_the_issue_shape(sample_articles) -> None:
    data = align_quotes(sample_articles)[0].as_json()
    assert set(data) == {"section", "speaker", "status", "cells", "diff"}
    assert data["section"] == "quote" and data["status"] == "reworded"
    assert all(set(op) == {"op", "text"} for op in data["diff"])


# Floors just under the figures measured by bench/names_quotes_accuracy.py (precision
# 0.946, recall 0.958 on 166 labelled pairs across articles).
QUOTES_PRECISION_FLOOR = 0.93
QUOTES_RECALL_FLOOR = 0.94


def test_quotation_alignment_on_the_labelled_set_keeps_its_floors(labelled_set) -> None:
    from store.names.evaluation import score_quotes

    labels, stories = labelled_set
    score = score_quotes(labels, stories)
    assert score.gold_pairs > 150
    assert score.precision >= QUOTES_PRECISION_FLOOR, score.misses[:20]
    assert score.recall >= QUOTES_RECALL_FLOOR, score.misses[:20]
