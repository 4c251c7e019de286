"""Words and sentences for the reading cursor: what a word is, where sentences end, moves."""

from __future__ import annotations

from tui.selection import TextUnits

TEXT = (
    "M. Dupont a compté 2 517 victimes. Puis l'opération « Liberterra » a eu lieu !\n"
    "Nouveau paragraphe, avec 3,5 % en plus."
)


def words(units: TextUnits, text: str) -> list[str]:
    return [text[w.start : w.end] for w in units.words]


def test_words_keep_numbers_apostrophes_and_punctuation_apart() -> None:
    units = TextUnits(TEXT)
    found = words(units, TEXT)
    assert found[:8] == ["M", ".", "Dupont", "a", "compté", "2 517", "victimes", "."]
    assert "l'opération" in found and "3,5" in found and "%" in found


def test_sentences_end_at_marks_and_line_breaks_not_after_initials() -> None:
    units = TextUnits(TEXT)
    firsts = [TEXT[units.words[i].start : units.words[i].end] for i in units.first_word]
    assert firsts == ["M", "Puis", "Nouveau"]
    span = units.span(units.first_word[0], units.last_word[0])
    assert TEXT[span.start : span.end] == "M. Dupont a compté 2 517 victimes."


def test_extending_and_shrinking_by_sentence_are_inverse() -> None:
    units = TextUnits(TEXT)
    anchor = units.first_word[1]  # "Puis"
    end_of_second = units.extend_by_sentence(anchor, anchor)
    assert end_of_second == units.last_word[1]
    end_of_third = units.extend_by_sentence(end_of_second, anchor)
    assert end_of_third == units.last_word[2]
    assert units.shrink_by_sentence(end_of_third, anchor) == end_of_second
    # shrinking past the anchor stops on it, then grows backwards
    assert units.shrink_by_sentence(end_of_second, anchor) == anchor
    assert units.shrink_by_sentence(anchor, anchor) == units.first_word[0]
    # and forwards again from before the anchor: back to it, not past it
    assert units.extend_by_sentence(units.first_word[0], anchor) == anchor


def test_cursor_moves_stop_at_the_ends() -> None:
    units = TextUnits(TEXT)
    last = len(units) - 1
    assert units.previous_word(0) == 0
    assert units.next_word(last) == last
    assert units.next_sentence(units.first_word[2]) == units.last_word[2]
    assert units.previous_sentence(units.first_word[1] + 2) == units.first_word[1]
    assert units.previous_sentence(units.first_word[1]) == units.first_word[0]


def test_words_of_a_span_and_word_at_an_offset() -> None:
    units = TextUnits(TEXT)
    start = TEXT.index("Dupont")
    first, last = units.words_of(start - 1, start + len("Dupont a"))
    assert TEXT[units.span(first, last).start : units.span(first, last).end] == "Dupont a"
    assert units.word_at(start + 3) == first
    assert TextUnits("").words == []
