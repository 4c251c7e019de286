"""Text hygiene: what every stored title and body goes through."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.library.text import (
    _INVISIBLE,
    has_only_printable,
    normalize_line,
    normalize_text,
    strip_unsafe,
)


def test_decomposed_accents_become_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "opération Jürgen")
    assert decomposed != "opération Jürgen"
    assert normalize_text(decomposed) == "opération Jürgen"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends_become_newlines(newline: str) -> None:
    assert normalize_text(f"un{newline}deux{newline}{newline}trois") == "un\ndeux\n\ntrois"


@pytest.mark.parametrize(
    "hostile",
    [
        "\x1b[31mrouge\x1b[0m",  # colour (CSI)
        "\x1b[2J\x1b[Hrouge",  # clear screen, cursor home
        "\x1b]0;titre piégé\x07rouge",  # window title (OSC ended by BEL)
        "\x1b]8;;http://evil\x1b\\rouge\x1b]8;;\x1b\\",  # hyperlink (OSC ended by ST)
        "\x1bPq#0;2;0;0;0\x1b\\rouge",  # DCS (sixel)
        "\x9b31mrouge",  # 8-bit CSI
        "ro\x00u\x07g\x08e",  # NUL, BEL, backspace
        "\u202erouge",  # right-to-left override
        "ro\u200bu\u200dge\ufeff",  # zero-width characters and BOM
    ],
)
def test_escape_sequences_and_control_characters_are_removed(hostile: str) -> None:
    assert normalize_text(hostile) == "rouge"


def test_french_spaces_tabs_and_newlines_are_kept() -> None:
    text = "2\u202f517 et 3\u00a0222\tvictimes\nfin"
    assert strip_unsafe(text) == text


def test_blank_runs_and_trailing_spaces_are_tidied() -> None:
    assert normalize_text("  \n\nun   \n\n\n\n\ndeux\t\n") == "un\n\ndeux"


@given(st.text(alphabet=" \n\ta\u00e9", max_size=30))
def test_any_text_comes_out_without_trailing_spaces_or_blank_runs(text: str) -> None:
    tidy = normalize_text(text)
    assert " \n" not in tidy and "\n\n\n" not in tidy and "\t" not in tidy
    assert tidy == tidy.strip("\n ")
    assert tidy.split() == text.split()  # the words, in order, untouched


def test_normalize_line_collapses_whitespace_into_one_line() -> None:
    assert normalize_line("  Le\nMonde \t \x1b[1mdu jour ") == "Le Monde du jour"


def test_text_without_anything_to_fix_is_returned_as_is() -> None:
    text = "« Plus de 2 500 arrestations », a indiqué l’organisation.\n\nDeuxième paragraphe."
    assert normalize_text(text) == text


def test_the_printable_shortcut_never_passes_a_character_strip_unsafe_removes() -> None:
    """strip_unsafe trusts has_only_printable when it says yes: no character the removal
    pattern lists may pass it, alone or among ordinary French text."""
    removed = [chr(c) for c in range(0x10000) if _INVISIBLE.fullmatch(chr(c))]
    assert len(removed) > 60  # C0, DEL, C1, zero-width, bidi controls, BOM
    for char in removed:
        assert not has_only_printable(f"Le 12\u202f400\u00a0€ {char} ici.\n")
        assert char not in strip_unsafe(f"a{char}b ")
    assert has_only_printable("« 2\u202f517 arrestations », dit-il.\n\nFin\u00a0!")
