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
from scipy.sparse.csgraph import connected_components

from store.errors import NotFoundError
from store.stories.features import FeatureStore
from store.stories.grouping import average_link
from store.stories.models import RelatedArticle, StoryConstraints
from store.stories.signature import StorySignature

THRESHOLD = 0.07
"""Average similarity at which an article joins a story (chosen on rpm2-dev; see package doc)."""
DATE_SCALE = 14.0
"""Days apart at which the date factor halves similarity: a story's reports span days to weeks."""
NEIGHBOURS = 40
"""Most similar articles an article is linked to when grouping (adding or regrouping)."""
MIN_SIMILARITY = 0.01
"""Similarities below this are not kept as links."""
BRIDGE_CANDIDATES = 3
"""Stories a new article links to that are checked for a merge through it."""
MAX_BRIDGE_PAIRS = 2500
"""Larger pairs of stories are not checked for a merge when adding (a regrouping does)."""
LOAD_BATCH = 10_000
"""Signatures stored in the feature arrays at a time when loading many."""
BLOCK_ROWS = 2000
"""Articles whose links a regrouping computes in one sparse product."""


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
        self._features = FeatureStore()
        self._story = array("q")
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
        latest = dict(signatures)
        ids = list(latest)
        for start in range(0, len(ids), LOAD_BATCH):  # batches bound the temporary lists
            batch = ids[start : start + LOAD_BATCH]
            positions = index._features.extend([latest[a] for a in batch])
            index._ids.extend(batch)
            index._position.update(zip(batch, positions, strict=True))
            index._story.frombytes(np.full(len(batch), -1, dtype=np.int64).tobytes())
        index._features.build()
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
            self._retire(article_id)
        position = self._insert(article_id, signature)
        story_id, scores = self._choose_story_scored(position)
        self._put(position, story_id)
        return self._merge_bridged(story_id, scores)

    def remove(self, article_id: int) -> None:
        """Take a deleted article out of the index (its corrections go with it)."""
        if article_id not in self._position:
            return
        self._retire(article_id)
        self._constraints = self._constraints.without_articles([article_id])

    def rebuild(self) -> dict[int, int]:
        """Regroup every article from scratch, keeping the corrections; article id -> story id.

        A story keeps its id when most of its articles stay together.
        """
        self._features.build()
        live = sorted(self._position.values())
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
        return float(self._features.cosines([pa], [pb])[0, 0])

    def related(
        self, article_id: int, limit: int = 10, neighbour_stories: int = 3
    ) -> tuple[RelatedArticle, ...]:
        """The other articles of an article's story (most overlapping first), then up to
        `limit` articles of the `neighbour_stories` stories it is closest to."""
        position = self._require(article_id)
        own = self._story[position]
        mates = sorted(p for p in self._members[own] if p != position)
        overlaps = self._features.cosines([position], mates)[0] if mates else []
        same = [
            RelatedArticle(self._ids[p], own, float(o), True)
            for p, o in zip(mates, overlaps, strict=True)
        ]
        same.sort(key=lambda r: (-r.overlap, r.article_id))
        positions, similarities = self._neighbours(position)
        scores = self._story_scores(positions, similarities)
        scores.pop(own, None)
        near = heapq.nlargest(neighbour_stories, scores.items(), key=lambda item: item[1])
        near_ids = {story_id for story_id, _ in near}
        others_at = [p for p in positions.tolist() if self._story[p] in near_ids]
        overlaps = self._features.cosines([position], others_at)[0] if others_at else []
        others = [
            RelatedArticle(self._ids[p], self._story[p], float(o), False)
            for p, o in zip(others_at, overlaps, strict=True)
        ]
        others.sort(key=lambda r: (-r.overlap, r.article_id))
        return tuple(same + others[:limit])

    def links(self, article_id: int) -> tuple[tuple[int, float], ...]:
        """An article's nearest articles (at most NEIGHBOURS) with their date-weighted
        similarity, strongest first: what a database can store at import so that a new
        process answers `related` without loading the index (store both directions)."""
        positions, similarities = self._neighbours(self._require(article_id))
        order = np.argsort(-similarities, kind="stable")
        return tuple(
            (self._ids[p], round(float(s), 4))
            for p, s in zip(positions[order].tolist(), similarities[order].tolist(), strict=True)
        )

    def central_articles(self, story_id: int, limit: int = 10) -> tuple[int, ...]:
        """A story's `limit` most central articles: highest average overlap with the others."""
        positions = sorted(self._members.get(story_id, ()))
        if not positions:
            raise NotFoundError(f"no story {story_id}")
        centrality = self._features.cosines(positions, positions).sum(axis=1)
        ids = [self._ids[p] for p in positions]
        order = sorted(range(len(ids)), key=lambda i: (-centrality[i], ids[i]))
        return tuple(ids[i] for i in order[:limit])

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
        """A must-link correction: `b` joins `a`'s story, and regrouping keeps them together
        (a pin of `b` elsewhere moves with it)."""
        position = self._require(b)
        target = self.story_of(a)
        self._constraints = self._constraints.with_must_link(a, b)
        if b in self._constraints.pinned:
            self._constraints = self._constraints.with_pins({b: target})
        self._take_out(position)
        self._put(position, target)

    def keep_apart(self, a: int, b: int) -> None:
        """A cannot-link correction: `b` leaves `a`'s story if it shares it, for good
        (a pin of `b` to that story is dropped)."""
        position = self._require(b)
        shared = self.story_of(a) == self.story_of(b)
        self._constraints = self._constraints.with_cannot_link(a, b)
        if shared:
            if self._constraints.pinned.get(b) == self.story_of(a):
                self._constraints = self._constraints.without_pin(b)
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

    def _insert(self, article_id: int, signature: StorySignature, *, index_now: bool = True) -> int:
        """Store a signature (searchable at once with `index_now`); no story yet (-1)."""
        position = self._features.append(signature, index_now=index_now)
        self._ids.append(article_id)
        self._position[article_id] = position
        self._story.append(-1)
        return position

    def _retire(self, article_id: int) -> None:
        """Take an article's position out of its story and of the statistics."""
        position = self._position.pop(article_id)
        self._take_out(position)
        self._features.retire(position)

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

    def _neighbours(self, position: int) -> tuple[np.ndarray, np.ndarray]:
        """The NEIGHBOURS articles most similar to one (positions, date-weighted similarities)."""
        found, similarities = self._features.similar(position)
        if len(found):
            stories = np.frombuffer(self._story, dtype=np.int64)[found]
            assigned = stories >= 0
            del stories
            found, similarities = found[assigned], similarities[assigned]
        similarities = similarities * _date_factors(
            self._features.day(position), self._features.days[found]
        )
        keep = similarities >= MIN_SIMILARITY
        found, similarities = found[keep], similarities[keep]
        if len(found) > NEIGHBOURS:
            top = np.argpartition(-similarities, NEIGHBOURS)[:NEIGHBOURS]
            found, similarities = found[top], similarities[top]
        return found, similarities

    def _story_scores(self, positions: np.ndarray, similarities: np.ndarray) -> dict[int, float]:
        """Each linked story's average-link score: summed similarity over its size."""
        totals: dict[int, float] = {}
        for p, s in zip(positions.tolist(), similarities.tolist(), strict=True):
            story_id = self._story[p]
            totals[story_id] = totals.get(story_id, 0.0) + s
        return {story_id: t / len(self._members[story_id]) for story_id, t in totals.items()}

    def _choose_story(self, position: int) -> int:
        """The story an unassigned article joins under the corrections, or a new id."""
        return self._choose_story_scored(position)[0]

    def _choose_story_scored(self, position: int) -> tuple[int, dict[int, float]]:
        """The story an unassigned article joins, and its scores for the stories it links to."""
        article_id = self._ids[position]
        pinned = self._constraints.pinned.get(article_id)
        if pinned is not None:
            return pinned, {}
        for a, b in self._constraints.must_link:
            partner = b if a == article_id else a if b == article_id else None
            if partner is not None and partner in self._position:
                partner_story = self._story[self._position[partner]]
                if partner_story >= 0:
                    return partner_story, {}
        positions, similarities = self._neighbours(position)
        scores = self._story_scores(positions, similarities)
        for story_id in self._forbidden_stories(article_id):
            scores.pop(story_id, None)
        if scores:
            story_id, score = max(scores.items(), key=lambda item: (item[1], -item[0]))
            if score >= self.threshold:
                return story_id, scores
        return self.new_story_id(), scores

    def _merge_bridged(self, story_id: int, scores: Mapping[int, float]) -> int:
        """Merge into the new article's story the stories it now bridges to: those whose
        average similarity with it reaches the threshold, as a regrouping would. Its id."""
        candidates = sorted(
            (s for s in scores if s != story_id and s in self._members),
            key=lambda s: -scores[s],
        )[:BRIDGE_CANDIDATES]
        for other in candidates:
            if other not in self._members or story_id not in self._members:
                continue
            mine, theirs = self._members[story_id], self._members[other]
            if len(mine) * len(theirs) > MAX_BRIDGE_PAIRS or self._apart(story_id, other):
                continue
            if self._average_similarity(mine, theirs) >= self.threshold:
                keep, gone = (story_id, other) if len(mine) >= len(theirs) else (other, story_id)
                for p in list(self._members[gone]):
                    self._take_out(p)
                    self._put(p, keep)
                story_id = keep
        return story_id

    def _apart(self, story_id: int, other: int) -> bool:
        """Whether corrections keep two stories apart: both pinned, or a cannot-link pair."""
        pins = self._constraints.pinned
        mine, theirs = self._members[story_id], self._members[other]
        if any(self._ids[p] in pins for p in mine) and any(self._ids[p] in pins for p in theirs):
            return True
        for a, b in self._constraints.cannot_link:
            pa, pb = self._position.get(a), self._position.get(b)
            if (pa in mine and pb in theirs) or (pa in theirs and pb in mine):
                return True
        return False

    def _average_similarity(self, mine: Iterable[int], theirs: Iterable[int]) -> float:
        """The average date-weighted similarity between two sets of positions."""
        rows, columns = sorted(mine), sorted(theirs)
        cosines = self._features.cosines(rows, columns)
        days = self._features.days
        for i, row in enumerate(rows):
            cosines[i] *= _date_factors(days[row], days[columns])
        return float(cosines.mean())

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
        """The links a regrouping may use, between indexes into `live`: each article's
        NEIGHBOURS, by sparse matrix products in blocks, then only those inside groups that
        links at or above the threshold connect (no merge can cross such groups)."""
        if not live:
            return []
        matrix = self._features.matrix(live)
        transposed = matrix.T.tocsc()
        days = self._features.days[live]
        parts = []
        for start in range(0, len(live), BLOCK_ROWS):
            product = (matrix[start : start + BLOCK_ROWS] @ transposed).tocoo()
            keep = product.data >= MIN_SIMILARITY
            rows = product.row[keep].astype(np.int64) + start
            columns = product.col[keep].astype(np.int64)
            values = product.data[keep] * _date_factors_pairwise(days[rows], days[columns])
            keep = (values >= MIN_SIMILARITY) & (rows != columns)
            parts.append(_top_per_row(rows[keep], columns[keep], values[keep], NEIGHBOURS))
        rows = np.concatenate([p[0] for p in parts])
        columns = np.concatenate([p[1] for p in parts])
        values = np.concatenate([p[2] for p in parts])
        low, high = np.minimum(rows, columns), np.maximum(rows, columns)
        _, first = np.unique(low * len(live) + high, return_index=True)
        low, high, values = low[first], high[first], values[first]
        strong = values >= self.threshold
        graph = sparse.coo_matrix(
            (np.ones(strong.sum()), (low[strong], high[strong])), shape=(len(live), len(live))
        )
        _, component = connected_components(graph, directed=False)
        inside = component[low] == component[high]
        return list(
            zip(low[inside].tolist(), high[inside].tolist(), values[inside].tolist(), strict=True)
        )


def _date_factors(day: float, others: np.ndarray) -> np.ndarray:
    """1 / (1 + (days apart / DATE_SCALE)^2); 1 where either date is unknown."""
    if math.isnan(day):
        return np.ones(len(others))
    return _date_factors_pairwise(np.full(len(others), day), others)


def _date_factors_pairwise(days: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The date factor of each pair (days[i], others[i])."""
    apart = (others - days) / DATE_SCALE
    factors = 1.0 / (1.0 + apart * apart)
    return np.where(np.isnan(factors), 1.0, factors)


def _top_per_row(
    rows: np.ndarray, columns: np.ndarray, values: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's `limit` highest values."""
    order = np.lexsort((-values, rows))
    rows, columns, values = rows[order], columns[order], values[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    keep = rank < limit
    return rows[keep], columns[keep], values[keep]


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
