"""The story index: articles' signatures, their stories, and the user's corrections.

Similarity of two articles: cosine of their signatures' features weighted by inverse
document frequency (ln(1 + N/df), N and df over the index), times a date factor
1 / (1 + (days apart / DATE_SCALE)^2) when both publication dates are known.
An article's score for a story is its average similarity to the story's members.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
from scipy import sparse

from store.errors import NotFoundError
from store.stories.grouping import average_link
from store.stories.models import RelatedArticle, StoryConstraints
from store.stories.signature import StorySignature

THRESHOLD = 0.10
"""Average similarity at which an article joins a story (chosen on rpm2-dev; see package doc)."""
DATE_SCALE = 14.0
"""Days apart at which the date factor halves similarity: a story's reports span days to weeks."""
NEIGHBOURS = 40
"""Most similar articles an article is linked to when grouping (adding or regrouping)."""
MIN_SIMILARITY = 0.01
"""Similarities below this are not kept as links."""
MAX_DF_SHARE = 0.02
"""Features in more than this share of articles are not searched through (low weight, long
lists); their weight still counts in norms and in the overlap of the articles compared."""
MIN_MAX_DF = 500
"""Below this many articles holding it, a feature is always searched through."""
NORM_DRIFT = 1.1
"""An article's norm is recomputed when the index has grown this much since it was computed."""


class StoryIndex:
    """Articles grouped into stories, incrementally, with corrections that survive regrouping."""

    def __init__(
        self, constraints: StoryConstraints | None = None, threshold: float = THRESHOLD
    ) -> None:
        """An empty index; `constraints` are the user's stored corrections."""
        self.threshold = threshold
        self._constraints = constraints or StoryConstraints()
        self._ids: list[int] = []
        self._position: dict[int, int] = {}
        self._signatures: list[StorySignature | None] = []
        self._story = array("q")
        self._days = array("d")
        self._norms = array("d")
        self._norm_size = array("q")
        self._postings: dict[str, tuple[array, array]] = {}
        self._df: Counter[str] = Counter()
        self._members: dict[int, set[int]] = {}
        self._next_story = 1

    # ----------------------------------------------------------------- building

    @classmethod
    def from_signatures(
        cls,
        signatures: Iterable[tuple[int, StorySignature]],
        assignments: Mapping[int, int] | None = None,
        constraints: StoryConstraints | None = None,
        threshold: float = THRESHOLD,
    ) -> StoryIndex:
        """An index of stored signatures: with their stored stories (`assignments`: article id
        to story id; articles without one are added), else regrouped from scratch."""
        index = cls(constraints, threshold)
        for article_id, signature in signatures:
            index._insert(article_id, signature)
        index._refresh_norms()
        if assignments is None:
            index.rebuild()
            return index
        pending = []
        for position, article_id in enumerate(index._ids):
            story_id = assignments.get(article_id)
            if story_id is None:
                pending.append(position)
            else:
                index._put(position, story_id)
        for position in pending:
            index._put(position, index._choose_story(position))
        return index

    def add(self, article_id: int, signature: StorySignature) -> int:
        """Put an article (new or changed) in a story, joining one or starting one; its id."""
        if article_id in self._position:
            self.remove(article_id)
        position = self._insert(article_id, signature)
        story_id = self._choose_story(position)
        self._put(position, story_id)
        return story_id

    def remove(self, article_id: int) -> None:
        """Take a deleted article out of the index (its corrections go with it)."""
        position = self._position.pop(article_id, None)
        if position is None:
            return
        self._take_out(position)
        signature = self._signatures[position]
        self._signatures[position] = None
        if signature is not None:
            self._df.subtract(name for name, _ in signature.features)
        self._constraints = self._constraints.without_articles([article_id])

    def rebuild(self) -> dict[int, int]:
        """Regroup every article from scratch, keeping the corrections; article id -> story id.

        A story keeps its id when most of its articles stay together.
        """
        self._refresh_norms()
        live = [p for p, s in enumerate(self._signatures) if s is not None]
        local = {p: i for i, p in enumerate(live)}
        pinned = {
            local[self._position[a]]: s
            for a, s in self._constraints.pinned.items()
            if a in self._position
        }
        together = self._must_link_groups(local) + _groups_by_label(pinned)
        apart = [
            (local[self._position[a]], local[self._position[b]])
            for a, b in self._constraints.cannot_link
            if a in self._position and b in self._position
        ]
        edges = self._all_links(live)
        clusters = average_link(len(live), edges, self.threshold, together, apart, pinned)
        previous = {p: self._story[p] for p in live}
        for position in live:
            self._take_out(position)
        for members, story_id in zip(
            clusters, self._story_ids(clusters, live, previous, pinned), strict=True
        ):
            for node in members:
                self._put(live[node], story_id)
        return self.assignments()

    # ----------------------------------------------------------------- reading

    def __len__(self) -> int:
        return len(self._position)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._position

    def story_of(self, article_id: int) -> int:
        """The story of an article."""
        return self._story[self._require(article_id)]

    def members(self, story_id: int) -> tuple[int, ...]:
        """The article ids of a story, in ascending order."""
        positions = self._members.get(story_id)
        if not positions:
            raise NotFoundError(f"no story {story_id}")
        return tuple(sorted(self._ids[p] for p in positions))

    def stories(self) -> dict[int, tuple[int, ...]]:
        """Every story: its id and its article ids."""
        return {s: tuple(sorted(self._ids[p] for p in m)) for s, m in self._members.items()}

    def assignments(self) -> dict[int, int]:
        """Every article's story: article id -> story id (what a database stores)."""
        return {a: self._story[p] for a, p in self._position.items()}

    @property
    def constraints(self) -> StoryConstraints:
        """The user's corrections as they stand (to store after a correction)."""
        return self._constraints

    def overlap(self, a: int, b: int) -> float:
        """The cosine of two articles' signatures (no date weighting): 0 to 1."""
        pa, pb = self._require(a), self._require(b)
        return self._cosine(self._signatures[pa], self._signatures[pb])

    def related(
        self, article_id: int, limit: int = 10, neighbour_stories: int = 3
    ) -> tuple[RelatedArticle, ...]:
        """The other articles of an article's story (most overlapping first), then up to
        `limit` articles of the `neighbour_stories` stories it is closest to."""
        position = self._require(article_id)
        own = self._story[position]
        signature = self._signatures[position]
        same = [
            RelatedArticle(self._ids[p], own, self._cosine(signature, self._signatures[p]), True)
            for p in self._members[own]
            if p != position
        ]
        same.sort(key=lambda r: (-r.overlap, r.article_id))
        positions, similarities = self._neighbours(position, signature)
        scores = self._story_scores(positions, similarities)
        scores.pop(own, None)
        near = heapq.nlargest(neighbour_stories, scores.items(), key=lambda item: item[1])
        near_ids = {story_id for story_id, _ in near}
        others = [
            RelatedArticle(
                self._ids[p], self._story[p], self._cosine(signature, self._signatures[p]), False
            )
            for p in positions.tolist()
            if self._story[p] in near_ids
        ]
        others.sort(key=lambda r: (-r.overlap, r.article_id))
        return tuple(same + others[:limit])

    def central_articles(self, story_id: int, limit: int = 10) -> tuple[int, ...]:
        """A story's `limit` most central articles: highest average overlap with the others."""
        positions = sorted(self._members.get(story_id, ()))
        if not positions:
            raise NotFoundError(f"no story {story_id}")
        sigs = [self._signatures[p] for p in positions]
        centrality = [sum(self._cosine(s, t) for t in sigs if t is not s) for s in sigs]
        order = sorted(
            range(len(positions)), key=lambda i: (-centrality[i], self._ids[positions[i]])
        )
        return tuple(self._ids[positions[i]] for i in order[:limit])

    # ----------------------------------------------------------------- corrections

    def new_story_id(self) -> int:
        """An id no story has yet (for moving an article to a story of its own)."""
        story_id = self._next_story
        self._next_story += 1
        return story_id

    def move(self, article_id: int, story_id: int) -> None:
        """Put an article in a story (an existing one or a new id) and pin it there."""
        position = self._require(article_id)
        self._constraints = self._constraints.with_pins({article_id: story_id})
        self._take_out(position)
        self._put(position, story_id)

    def merge(self, story_id: int, other_id: int) -> int:
        """Make one story of two (the first keeps its id) and pin their articles to it."""
        articles = self.members(story_id) + self.members(other_id)
        self._constraints = self._constraints.with_pins(dict.fromkeys(articles, story_id))
        for article_id in self.members(other_id):
            self._take_out(self._position[article_id])
            self._put(self._position[article_id], story_id)
        return story_id

    def split(self, story_id: int, article_ids: Iterable[int]) -> int:
        """Move some of a story's articles to a new story; pin both parts. The new id."""
        moved = set(article_ids)
        staying = [a for a in self.members(story_id) if a not in moved]
        new_id = self.new_story_id()
        pins = dict.fromkeys(staying, story_id) | dict.fromkeys(moved, new_id)
        self._constraints = self._constraints.with_pins(pins)
        for article_id in moved:
            position = self._require(article_id)
            self._take_out(position)
            self._put(position, new_id)
        return new_id

    def keep_together(self, a: int, b: int) -> None:
        """A must-link correction: `b` joins `a`'s story, and regrouping keeps them together."""
        self._constraints = self._constraints.with_must_link(a, b)
        position = self._require(b)
        target = self.story_of(a)
        self._take_out(position)
        self._put(position, target)

    def keep_apart(self, a: int, b: int) -> None:
        """A cannot-link correction: `b` leaves `a`'s story if it shares it, for good."""
        self._constraints = self._constraints.with_cannot_link(a, b)
        if self.story_of(a) == self.story_of(b):
            position = self._require(b)
            self._take_out(position)
            self._put(position, self._choose_story(position))

    # ----------------------------------------------------------------- internals

    def _story_ids(
        self,
        clusters: list[list[int]],
        live: list[int],
        previous: Mapping[int, int],
        pinned: Mapping[int, int],
    ) -> list[int]:
        """The ids of regrouped clusters: pinned, kept from before, or new."""
        ids = _assign_ids(clusters, live, previous, pinned)
        return [self.new_story_id() if story_id is None else story_id for story_id in ids]

    def _require(self, article_id: int) -> int:
        position = self._position.get(article_id)
        if position is None:
            raise NotFoundError(f"article {article_id} is not in the story index")
        return position

    def _insert(self, article_id: int, signature: StorySignature) -> int:
        """Store a signature and index its features; no story yet (-1)."""
        position = len(self._ids)
        self._ids.append(article_id)
        self._position[article_id] = position
        self._signatures.append(signature)
        self._story.append(-1)
        day = signature.day
        self._days.append(math.nan if day is None else float(day))
        for name, weight in signature.features:
            self._df[name] += 1
            entry = self._postings.get(name)
            if entry is None:
                entry = self._postings[name] = (array("i"), array("f"))
            entry[0].append(position)
            entry[1].append(weight)
        self._norms.append(self._norm(signature))
        self._norm_size.append(len(self._position))
        return position

    def _put(self, position: int, story_id: int) -> None:
        self._story[position] = story_id
        self._members.setdefault(story_id, set()).add(position)
        self._next_story = max(self._next_story, story_id + 1)

    def _take_out(self, position: int) -> None:
        story_id = self._story[position]
        members = self._members.get(story_id)
        if members is not None:
            members.discard(position)
            if not members:
                del self._members[story_id]
        self._story[position] = -1

    def _idf(self, name: str) -> float:
        df = self._df.get(name, 0)
        return math.log(1.0 + len(self._position) / df) if df > 0 else 0.0

    def _norm(self, signature: StorySignature | None) -> float:
        if signature is None:
            return 0.0
        return math.sqrt(sum((w * self._idf(n)) ** 2 for n, w in signature.features))

    def _refresh_norms(self, positions: Iterable[int] | None = None) -> None:
        size = len(self._position)
        for p in range(len(self._ids)) if positions is None else positions:
            self._norms[p] = self._norm(self._signatures[p])
            self._norm_size[p] = size

    def _cosine(self, a: StorySignature | None, b: StorySignature | None) -> float:
        if a is None or b is None:
            return 0.0
        weights = dict(b.features)
        dot = sum(w * weights[n] * self._idf(n) ** 2 for n, w in a.features if n in weights)
        norms = self._norm(a) * self._norm(b)
        return dot / norms if norms > 0 else 0.0

    def _max_df(self) -> int:
        return max(MIN_MAX_DF, int(MAX_DF_SHARE * len(self._position)))

    def _neighbours(
        self, position: int, signature: StorySignature | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The NEIGHBOURS articles most similar to one (positions, date-weighted similarities)."""
        if signature is None or not signature.features:
            return np.empty(0, dtype=np.int64), np.empty(0)
        scores = np.zeros(len(self._ids))
        max_df = self._max_df()
        for name, weight in signature.features:
            df = self._df.get(name, 0)
            if df == 0 or df > max_df:
                continue
            idf = self._idf(name)
            positions, weights = self._postings[name]
            idx = np.frombuffer(positions, dtype=np.int32)
            scores[idx] += (weight * idf * idf) * np.frombuffer(weights, dtype=np.float32)
        scores[position] = 0.0
        found = np.flatnonzero(scores)
        found = found[np.frombuffer(self._story, dtype=np.int64)[found] >= 0]
        self._refresh_stale_norms(found)
        norms = np.frombuffer(self._norms, dtype=np.float64)[found]
        own = self._norm(signature)
        similarities = scores[found] / np.maximum(norms * own, 1e-12)
        similarities *= self._date_factors(position, found)
        keep = similarities >= MIN_SIMILARITY
        found, similarities = found[keep], similarities[keep]
        if len(found) > NEIGHBOURS:
            top = np.argpartition(-similarities, NEIGHBOURS)[:NEIGHBOURS]
            found, similarities = found[top], similarities[top]
        return found, similarities

    def _refresh_stale_norms(self, positions: np.ndarray) -> None:
        sizes = np.frombuffer(self._norm_size, dtype=np.int64)[positions]
        stale = positions[sizes * NORM_DRIFT < len(self._position)]
        if len(stale):
            self._refresh_norms(stale.tolist())

    def _date_factors(self, position: int, others: np.ndarray) -> np.ndarray:
        """1 / (1 + (days apart / DATE_SCALE)^2); 1 where either date is unknown."""
        day = self._days[position]
        if math.isnan(day):
            return np.ones(len(others))
        apart = (np.frombuffer(self._days, dtype=np.float64)[others] - day) / DATE_SCALE
        factors = 1.0 / (1.0 + apart * apart)
        return np.where(np.isnan(factors), 1.0, factors)

    def _story_scores(self, positions: np.ndarray, similarities: np.ndarray) -> dict[int, float]:
        """Each linked story's average-link score: summed similarity over its size."""
        totals: dict[int, float] = {}
        for p, s in zip(positions.tolist(), similarities.tolist(), strict=True):
            story_id = self._story[p]
            totals[story_id] = totals.get(story_id, 0.0) + s
        return {story_id: t / len(self._members[story_id]) for story_id, t in totals.items()}

    def _choose_story(self, position: int) -> int:
        """The story an unassigned article joins under the corrections, or a new id."""
        article_id = self._ids[position]
        pinned = self._constraints.pinned.get(article_id)
        if pinned is not None:
            return pinned
        for a, b in self._constraints.must_link:
            partner = b if a == article_id else a if b == article_id else None
            if partner is not None and partner in self._position:
                partner_story = self._story[self._position[partner]]
                if partner_story >= 0:
                    return partner_story
        positions, similarities = self._neighbours(position, self._signatures[position])
        scores = self._story_scores(positions, similarities)
        for story_id in self._forbidden_stories(article_id):
            scores.pop(story_id, None)
        if scores:
            story_id, score = max(scores.items(), key=lambda item: (item[1], -item[0]))
            if score >= self.threshold:
                return story_id
        return self.new_story_id()

    def _forbidden_stories(self, article_id: int) -> set[int]:
        """Stories a correction keeps this article out of (cannot-link partners' stories)."""
        forbidden = set()
        for a, b in self._constraints.cannot_link:
            partner = b if a == article_id else a if b == article_id else None
            if partner is not None and partner in self._position:
                forbidden.add(self._story[self._position[partner]])
        return forbidden

    def _must_link_groups(self, local: Mapping[int, int]) -> list[list[int]]:
        return [
            [local[self._position[a]], local[self._position[b]]]
            for a, b in self._constraints.must_link
            if a in self._position and b in self._position
        ]

    def _all_links(self, live: list[int]) -> list[tuple[int, int, float]]:
        """Every article's NEIGHBOURS links at once, by sparse matrix products in blocks."""
        if not live:
            return []
        matrix = self._feature_matrix(live)
        days = np.array([self._days[p] for p in live])
        edges: list[tuple[int, int, float]] = []
        transposed = matrix.T.tocsc()
        block = 512
        for start in range(0, len(live), block):
            product = (matrix[start : start + block] @ transposed).tocsr()
            for row in range(product.shape[0]):
                i = start + row
                lo, hi = product.indptr[row], product.indptr[row + 1]
                cols = product.indices[lo:hi]
                values = product.data[lo:hi]
                if not math.isnan(days[i]):
                    apart = (days[cols] - days[i]) / DATE_SCALE
                    factors = 1.0 / (1.0 + apart * apart)
                    values = values * np.where(np.isnan(factors), 1.0, factors)
                keep = (values >= MIN_SIMILARITY) & (cols != i)
                cols, values = cols[keep], values[keep]
                if len(cols) > NEIGHBOURS:
                    top = np.argpartition(-values, NEIGHBOURS)[:NEIGHBOURS]
                    cols, values = cols[top], values[top]
                edges.extend(zip([i] * len(cols), cols.tolist(), values.tolist(), strict=True))
        return _symmetric(edges)

    def _feature_matrix(self, live: list[int]) -> sparse.csr_matrix:
        """Rows: the live articles' IDF-weighted, normalised features searched through."""
        max_df = self._max_df()
        columns: dict[str, int] = {}
        rows, cols, values = [], [], []
        for row, p in enumerate(live):
            signature = self._signatures[p]
            norm = self._norms[p]
            if signature is None or norm <= 0:
                continue
            for name, weight in signature.features:
                if self._df[name] > max_df:
                    continue
                rows.append(row)
                cols.append(columns.setdefault(name, len(columns)))
                values.append(weight * self._idf(name) / norm)
        return sparse.csr_matrix((values, (rows, cols)), shape=(len(live), max(1, len(columns))))


def _symmetric(edges: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """Each unordered pair once (an edge kept from either end counts)."""
    pairs: dict[tuple[int, int], float] = {}
    for a, b, s in edges:
        pairs[(a, b) if a < b else (b, a)] = s
    return [(a, b, s) for (a, b), s in pairs.items()]


def _groups_by_label(labels: Mapping[int, int]) -> list[list[int]]:
    """The nodes of each label, as groups that start together."""
    groups: dict[int, list[int]] = {}
    for node, label in labels.items():
        groups.setdefault(label, []).append(node)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def _assign_ids(
    clusters: list[list[int]],
    live: list[int],
    previous: Mapping[int, int],
    pinned: Mapping[int, int],
) -> list[int | None]:
    """Each cluster's id: its pinned story's, else the previous story most of it was in."""
    ids: list[int | None] = [None] * len(clusters)
    used: set[int] = set()
    for i, members in enumerate(clusters):
        labels = {pinned[n] for n in members if n in pinned}
        if labels:
            ids[i] = min(labels)
            used.add(ids[i])
    overlaps = []
    for i, members in enumerate(clusters):
        if ids[i] is None:
            counts = Counter(previous[live[n]] for n in members if previous[live[n]] >= 0)
            overlaps.extend((-count, story_id, i) for story_id, count in counts.items())
    for _, story_id, i in sorted(overlaps):
        if ids[i] is None and story_id not in used:
            ids[i] = story_id
            used.add(story_id)
    return ids
