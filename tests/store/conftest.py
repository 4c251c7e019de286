"""Fixtures of the names and quotations tests: the French model loaded once per session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

try:  # main's store restructuring moved the text reader into store.library
    from store.library import parse_txt
except ImportError:
    from store.ingest import parse_txt
from tests.conftest import EVAL_DATA, ROOT, SAMPLE_CORPUS

NAMES_QUOTES_LABELS = ROOT / "tests" / "data" / "names_quotes_rpm2.json"
RPM2_DEV = EVAL_DATA / "rpm2-dev"
SAMPLE_FILES = (
    "le-monde-interpol-liberterra-ii.txt",
    "depeche-interpol-liberterra-ii.txt",
    "interpol-93e-assemblee-generale.txt",
)


def read_body(path: Path) -> str:
    """The body recoupe stores for a text file."""
    return parse_txt(path.read_text(encoding="utf-8"), path.name).body


@pytest.fixture(scope="session")
def french_model():
    """spaCy's French pipeline, loaded once for the whole session (store.names caches it)."""
    from store.names import load_model

    return load_model()


@pytest.fixture(scope="session")
def sample_articles() -> list[tuple[int, str]]:
    """The three sample reports as (article_id, body): 1 Le Monde, 2 the wire, 3 the AG."""
    return [(index, read_body(SAMPLE_CORPUS / name)) for index, name in enumerate(SAMPLE_FILES, 1)]


@pytest.fixture(scope="session")
def labelled_set() -> tuple[dict, dict]:
    """The hand labels and the stories they refer to; skipped without the shared data."""
    if not RPM2_DEV.is_dir():
        pytest.skip("shared eval-data not present")
    from store.names.evaluation import load_stories

    labels = json.loads(NAMES_QUOTES_LABELS.read_text(encoding="utf-8"))
    return labels, load_stories(labels, RPM2_DEV, SAMPLE_CORPUS, read_body)
