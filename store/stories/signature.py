"""What one article contributes to story grouping, computed once from its text.

A signature holds the article's strongest features before any corpus statistics (the
index weighs them by inverse document frequency, which changes as the library grows):
word stems, names (capitalised words) and key numbers, each with a weight from its
frequency in the article and in its headline; the publication date when known; and a
MinHash of the features for locality-sensitive candidate search.
"""

from __future__ import annotations

import base64
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
from datasketch import MinHash
from stop_words import get_stop_words

from store.numbers import NUMBER_RE, canonical_numbers

SIGNATURE_VERSION = 1
"""Bumped whenever the features change: stored signatures of another version are stale."""
MAX_FEATURES = 64
"""Features kept per article: 64 scored as well as all of them on rpm2-dev (see package doc)."""
NUM_PERM = 64
"""MinHash permutations: enough for the LSH bands used for candidates."""
MINHASH_SEED = 7

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

# A word (with an elided article: "l'opération") or a mark that ends a sentence or a quote.
_ELISION = re.compile(r"^[^\n'’]*['’]", re.MULTILINE)
_TOKEN = re.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)?)|[.!?…:;«»\"“”\n]")


@dataclass(frozen=True, slots=True)
class StorySignature:
    """An article's grouping features: (feature, weight) strongest first, date, MinHash."""

    features: tuple[tuple[str, float], ...]
    published: str | None
    minhash: tuple[int, ...]
    version: int = SIGNATURE_VERSION

    @property
    def day(self) -> int | None:
        """The publication date as a day number (proleptic ordinal), None when unknown."""
        return _day_number(self.published)

    def to_json(self) -> str:
        """A compact JSON text of the signature (MinHash as base64 of 32-bit values)."""
        packed = struct.pack(f"<{len(self.minhash)}I", *self.minhash)
        return json.dumps(
            {
                "v": self.version,
                "f": [[name, weight] for name, weight in self.features],
                "p": self.published,
                "m": base64.b64encode(packed).decode("ascii"),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> StorySignature:
        """The signature of `to_json`'s text."""
        data = json.loads(text)
        packed = base64.b64decode(data["m"])
        minhash = struct.unpack(f"<{len(packed) // 4}I", packed)
        features = tuple(map(tuple, data["f"]))
        return cls(features, data["p"], minhash, int(data["v"]))

    def to_bytes(self) -> bytes:
        """The JSON text compressed (about 0.6 kB for a full signature), for a BLOB column."""
        return zlib.compress(self.to_json().encode("utf-8"), 6)

    @classmethod
    def from_bytes(cls, blob: bytes) -> StorySignature:
        """The signature of `to_bytes`'s blob."""
        return cls.from_json(zlib.decompress(blob).decode("utf-8"))


def story_signature(title: str, body: str, published: str | None = None) -> StorySignature:
    """The grouping features of one article; any text, even empty, gives a signature."""
    title = title or ""
    body = body or ""
    counts, first_seen = _feature_counts(title, body)
    scored = {name: _feature_weight(name, count) for name, count in counts.items()}
    kept = sorted(scored, key=lambda name: (-scored[name], first_seen[name], name))
    kept = kept[:MAX_FEATURES]
    features = tuple((name, round(scored[name], 3)) for name in kept)
    return StorySignature(features, _iso_day(published), _minhash(kept))


def fold(text: str) -> str:
    """Lower case without accents: 'Épargne' -> 'epargne'."""
    return text.lower().translate(_accent_table())


@cache
def _accent_table() -> dict[int, str]:
    """Latin letters with diacritics mapped to their base letters (a translate table is
    ten times faster than decomposing each character)."""
    table = {ord("œ"): "oe", ord("æ"): "ae"}
    for code in range(0xC0, 0x250):
        decomposed = unicodedata.normalize("NFD", chr(code).lower())
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base != chr(code):
            table[code] = base
    return table


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
    """The features of a text in reading order: word stems, names, numbers."""
    words, opens_sentence = _words(text)
    folded = _ELISION.sub("", fold("\n".join(words))).split("\n") if words else []
    stops = _stop_words()
    content = [word for word in folded if len(word) > 2 and word not in stops]
    features = _stemmer().stemWords(content)
    features.extend(NAME_PREFIX + name for name in _names(words, folded, opens_sentence, stops))
    numbers = [m.group() for m in NUMBER_RE.finditer(text)]
    features.extend(NUMBER_PREFIX + n for n in canonical_numbers(numbers) if len(n) >= 2)
    return features


def _words(text: str) -> tuple[list[str], list[bool]]:
    """The words of a text and, for each, whether it opens a sentence."""
    words: list[str] = []
    opens_sentence: list[bool] = []
    at_start = True
    for match in _TOKEN.finditer(text):
        word = match.group(1)
        if word is None:
            at_start = True
            continue
        words.append(word)
        opens_sentence.append(at_start)
        at_start = False
    return words, opens_sentence


def _elided(word: str) -> str:
    """The word after an elided article or pronoun: "l'operation" -> 'operation'."""
    for apostrophe in ("'", "’"):
        if apostrophe in word:
            return word.split(apostrophe, 1)[1]
    return word


def _names(
    words: list[str], folded: list[str], opens_sentence: list[bool], stops: frozenset[str]
) -> list[str]:
    """Capitalised words that do not open a sentence, folded: the text's names and acronyms.

    A sentence's first word counts when an elision shows the name ("L'Ecureuil").
    """
    names: list[str] = []
    for word, name, first in zip(words, folded, opens_sentence, strict=True):
        if first and "'" not in word and "’" not in word:
            continue
        if len(name) > 1 and _elided(word)[:1].isupper() and name not in stops:
            names.append(name)
    return names


def _feature_weight(name: str, count: int) -> float:
    """Sublinear frequency times the kind's prior."""
    prior = 1.0
    if name.startswith(NAME_PREFIX):
        prior = NAME_PRIOR
    elif name.startswith(NUMBER_PREFIX):
        prior = NUMBER_PRIOR
    return (1.0 + math.log(count)) * prior


def _minhash(features: list[str]) -> tuple[int, ...]:
    """MinHash values of the feature set (empty set: the all-maximum values)."""
    minhash = new_minhash()
    minhash.update_batch([feature.encode("utf-8") for feature in features])
    return tuple(int(value) for value in minhash.hashvalues)


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


def new_minhash(hashvalues: tuple[int, ...] | None = None) -> MinHash:
    """A MinHash of this module's kind, empty or holding stored values."""
    template = _minhash_template()
    return MinHash(
        num_perm=NUM_PERM,
        seed=MINHASH_SEED,
        hashvalues=hashvalues,
        permutations=None if hashvalues else template.permutations,
        scheme=template.scheme,
    )


@cache
def _minhash_template() -> MinHash:
    """One MinHash built from the seed: its permutations are reused (a new one costs 0.4 ms)."""
    return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)


@cache
def _stop_words() -> frozenset[str]:
    """French stop words, folded like the text."""
    return frozenset(fold(word) for word in get_stop_words("fr"))


@cache
def _stemmer() -> Stemmer.Stemmer:
    """The Snowball French stemmer (PyStemmer, in C)."""
    return Stemmer.Stemmer("french")
