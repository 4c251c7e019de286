"""The sample corpus shipped with recoupe, imported on first launch."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from store.ingest.importer import import_paths
from store.library import count_articles
from store.models import ImportReport

if TYPE_CHECKING:
    from store.db import Library


SAMPLE_CORPUS = Path(__file__).resolve().parents[2] / "sample_corpus"


def sample_corpus_path() -> Path:
    """The folder of sample articles beside the package."""
    return SAMPLE_CORPUS


def load_sample_if_empty(db: Library) -> ImportReport | None:
    """Import the sample corpus into an empty library; None when there was nothing to do."""
    if count_articles(db) > 0 or not SAMPLE_CORPUS.is_dir():
        return None
    return import_paths(db, [SAMPLE_CORPUS])
