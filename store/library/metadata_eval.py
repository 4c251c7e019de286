"""Scoring read_metadata and clean_furniture against hand labels (bench and tests share it).

Labels: tests/data/metadata_labels.json (date, outlet, authors of 91 texts) and
tests/data/scrape_labels.json (the furniture lines of 26 scraped texts). Without labels,
``sentences_lost`` checks the cleaner on real articles: no sentence may go missing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
METADATA_LABELS = ROOT / "tests" / "data" / "metadata_labels.json"
SCRAPE_LABELS = ROOT / "tests" / "data" / "scrape_labels.json"
FIELDS = ("published", "outlet", "authors")


def eval_data_folder() -> Path | None:
    """The shared eval-data folder: $RECOUPE_EVAL_DATA, else a `shared/eval-data` beside
    the checkout or beside its parent (a git worktree under wt/); None when absent."""
    candidates = [os.environ.get("RECOUPE_EVAL_DATA", "")]
    candidates += [str(parent / "shared" / "eval-data") for parent in ROOT.parents[:2]]
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), None)


@dataclass(frozen=True)
class FieldScore:
    """Counts of one field over the labelled set."""

    field: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Share of the values read that are right (1.0 when none was read)."""
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        """Share of the labelled values that were read right (1.0 when none is labelled)."""
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class MetadataCase:
    """One labelled text: its path, its words, and the expected fields."""

    name: str
    text: str
    published: str | None
    outlet: str | None
    authors: tuple[str, ...]


def metadata_cases(include_eval_data: bool = True) -> list[MetadataCase]:
    """The labelled texts that are on this machine (eval-data ones only when present)."""
    labels = json.loads(METADATA_LABELS.read_text(encoding="utf-8"))
    eval_data = eval_data_folder() if include_eval_data else None
    cases = []
    for entry in labels["files"]:
        name = entry["file"]
        if name.startswith("eval-data/"):
            if eval_data is None:
                continue
            path = eval_data / name.removeprefix("eval-data/")
        else:
            path = ROOT / "tests" / "data" / name
        cases.append(
            MetadataCase(
                name=name,
                text=path.read_text(encoding="utf-8-sig"),
                published=entry["published"],
                outlet=entry["outlet"],
                authors=tuple(entry["authors"]),
            )
        )
    return cases


def _key(value: str) -> str:
    return re.sub(r"[\s'’-]+", " ", value).casefold().strip()


def _single(expected: str | None, found: str | None) -> tuple[int, int, int]:
    if found is None:
        return 0, 0, int(expected is not None)
    if expected is not None and _key(expected) == _key(found):
        return 1, 0, 0
    return 0, 1, int(expected is not None)


def _several(expected: Iterable[str], found: Iterable[str]) -> tuple[int, int, int]:
    wanted, got = {_key(e) for e in expected}, {_key(f) for f in found}
    return len(wanted & got), len(got - wanted), len(wanted - got)


def score_metadata(cases: list[MetadataCase]) -> tuple[dict[str, FieldScore], list[str]]:
    """Per-field precision/recall of read_metadata on `cases`, and a line per mistake."""
    from store.library.metadata import read_metadata

    counts = {field: [0, 0, 0] for field in FIELDS}
    mistakes = []
    for case in cases:
        meta = read_metadata(case.text)
        results = {
            "published": _single(case.published, meta.published),
            "outlet": _single(case.outlet, meta.outlet),
            "authors": _several(case.authors, meta.authors),
        }
        for field, result in results.items():
            counts[field] = [a + b for a, b in zip(counts[field], result, strict=True)]
            if result[1] or result[2]:
                expected = getattr(case, field)
                mistakes.append(f"{case.name}: {field} {getattr(meta, field)!r} != {expected!r}")
    scores = {field: FieldScore(field, *counts[field]) for field in FIELDS}
    return scores, mistakes


@dataclass(frozen=True)
class FurnitureScore:
    """Lines of article text kept, furniture lines dropped, over the labelled scrapes."""

    article_lines: int
    article_lines_kept: int
    furniture_lines: int
    furniture_lines_dropped: int
    article_sentences: int
    article_sentences_kept: int

    @property
    def kept_share(self) -> float:
        """Share of the article's lines (sentences, subheadings, list items) kept."""
        return self.article_lines_kept / self.article_lines if self.article_lines else 1.0

    @property
    def sentences_kept_share(self) -> float:
        """Share of the article's sentences found whole in the kept text."""
        if not self.article_sentences:
            return 1.0
        return self.article_sentences_kept / self.article_sentences

    @property
    def removed_share(self) -> float:
        """Share of the labelled furniture lines dropped."""
        return self.furniture_lines_dropped / self.furniture_lines if self.furniture_lines else 1.0


def scrape_cases() -> list[tuple[str, str, str | None, list[str]]]:
    """(name, body, title, furniture lines) of each labelled scrape; the sample's front
    matter is split off as the import does."""
    from store.library.parsing import split_front_matter

    labels = json.loads(SCRAPE_LABELS.read_text(encoding="utf-8"))
    cases = []
    for name, entry in labels["files"].items():
        text = (ROOT / name).read_text(encoding="utf-8")
        if entry.get("front_matter"):
            _, text = split_front_matter(text)
        cases.append((name, text, entry["title"], entry["furniture"]))
    return cases


def score_furniture(
    cases: list[tuple[str, str, str | None, list[str]]],
) -> tuple[FurnitureScore, list[str]]:
    """How clean_furniture does on labelled scrapes, and a line per mistake."""
    from store.library.furniture import clean_furniture

    totals = [0, 0, 0, 0, 0, 0]
    mistakes = []
    for name, text, title, furniture in cases:
        lines = text.split("\n")
        labelled = _furniture_indexes(lines, furniture)
        cleaned = clean_furniture(text, title)
        dropped = {line.line for line in cleaned.dropped}
        kept = _spaced(cleaned.text)
        for index, line in enumerate(lines):
            if index not in labelled:
                for sentence in _sentences(line):
                    totals[4] += 1
                    totals[5] += _spaced(sentence) in kept
        for index, line in enumerate(lines):
            if not line.strip():
                continue
            if index in labelled:
                totals[2] += 1
                totals[3] += index in dropped
                if index not in dropped:
                    mistakes.append(f"{name}:{index + 1}: furniture kept: {line.strip()!r}")
            else:
                totals[0] += 1
                totals[1] += index not in dropped
                if index in dropped:
                    mistakes.append(f"{name}:{index + 1}: article line dropped: {line.strip()!r}")
    return FurnitureScore(*totals), mistakes


def _furniture_indexes(lines: list[str], furniture: list[str]) -> set[int]:
    """Line numbers of the labelled furniture: each label takes the first unused equal line."""
    taken: set[int] = set()
    for label in furniture:
        index = next(
            i for i, line in enumerate(lines) if i not in taken and line.strip() == label.strip()
        )
        taken.add(index)
    return taken


_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZÀ-ÖØ-Þ0-9])")


def _sentences(line: str) -> list[str]:
    """The sentences of a line (a line without an end mark is one sentence)."""
    return [s for s in _SENTENCE_BREAK.split(line.strip()) if s]


def _spaced(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class UnlabelledScore:
    """clean_furniture on real articles without labels: what it drops, what goes missing."""

    articles: int
    lines: int
    lines_dropped: int
    sentences: int
    sentences_lost: tuple[str, ...]


def score_unlabelled(folder: Path) -> UnlabelledScore:
    """Run clean_furniture on each article of `folder` (first line the title, as parse_txt
    reads a text file) and list the sentences of five words or more that are neither in
    the kept text nor in the title: the article text lost."""
    from store.library.furniture import clean_furniture
    from store.library.metadata import is_metadata_line

    counts = [0, 0, 0, 0]
    lost: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        raw = path.read_text(encoding="utf-8-sig").lstrip("\ufeff")
        title, _, body = raw.partition("\n")
        cleaned = clean_furniture(body, title)
        kept = _spaced(cleaned.text + "\n" + title)
        counts[0] += 1
        counts[1] += sum(1 for line in body.split("\n") if line.strip())
        counts[2] += sum(1 for line in cleaned.dropped if line.text.strip())
        for line in body.split("\n"):
            if is_metadata_line(line):
                continue  # a byline or a credit: read into the metadata fields, not text
            for sentence in _sentences(line):
                if len(sentence.split()) < 5:
                    continue
                counts[3] += 1
                if _spaced(sentence).rstrip(".!?… ") not in kept:
                    lost.append(f"{path.name}: {sentence}")
    return UnlabelledScore(*counts, sentences_lost=tuple(lost))
