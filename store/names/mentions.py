"""The name mentions of one text: the model's entities with rules on top where it is weak."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from store.names.lexicon import DEMONYMS
from store.names.model import load_model

if TYPE_CHECKING:
    from spacy.tokens import Doc

NameType = str
"""One of "person", "organisation", "place"."""

MODEL_TYPES = {"PER": "person", "ORG": "organisation", "LOC": "place"}

TITLE = r"(?:M\.|MM\.|Mme|Mmes|Mlle|Me|Mgr|Dr|Pr)"
UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
LOWER = "a-zàâäçéèêëîïôöùûüÿœæ"
CAPITALISED = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)*"
# `M. Stock`, `Mme Sébire`: a title and one to three capitalised words; the model often
# tags only the surname, or nothing.
TITLED_NAME = re.compile(rf"\b{TITLE}\s+{CAPITALISED}(?:\s+{CAPITALISED}){{0,2}}")
# INTERPOL, AFLD, CNCE: acronyms the small model misses or tags as miscellaneous.
ACRONYM = re.compile(rf"(?<![\w'’-])[{UPPER}]{{2,8}}(?![\w'’-])")
ROMAN_NUMERAL = re.compile(r"^[IVXLCDM]+$")
# An apposition between commas, as captions write it: `Le secrétaire général d'Interpol,
# Juergen Stock, lors d'une conférence`.
APPOSED_NAME = re.compile(rf"(?<=, )({CAPITALISED}\s+{CAPITALISED})(?=,)")
# `au Moyen-Orient`, `en Macédoine`: a capitalised word after `au`, `aux` or `en` is a place
# (months and days are lower-case in French); the small model misses some.
PLACE_AFTER_PREPOSITION = re.compile(rf"\b(?:au|aux|en) ({CAPITALISED})(?![\w'’])")
TRAILING = " .,;:!?»«\"'’()[]\n\t\u00a0"
LEADING_ARTICLE = re.compile(r"^(?:[Ll]['’]|[Ll]e |[Ll]a |[Ll]es )")
# `A Nantes`, `Selon Merckx`: a capitalised preposition opening a sentence is no part of a name.
LEADING_PREPOSITION = re.compile(
    rf"^(?:A|À|Au|Aux|En|Dans|Pour|Selon|Chez|Depuis|Par|Sur|Avec|Après|Avant|Contre|Vers|"
    rf"Sans|Sous|Pendant|Et|Mais|Ou) (?=[{UPPER}])"
)


@dataclass(frozen=True, slots=True)
class NameMention:
    """One name as it stands in a text: offsets into the text, surface and kind."""

    start: int
    end: int
    surface: str
    type: NameType


def find_names(text: str) -> list[NameMention]:
    """The people, organisations and places named in `text`, in order; raises ModelUnavailable."""
    return find_names_in_texts([text])[0]


def find_names_in_texts(texts: Sequence[str]) -> list[list[NameMention]]:
    """The names of several texts, the model run over them as one batch; then each name
    found anywhere is looked for again, spelled the same, where the model missed it (the
    small model tags `Astana` in one sentence and not in the next)."""
    docs = load_model().pipe(texts)
    found = [
        resolve_overlaps(model_mentions(text, doc) + rule_mentions(text))
        for text, doc in zip(texts, docs, strict=True)
    ]
    return spread_names(texts, found)


def spread_names(
    texts: Sequence[str], mentions: Sequence[list[NameMention]]
) -> list[list[NameMention]]:
    """Each text's mentions with every name found in any of the texts looked for again in
    it, spelled the same. Cheap (no model): run it over mentions kept from earlier runs."""
    known = {m.surface: m.type for found in mentions for m in found if m.surface[:1].isupper()}
    finder = repeated_name_finder(known)
    return [
        resolve_overlaps(list(found) + finder(text))
        for text, found in zip(texts, mentions, strict=True)
    ]


def repeated_name_finder(known: dict[str, str]) -> Callable[[str], list[NameMention]]:
    """A function giving every word-bounded occurrence in a text of the names in `known`
    (either apostrophe matching either: `L'Equipe`, `L’Equipe`), with their type."""
    spellings: dict[str, str] = {}
    for name, kind in known.items():
        for spelling in {name, name.replace("’", "'"), name.replace("'", "’")}:
            spellings.setdefault(spelling, kind)

    def occurrences(text: str) -> list[NameMention]:
        # str.find per name: much faster than one regex of a few hundred alternatives.
        found = []
        for name, kind in spellings.items():
            start = text.find(name)
            while start >= 0:
                end = start + len(name)
                if word_bounded(text, start, end):
                    found.append(NameMention(start, end, name, kind))
                start = text.find(name, end)
        return found

    return occurrences


def word_bounded(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is neither preceded nor followed by a letter, digit, apostrophe
    or hyphen (`Paris` in `Parisien` or in `Saint-Paris` is no mention of Paris)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "_'’-") and not (after.isalnum() or after in "_'’-")


def model_mentions(text: str, doc: Doc) -> list[NameMention]:
    """The PER, ORG and LOC entities the French model found in `doc`, trimmed of punctuation."""
    mentions = []
    for entity in doc.ents:
        kind = MODEL_TYPES.get(entity.label_)
        if kind is None:
            continue
        mention = trimmed(text, entity.start_char, entity.end_char, kind)
        if mention is None or not looks_like_a_name(mention.surface):
            continue
        mention = without_leading_acronym(without_demonym(mention))
        if capital_word_of_heading(text, mention):
            continue
        if not lone_capitalised_opening(text, mention):
            mentions.append(mention)
    return mentions


def without_leading_acronym(mention: NameMention) -> NameMention:
    """`UMP Jean Leonetti` -> `Jean Leonetti`: a party or body before a person's name."""
    words = mention.surface.split(" ")
    if mention.type != "person" or len(words) < 3 or not words[0].isupper():
        return mention
    if words[1].isupper():
        return mention
    offset = len(words[0]) + 1
    return NameMention(mention.start + offset, mention.end, mention.surface[offset:], mention.type)


def without_demonym(mention: NameMention) -> NameMention:
    """`Brésilien Valdecy Urquizava` -> `Valdecy Urquizava`. A lone word is kept: the
    feminine of many nationalities is also the country (`Argentine`, `Philippines`)."""
    words = mention.surface.split(" ")
    if len(words) == 1 or words[0].lower() not in DEMONYMS:
        return mention
    offset = len(words[0]) + 1
    return NameMention(mention.start + offset, mention.end, mention.surface[offset:], mention.type)


def capital_word_of_heading(text: str, mention: NameMention) -> bool:
    """One word of a heading in capitals (`LES FAITS`): the model tags such words as names.
    Several words (`JEAN LEONETTI, CHARGÉ D'UNE MISSION`) are kept: headings name people."""
    return (
        " " not in mention.surface
        and mention.surface.isupper()
        and in_capitals_line(text, mention.start)
    )


def lone_capitalised_opening(text: str, mention: NameMention) -> bool:
    """A single word opening a line or sentence and never capitalised elsewhere in the text
    (`Lire aussi`, `Adoptée lors de`): the small model takes such words for names."""
    if " " in mention.surface or mention.surface.isupper():
        return False
    if not opens_sentence(text, mention.start):
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(mention.surface)}(?!\w)")
    return not any(
        not opens_sentence(text, match.start())
        for match in pattern.finditer(text)
        if match.start() != mention.start
    )


def opens_sentence(text: str, position: int) -> bool:
    """Whether `position` starts the text, a line or a sentence."""
    before = text[max(0, position - 3) : position].rstrip(" \u00a0\t\"«“'’")
    return not before or before[-1] in "\n.!?:…"


def rule_mentions(text: str) -> list[NameMention]:
    """Titled names, acronyms and apposed names found by pattern."""
    mentions = [
        NameMention(match.start(), match.end(), match.group(), "person")
        for match in TITLED_NAME.finditer(text)
    ]
    for match in ACRONYM.finditer(text):
        if not ROMAN_NUMERAL.match(match.group()) and not in_capitals_line(text, match.start()):
            mentions.append(NameMention(match.start(), match.end(), match.group(), "organisation"))
    mentions.extend(
        NameMention(match.start(), match.end(), match.group(), "person")
        for match in APPOSED_NAME.finditer(text)
    )
    mentions.extend(
        NameMention(match.start(1), match.end(1), match.group(1), "place")
        for match in PLACE_AFTER_PREPOSITION.finditer(text)
    )
    return mentions


def in_capitals_line(text: str, position: int) -> bool:
    """Whether `position` lies in a line written all in capitals (a heading, not an acronym)."""
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    letters = [char for char in line if char.isalpha()]
    return len(letters) > 12 and all(char.isupper() for char in letters)


def trimmed(text: str, start: int, end: int, kind: str) -> NameMention | None:
    """The span without surrounding punctuation or a leading article; None when nothing is left."""
    while start < end and text[start] in TRAILING:
        start += 1
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    preposition = LEADING_PREPOSITION.match(text[start:end])
    if preposition:
        start += preposition.end()
    article = LEADING_ARTICLE.match(text[start:end])
    if article and end - start - article.end() > 1 and kind != "organisation":
        start += article.end()
    if end - start < 2:
        return None
    return NameMention(start, end, text[start:end], kind)


def looks_like_a_name(surface: str) -> bool:
    """A name starts with a capital and is not a whole sentence the model swallowed."""
    return surface[:1].isupper() and "\n" not in surface and len(surface.split()) <= 8


def resolve_overlaps(mentions: list[NameMention]) -> list[NameMention]:
    """One mention per stretch of text: the longest wins; a title's person type wins ties."""
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), m.start))
    kept: list[NameMention] = []
    for mention in ordered:
        if all(mention.end <= other.start or mention.start >= other.end for other in kept):
            kept.append(mention)
    return sorted(kept, key=lambda m: m.start)
