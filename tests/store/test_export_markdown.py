"""The Markdown export read back by a CommonMark parser: every quote and note shows as written."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from store.annotations import annotate_quote, export_annotations
from store.annotations.export import md_escape
from store.db import Library
from store.ingest.importer import import_text

# CommonMark, plus the two GitHub extensions a reader is likely to meet.
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

TRICKY = [
    "2.517 arrestations",
    "2517. arrestations",
    "1) premier point",
    "# pas un titre",
    "#hashtag et C# #",
    "- pas une liste",
    "+ ni celle-ci",
    "* ni celle-là",
    "> pas une citation",
    "=== pas un soulignement",
    "--- pas une ligne",
    "Le *gras* et le _penché_ et le **fort**",
    "un [lien](http://exemple.fr) et ![image](x.png)",
    "<b>balise</b> et <http://auto.lien>",
    "&amp; &copy; &#35; restent des entités écrites",
    "`code` et ``double``",
    "a | b | c",
    "~~barré~~ et ~tilde~",
    "un antislash \\ et \\* échappé",
    "fin de ligne avec antislash\\",
    "ligne un\n2. ligne deux\n# ligne trois",
    "    quatre espaces en tête",
    "100 % des 3,5 millions d’euros « cités »",
]


def blockquote_texts(markdown: str) -> list[str]:
    """The text a CommonMark reader shows in each blockquote (paragraphs joined by a blank line).

    Any markup the parser found (emphasis, a link, HTML, code...) shows as <token type>,
    so it cannot pass for text.
    """
    texts: list[str] = []
    paragraphs: list[str] | None = None
    for token in PARSER.parse(markdown):
        if token.type == "blockquote_open":
            paragraphs = []
        elif token.type == "blockquote_close" and paragraphs is not None:
            texts.append("\n\n".join(paragraphs))
            paragraphs = None
        elif token.type == "inline" and paragraphs is not None:
            paragraphs.append(inline_text(token.children or []))
        elif paragraphs is not None and token.type not in ("paragraph_open", "paragraph_close"):
            paragraphs.append(f"<{token.type}>")
    return texts


def inline_text(children: list) -> str:
    """The text of an inline token's children; markup shows as <type>."""
    parts = []
    for child in children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:
            parts.append(f"<{child.type}>")
    return "".join(parts)


def as_shown(text: str) -> str:
    """What any Markdown reader keeps of a text: lines without their outer spaces,
    blank lines between paragraphs."""
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def quoted(text: str) -> str:
    """Text as the export quotes it: md_escape, then `> ` before each line."""
    return "\n".join(f"> {line}" if line else ">" for line in md_escape(text).split("\n"))


@pytest.mark.parametrize("text", TRICKY)
def test_a_tricky_quote_reads_as_written(text: str) -> None:
    assert blockquote_texts(quoted(text)) == [as_shown(text)]


def test_only_syntax_is_escaped() -> None:
    assert md_escape("2.517 arrestations") == "2\\.517 arrestations"
    assert md_escape("2 517 arrestations, 3.222 victimes") == "2 517 arrestations, 3.222 victimes"
    assert md_escape("100 % d’euros (environ) !") == "100 % d’euros (environ) !"


PIECES = [*"ab é12.)#>+-=*_[]()<>!&;|~`\\:/ ", "\n", "\n\n", "http://x.fr", "&amp;", "    "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_any_text_reads_as_written(text: str) -> None:
    """Whatever mix of Markdown's punctuation a quote holds, the reader shows it as is."""
    expected = as_shown(text)
    assert blockquote_texts(quoted(text)) == [expected]


def test_the_export_quotes_read_as_written_and_cite_the_source(db: Library) -> None:
    body = (
        "Bilan de l'opération\n\n2.517 arrestations ont été annoncées par *Interpol*.\n"
        "# Les chiffres\n- 116 pays & territoires"
    )
    article_id = import_text(
        db,
        body,
        source_key="bilan",
        title="Bilan : 2.517 arrestations",
        outlet="Le Monde",
        published="2024-11-06",
        url="https://www.lemonde.fr/a_b/article.html",
    ).article_id
    assert article_id is not None
    quotes = ["2.517 arrestations ont été annoncées par *Interpol*.", "# Les chiffres\n- 116 pays"]
    for quote in quotes:
        annotate_quote(db, article_id, quote, note="1. à vérifier <b>", tags=["chiffre"])
    text = export_annotations(db, "md")
    assert blockquote_texts(text) == quotes
    notes = [
        inline_text(tok.children or [])
        for tok in PARSER.parse(text)
        if tok.type == "inline" and tok.content.startswith("1")
    ]
    assert notes == ["1. à vérifier <b>", "1. à vérifier <b>"]
    # The heading names the article; the line under it cites outlet, date and link, not the title.
    heading, source = text.split("\n## ")[1].split("\n\n")[:2]
    assert heading == "Bilan : 2.517 arrestations"
    assert source == "Le Monde, 2024-11-06, <https://www.lemonde.fr/a_b/article.html>"
    assert "Source:" not in text
