"""Publication date, outlet and authors read from an article's own words.

Used when a file carries no metadata: plain-text scrapes and copied dispatches say
where they come from in a few set forms, and only those are read:

* a dateline at the start: ``26 juin 2012. - Le gouvernement…``,
  ``PARIS, 3 novembre 2021 (AFP) - …``, ``BOGOTA (Reuters) -``;
* a publication time near the start: ``Publié le 12/03/2008 à 14h05``,
  ``Le 9 août 2023 à 19h45`` (``Mis à jour le`` is no publication date);
* a credit at the start or the end: ``Le Monde avec l'AFP``, ``(Reuters)``, ``AFP``,
  a line naming a well-known outlet alone (``Ouest-France``);
* a byline: ``Par Jean Dupont et Marie Martin``, ``Propos recueillis par …``,
  ``(Reportage Anne Leclerc, édité par …)``.

Nothing is guessed: a date without its year, ``avec AFP`` (which names a source, not the
publisher), a photo credit or an agency quoted in a sentence leave the field empty.
Read the raw text, before ``clean_furniture`` drops these lines from the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from store.library.dates import normalize_date

HEAD_LINES = 8
"""How many non-blank lines at the start may hold a dateline, a timestamp or a byline."""
TAIL_LINES = 3
"""How many non-blank lines at the end may hold a credit or a signature."""

METADATA_WORDS = 16
"""A line of this many words or more is no byline, credit or timestamp line."""

AGENCIES = ("AFP", "Reuters", "AP", "Belga", "ATS", "DPA", "EFE", "ANSA", "Xinhua", "Kyodo")
"""News agencies whose name, in a dateline or a credit, says whose dispatch a text is."""

KNOWN_OUTLETS = (
    "Le Monde",
    "Le Figaro",
    "Libération",
    "Les Echos",
    "Les Échos",
    "L'Express",
    "Le Point",
    "L'Obs",
    "Le Nouvel Obs",
    "Le Parisien",
    "Aujourd'hui en France",
    "La Croix",
    "L'Humanité",
    "Mediapart",
    "Marianne",
    "Challenges",
    "La Tribune",
    "Le JDD",
    "Le Journal du dimanche",
    "Courrier international",
    "Le HuffPost",
    "Slate",
    "franceinfo",
    "France Info",
    "France 24",
    "RFI",
    "BFMTV",
    "LCI",
    "TF1 Info",
    "Europe 1",
    "RTL",
    "France Inter",
    "Public Sénat",
    "20 Minutes",
    "Ouest-France",
    "Sud Ouest",
    "La Dépêche du Midi",
    "La Voix du Nord",
    "Le Progrès",
    "Le Dauphiné libéré",
    "Nice-Matin",
    "La Provence",
    "Le Télégramme",
    "Midi Libre",
    "L'Est républicain",
    "Le Républicain lorrain",
    "Dernières Nouvelles d'Alsace",
    "La Montagne",
    "Euronews",
    "TV5Monde",
    "Le Soir",
    "La Libre Belgique",
    "Le Temps",
    "Le Devoir",
    "La Presse",
    "Radio-Canada",
)
"""French-language outlets recognised by name alone: a credit without an article
(``Libération avec AFP``) or a line holding just the name. Names that start with an
article (``Le Monde``) are recognised in a credit without this list."""


@dataclass(frozen=True)
class MetadataSpan:
    """Where in the text a field's value was read (character offsets, end excluded)."""

    field: str
    start: int
    end: int


@dataclass(frozen=True)
class TextMetadata:
    """What an article's text says of itself; None or () where it does not say."""

    published: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    spans: tuple[MetadataSpan, ...] = ()


@dataclass(frozen=True)
class _Line:
    start: int
    text: str  # stripped of surrounding spaces; `start` is where the stripped text starts


@dataclass(frozen=True)
class _Found:
    """A value read from one line, with its offsets in the text."""

    value: str
    start: int
    end: int


# ---------------------------------------------------------------------------- patterns

_APOSTROPHE = "['’]"
_MONTH = (
    r"(?:janvier|janv|février|fevrier|févr|fevr|mars|avril|avr|mai|juin|juillet|juil"
    r"|août|aout|septembre|sept|octobre|oct|novembre|nov|décembre|decembre|déc|dec)"
)
_WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_FRENCH_DATE = rf"(?:{_WEEKDAY}\s+)?\d{{1,2}}(?:er)?\s+{_MONTH}\.?\s+\d{{4}}"
_NUMERIC_DATE = r"\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?!\d)"
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"
_DATE = rf"(?P<date>{_FRENCH_DATE}|{_NUMERIC_DATE}|{_ISO_DATE})"
_DASH = r"[-–—]"

# "Publié le 12/03/2008 à 14h05", "Publié le mercredi 6 novembre 2024", "Paru le …".
_PUBLISHED = re.compile(
    rf"^(?:publié|publie|paru|parution|publication|mis en ligne)\s*(?:le|:)?\s*{_DATE}",
    re.IGNORECASE,
)
# "Le 9 août 2023 à 19h45" alone on a line: a timestamp, not the start of a sentence.
_TIMESTAMP_LINE = re.compile(
    rf"^le\s+{_DATE}\s+(?:à|a)\s+\d{{1,2}}\s*[h:]\s*\d{{2}}\s*$", re.IGNORECASE
)
# "26 juin 2012. - Le gouvernement…", "12 juillet 2023 : le Parlement…": a date with its
# year opening a paragraph. The line must end as a paragraph does: a headline such as
# "11 septembre 2001 : vingt ans après" names an event, not the day of publication.
_DATE_DASH = re.compile(rf"^{_DATE}\s*\.?\s*(?:{_DASH}|:)\s.*[.!?…»\"”]\s*$", re.IGNORECASE)
# "Paris, le 5 mars 2021 - La région annonce…": the dateline of a press release.
_PLACE_LE_DATE = re.compile(
    rf"^[A-ZÀ-ÖØ-Þ][\w'’ -]{{1,40}},\s+le\s+{_DATE}\s*\.?\s*{_DASH}\s", re.IGNORECASE
)

_AGENCY = "|".join(AGENCIES)
_UPPER = "A-ZÀ-ÖØ-Þ"
# "PARIS, 3 novembre (AFP) -", "VILLACOUBLAY, Yvelines (Reuters) -", "CITÉ DU VATICAN (AP) -".
_AGENCY_DATELINE = re.compile(
    rf"^(?P<place>[{_UPPER}][{_UPPER}'’. -]*[{_UPPER}])"
    rf"(?:\s*,\s*[{_UPPER}][\w'’-]*(?:[ -][\w'’-]+){{0,3}}?)??"
    rf"(?:\s*,\s*(?P<day>\d{{1,2}}(?:er)?\s+{_MONTH}\.?(?:\s+(?P<year>\d{{4}}))?))?"
    rf"\s*\((?P<agency>{_AGENCY})\)\s*{_DASH}",
)
# "(Reuters)", "AFP", "- AFP", "Source : AFP": the dispatch of an agency. Several agencies
# ("Sources : AFP, Reuters") name no single publisher.
_AGENCY_CREDIT = re.compile(
    rf"^(?:{_DASH}\s*|(?i:par|sources?\s*:)\s*)?[(\[]?\s*(?P<agency>{_AGENCY})"
    rf"(?P<others>(?:\s*(?:/|,|et)\s*(?:{_AGENCY}))*)\s*[)\]]?\s*\.?$"
)
# "(avec AFP)", "Avec l'AFP": a source, the publisher is not named.
_WITH_AGENCY_ONLY = re.compile(
    rf"^[(\[]?\s*avec\s+(?:l{_APOSTROPHE}\s*)?(?:{_AGENCY})"
    rf"(?:\s*(?:/|,|et)\s*(?:l{_APOSTROPHE}\s*)?(?:{_AGENCY}))*\s*[)\]]?\s*\.?$",
    re.IGNORECASE,
)
# "Le Monde avec l'AFP", "Par Le Parisien avec AFP", "Article rédigé par franceinfo avec AFP".
_OUTLET_WITH_AGENCY = re.compile(
    rf"^(?:(?:article\s+rédigé\s+)?par\s+)?(?P<outlet>.{{2,40}}?)\s+avec\s+"
    rf"(?:l{_APOSTROPHE}\s*)?(?:{_AGENCY})(?:\s+et\s+(?:l{_APOSTROPHE}\s*)?(?:{_AGENCY}))?\s*\.?$",
    re.IGNORECASE,
)
_ARTICLE_LED_NAME = re.compile(
    rf"^(?:Le|La|Les|L{_APOSTROPHE})\s*[{_UPPER}0-9][\w'’.-]*(?:[ -][\w'’.-]+){{0,3}}$"
)

# A person's name: two to four capitalised words, particles allowed between them.
_NAME_WORD = rf"[{_UPPER}](?:[a-zà-öø-ÿ]+|[{_UPPER}]+|\.)(?:[-'’][{_UPPER}]?[\w.]*)*"
_PARTICLE = r"(?:de|du|des|d'|d’|van|von|der|da|di|del|dos|ben|el|le|la)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s*)?{_NAME_WORD}){{1,3}}"
_NAMES = rf"(?P<names>{_NAME}(?:\s*(?:,|\bet\b)\s*{_NAME})*)"
# "Par Jean Dupont", "Par J.-M. Martin et Léa Roux (à Lyon)", "Propos recueillis par …".
_BYLINE = re.compile(
    rf"^(?i:par|propos\s+recueillis\s+par|textes?\s*:)\s+{_NAMES}\s*(?:$|[,(|–—·/]|-\s)"
)
# "(Reportage Anne Leclerc, édité par Paul Roux)": a Reuters reporter credit.
_REPORTER_CREDIT = re.compile(
    rf"^\(\s*(?i:reportage|rédigé par|rédaction)\s+(?:de\s+)?{_NAMES}\s*(?:[;,)]|$)"
)
# "Thierry Lévêque et Matthieu Protard, édité par Yves Clarisse": Reuters signs so.
_EDITED_BY = re.compile(rf"^{_NAMES}\s*[,;]\s*(?i:édité\s+par|version\s+française)\b")
# "Publié le 14 mars 2024 à 10h00 par Julie Morel".
_PUBLISHED_BY = re.compile(rf"^(?i:publié|mis en ligne)\b.*?\s(?i:par)\s+{_NAMES}\s*$")
# What every byline, timestamp, credit or dateline form holds: an opening word (of the
# line or of a part after ' | '), an agency's name, or the words of a Reuters signature.
# Most lines of an article have none.
_METADATA_HINT = re.compile(
    rf"(?:^|[|·—]\s*)(?i:par|propos|textes?|le\s+\d|publi|paru|mis\b|mise\b|modifi|actualis"
    rf"|\(\s*(?:reportage|rédigé|rédaction))"
    rf"|\b(?:{_AGENCY})\b|(?i:édité\s+par|version\s+française)"
)
# "Claire Hoffmann" alone on the last line: a first name and a surname written out (no
# initials), the first word not one of a credit's ("Avec AFP", "Photo Reuters").
_LOWER = "a-zà-öø-ÿ"
_SIGNATURE = re.compile(
    rf"^(?!(?i:avec|par|photo|photos|crédit|crédits|source|sources|texte|lire|voir)\b)"
    rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?\s+(?:{_PARTICLE}\s*)?"
    rf"[{_UPPER}][{_LOWER}'’]+(?:[- ][{_UPPER}][{_LOWER}]+)?$"
)
_NOT_A_FIRST_NAME = re.compile(rf"^(?:Le|La|Les|L{_APOSTROPHE}|Un|Une|Des|Du)\b")


# ---------------------------------------------------------------------------- reading


def read_metadata(text: str) -> TextMetadata:
    """The publication date, outlet and authors the text states of itself, with their spans.

    Only set forms near the start or the end of the text are read (see the module
    docstring); a field the text does not state for sure is left empty.
    """
    head, tail = _head_and_tail(text)
    last_head = head[-1].start if head else -1
    lines = head + [line for line in tail if line.start > last_head]  # each line once
    bylines = {line.start: _byline(line) for line in lines}
    published = _first(_published_in(line) for line in head)
    outlet = _outlet(head, tail, lines, bylines)
    authors = _authors(lines, bylines)
    spans = [MetadataSpan("published", published.start, published.end)] if published else []
    if outlet:
        spans.append(MetadataSpan("outlet", outlet.start, outlet.end))
    spans.extend(MetadataSpan("authors", a.start, a.end) for a in authors)
    return TextMetadata(
        published=published.value if published else None,
        outlet=outlet.value if outlet else None,
        authors=tuple(a.value for a in authors),
        spans=tuple(spans),
    )


def is_metadata_line(line: str) -> bool:
    """Whether a line holds only metadata: a byline, a publication time, a credit, a bare
    agency dateline or an outlet's name (what the HTML import keeps out of the body)."""
    stripped = line.strip()
    if not stripped or len(stripped) > 160 or stripped.count(" ") >= METADATA_WORDS:
        return False
    probe = _Line(0, stripped)
    if len(stripped) <= _LONGEST_OUTLET and _outlet_alone(probe):
        return True
    if not _METADATA_HINT.search(stripped):
        return False  # most lines of an article: no word any metadata form needs
    return bool(
        _byline(probe)[0]
        or _TIMESTAMP_LINE.match(stripped)
        or _is_publication_time(stripped)
        or _credit_outlet(probe)
        or _AGENCY_CREDIT.match(stripped)
        or _outlet_alone(probe)
        or _WITH_AGENCY_ONLY.match(stripped)
        or _bare_agency_dateline(stripped)
    )


def _head_and_tail(text: str) -> tuple[list[_Line], list[_Line]]:
    """The first HEAD_LINES and the last TAIL_LINES non-blank lines (they may overlap),
    found without splitting the whole text."""
    head: list[_Line] = []
    position = 0
    while len(head) < HEAD_LINES and position <= len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        _add_line(head, text, position, end)
        position = end + 1
    tail: list[_Line] = []
    end = len(text)
    while len(tail) < TAIL_LINES and end >= 0:
        start = text.rfind("\n", 0, end) + 1
        _add_line(tail, text, start, end)
        end = start - 1
    tail.reverse()
    return head, tail


def _add_line(lines: list[_Line], text: str, start: int, end: int) -> None:
    raw = text[start:end]
    stripped = raw.strip().lstrip("\ufeff").strip()
    if stripped:
        lines.append(_Line(start + raw.index(stripped), stripped))


def _first(candidates: Iterable[_Found | None]) -> _Found | None:
    return next((found for found in candidates if found), None)


def _segments(line: _Line) -> tuple[_Line, ...]:
    """A line and the parts a scrape joined with ' | ', ' · ' or ' — ' ('Par X | Publié le …')."""
    text = line.text
    if "|" not in text and "·" not in text and "—" not in text:
        return (line,)
    parts = [line]
    for match in _SEGMENT_BREAK.finditer(text):
        parts.append(_Line(line.start + match.end(), line.text[match.end() :]))
    return tuple(parts)


_SEGMENT_BREAK = re.compile(r"\s+[|·—]\s+")


def _published_in(line: _Line) -> _Found | None:
    """A publication date from a timestamp line or an opening dateline (with its year)."""
    for part in _segments(line):
        for pattern in (_PUBLISHED, _TIMESTAMP_LINE, _DATE_DASH, _PLACE_LE_DATE):
            match = pattern.match(part.text)
            if match:
                iso = _iso_date(match.group("date"))
                if iso:
                    start = part.start + match.start("date")
                    return _Found(iso, start, part.start + match.end("date"))
    match = _AGENCY_DATELINE.match(line.text)
    if match and match.group("year"):
        iso = normalize_date(match.group("day"))
        if iso:
            return _Found(iso, line.start + match.start("day"), line.start + match.end("day"))
    return None


def _is_publication_time(text: str) -> bool:
    """'Publié le …', 'Mis à jour le …' and like lines: a time of the page, not text."""
    return bool(_PUBLICATION_TIME.match(text))


_PUBLICATION_TIME = re.compile(
    r"^(?:publié|publie|paru|mis en ligne|mis à jour|mise à jour|modifié|actualisé)"
    r"\s*(?:le|:|aujourd['’]hui|hier)\b.{0,120}$",
    re.IGNORECASE,
)


def _iso_date(written: str) -> str | None:
    """normalize_date, also reading the two-digit years of web timestamps (03/05/17)."""
    short = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2})", written)
    if short:
        day, month, year = short.groups()
        written = f"{day}/{month}/20{year}"
    return normalize_date(written)


def _outlet(
    head: list[_Line], tail: list[_Line], lines: list[_Line], bylines: _Bylines
) -> _Found | None:
    """The publisher a credit names, else an outlet's name alone, else the agency whose
    dispatch it is (an agency dateline or credit). `lines`: head and tail, each line once."""
    named = _first(_credit_outlet(line, agencies=False) for line in lines)
    named = named or _first(bylines[line.start][1] for line in head)
    if named:
        return named
    alone = _first(_outlet_alone(line) for line in lines)
    if alone:
        return alone
    dateline = _first(_dateline_agency(line) for line in head)
    return dateline or _first(_credit_outlet(line, agencies=True) for line in tail)


def _credit_outlet(line: _Line, agencies: bool = True) -> _Found | None:
    """'Le Monde avec l'AFP' names Le Monde; '(Reuters)' names Reuters (when `agencies`)."""
    match = _OUTLET_WITH_AGENCY.match(line.text)
    if match:
        return _outlet_name(match.group("outlet"), line.start + match.start("outlet"))
    if not agencies:
        return None
    match = _AGENCY_CREDIT.match(line.text)
    if match and not match.group("others"):
        return _Found(
            match.group("agency"),
            line.start + match.start("agency"),
            line.start + match.end("agency"),
        )
    return None


def _outlet_name(written: str, start: int) -> _Found | None:
    """An outlet's name as a credit writes it ('Le Monde', 'Le Point.fr' read 'Le Point'),
    when it reads as one: led by an article, or a known outlet."""
    name = re.sub(r"\.(?:fr|com|be|ch)$", "", written.strip())
    if _ARTICLE_LED_NAME.match(name) or _known_outlet(name):
        return _Found(name, start, start + len(name))
    return None


def _outlet_alone(line: _Line) -> _Found | None:
    """A line holding only a well-known outlet's name ('Ouest-France', 'Sud Ouest')."""
    name = _known_outlet(line.text.rstrip("."))
    if name is None:
        return None
    return _Found(name, line.start, line.start + len(line.text.rstrip(".")))


def _known_outlet(name: str) -> str | None:
    """The KNOWN_OUTLETS spelling of `name`, if it is one."""
    if len(name) > _LONGEST_OUTLET:
        return None
    return _OUTLETS_BY_KEY.get(_outlet_key(name))


def _outlet_key(name: str) -> str:
    """Spaces, hyphens and apostrophes made alike; case kept ('Le Temps' but not 'le temps')."""
    return _OUTLET_KEY_BREAKS.sub(" ", name).strip()


_OUTLET_KEY_BREAKS = re.compile(r"[\s'’-]+")
_OUTLETS_BY_KEY = {_outlet_key(name): name for name in KNOWN_OUTLETS}
_LONGEST_OUTLET = max(len(name) for name in KNOWN_OUTLETS) + 4


def _dateline_agency(line: _Line) -> _Found | None:
    match = _AGENCY_DATELINE.match(line.text)
    if not match:
        return None
    return _Found(
        match.group("agency"), line.start + match.start("agency"), line.start + match.end("agency")
    )


def _bare_agency_dateline(text: str) -> bool:
    """'BOGOTA (Reuters) -' alone on a line: the dispatch's text starts on the next."""
    match = _AGENCY_DATELINE.match(text)
    return bool(match) and not text[match.end() :].strip()


def _authors(lines: list[_Line], bylines: _Bylines) -> list[_Found]:
    """The names of the first byline at the start, else of a signature at the end: a
    byline form, or a name alone on the last line ('Claire Hoffmann')."""
    found = next((bylines[line.start][0] for line in lines if bylines[line.start][0]), [])
    if found or len(lines) < 3:
        return found
    last = lines[-1]
    if _SIGNATURE.match(last.text):
        names, outlet = _split_names(last.text, last.start)
        if len(names) == 1 and outlet is None:
            return names
    return []


_Bylines = dict[int, tuple[list[_Found], "_Found | None"]]
"""Each line's byline (its start -> authors and outlet), read once per text."""


def _byline(line: _Line) -> tuple[list[_Found], _Found | None]:
    """The authors a byline names and the outlet it may end with; ([], None) if no byline."""
    for part in _segments(line):
        if not _may_be_byline(part.text):
            continue
        match = _BYLINE.match(part.text) or _REPORTER_CREDIT.match(part.text)
        match = match or _PUBLISHED_BY.search(part.text) or _EDITED_BY.match(part.text)
        if match:
            names, outlet = _split_names(match.group("names"), part.start + match.start("names"))
            if names and outlet is None:
                outlet = _outlet_after_names(part, match.end("names"))
            return names, outlet
    return [], None


def _outlet_after_names(part: _Line, end: int) -> _Found | None:
    """'Par Sarah Cohen / Le Parisien': an outlet that makes the rest of a byline."""
    rest = part.text[end:]
    name = rest.lstrip(" ,/|–—·-")
    if not name or len(name) > 40:
        return None
    return _outlet_name(name, part.start + end + len(rest) - len(name))


def _may_be_byline(text: str) -> bool:
    """A cheap test that lets most lines skip the byline patterns."""
    opening = text[:14].casefold()
    return (
        opening.startswith(("par ", "propos", "texte", "("))
        or opening.startswith(("publi", "mis en"))
        or "édité" in text
        or "version fran" in text
    )


def _split_names(names: str, offset: int) -> tuple[list[_Found], _Found | None]:
    """'Jean Dupont et Léa Roux' -> two names with their offsets. A name that reads as an
    outlet ('Le Figaro') ends the list and is returned as the outlet; a byline that starts
    with one ('Par Le Parisien') names no author."""
    found: list[_Found] = []
    for match in re.finditer(_NAME, names):
        name = match.group()
        if _NOT_A_FIRST_NAME.match(name) or _known_outlet(name):
            outlet = _outlet_name(name, offset + match.start()) if found else None
            return found, outlet
        found.append(_Found(name, offset + match.start(), offset + match.end()))
    return found, None
