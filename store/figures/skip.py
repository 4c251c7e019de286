"""Where a text holds digits that are no figures: phone numbers, web addresses, page furniture.

Each function gives the spans (start, end) of one kind; the extractor merges
them and reads no figure in digits that starts inside one.
"""

from __future__ import annotations

import re

from store.figures.context import _SP

_PHONE = re.compile(
    # No lookbehind at the start: a pattern starting with "+" or "0" is scanned five times
    # faster; the character before a match is checked in _phone_spans.
    r"(?:\+\d{1,3}" + _SP + r"?\(?0?\)?|0)\d(?:[ .\u00a0-]?\d{2}){4}(?!\d)"
)


_FURNITURE = (
    "publié",
    "publie",
    "mis à jour",
    "mise à jour",
    "modifié le",
    "temps de lecture",
    "lecture :",
    "lecture:",
    "crédit",
    "credit",
    "photo",
    "©",
    "(c)",
    "lire aussi",
    "lire la suite",
    "partager",
    "abonnez",
    "newsletter",
    "réutiliser ce contenu",
    "published",
    "updated",
    "read more",
    "share",
)
"""How lines of page furniture start: their dates and counts are no figures of the story."""


def _furniture_spans(text: str) -> list[tuple[int, int]]:
    """Lines that are page furniture ('Publié le 4 novembre 2024 à 12h30', 'Lire aussi')."""
    spans = []
    position = 0
    for line in text.split("\n"):
        end = position + len(line)
        head = line[:24].lstrip().lower()
        # _COMMENT_COUNT starts with a digit (\d is isdecimal): most lines need no match.
        if head.startswith(_FURNITURE) or (head[:1].isdecimal() and _COMMENT_COUNT.match(head)):
            spans.append((position, end))
        position = end + 1
    return spans


_COMMENT_COUNT = re.compile(r"\d+\s*(?:commentaires?|comments?|partages|shares)\b")


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+", re.IGNORECASE)


def _url_spans(text: str) -> list[tuple[int, int]]:
    """Where web addresses are: '?q=30%25' or 'issn%280024' hold no figures."""
    if "://" not in text and "www." not in text:
        return []
    return [match.span() for match in _URL.finditer(text)]


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where phone numbers are (their digits are no figures)."""
    spans = []
    for match in _PHONE.finditer(text):
        start = match.start()
        before = text[start - 1] if start else " "
        if not (before.isalnum() or before in "+_"):
            spans.append(match.span())
    return spans


_REFERENCE = re.compile(
    r"(?:\b(?:pp?\.|pages?|p\u00a0?\.)" + _SP + r"*\d+(?:" + _SP + r"*[-–]" + _SP + r"*\d+)?"
    r"|\[\d{1,3}\])"
)
"""Page and footnote references ('p. 40', 'page 2', '[1]'): they count nothing."""


def _reference_spans(text: str) -> list[tuple[int, int]]:
    """Where page and footnote references are."""
    if "p." not in text and "page" not in text and "[" not in text and "p\u00a0." not in text:
        return []  # most texts: decided without the regex
    return [match.span() for match in _REFERENCE.finditer(text)]
