"""Unit tests of the text helpers behind the views: wrapping, safe display, search terms."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.rendering import line_index_of, visible, wrap_offsets
from tui.search_terms import term_spans, terms_from_query


def test_control_characters_become_visible_one_for_one() -> None:
    text = "a\x1b[31mb\x07c\x7f"
    shown = visible(text)
    assert len(shown) == len(text)
    assert shown == "a␛[31mb␇c␡"
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in shown)


@given(st.text(alphabet=st.sampled_from("ab éL\n 2500"), max_size=300), st.integers(4, 60))
def test_wrapping_keeps_every_character_and_the_width(text: str, width: int) -> None:
    lines = wrap_offsets(text, width)
    assert "".join(text[line.start : line.end] for line in lines) == text.replace("\n", "")
    assert all(cell_len(text[line.start : line.end].rstrip()) <= width for line in lines)
    assert len(lines) >= text.count("\n") + 1


def test_spaced_numbers_stay_on_one_line() -> None:
    text = "plus de 2 500 personnes et 3 000 victimes"
    for line in wrap_offsets(text, 10):
        shown = text[line.start : line.end]
        assert not shown.rstrip().endswith(" 2") and not shown.startswith("500")


def test_line_index_of_finds_the_line_holding_an_offset() -> None:
    text = "un deux trois quatre cinq six sept"
    lines = wrap_offsets(text, 10)
    for offset in range(len(text)):
        line = lines[line_index_of(lines, offset)]
        assert line.start <= offset
        assert offset < line.end or line is lines[-1]


def test_search_terms_fold_accents_and_numbers() -> None:
    body = "L’opération a permis 2.500 arrestations ; OPERATION Interpol ; 2 500 ; 25 000."
    spans = term_spans(body, terms_from_query("opération 2500"))
    assert [body[s:e] for s, e in spans] == ["opération", "2.500", "OPERATION", "2 500"]


def test_advanced_terms_drop_operators_and_fields() -> None:
    terms = terms_from_query('title:traite AND vict* NOT "mineurs"', advanced=True)
    assert terms.words == {"traite", "mineurs"}
    assert terms.prefixes == {"vict"}
    body = "Traite des victimes, victime, et and NOT"
    assert [body[s:e] for s, e in term_spans(body, terms)] == ["Traite", "victimes", "victime"]
