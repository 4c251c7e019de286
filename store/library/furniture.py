"""Page furniture dropped from plain-text scrapes, as the HTML import drops it.

A text copied from a news page carries, around and inside the article, lines that are
the page's and not the writer's: the headline printed again, "Lire aussi" links,
subscription teasers, adverts, share, comment and navigation lines, rubric labels,
bylines and publication times. ``clean_furniture`` drops them by general rules, never
by a list of one article's lines:

1. ``title``: a line that repeats the headline;
2. ``metadata``: a line holding only metadata (byline, publication time, credit such as
   ``Le Monde avec l'AFP``): ``read_metadata`` reads it from the raw text, and the HTML
   import keeps such lines out of the body too;
3. ``phrase``: a line that starts with, or (when short) holds, one of the furniture
   phrases of French news sites listed below (``_LEADING_PHRASES``, ``_SHORT_PHRASES``,
   ``_BUTTONS``, ``_SELF_REFERENCE``: the page speaking of itself, "cet article");
4. ``repeated``: a line printed more than once: every copy of a line without a
   sentence's shape (a menu entry), the later copies of a sentence;
5. ``links``: the headlines listed right under a bare "À lire aussi" heading;
6. ``edge``: short lines without a sentence's shape before the first sentence or after
   the last one (rubric labels, tags, counters);
7. ``beside``: a short line without a sentence's shape next to furniture, unless a
   sentence follows it (an advert's tagline, a newsletter's pitch; a subheading, which
   a paragraph follows, stays);
8. ``comments``: everything from a comments heading on, once the article has begun;
9. ``blank``: blank lines left doubled by the above.

List items, the times of a live blog's entries, subheadings followed by their paragraph
and sentences are kept. The dropped lines keep their line numbers, so
``Cleaned.restore()`` gives the raw text back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from store.library.metadata import is_metadata_line

SHORT_WORDS = 10
"""A line of at most this many words can be furniture by its shape alone."""
RUBRIC_WORDS = 4
"""A fragment of at most this many words above the text is a rubric label ('Économie')."""
LONG_LINE = 140
"""A line longer than this (in characters) is read as article text by its length alone:
only the leading phrases ('Lire aussi | …'), the title and repeats are looked for in it
(a fragment of SHORT_WORDS words is shorter; this keeps the cleaner cheap)."""
COMMENTS_AFTER = 3
"""A comments heading after this many sentences of the article starts the comments."""
TITLE_SIMILARITY = 92
"""A line this similar to the title (rapidfuzz ratio, 0-100) repeats the headline."""


@dataclass(frozen=True)
class DroppedLine:
    """A line taken out of the text: its number in the raw text (from 0), its offsets,
    its words, and the rule that dropped it."""

    line: int
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class Cleaned:
    """The article's text without furniture, and what was taken out."""

    text: str
    dropped: tuple[DroppedLine, ...]

    def restore(self) -> str:
        """The raw text, with the dropped lines put back where they were."""
        # Blank lines at the ends are always dropped, so an empty text means no kept line.
        kept_lines = self.text.split("\n") if self.text else []
        kept = iter(kept_lines)
        by_line = {d.line: d.text for d in self.dropped}
        total = len(by_line) + len(kept_lines)
        return "\n".join(by_line[i] if i in by_line else next(kept) for i in range(total))


# Lines that start so are furniture whatever their length. Common to French news sites.
_LEADING_PHRASES = re.compile(
    r"^(?:"
    r"(?:à\s+)?lire\s+(?:aussi|également|notre|nos|la\s+suite|plus\s+tard)"
    r"|(?:à\s+)?voir\s+(?:aussi|également)"
    r"|(?:à\s+)?(?:relire|écouter|regarder)\s+(?:aussi|également)"
    r"|sur\s+le\s+même\s+sujet|dans\s+la\s+même\s+rubrique|la\s+rédaction\s+vous\s+conseille"
    r"|(?:cet\s+)?article\s+réservé|cet\s+article\s+est\s+réservé|contenu\s+réservé"
    r"|réservé\s+aux\s+abonnés|il\s+vous\s+reste\s+.{0,20}\s+à\s+lire"
    r"|la\s+suite\s+(?:de\s+cet\s+article\s+)?est\s+réservée|pour\s+lire\s+la\s+suite"
    r"|vous\s+avez\s+envie\s+de\s+lire\s+la\s+suite|débloquez|déjà\s+abonné"
    r"|abonnez-vous\s+(?:pour|dès|à\s+partir)|offre\s+(?:spéciale|découverte|d'essai)"
    r"|temps\s+de\s+lecture|lecture\s*:?\s*\d+\s*min|écouter\s+cet\s+article"
    r"|(?:publié|mis\s+à\s+jour|mise\s+à\s+jour|modifié|actualisé|mis\s+en\s+ligne)"
    r"\s+(?:le|à|aujourd|hier|il\s+y\s+a)"
    r"|crédits?\s+photos?|photo\s*:|©|\(c\)\s"
    r"|nous\s+utilisons\s+des\s+cookies|ce\s+site\s+utilise\s+des\s+cookies"
    r"|mots-clés\s*:|sujets?\s+(?:liés|associés)|tags?\s*:"
    r"|partager\s+(?:sur|l'article|cet\s+article|par)|suivez-nous|suivez\s+notre\s+direct"
    r"|newsletter\b|recevez\s+(?:chaque|notre|nos|gratuitement)|inscrivez-vous"
    r"|nos\s+normes\s*:|acquérir\s+des\s+droits"
    r")",
    re.IGNORECASE,
)

# Short lines (at most SHORT_WORDS words) holding one of these are furniture: share bars,
# counters, calls to subscribe, advert labels. Words no article uses in a short line.
_SHORT_PHRASES = re.compile(
    r"(?:^|\b)(?:"
    r"partager|partagez|tweeter|copier\s+le\s+lien|envoyer\s+par\s+e-?mail"
    r"|facebook|twitter|linkedin|whatsapp|instagram|pinterest|flipboard"
    r"|\d*\s*commentaires?|signaler\s+un\s+abus|voir\s+les\s+réactions"
    r"|s['’]abonner|abonnez-vous|je\s+m['’]abonne|se\s+connecter|connectez-vous"
    r"|s['’]inscrire|je\s+m['’]inscris|newsletter"
    r"|publicité|contenu\s+sponsorisé|nos\s+partenaires|en\s+partenariat\s+avec"
    r"|lire\s+plus\s+tard|offrir\s+(?:l['’]|cet\s+)article|ajouter\s+à\s+(?:vos|mes)\s+\w+"
    r"|réutiliser\s+ce\s+contenu|version\s+mobile|cookies"
    r"|retour\s+(?:en\s+haut|à\s+l['’]accueil)|plus\s+d['’]actu"
    r")(?:\b|$)",
    re.IGNORECASE,
)
# Buttons and labels that are furniture when they make the whole line ("Découvrir"), but
# may open an article's subheading ("Découvrir la ville autrement").
_BUTTONS = re.compile(
    r"^(?:découvrir|en\s+savoir\s+plus|j['’]en\s+profite|essayer(?:\s+gratuitement)?"
    r"|imprimer|envoyer|commenter|réagir(?:\s+à\s+cet\s+article)?|accepter(?:\s+et\s+fermer)?"
    r"|tout\s+(?:accepter|refuser)|paramétrer(?:\s+les\s+cookies)?|fermer|accueil|menu"
    r"|rechercher|voir\s+plus|afficher\s+plus|en\s+direct|lecture\s+en\s+cours|vidéo"
    r"|podcast|sujets|simulateur|x|suivre|s['’]abonner"
    r")\s*[.!]?$",
    re.IGNORECASE,
)

# A short line in which the page speaks of itself, not of the story: "Vous souhaitez
# réagir à cet article ?", "Les tribunes publiées n'engagent que leurs auteurs."
_SELF_REFERENCE = re.compile(
    r"\b(?:cet\s+article|ce\s+contenu|cette\s+page|notre\s+(?:site|journal|rédaction)"
    r"|soutenez-nous|n['’]engagent\s+que\s+leurs\s+auteurs|tous\s+droits\s+réservés"
    r"|mentions\s+légales|politique\s+de\s+confidentialité)\b",
    re.IGNORECASE,
)
# "Accueil > Faits divers > Marseille", "Sport / Football / Ligue 1": a breadcrumb trail.
_BREADCRUMB = re.compile(r"^[^.!?]{1,40}(?:\s+[>/|›]\s+[^.!?]{1,40}){2,5}$")
# A counter or a player's clock: "12 commentaires", "00:00 / 03:12".
_COUNTER = re.compile(r"^(?:\d+\s+\w+|\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2})$")
# List items are the article's: "- être majeur ;", "1. départements 01 à 19 : …".
# "08h15" alone on a line: the time of a live blog's entry, which the entry follows.
_ENTRY_TIME = re.compile(r"^\d{1,2}\s?[h:]\s?\d{2}$")
_WORD = re.compile(r"[^\s\w]*\w\S*")
_LIST_ITEM = re.compile(r"^(?:[-•*–—▪·]|\d{1,2}[.)])\s+\S")
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+)?(?:commentaires?|réactions?|vos\s+réactions|les\s+commentaires)"
    r"\s*(?:\(\d+\))?\s*:?$",
    re.IGNORECASE,
)
_LINK_HEADING = re.compile(
    r"^(?:(?:à\s+)?lire\s+(?:aussi|également)|(?:à\s+)?voir\s+aussi|sur\s+le\s+même\s+sujet"
    r"|dans\s+la\s+même\s+rubrique|la\s+rédaction\s+vous\s+conseille|sujets?(?:\s+liés)?"
    r"|à\s+découvrir|les\s+plus\s+lus)\s*:?$",
    re.IGNORECASE,
)


def clean_furniture(text: str, title: str | None = None) -> Cleaned:
    """The text without its page furniture, and the dropped lines with their positions.

    `text` is the article's body as the import reads it (after front matter);
    `title` is its headline when known (lines repeating it are dropped).
    """
    lines = text.split("\n")
    shapes = [_Shape.of(line) for line in lines]
    reasons: dict[int, str] = {}
    title_key = _key(title) if title else ""
    for index, shape in enumerate(shapes):
        reason = _own_reason(shape, title_key)
        if reason:
            reasons[index] = reason
    _mark_repeated(shapes, reasons)
    _mark_comments(shapes, reasons)
    _mark_links(shapes, reasons)
    _mark_edges(shapes, reasons)
    _mark_beside(shapes, reasons)
    _mark_blanks(shapes, reasons)
    return _cleaned(lines, reasons)


@dataclass(frozen=True)
class _Shape:
    """What the rules need to know of one line."""

    text: str  # stripped
    key: str  # compared across lines and with the title
    words: int
    sentence: bool  # has a sentence's shape, or is a list item: article text
    fragment: bool  # short, without a sentence's shape: may be furniture

    @classmethod
    def of(cls, line: str) -> _Shape:
        text = line.strip().lstrip("\ufeff")
        if len(text) > LONG_LINE:
            # A long line is a sentence whatever its words: skip counting them.
            # Its own words are key enough to find a repeat: no need to fold them.
            return cls(text, text, 2 * SHORT_WORDS + 1, True, False)
        if len(text) > 40 and " " in text and text.rstrip(_CLOSERS)[-1:] in _END_MARKS:
            # A sentence that is no short line: its words need no exact count.
            return cls(text, text, text.count(" ") + 1, True, False)
        # Only tokens with a letter or digit are words (not ":" or "|").
        words = len(_WORD.findall(text))
        sentence = bool(text) and (
            _LIST_ITEM.match(text) is not None
            or _ENTRY_TIME.match(text) is not None
            or (words >= 2 and text.rstrip(_CLOSERS)[-1:] in _END_MARKS)
            or words > 2 * SHORT_WORDS
        )
        fragment = bool(text) and not sentence and words <= SHORT_WORDS
        # A sentence's repeats are its exact copies; only short lines (menus, headlines
        # reprinted with other quotes or case) need folding to be compared.
        return cls(text, text if sentence else _key(text), words, sentence, fragment)


_CLOSERS = " »\"”')]\u00a0\u202f"
_END_MARKS = frozenset(".!?…:;")


def _key(line: str) -> str:
    """A line as compared: case, quotes, spaces and end marks alike."""
    text = " ".join(line.casefold().split())
    if "’" in text or "‘" in text:
        text = text.replace("’", "'").replace("‘", "'")
    return text.strip(" .!?…:;-–—|\ufeff")


def _own_reason(shape: _Shape, title_key: str) -> str | None:
    """The rule that drops a line by its own words, if any."""
    if not shape.text:
        return None
    if title_key and _repeats_title(shape, title_key):
        return "title"
    if _LEADING_PHRASES.match(shape.text):
        return "phrase"
    if len(shape.text) > LONG_LINE:
        return None
    if is_metadata_line(shape.text):
        return "metadata"
    if shape.words <= SHORT_WORDS and _LIST_ITEM.match(shape.text) is None:
        if _SHORT_PHRASES.search(shape.text) and (shape.fragment or shape.words <= 4):
            return "phrase"
        if _BUTTONS.match(shape.text) or _SELF_REFERENCE.search(shape.text):
            return "phrase"
        if shape.fragment and (_BREADCRUMB.match(shape.text) or _COUNTER.match(shape.text)):
            return "phrase"
    return None


def _repeats_title(shape: _Shape, title_key: str) -> bool:
    """The line is the title, or (a line without a sentence's shape) nearly: a headline
    reprinted with other quotes or a word changed. A sentence must be the title itself:
    an article may open by restating its headline in a sentence of its own."""
    key = shape.key
    if abs(len(key) - len(title_key)) > len(title_key) // 4:
        return False
    if shape.sentence:
        key = _key(key)  # a sentence's key is its own words, unfolded
    if key == title_key:
        return True
    if shape.sentence or not 0.8 <= len(key) / len(title_key) <= 1.25:
        return False
    return fuzz.ratio(key, title_key) >= TITLE_SIMILARITY


def _mark_repeated(shapes: list[_Shape], reasons: dict[int, str]) -> None:
    """Every copy of a repeated fragment; the later copies of a repeated sentence."""
    seen: dict[str, int] = {}
    counts: dict[str, int] = {}
    for shape in shapes:
        if shape.text:
            counts[shape.key] = counts.get(shape.key, 0) + 1
    for index, shape in enumerate(shapes):
        if not shape.text or counts[shape.key] < 2 or _LIST_ITEM.match(shape.text):
            continue
        if not shape.sentence or shape.key in seen:
            reasons.setdefault(index, "repeated")
        seen.setdefault(shape.key, index)


def _mark_comments(shapes: list[_Shape], reasons: dict[int, str]) -> None:
    """Everything from a comments heading ('Commentaires (3)') on, once the article has
    begun: readers' comments close a page. Above the text such a line is a counter."""
    sentences = 0
    for index, shape in enumerate(shapes):
        if shape.sentence and index not in reasons:
            sentences += 1
        elif sentences >= COMMENTS_AFTER and _COMMENTS_HEADING.match(shape.text):
            for following in range(index, len(shapes)):
                if shapes[following].text:
                    reasons.setdefault(following, "comments")
            return


def _mark_links(shapes: list[_Shape], reasons: dict[int, str]) -> None:
    """The fragments listed right under a bare link heading ('À lire aussi')."""
    for index, shape in enumerate(shapes):
        if not _LINK_HEADING.match(shape.text):
            continue
        reasons.setdefault(index, "phrase")
        following = index + 1
        while following < len(shapes) and shapes[following].fragment:
            reasons.setdefault(following, "links")
            following += 1


def _mark_edges(shapes: list[_Shape], reasons: dict[int, str]) -> None:
    """Fragments after the last kept sentence; before the first one, rubric labels (a few
    words) and fragments that no sentence follows (a standfirst without its full stop,
    which the first paragraph follows, stays)."""
    sentences = [i for i, s in enumerate(shapes) if s.sentence and i not in reasons]
    if not sentences:
        return
    for index, shape in enumerate(shapes):
        if not shape.fragment or sentences[0] < index <= sentences[-1]:
            continue
        after = _neighbour(shapes, index, 1)
        standfirst = after == sentences[0] and shape.words > RUBRIC_WORDS
        if not standfirst:
            reasons.setdefault(index, "edge")


def _mark_beside(shapes: list[_Shape], reasons: dict[int, str]) -> None:
    """Fragments next to furniture (blank lines between) that no sentence follows."""
    changed = True
    while changed:
        changed = False
        for index, shape in enumerate(shapes):
            if index in reasons or not shape.fragment:
                continue
            before, after = _neighbour(shapes, index, -1), _neighbour(shapes, index, 1)
            beside = (before is not None and before in reasons) or (
                after is not None and after in reasons
            )
            followed_by_sentence = after is not None and shapes[after].sentence
            if after is not None and after in reasons:
                followed_by_sentence = False
            if beside and not followed_by_sentence:
                reasons[index] = "beside"
                changed = True


def _neighbour(shapes: list[_Shape], index: int, step: int) -> int | None:
    """The nearest non-blank line before (step -1) or after (step 1) `index`."""
    index += step
    while 0 <= index < len(shapes):
        if shapes[index].text:
            return index
        index += step
    return None


def _mark_blanks(shapes: list[_Shape], reasons: dict[int, str]) -> None:
    """Blank lines at the ends, and blank lines following a kept blank line."""
    previous_blank = True  # drops blank lines at the start
    for index, shape in enumerate(shapes):
        if index in reasons:
            continue
        if not shape.text:
            if previous_blank:
                reasons[index] = "blank"
            previous_blank = True
        else:
            previous_blank = False
    for index in range(len(shapes) - 1, -1, -1):
        if index in reasons:
            continue
        if shapes[index].text:
            break
        reasons[index] = "blank"


def _cleaned(lines: list[str], reasons: dict[int, str]) -> Cleaned:
    kept = []
    dropped = []
    position = 0
    for index, line in enumerate(lines):
        if index in reasons:
            dropped.append(DroppedLine(index, position, position + len(line), line, reasons[index]))
        else:
            kept.append(line)
        position += len(line) + 1
    return Cleaned("\n".join(kept), tuple(dropped))
