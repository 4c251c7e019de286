"""Scores a fact-checker relies on, against the hand labels of rpm2-dev (docs/figures.md).

* ``score_strict``: strict precision and recall of the figures read (value, kind and
  unit right), title included;
* ``score_links``: pairwise precision and recall of compare's fact grouping, the
  tempting non-links it makes, and whether a subset of a story gets the same links as
  the whole story;
* ``score_attribution``: share of labelled figures whose source compare names rightly.

Used by ``bench/figures_trust.py`` and by the tests that hold the floors, so both compute
the numbers the same way.
"""

from __future__ import annotations

import itertools
import json
import random
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from store.db import Library
from store.evaluation.labels import LabelError, LabelledText, read_labelled_text
from store.figures import fold, units_match
from store.figures.evaluation import _same_value
from store.models import Comparison, Figure

FieldFigures = Callable[[LabelledText], dict[str, list[Figure]]]
"""What recoupe reads in an article: figures by field ('title', 'body')."""

Key = tuple[str, str, int, int]
"""A figure's place: file, field, start, end."""


def read_figures(text: LabelledText) -> dict[str, list[Figure]]:
    """The figures recoupe gives an article's title and body (store.figures)."""
    from store import figures

    title_reader = getattr(figures, "headline_figures", None)
    return {
        "title": title_reader(text.title, text.body) if title_reader else [],
        "body": figures.extract_figures(text.body),
    }


# --------------------------------------------------------------------------- strict figures


@dataclass(frozen=True, slots=True)
class StrictScore:
    """Figures read, against hand labels: a figure is right when it overlaps a labelled
    one (one to one) and its value, value_max, kind and unit are right."""

    gold: int
    predicted: int
    matched: int
    exact_spans: int
    correct: int
    value_ok: int
    kind_ok: int
    unit_ok: int
    qualifier_ok: int
    missed: tuple[str, ...] = ()
    spurious: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        """Share of figures read that are right."""
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of labelled figures read rightly."""
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def match_by_overlap(
    predicted: Sequence[tuple[int, int]], gold: Sequence[tuple[int, int]]
) -> dict[int, int]:
    """One-to-one pairs (predicted index -> gold index) of overlapping spans, largest
    overlap first."""
    pairs = sorted(
        (
            (-_overlap(p, g), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
            if _overlap(p, g) > 0
        )
    )
    taken_p: dict[int, int] = {}
    taken_g: set[int] = set()
    for _, i, j in pairs:
        if i not in taken_p and j not in taken_g:
            taken_p[i] = j
            taken_g.add(j)
    return taken_p


def unit_right(figure: Figure, label: dict) -> bool:
    """Whether a figure's unit is the labelled one (money: the currency; dates: none)."""
    expected = label["unit"]
    if label["kind"] == "money":
        return figure.currency == expected
    if label["kind"] in ("date", "year"):
        return True
    if label["kind"] == "percent":
        return figure.kind == "percent"
    if expected is None:
        return figure.unit is None
    return units_match(figure.unit, expected)


def figure_right(figure: Figure, label: dict) -> tuple[bool, bool, bool]:
    """(value right, kind right, unit right) for a figure matched to a label."""
    value = _same_value(figure.value, label["value"]) and _same_value(
        figure.value_max, label["value_max"]
    )
    return value, figure.kind == label["kind"], unit_right(figure, label)


def score_strict(labelled: dict, folder: Path, read: FieldFigures = read_figures) -> StrictScore:
    """Strict precision and recall of `read` on a labelled file such as
    tests/data/figures_rpm2_precision.json."""
    gold = predicted = matched = exact = correct = 0
    value_ok = kind_ok = unit_ok = qual_ok = 0
    missed: list[str] = []
    spurious: list[str] = []
    wrong: list[str] = []
    for article in labelled["articles"]:
        text = read_labelled_text(str(folder), article["file"])
        found = read(text)
        for field_name in ("title", "body"):
            labels = [g for g in article["figures"] if g["field"] == field_name]
            _check_labels(text, labels)
            figures = found.get(field_name, [])
            gold += len(labels)
            predicted += len(figures)
            pairs = match_by_overlap(
                [(f.start, f.end) for f in figures], [(g["start"], g["end"]) for g in labels]
            )
            where = f"{article['file']} {field_name}"
            for i, figure in enumerate(figures):
                j = pairs.get(i)
                if j is None:
                    spurious.append(f"{where}: {figure.surface!r} {figure.value} {figure.kind}")
                    continue
                label = labels[j]
                matched += 1
                exact += (figure.start, figure.end) == (label["start"], label["end"])
                v, k, u = figure_right(figure, label)
                value_ok += v
                kind_ok += k
                unit_ok += u
                qual_ok += figure.qualifier == label["qualifier"]
                if v and k and u:
                    correct += 1
                else:
                    wrong.append(
                        f"{where}: {figure.surface!r} read {figure.value}/{figure.value_max} "
                        f"{figure.kind} {figure.unit or figure.currency!r}, labelled "
                        f"{label['value']}/{label['value_max']} {label['kind']} {label['unit']!r}"
                    )
            found_labels = set(pairs.values())
            missed.extend(
                f"{where}: {g['surface']!r} ({g['kind']})"
                for j, g in enumerate(labels)
                if j not in found_labels
            )
    return StrictScore(
        gold,
        predicted,
        matched,
        exact,
        correct,
        value_ok,
        kind_ok,
        unit_ok,
        qual_ok,
        tuple(missed),
        tuple(spurious),
        tuple(wrong),
    )


def _check_labels(text: LabelledText, labels: Iterable[dict]) -> None:
    for label in labels:
        if text.field(label["field"])[label["start"] : label["end"]] != label["surface"]:
            raise LabelError(f"{text.file}: {label['surface']!r} is not at {label['start']}")


# --------------------------------------------------------------------------- fact links


@dataclass(slots=True)
class StoryDatabase:
    """A temporary library holding the articles of the labelled stories."""

    db: Library
    ids: dict[str, int]  # file name -> article id
    files: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.files = {article_id: name for name, article_id in self.ids.items()}


@contextmanager
def story_database(folder: Path, files: Iterable[str]) -> Iterator[StoryDatabase]:
    """Import `files` of `folder` into a fresh temporary library (closed and removed after)."""
    from store.db import connect
    from store.derive import run_pending
    from store.ingest import import_paths

    with tempfile.TemporaryDirectory(prefix="recoupe-trust-") as tmp:
        db = connect(Path(tmp) / "trust.db")
        try:
            paths = [folder / name for name in sorted(set(files))]
            report = import_paths(db, paths, workers=0)
            run_pending(db, workers=1)  # figures are derived data, computed after the import
            ids = {
                Path(o.path).name: o.article_id for o in report.outcomes if o.article_id is not None
            }
            yield StoryDatabase(db, ids)
        finally:
            db.close()


def _key(ref: dict) -> Key:
    return (ref["file"], ref["field"], ref["start"], ref["end"])


Compare = Callable[[Library, list[int]], Comparison]


def compare_links(store: StoryDatabase, ids: Sequence[int], compare: Compare) -> set[frozenset]:
    """Pairs of figures (by place) that compare puts in one fact, across two articles."""
    comparison = compare(store.db, list(ids))
    links: set[frozenset] = set()
    for fact in comparison.facts:
        places = [(cell.article_id, _cell_place(store, cell)) for cell in fact.cells]
        for (a_id, a), (b_id, b) in itertools.combinations(places, 2):
            if a_id != b_id:
                links.add(frozenset((a, b)))
    return links


def _cell_place(store: StoryDatabase, cell: object) -> Key:
    figure = cell.figure  # type: ignore[attr-defined]
    field_name = getattr(cell, "field", None) or getattr(figure, "field", None) or "body"
    return (store.files[cell.article_id], field_name, figure.start, figure.end)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class LinkScore:
    """compare's fact grouping against labelled facts: pairs of labelled figures from two
    different articles of a story."""

    gold_links: int
    predicted_links: int
    true_links: int
    non_links: int
    non_links_made: tuple[str, ...]
    false_links: tuple[str, ...]
    missed_links: int

    @property
    def precision(self) -> float:
        """Share of the links compare makes between labelled figures that are right."""
        return self.true_links / self.predicted_links if self.predicted_links else 0.0

    @property
    def recall(self) -> float:
        """Share of labelled links compare makes."""
        return self.true_links / self.gold_links if self.gold_links else 0.0


def _label_of_place(story: dict) -> tuple[dict[Key, str], dict[Key, str]]:
    """Labelled figure place -> fact label, and -> surface."""
    fact_of: dict[Key, str] = {}
    surface: dict[Key, str] = {}
    for fact in story["facts"]:
        for ref in fact["figures"]:
            fact_of[_key(ref)] = fact["label"]
            surface[_key(ref)] = f"{ref['file']}:{ref['surface']!r}"
    return fact_of, surface


def _labelled_links(predicted: set[frozenset], places: dict[Key, Key]) -> set[frozenset]:
    """Predicted links (between figure places) carried onto labelled places."""
    carried = set()
    for pair in predicted:
        a, b = tuple(pair)
        if a in places and b in places and places[a] != places[b]:
            carried.add(frozenset((places[a], places[b])))
    return carried


def _places_to_labels(predicted: set[frozenset], labelled: Iterable[Key]) -> dict[Key, Key]:
    """Each predicted figure place matched to the labelled place it overlaps (one to one,
    per file and field)."""
    by_where: dict[tuple[str, str], list[Key]] = {}
    for key in labelled:
        by_where.setdefault(key[:2], []).append(key)
    seen_places = {place for pair in predicted for place in pair}
    found: dict[tuple[str, str], list[Key]] = {}
    for place in seen_places:
        found.setdefault(place[:2], []).append(place)
    mapping: dict[Key, Key] = {}
    for where, places in found.items():
        gold = by_where.get(where, [])
        pairs = match_by_overlap([p[2:] for p in places], [g[2:] for g in gold])
        for i, j in pairs.items():
            mapping[places[i]] = gold[j]
    return mapping


def score_story_links(story: dict, predicted: set[frozenset]) -> LinkScore:
    """Pairwise scores of compare's links on one labelled story."""
    fact_of, surface = _label_of_place(story)
    mapping = _places_to_labels(predicted, fact_of)
    made = _labelled_links(predicted, mapping)
    gold = {
        frozenset((a, b))
        for a, b in itertools.combinations(fact_of, 2)
        if a[0] != b[0] and fact_of[a] == fact_of[b]
    }
    true = made & gold
    false = sorted(" ~ ".join(sorted(surface[k] for k in pair)) for pair in made - gold)
    non_links_made = []
    for non_link in story["non_links"]:
        pair = frozenset((_key(non_link["a"]), _key(non_link["b"])))
        if pair in made or _same_fact_within(pair, predicted, mapping):
            non_links_made.append(
                f"{story['story']} {non_link['reason']}: "
                + " ~ ".join(sorted(surface[k] for k in pair))
            )
    return LinkScore(
        len(gold),
        len(made),
        len(true),
        len(story["non_links"]),
        tuple(non_links_made),
        tuple(false),
        len(gold - true),
    )


def _same_fact_within(pair: frozenset, predicted: set[frozenset], mapping: dict[Key, Key]) -> bool:
    """Non-links within one article: compare_links keeps only cross-article pairs, so a
    within-article non-link is made when both figures link to a common third figure."""
    a, b = tuple(pair)
    if a[0] != b[0]:
        return False
    back = {v: k for k, v in mapping.items()}
    pa, pb = back.get(a), back.get(b)
    if pa is None or pb is None:
        return False
    partners_a = {p for link in predicted if pa in link for p in link if p != pa}
    partners_b = {p for link in predicted if pb in link for p in link if p != pb}
    return bool(partners_a & partners_b)


def sum_link_scores(scores: Iterable[LinkScore]) -> LinkScore:
    """The scores of several stories pooled."""
    scores = list(scores)
    return LinkScore(
        sum(s.gold_links for s in scores),
        sum(s.predicted_links for s in scores),
        sum(s.true_links for s in scores),
        sum(s.non_links for s in scores),
        tuple(x for s in scores for x in s.non_links_made),
        tuple(x for s in scores for x in s.false_links),
        sum(s.missed_links for s in scores),
    )


def story_files(story: dict) -> list[str]:
    """The ten article files of a labelled story (TNN_CK_01..10)."""
    return [f"{story['story']}_{n:02d}.txt" for n in range(1, 11)]


@dataclass(frozen=True, slots=True)
class SubsetCheck:
    """Whether compare links the same pairs in subsets of a story as in the whole story."""

    subsets: int
    consistent: int
    differing_pairs: int
    examples: tuple[str, ...] = ()


def story_subsets(ids: Sequence[int], sample: int, seed: int = 16) -> list[tuple[int, ...]]:
    """Every pair, every story minus one article, and `sample` random subsets of 3 to
    n-2 articles (all subsets when `sample` is negative)."""
    ids = list(ids)
    if sample < 0:
        return [combo for size in range(2, len(ids)) for combo in itertools.combinations(ids, size)]
    chosen = set(itertools.combinations(ids, 2))
    chosen.update(itertools.combinations(ids, len(ids) - 1))
    rng = random.Random(seed)
    for _ in range(sample):
        size = rng.randint(3, max(3, len(ids) - 2))
        chosen.add(tuple(sorted(rng.sample(ids, size))))
    return sorted(chosen)


def check_subsets(
    store: StoryDatabase, ids: Sequence[int], compare: Compare, sample: int = 20
) -> SubsetCheck:
    """Compare each subset with the whole story restricted to that subset."""
    whole = compare_links(store, ids, compare)
    consistent = differing = 0
    examples: list[str] = []
    subsets = story_subsets(ids, sample)
    for subset in subsets:
        members = {store.files[i] for i in subset}
        expected = {pair for pair in whole if all(p[0] in members for p in pair)}
        got = compare_links(store, subset, compare)
        diff = expected ^ got
        if diff:
            differing += len(diff)
            if len(examples) < 5:
                pair = sorted(next(iter(diff)))
                kind = "lost" if frozenset(pair) in expected else "added"
                examples.append(
                    f"{len(subset)} articles: {kind} {pair[0][0]}@{pair[0][2]} ~ "
                    f"{pair[1][0]}@{pair[1][2]}"
                )
        else:
            consistent += 1
    return SubsetCheck(len(subsets), consistent, differing, tuple(examples))


# --------------------------------------------------------------------------- attribution


@dataclass(frozen=True, slots=True)
class AttributionScore:
    """Sources compare names against the labelled ones."""

    labelled: int
    right: int
    available: bool
    wrong: tuple[str, ...] = ()

    @property
    def accuracy(self) -> float:
        """Share of labelled figures whose source is right (0 while none is given)."""
        return self.right / self.labelled if self.labelled and self.available else 0.0


_SOURCE_FILLER = frozenset(
    ("le", "la", "les", "l", "de", "du", "des", "d", "un", "une", "a", "selon", "source")
)


def source_words(source: str | None) -> frozenset[str]:
    """The content words of a source, folded ('La Société générale' -> societe, generale)."""
    if not source:
        return frozenset()
    words = "".join(c if c.isalnum() else " " for c in fold(source)).split()
    return frozenset(w for w in words if w not in _SOURCE_FILLER and len(w) > 1)


def same_source(predicted: str | None, expected: str | None) -> bool:
    """Both none, or sharing a content word ('le procureur' and 'le procureur de la
    République Jacques Dallest'; 'source judiciaire' and 'de source judiciaire')."""
    if expected is None or predicted is None:
        return expected is None and predicted is None
    return bool(source_words(predicted) & source_words(expected))


def figure_sources(
    store: StoryDatabase, ids: Sequence[int], compare: Compare
) -> tuple[dict[Key, str | None], bool]:
    """The source compare gives each figure it shows, by place, and whether it gives any
    at all (a `source` field on the cell or on the figure)."""
    comparison = compare(store.db, list(ids))
    sources: dict[Key, str | None] = {}
    available = False
    for fact in comparison.facts:
        for cell in fact.cells:
            for holder in (cell, cell.figure):
                if hasattr(holder, "source"):
                    available = True
                    sources[_cell_place(store, cell)] = holder.source
                    break
    return sources, available


def score_attribution(
    story: dict, sources: dict[Key, str | None], available: bool
) -> AttributionScore:
    """Attribution accuracy on one story's labelled figures."""
    right = 0
    wrong: list[str] = []
    places = list(sources)
    for label in story["attribution"]:
        ref = label["figure"]
        gold = _key(ref)
        candidates = [p for p in places if p[:2] == gold[:2] and _overlap(p[2:], gold[2:]) > 0]
        predicted = sources[candidates[0]] if candidates else None
        if available and same_source(predicted, label["source"]):
            right += 1
        else:
            wrong.append(
                f"{ref['file']}:{ref['surface']!r} gave {predicted!r}, labelled {label['source']!r}"
            )
    return AttributionScore(len(story["attribution"]), right, available, tuple(wrong))


def load(path: Path) -> dict:
    """A labelled JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))
