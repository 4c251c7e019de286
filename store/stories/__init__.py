"""Story grouping (placeholder docstring, rewritten below once measured)."""

from store.stories.index import StoryIndex
from store.stories.models import RelatedArticle, StoryConstraints
from store.stories.signature import StorySignature, story_signature

__all__ = [
    "RelatedArticle",
    "StoryConstraints",
    "StoryIndex",
    "StorySignature",
    "story_signature",
]
