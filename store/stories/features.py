"""The index's storage of signatures: flat arrays and inverted lists, searched with numpy.

Features become integer ids; each article's (id, weight) pairs sit in one growing array
(a CSR layout), so 100k articles of 64 features take about 50 MB instead of the several
hundred that as many Python tuples would. Inverted lists (feature -> articles) are built in
bulk by one sort, and articles added afterwards go to small per-feature lists until the
next bulk build.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from store.stories.signature import StorySignature

NORM_DRIFT = 1.1
"""An article's norm is recomputed when the index has grown this much since it was computed."""


class FeatureStore:
    """Every article's weighted features by position, with document frequencies and norms.

    A position is an article's slot, given in order of insertion and never reused; a
    retired position (deleted or replaced article) keeps its slot but no longer counts.
    """

    def __init__(self) -> None:
        self._vocabulary: dict[str, int] = {}
        self._names: list[str] = []
        self._df = array("q")
        self._start = array("q", [0])
        self._ids = array("i")
        self._weights = array("f")
        self._days = array("d")
        self._alive = array("b")
        self._norms = array("d")
        self._norm_size = array("q")
        self._live = 0
        self._bulk_positions = 0
        self._bulk_start = np.zeros(1, dtype=np.int64)
        self._bulk_rows = np.empty(0, dtype=np.int32)
        self._bulk_weights = np.empty(0, dtype=np.float32)
        self._recent: dict[int, tuple[array, array]] = {}
        self._built = False

    # -------------------------------------------------------------- changing

    def append(self, signature: StorySignature, *, index_now: bool = True) -> int:
        """Store a signature in a new position; `index_now`: also in the inverted lists
        (else the next `build` does it) and compute its norm."""
        position = len(self._alive)
        vocabulary, df = self._vocabulary, self._df
        for name, weight in signature.features:
            feature = vocabulary.get(name)
            if feature is None:
                feature = vocabulary[name] = len(self._names)
                self._names.append(name)
                df.append(0)
            df[feature] += 1
            self._ids.append(feature)
            self._weights.append(weight)
            if index_now:
                entry = self._recent.get(feature)
                if entry is None:
                    entry = self._recent[feature] = (array("i"), array("f"))
                entry[0].append(position)
                entry[1].append(weight)
        self._built = False
        self._start.append(len(self._ids))
        day = signature.day
        self._days.append(math.nan if day is None else float(day))
        self._alive.append(1)
        self._live += 1
        self._norms.append(0.0)
        self._norm_size.append(0)
        if index_now:
            self._refresh_norm(position)
        return position

    def extend(self, signatures: Sequence[StorySignature]) -> range:
        """Store many signatures at once, not yet searchable (call `build`); their positions."""
        first = len(self._alive)
        self._built = False
        pairs = [pair for signature in signatures for pair in signature.features]
        names = [pair[0] for pair in pairs]
        weights = [pair[1] for pair in pairs]
        vocabulary = self._vocabulary
        for name in dict.fromkeys(names):
            if name not in vocabulary:
                vocabulary[name] = len(self._names)
                self._names.append(name)
        ids = np.fromiter(map(vocabulary.__getitem__, names), dtype=np.int64, count=len(names))
        counts = np.bincount(ids, minlength=len(self._names))
        df = np.zeros(len(self._names), dtype=np.int64)
        df[: len(self._df)] = np.frombuffer(self._df, dtype=np.int64)
        self._df = array("q", (df + counts).tobytes())
        self._ids.frombytes(ids.astype(np.int32).tobytes())
        self._weights.frombytes(np.asarray(weights, dtype=np.float32).tobytes())
        lengths = np.array([len(s.features) for s in signatures], dtype=np.int64)
        self._start.frombytes((np.cumsum(lengths) + self._start[-1]).tobytes())
        days = [s.day for s in signatures]
        self._days.extend(math.nan if day is None else float(day) for day in days)
        self._alive.frombytes(b"\x01" * len(signatures))
        self._live += len(signatures)
        self._norms.frombytes(bytes(8 * len(signatures)))
        self._norm_size.frombytes(bytes(8 * len(signatures)))
        return range(first, len(self._alive))

    def retire(self, position: int) -> None:
        """Stop counting an article (its features leave the document frequencies)."""
        if not self._alive[position]:
            return
        self._alive[position] = 0
        self._live -= 1
        self._built = False
        for feature in self._ids[self._start[position] : self._start[position + 1]]:
            self._df[feature] -= 1

    def build(self) -> None:
        """Inverted lists of every live article in one sort, and every norm recomputed
        (nothing to do when nothing changed since the last build)."""
        if self._built:
            return
        self._built = True
        live = np.flatnonzero(self.alive)
        ids, weights, rows = self._flat(live)
        rows = live[rows]
        order = np.argsort(ids, kind="stable")
        counts = np.bincount(ids, minlength=len(self._names))
        self._bulk_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._bulk_rows = rows[order].astype(np.int32)
        self._bulk_weights = weights[order]
        self._bulk_positions = len(self._alive)
        self._recent = {}
        norms = np.sqrt(
            np.bincount(rows, weights=(weights * self.idf(ids)) ** 2, minlength=len(self._alive))
        )
        self._norms = array("d", norms.tolist())
        self._norm_size = array("q", [self._live]) * len(self._alive)

    # -------------------------------------------------------------- reading

    @property
    def live(self) -> int:
        """How many articles count (N of the inverse document frequency)."""
        return self._live

    @property
    def alive(self) -> np.ndarray:
        """Whether each position counts (a copy)."""
        return np.frombuffer(self._alive, dtype=np.int8).astype(bool)

    @property
    def days(self) -> np.ndarray:
        """Each position's publication day number, NaN when unknown (a copy)."""
        return np.frombuffer(self._days, dtype=np.float64).copy()

    def day(self, position: int) -> float:
        """A position's publication day number, NaN when unknown."""
        return self._days[position]

    def features(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        """A position's feature ids and weights (copies)."""
        lo, hi = self._start[position], self._start[position + 1]
        return (
            np.array(self._ids[lo:hi], dtype=np.int64),
            np.array(self._weights[lo:hi], dtype=np.float32),
        )

    def idf(self, ids: np.ndarray) -> np.ndarray:
        """ln(1 + N / df) of features (0 for a feature no live article holds)."""
        df = np.frombuffer(self._df, dtype=np.int64)[ids]
        with np.errstate(divide="ignore"):
            return np.where(df > 0, np.log1p(self._live / np.maximum(df, 1)), 0.0)

    def searched_df(self) -> int:
        """The highest document frequency a feature may have and still be searched through."""
        return max(MIN_MAX_DF, int(MAX_DF_SHARE * self._live))

    def similar(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        """Live positions sharing a searched feature with `position`, and their cosines."""
        ids, weights = self.features(position)
        if not len(ids):
            return np.empty(0, dtype=np.int64), np.empty(0)
        df = np.frombuffer(self._df, dtype=np.int64)[ids]
        idf = self.idf(ids)
        query = weights * idf * idf
        searched = (df > 0) & (df <= self.searched_df())
        scores = np.zeros(len(self._alive))
        for feature, factor in zip(ids[searched].tolist(), query[searched].tolist(), strict=True):
            if feature + 1 < len(self._bulk_start):
                lo, hi = self._bulk_start[feature], self._bulk_start[feature + 1]
                scores[self._bulk_rows[lo:hi]] += factor * self._bulk_weights[lo:hi]
            recent = self._recent.get(feature)
            if recent is not None:
                rows = np.frombuffer(recent[0], dtype=np.int32)
                scores[rows] += factor * np.frombuffer(recent[1], dtype=np.float32)
                del rows
        scores[position] = 0.0
        found = np.flatnonzero(scores)
        found = found[np.frombuffer(self._alive, dtype=np.int8)[found] > 0]
        norms = self._fresh_norms(found)
        own = self._fresh_norms(np.array([position]))[0]
        return found, scores[found] / np.maximum(norms * own, 1e-12)

    def cosines(self, rows: Sequence[int], columns: Sequence[int]) -> np.ndarray:
        """The cosine of every pair of positions (len(rows) x len(columns), all features)."""
        if len(rows) + len(columns) > DENSE_LIMIT:
            left = self.matrix(rows, searched_only=False)
            right = self.matrix(columns, searched_only=False)
            return (left @ right.T).toarray()
        # Few articles: a dense product over the features they hold is ten times faster.
        positions = np.asarray([*rows, *columns], dtype=np.int64)
        ids, weights, which = self._flat(positions)
        norms = self._fresh_norms(positions)
        values = weights * self.idf(ids) / np.maximum(norms[which], 1e-12)
        features, local = np.unique(ids, return_inverse=True)
        dense = np.zeros((len(positions), len(features)))
        dense[which, local] = values
        return dense[: len(rows)] @ dense[len(rows) :].T

    def matrix(self, positions: Sequence[int], searched_only: bool = True) -> sparse.csr_matrix:
        """Rows: the positions' IDF-weighted features divided by their norms; columns: feature
        ids (with `searched_only`, features too common to search through are left out)."""
        positions = np.asarray(positions, dtype=np.int64)
        norms = self._fresh_norms(positions)
        ids, weights, rows = self._flat(positions)
        values = weights * self.idf(ids) / np.maximum(norms[rows], 1e-12)
        if searched_only:
            keep = np.frombuffer(self._df, dtype=np.int64)[ids] <= self.searched_df()
            ids, values, rows = ids[keep], values[keep], rows[keep]
        shape = (len(positions), max(1, len(self._names)))
        return sparse.csr_matrix((values, (rows, ids)), shape=shape)

    # -------------------------------------------------------------- internals

    def _flat(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The features of several positions as flat arrays: ids, weights, row in `positions`."""
        start = np.frombuffer(self._start, dtype=np.int64)
        lo, hi = start[positions], start[positions + 1]
        lengths = hi - lo
        rows = np.repeat(np.arange(len(positions)), lengths)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        flat = np.repeat(lo, lengths) + offsets
        ids = np.frombuffer(self._ids, dtype=np.int32)[flat].astype(np.int64)
        weights = np.frombuffer(self._weights, dtype=np.float32)[flat]
        return ids, weights, rows

    def _fresh_norms(self, positions: np.ndarray) -> np.ndarray:
        """The positions' norms, recomputed first where the index grew much since."""
        sizes = np.frombuffer(self._norm_size, dtype=np.int64)[positions]
        stale = positions[sizes * NORM_DRIFT < self._live]
        del sizes
        for position in stale.tolist():
            self._refresh_norm(position)
        return np.frombuffer(self._norms, dtype=np.float64)[positions].copy()

    def _refresh_norm(self, position: int) -> None:
        ids, weights = self.features(position)
        self._norms[position] = float(np.sqrt(np.sum((weights * self.idf(ids)) ** 2)))
        self._norm_size[position] = self._live


MAX_DF_SHARE = 0.005
"""Features in more than this share of articles are not searched through (low weight, long
lists); their weight still counts in norms and in the cosine of two given articles."""
DENSE_LIMIT = 300
"""Up to this many articles, cosines are computed with dense arrays."""
MIN_MAX_DF = 200
"""Up to this many articles holding it, a feature is always searched through. (On the
reference corpus at 100k, searching features of up to 2000 articles made each article meet
7 700 others in the regrouping's products, 2.3x the FTS5 load's time; up to 500, 320.)"""
