"""What one article contributes to story grouping, computed once from its text.

A signature holds the article's strongest features before any corpus statistics (the
index weighs them by inverse document frequency, which changes as the library grows):
word stems, names (capitalised words) and key numbers, each with a weight from its
frequency in the article and in its headline; and the publication date when known.
"""

from __future__ import annotations

import json
import math
import re
import struct
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache

import Stemmer
from stop_words import get_stop_words

from store.numbers import NUMBER_RE, canonical_numbers

SIGNATURE_VERSION = 1
"""Bumped whenever the features change: stored signatures of another version are stale."""
MAX_FEATURES = 64
"""Features kept per article: 64 scored as well as all of them on rpm2-dev (see package doc)."""

NAME_PREFIX = "@"
"""Marks a name feature ('@betancourt'); word stems carry no prefix."""
NUMBER_PREFIX = "#"
"""Marks a number feature ('#2517')."""

# Occurrences in the headline count this many times: the headline names the event.
TITLE_WEIGHT = 3
# Names also count as words (their stem); this extra weight makes shared names count more.
NAME_PRIOR = 1.0
# Numbers are weaker evidence than words (years, small counts recur across stories).
NUMBER_PRIOR = 0.5

_WORD = re.compile(r"[^\W\d_]+")
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞŒ][^\W\d_]*")
_SENTENCE_END = frozenset('.!?…:;«»"“”\n')
_SPACING = " \t\u00a0\u202f([-"
_PRIORS = {NAME_PREFIX: NAME_PRIOR, NUMBER_PREFIX: NUMBER_PRIOR}


@dataclass(frozen=True, slots=True)
class StorySignature:
    """An article's grouping features: (feature, weight) strongest first, and its date."""

    features: tuple[tuple[str, float], ...]
    published: str | None
    version: int = SIGNATURE_VERSION

    @property
    def day(self) -> int | None:
        """The publication date as a day number (proleptic ordinal), None when unknown."""
        return _day_number(self.published)

    def to_json(self) -> str:
        """A compact JSON text of the signature."""
        return json.dumps(
            {
                "v": self.version,
                "f": [[name, weight] for name, weight in self.features],
                "p": self.published,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> StorySignature:
        """The signature of `to_json`'s text."""
        data = json.loads(text)
        return cls(tuple(map(tuple, data["f"])), data["p"], int(data["v"]))

    def to_bytes(self) -> bytes:
        """A compact binary form (about 0.4 kB for a full signature) for a BLOB column:
        zlib of version, date, feature count, weights in thousandths (16 bits; they have
        three decimals) and the names, one a line.
        Reading it back is several times faster than reading JSON."""
        weights = struct.pack(
            f"<{len(self.features)}H", *(min(65535, round(w * 1000)) for _, w in self.features)
        )
        names = "\n".join(name for name, _ in self.features).encode("utf-8")
        published = (self.published or "").encode("ascii")
        header = struct.pack("<BBH", self.version, len(published), len(self.features))
        return zlib.compress(header + published + weights + names, 6)

    @classmethod
    def from_bytes(cls, blob: bytes) -> StorySignature:
        """The signature of `to_bytes`'s blob."""
        data = zlib.decompress(blob)
        version, date_length, count = struct.unpack_from("<BBH", data)
        at = 4 + date_length
        published = data[4:at].decode("ascii") or None
        weights = [w / 1000 for w in struct.unpack_from(f"<{count}H", data, at)]
        names = data[at + 2 * count :].decode("utf-8").split("\n") if count else []
        features = tuple(zip(names, weights, strict=True))
        return cls(features, published, version)


def story_signature(title: str, body: str, published: str | None = None) -> StorySignature:
    """The grouping features of one article; any text, even empty, gives a signature."""
    title = title or ""
    body = body or ""
    counts, first_seen = _feature_counts(title, body)
    priors = _PRIORS
    scored = {
        name: (1.0 + math.log(count)) * priors.get(name[0], 1.0) for name, count in counts.items()
    }
    kept = sorted(scored, key=lambda name: (-scored[name], first_seen[name], name))
    kept = kept[:MAX_FEATURES]
    features = tuple((name, round(scored[name], 3)) for name in kept)
    return StorySignature(features, _iso_day(published))


def fold(text: str) -> str:
    """Lower case without accents: 'Épargne' -> 'epargne'."""
    return text.lower().translate(_accent_table())


@cache
def _accent_table() -> dict[int, str]:
    """Latin letters with diacritics mapped to their base letters (a translate table is
    ten times faster than decomposing each character)."""
    # Apostrophes become spaces: "l'opération" gives the words "l" and "operation".
    table = {ord("œ"): "oe", ord("æ"): "ae", ord("'"): " ", ord("’"): " "}
    for code in range(0xC0, 0x250):
        decomposed = unicodedata.normalize("NFD", chr(code).lower())
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != chr(code):
            table[code] = base
    return table


def _names(text: str) -> list[str]:
    """Capitalised words that do not open a sentence: the text's names and acronyms.

    A capitalised word right after an elided article counts even there ("L'Ecureuil").
    """
    names = []
    for match in _CAPITALISED.finditer(text):
        at = match.start()
        before = text[at - 1] if at else "\n"
        if before.isalpha() or before.isdigit():
            continue  # inside a word ("McDonald", "2A")
        if before not in "'’":
            at -= 1
            while at >= 0 and text[at] in _SPACING:
                at -= 1
            if at < 0 or text[at] in _SENTENCE_END:
                continue
        names.append(match.group())
    return names


def _feature_counts(title: str, body: str) -> tuple[Counter[str], dict[str, int]]:
    """How often each feature occurs (headline occurrences weighted) and where it first does."""
    title_features = _text_features(title)
    body_features = _text_features(body)
    counts = Counter(body_features)
    for feature, count in Counter(title_features).items():
        counts[feature] += TITLE_WEIGHT * count
    order = dict.fromkeys(title_features)
    order.update(dict.fromkeys(body_features))
    return counts, {feature: rank for rank, feature in enumerate(order)}


def _text_features(text: str) -> list[str]:
    """The features of a text in reading order: word stems, then names, then numbers."""
    stops = _stop_words()
    words = _WORD.findall(fold(text))
    content = [word for word in words if len(word) > 2 and word not in stops]
    features = _stemmer().stemWords(content)
    names = [fold(name) for name in _names(text)]
    features.extend(NAME_PREFIX + name for name in names if len(name) > 1 and name not in stops)
    numbers = [m.group() for m in NUMBER_RE.finditer(text)]
    features.extend(NUMBER_PREFIX + n for n in canonical_numbers(numbers) if len(n) >= 2)
    return features


def _iso_day(published: str | None) -> str | None:
    """The YYYY-MM-DD part of an ISO date or timestamp; None when it is not one."""
    return published[:10] if _day_number(published) is not None else None


@cache
def _day_number(published: str | None) -> int | None:
    """Days since year 1 of an ISO date or timestamp; None when missing or unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


@cache
def _stop_words() -> frozenset[str]:
    """French stop words, folded like the text."""
    return frozenset(fold(word) for word in get_stop_words("fr"))


@cache
def _stemmer() -> Stemmer.Stemmer:
    """The Snowball French stemmer (PyStemmer, in C)."""
    return Stemmer.Stemmer("french")
