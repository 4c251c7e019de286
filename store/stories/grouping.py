"""Average-link agglomeration over a sparse similarity graph, under must/cannot-link constraints.

Clusters merge, strongest first, while the average similarity between their members (pairs
without an edge count as 0) reaches the threshold: the criterion `StoryIndex.add` applies to
one new article, so regrouping everything and adding articles one by one agree.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

_STALE = 1e-12


def average_link(
    size: int,
    edges: Iterable[tuple[int, int, float]],
    threshold: float,
    together: Iterable[Sequence[int]] = (),
    apart: Iterable[tuple[int, int]] = (),
    labels: Mapping[int, int] | None = None,
) -> list[list[int]]:
    """The clusters of nodes 0..size-1 (each a list of nodes, every node in one).

    `together`: groups that start as one cluster; `apart`: pairs never put in one cluster
    (a pair inside a `together` group is together anyway: the user's later word);
    `labels`: nodes pinned to a label, and clusters of two different labels never merge.
    """
    clusters = _Clusters(size, labels or {})
    for group in together:
        for a, b in pairwise(group):
            clusters.union(a, b)
    for a, b in apart:
        clusters.keep_apart(a, b)
    clusters.link(edges)
    clusters.agglomerate(threshold)
    return clusters.groups()


class _Clusters:
    """Union-find plus the summed similarities between clusters."""

    def __init__(self, size: int, labels: Mapping[int, int]) -> None:
        self.parent = list(range(size))
        self.members: dict[int, list[int]] = {i: [i] for i in range(size)}
        self.label: dict[int, int] = {node: label for node, label in labels.items()}
        self.apart: dict[int, set[int]] = {}
        self.links: dict[int, dict[int, float]] = defaultdict(dict)
        self.heap: list[tuple[float, int, int]] = []

    def find(self, node: int) -> int:
        """The cluster (its root node) that holds `node`."""
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: int, b: int) -> int:
        """Merge the clusters of `a` and `b` (before any link exists); the surviving root."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        if rb in self.label:
            self.label.setdefault(ra, self.label[rb])
        if rb in self.apart:
            self.apart.setdefault(ra, set()).update(self.apart.pop(rb))
        return ra

    def keep_apart(self, a: int, b: int) -> None:
        """Never merge the clusters of `a` and `b`."""
        self.apart.setdefault(self.find(a), set()).add(b)
        self.apart.setdefault(self.find(b), set()).add(a)

    def link(self, edges: Iterable[tuple[int, int, float]]) -> None:
        """Add the edges' similarities between clusters and queue every pair."""
        for a, b, similarity in edges:
            ra, rb = self.find(a), self.find(b)
            if ra != rb:
                self.links[ra][rb] = self.links[ra].get(rb, 0.0) + similarity
                self.links[rb][ra] = self.links[rb].get(ra, 0.0) + similarity
        for ra, neighbours in self.links.items():
            for rb in neighbours:
                if ra < rb:
                    self._queue(ra, rb)

    def agglomerate(self, threshold: float) -> None:
        """Merge the most similar allowed pair of clusters while its average reaches threshold."""
        while self.heap:
            negative, ra, rb = heapq.heappop(self.heap)
            if -negative < threshold:
                break
            if ra not in self.members or rb not in self.members:
                continue
            if abs(self._average(ra, rb) + negative) > _STALE or self._forbidden(ra, rb):
                continue
            self._merge(ra, rb)

    def groups(self) -> list[list[int]]:
        """The clusters' members, each sorted."""
        return [sorted(members) for members in self.members.values()]

    def _average(self, ra: int, rb: int) -> float:
        """The average similarity between the members of two clusters."""
        total = self.links.get(ra, {}).get(rb, 0.0)
        return total / (len(self.members[ra]) * len(self.members[rb]))

    def _queue(self, ra: int, rb: int) -> None:
        heapq.heappush(self.heap, (-self._average(ra, rb), min(ra, rb), max(ra, rb)))

    def _forbidden(self, ra: int, rb: int) -> bool:
        """Whether a correction forbids the merge: two pinned stories or a cannot-link pair."""
        la, lb = self.label.get(ra), self.label.get(rb)
        if la is not None and lb is not None and la != lb:
            return True
        for one, other in ((ra, rb), (rb, ra)):
            partners = self.apart.get(one)
            if partners and any(self.find(p) == other for p in partners):
                return True
        return False

    def _merge(self, ra: int, rb: int) -> None:
        """Merge two linked clusters and queue the merged cluster's pairs again."""
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        moved = self.links.pop(rb, {})
        moved.pop(ra, None)
        self.links[ra].pop(rb, None)
        for other, total in moved.items():
            back = self.links[other]
            back.pop(rb, None)
            back[ra] = back.get(ra, 0.0) + total
            self.links[ra][other] = self.links[ra].get(other, 0.0) + total
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        if rb in self.label:
            self.label.setdefault(ra, self.label.pop(rb))
        if rb in self.apart:
            self.apart.setdefault(ra, set()).update(self.apart.pop(rb))
        for other in self.links[ra]:
            self._queue(ra, other)
