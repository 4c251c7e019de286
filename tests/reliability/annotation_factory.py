"""Many annotations with awkward notes and tags, for round-trip tests (and bench scripts)."""

from __future__ import annotations

import random
import re

from store.annotations.notes import create_annotation, list_annotations
from store.db import Library
from store.db.sqlite import transaction
from store.models import Annotation

NOTES = (
    "",
    "Chiffre à recouper avec la préfecture.",
    "[bold]pas de markup[/] ni [@click=app.quit]d’action[/]",
    '=HYPERLINK("http://evil.example","clic")',  # a spreadsheet formula
    "+33 6 12 34 56 78 ; -2 % ; @mention",
    "Ligne un\nLigne deux\n\nParagraphe « guillemets » et “anglais”",
    "Emoji 😀👍🏽 et CJK 漢字, arabe مرحبا",
    'Tabulation\tet barre | verticale, virgule, "guillemet"',
    "x" * 2000,
)
TAGS = (
    "chiffre-clé",
    "À vérifier",
    "contradiction",
    "source unique",
    "Œuvre",
    "[red]",
    "émoji-😀",
    "#dièse",
)
_WORD = re.compile(r"\S+")


def random_annotations(
    db: Library, count: int, seed: int = 6, *, per_transaction: int = 200
) -> list[Annotation]:
    """Create `count` annotations on random passages of the library's articles.

    Written in transactions of `per_transaction` annotations (nested saves are
    savepoints), so that thousands are quick to make.
    """
    rng = random.Random(seed)
    articles = db.execute("SELECT id, body FROM articles ORDER BY id").fetchall()
    words = {aid: [m.span() for m in _WORD.finditer(body)] for aid, body in articles}
    made = 0
    while made < count:
        with transaction(db):
            for _ in range(min(per_transaction, count - made)):
                article_id, _ = rng.choice(articles)
                spans = words[article_id]
                first = rng.randrange(len(spans))
                last = min(len(spans) - 1, first + rng.randrange(1, 8))
                tags = rng.sample(TAGS, rng.randrange(0, 4))
                create_annotation(
                    db,
                    article_id,
                    spans[first][0],
                    spans[last][1],
                    note=rng.choice(NOTES),
                    tags=tags,
                )
                made += 1
    return list_annotations(db, order="created")


def annotation_record(annotation: Annotation, hashes: dict[int, str]) -> tuple[object, ...]:
    """Everything an annotation says, with its article named by content (ids differ per library)."""
    return (
        annotation.uid,
        hashes[annotation.article_id],
        annotation.start,
        annotation.end,
        annotation.exact,
        annotation.prefix,
        annotation.suffix,
        annotation.note,
        tuple(sorted(t.casefold() for t in annotation.tags)),
        annotation.created,
        annotation.modified,
        annotation.status,
        annotation.previous_exact,
    )


def library_records(db: Library) -> set[tuple[object, ...]]:
    """Every annotation of a library as a comparable record."""
    hashes = {row[0]: row[1] for row in db.execute("SELECT id, content_hash FROM articles")}
    return {annotation_record(a, hashes) for a in list_annotations(db)}
