"""The heading lines above an article's text: its title, then its outlet and date."""

from __future__ import annotations

from rich.text import Text

from store.models import Article
from tui.rendering import visible


def article_title(article: Article) -> Text:
    """The title of an article, shown literally."""
    return Text(visible(article.title), end="")


def article_meta(article: Article) -> Text:
    """Outlet and date of an article, shown literally."""
    meta = " · ".join(part for part in (article.outlet, article.published) if part)
    return Text(visible(meta or "unknown outlet"), end="")
