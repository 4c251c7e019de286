"""Frozen dataclasses of story grouping: a story, a related article, the user's corrections."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RelatedArticle:
    """Another article of an article's story, or of a neighbouring story, with its overlap.

    `overlap` is the cosine of the two signatures (0 to 1, before any date weighting):
    how much of their weighted words, names and numbers they share.
    """

    article_id: int
    story_id: int
    overlap: float
    same_story: bool


@dataclass(frozen=True, slots=True)
class StoryConstraints:
    """The user's corrections, which every regrouping keeps.

    `pinned` maps an article to the story the user put it in (articles pinned to one story
    stay together and keep that story's id; articles pinned to two stories stay apart);
    `must_link` pairs stay in one story, `cannot_link` pairs never share one.
    """

    pinned: Mapping[int, int] = field(default_factory=dict)
    must_link: frozenset[tuple[int, int]] = frozenset()
    cannot_link: frozenset[tuple[int, int]] = frozenset()

    def with_pins(self, pins: Mapping[int, int]) -> StoryConstraints:
        """These constraints with more articles pinned (an article's newer pin wins)."""
        return StoryConstraints({**self.pinned, **pins}, self.must_link, self.cannot_link)

    def without_pin(self, article_id: int) -> StoryConstraints:
        """These constraints with an article no longer pinned."""
        pinned = {a: s for a, s in self.pinned.items() if a != article_id}
        return StoryConstraints(pinned, self.must_link, self.cannot_link)

    def with_must_link(self, a: int, b: int) -> StoryConstraints:
        """These constraints with `a` and `b` kept together (and no longer kept apart)."""
        pair = _pair(a, b)
        return StoryConstraints(self.pinned, self.must_link | {pair}, self.cannot_link - {pair})

    def with_cannot_link(self, a: int, b: int) -> StoryConstraints:
        """These constraints with `a` and `b` kept apart (and no longer kept together)."""
        pair = _pair(a, b)
        return StoryConstraints(self.pinned, self.must_link - {pair}, self.cannot_link | {pair})

    def without_articles(self, article_ids: Iterable[int]) -> StoryConstraints:
        """These constraints with nothing left about the given (deleted) articles."""
        gone = set(article_ids)
        return StoryConstraints(
            {a: s for a, s in self.pinned.items() if a not in gone},
            frozenset(p for p in self.must_link if not gone & set(p)),
            frozenset(p for p in self.cannot_link if not gone & set(p)),
        )

    def to_json(self) -> str:
        """The constraints as a JSON text, for storage."""
        return json.dumps(
            {
                "pinned": sorted([a, s] for a, s in self.pinned.items()),
                "must_link": sorted(list(p) for p in self.must_link),
                "cannot_link": sorted(list(p) for p in self.cannot_link),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> StoryConstraints:
        """The constraints of `to_json`'s text."""
        data = json.loads(text)
        return cls(
            {int(a): int(s) for a, s in data.get("pinned", [])},
            frozenset(_pair(a, b) for a, b in data.get("must_link", [])),
            frozenset(_pair(a, b) for a, b in data.get("cannot_link", [])),
        )


def _pair(a: int, b: int) -> tuple[int, int]:
    """An unordered pair of article ids, smaller first."""
    return (a, b) if a <= b else (b, a)
