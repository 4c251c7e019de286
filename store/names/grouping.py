"""Grouping the name mentions of several articles into entities, with their spellings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz

from store.names.folding import fold_name, typographic_form
from store.names.mentions import TITLE, NameMention, find_names_in_texts, spread_names

TITLE_PREFIX = re.compile(rf"^{TITLE}\s+")
# Thresholds of rapidfuzz's normalised ratio on folded words: a surname may lose or gain a
# letter or two (Urquizava/Urquiza 87.5, Armsrong/Armstrong 94), a first name only one
# (Aberto/Alberto 92; Jeanne/Jean 80 stays apart).
SURNAME_SIMILARITY = 85.0
FIRST_NAME_SIMILARITY = 90.0
SINGLE_WORD_SIMILARITY = 90.0
MIN_FUZZY_LENGTH = 5


@dataclass(frozen=True, slots=True)
class NameCell:
    """Where one article names an entity: offsets into its body and the words used."""

    article_id: int
    start: int
    end: int
    surface: str


@dataclass(frozen=True, slots=True)
class NameGroup:
    """One entity across the compared articles: `same`, `variant` or `single-source`."""

    label: str
    type: str
    status: str
    cells: tuple[NameCell, ...]
    spellings: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        """The object `recoupe compare --json` prints for this entity."""
        return {
            "section": "name",
            "label": self.label,
            "type": self.type,
            "status": self.status,
            "cells": [
                {"article_id": c.article_id, "start": c.start, "end": c.end, "surface": c.surface}
                for c in self.cells
            ],
        }


@dataclass(slots=True)
class Entity:
    """The mentions of one entity inside one article, before articles are matched."""

    article_id: int
    words: tuple[str, ...]
    mentions: list[NameMention]
    full_forms: list[str]


def group_names(
    articles: Sequence[tuple[int, str]],
    mentions: Sequence[list[NameMention]] | None = None,
    finder: Callable[[Sequence[str]], list[list[NameMention]]] = find_names_in_texts,
) -> list[NameGroup]:
    """The entities named by `(article_id, body)` pairs, grouped across articles, variants first.

    `mentions`, when given, are each body's `find_names` kept from an earlier run (a cache
    per article content): no model is run. Otherwise `finder` finds them (the model)."""
    entities: list[Entity] = []
    links: list[tuple[int, int]] = []
    bodies = [body for _, body in articles]
    per_body = finder(bodies) if mentions is None else spread_names(bodies, mentions)
    for (article_id, body), found_in_body in zip(articles, per_body, strict=True):
        first = len(entities)
        found = article_entities(article_id, found_in_body)
        entities.extend(found)
        links.extend((first + a, first + b) for a, b in acronym_links(body, found))
    parent = list(range(len(entities)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for left, right in matching_pairs(entities) + links:
        parent[root(left)] = root(right)
    members: dict[int, list[Entity]] = {}
    for index, entity in enumerate(entities):
        members.setdefault(root(index), []).append(entity)
    order = {article_id: position for position, (article_id, _) in enumerate(articles)}
    groups = [build_group(group, order) for group in members.values()]
    return sorted(groups, key=group_order)


def name_words(surface: str) -> tuple[str, ...]:
    """The folded words of a name without its title (`M. Stock` -> ("stock",))."""
    return tuple(fold_name(TITLE_PREFIX.sub("", surface)).split())


def article_entities(article_id: int, mentions: list[NameMention]) -> list[Entity]:
    """One article's mentions merged into entities: a surname or titled form joins the
    full name it shortens (the nearest one before it, else the first after it)."""
    entities: list[Entity] = []
    by_words: dict[tuple[str, ...], Entity] = {}
    short: list[NameMention] = []
    for mention in mentions:
        words = name_words(mention.surface)
        if not words:
            continue
        if is_short_form(mention, words):
            short.append(mention)
            continue
        entity = by_words.get(words)
        if entity is None:
            entity = Entity(article_id, words, [], [])
            by_words[words] = entity
            entities.append(entity)
        entity.mentions.append(mention)
        entity.full_forms.append(typographic_form(mention.surface))
    for mention in short:
        target = shortened_entity(mention, entities)
        if target is None:
            words = name_words(mention.surface)
            target = by_words.get(words)
            if target is None:
                target = Entity(article_id, words, [], [])
                by_words[words] = target
                entities.append(target)
            # A word that shortens no longer name here is the article's own spelling of it.
            target.full_forms.append(typographic_form(TITLE_PREFIX.sub("", mention.surface)))
        target.mentions.append(mention)
    return entities


def acronym_links(body: str, entities: list[Entity]) -> list[tuple[int, int]]:
    """Pairs of entities of one article where a name is followed by its acronym in brackets:
    `Agence française de lutte contre le dopage (AFLD)`."""
    owner = {id(m): index for index, entity in enumerate(entities) for m in entity.mentions}
    mentions = sorted((m for e in entities for m in e.mentions), key=lambda m: m.start)
    links = []
    for before, after in pairwise(mentions):
        between = body[before.end : after.start]
        if (
            after.surface.isupper()
            and " " not in after.surface
            and between.strip() == "("
            and body[after.end : after.end + 1] == ")"
            and owner[id(before)] != owner[id(after)]
            and abbreviates(after.surface, before.surface)
        ):
            links.append((owner[id(before)], owner[id(after)]))
    return links


def abbreviates(acronym: str, name: str) -> bool:
    """Whether the letters of `acronym` are initials of `name`'s words, in order, the first
    one first (`AFLD`: Agence française de lutte contre le dopage; not `LNDD`: Châtenay-Malabry)."""
    initials = [word[0] for word in re.split(r"[\s'-]+", fold_name(name)) if word]
    letters = fold_name(acronym)
    if not initials or not letters or letters[0] != initials[0]:
        return False
    remaining = iter(initials)
    return all(letter in remaining for letter in letters)


def is_short_form(mention: NameMention, words: tuple[str, ...]) -> bool:
    """A title with a surname (`M. Stock`) or a lone word that may stand for a longer name."""
    return bool(TITLE_PREFIX.match(mention.surface)) or len(words) == 1


def shortened_entity(mention: NameMention, entities: list[Entity]) -> Entity | None:
    """The multi-word entity whose first or last word this short form is, nearest before it."""
    word = name_words(mention.surface)[-1]
    candidates = [entity for entity in entities if is_person_name(entity) and owns(entity, word)]
    if not candidates:
        return None
    before = [e for e in candidates if e.mentions and e.mentions[0].start < mention.start]
    if before:
        return max(
            before, key=lambda e: max(m.start for m in e.mentions if m.start < mention.start)
        )
    return min(candidates, key=lambda e: e.mentions[0].start)


def candidate_pairs(entities: list[Entity]) -> list[tuple[int, int]]:
    """Pairs of entities sharing the first two letters of some word or word part: names
    that can match at all (they keep their first letters), without comparing every pair."""
    blocks: dict[str, list[int]] = {}
    for index, entity in enumerate(entities):
        keys = {part[:2] for word in entity.words for part in (word, *word.split("-")) if part}
        keys.add(compact(entity.words)[:2])
        for key in keys:
            blocks.setdefault(key, []).append(index)
    pairs = {
        (left, right)
        for members in blocks.values()
        for position, left in enumerate(members)
        for right in members[position + 1 :]
    }
    return sorted(pairs)


def matching_pairs(entities: list[Entity]) -> list[tuple[int, int]]:
    """Pairs of entities of different articles that are one entity."""
    pairs = []
    for left, right in candidate_pairs(entities):
        a, b = entities[left], entities[right]
        if a.article_id != b.article_id and same_entity(a.words, b.words):
            pairs.append((left, right))
    # A lone surname in an article that never gives the full name joins the one person of
    # the compared articles with that surname; when two share it, it stays apart.
    people: dict[str, set[tuple[str, ...]]] = {}
    entities_of: dict[tuple[str, ...], list[int]] = {}
    for index, entity in enumerate(entities):
        entities_of.setdefault(entity.words, []).append(index)
        if is_person_name(entity):
            for word in {entity.words[0], entity.words[-1], *entity.words[-1].split("-")}:
                people.setdefault(word, set()).add(entity.words)
    for index, entity in enumerate(entities):
        owners = people.get(entity.words[0], set()) if len(entity.words) == 1 else set()
        if len(owners) == 1:
            (owner,) = owners
            pairs.extend(
                (index, other_index)
                for other_index in entities_of[owner]
                if entities[other_index].article_id != entity.article_id
            )
    return pairs


def is_person_name(entity: Entity) -> bool:
    """A name of several words first found as a person's: only people are shortened to a
    surname (`France` is not short for `Air France`)."""
    return len(entity.words) > 1 and bool(entity.mentions) and entity.mentions[0].type == "person"


def owns(full: Entity, word: str) -> bool:
    """Whether a lone folded word is the first name or a surname of a multi-word name."""
    return word in (full.words[0], full.words[-1]) or word in full.words[-1].split("-")


def same_entity(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two folded names spell one entity: equal, or close in each word."""
    if a == b or compact(a) == compact(b):
        return True
    if len(a) == 1 and len(b) == 1:
        return similar(a[0], b[0], SINGLE_WORD_SIMILARITY)
    if len(a) != len(b) or len(a) < 2:
        return False
    if not similar(a[-1], b[-1], SURNAME_SIMILARITY) and not joined_surname(a[-1], b[-1]):
        return False
    if len(a) == 2:
        return similar(a[0], b[0], FIRST_NAME_SIMILARITY)
    return all(similar(x, y, SURNAME_SIMILARITY) for x, y in zip(a[:-1], b[:-1], strict=True))


def compact(words: tuple[str, ...]) -> str:
    """The letters of a name without spaces and hyphens: `carla-bruni sarkozy` and `carla
    bruni-sarkozy`, `proche orient` and `proche-orient` are one spelling."""
    return "".join(words).replace("-", "")


def joined_surname(a: str, b: str) -> bool:
    """`bruni-sarkozy` and `sarkozy`: one surname is a hyphenated part of the other."""
    return (a != b) and (b in a.split("-") or a in b.split("-"))


def similar(a: str, b: str, threshold: float) -> bool:
    """Equal words, or long enough words within `threshold` of each other."""
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_FUZZY_LENGTH:
        return False
    return fuzz.ratio(a, b) >= threshold


def build_group(entities: list[Entity], order: dict[int, int]) -> NameGroup:
    """The group of matched entities: label, type, status and every mention as a cell."""
    cells = sorted(
        (
            NameCell(entity.article_id, m.start, m.end, m.surface)
            for entity in entities
            for m in entity.mentions
        ),
        key=lambda c: (order.get(c.article_id, 0), c.start),
    )
    full_forms = spelled_forms([form for entity in entities for form in entity.full_forms])
    surfaces = full_forms or [typographic_form(c.surface) for c in cells]
    label = Counter(surfaces).most_common(1)[0][0]
    kinds = Counter(m.type for entity in entities for m in entity.mentions)
    articles = {entity.article_id for entity in entities}
    spellings = tuple(sorted(set(full_forms)))
    if len(articles) < 2:
        status = "single-source"
    elif len(spellings) > 1:
        status = "variant"
    else:
        status = "same"
    return NameGroup(label, kinds.most_common(1)[0][0], status, tuple(cells), spellings)


def spelled_forms(forms: list[str]) -> list[str]:
    """The forms whose spelling is compared: a lone surname beside the full name it shortens
    (`Sarkozy` beside `Nicolas Sarkozy`) is a short form, not a different spelling."""
    words_of_long = {
        part
        for form in forms
        if " " in form
        for word in fold_name(form).split()
        for part in (word, *word.split("-"))
    }
    # An acronym beside the name it stands for is another form, not another spelling.
    return [
        form
        for form in forms
        if " " in form
        or not (words_of_long and (form.isupper() or fold_name(form) in words_of_long))
    ]


STATUS_ORDER = {"variant": 0, "same": 1, "single-source": 2}


def group_order(group: NameGroup) -> tuple[int, int, str]:
    """Variants first, then entities named by the most articles, then by label."""
    articles = len({cell.article_id for cell in group.cells})
    return (STATUS_ORDER[group.status], -articles, fold_name(group.label))
