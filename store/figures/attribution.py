"""Who gives a figure: the source its sentence names, for a fact-checker's "who says what".

Read in the figure's sentence, in this order:

* ``selon X``, ``d'après X``, ``according to X``, and ``Pour X, ...`` opening a
  sentence: X;
* ``de source judiciaire``, ``de sources proches de l'enquête``: ``source judiciaire``;
* a reporting verb after the figure, its subject after it: ``..., a indiqué l'avocat.``,
  ``..., a annoncé hier soir la ministre de l'Economie Christine Lagarde.``,
  ``..., précise le communiqué``;
* a reporting verb before the figure, its subject before it: ``Christine Lagarde a
  annoncé que 10,5 milliards...``, ``un audit interne de la banque l'estimait à 695
  millions``, ``l'Afub, qui estime à 30.000 le nombre...``.

None when the sentence names no one (the text gives the figure as its own) or only a
pronoun (``a-t-il ajouté``): the figure's source is then not said in its sentence.
"""

from __future__ import annotations

import re

from store.models import Figure

_STEMS = (
    r"(?:annon[cç]|indiqu|affirm|déclar|précis|expliqu|estim|révél|révèl|assur|soulign"
    r"|confirm|ajout|écri|constat|évalu|dément|rappel|pronostiqu|racont|avanc|prédi"
    r"|said|announc|report|stat|claim)"
)
_FINITE = r"(?:e|es|ent|ait|aient|a|era|erait|t|it)"
_PARTICIPLE = r"(?:é|ée|és|ées|u|ue|it|is|ed)"
_AUXILIARY = r"(?:a|avait|ont|avaient|aurait|auraient|has|had|have)"
_VERBS = (
    r"(?:(?<![\w'’])"
    + _AUXILIARY
    + r"(?:-t-(?:il|elle|on))?[ \u00a0]+(?:(?:(?!été\b)[^\W\d_]+[ \u00a0]+){0,3})?"
    + _STEMS
    + _PARTICIPLE
    + r"|"
    + _STEMS
    + _FINITE
    + r"|"
    + _STEMS
    + "e-t-(?:il|elle|on))"
    + r"(?![^\W\d_])"
)
"""A reporting verb, finite ('annonce', 'estimait') or with its auxiliary ('a annoncé', 'a
pour sa part révélé'); a participle alone ('un parachute estimé à 3 millions') is no
attribution, nor a noun ('sa déclaration')."""
_TIME_WORDS = (
    r"(?:hier|aujourd['’]hui|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|soir|matin"
    r"|après-midi|encore|également|aussi|déjà|pour sa part|de son côté|ainsi|notamment"
    r"|récemment|mercredi soir|le \d{1,2} \w+|dans un communiqué|à l['’]AFP|à l['’] AFP"
    r"|sur (?:RTL|BFM|RMC|Europe 1|France \d|la radio \w+|son site)|au Figaro|au Monde)"
)
_PRONOUNS = frozenset(("il", "elle", "ils", "elles", "on", "nous", "je", "he", "she", "they"))

_SELON = re.compile(
    r"(?:\b[Ss]elon|\b[Dd]['’]après|\b[Aa]ccording to|^[ «\"]*[Pp]our)[ \u00a0]+"
    r"(?P<who>[^,;:.()«»\"]{2,90}?)[ \u00a0]*(?=[,;:.()«»\"]|$)"
)
_DE_SOURCE = re.compile(
    r"\bde[ \u00a0]+(?P<who>sources?[ \u00a0]+(?:proches?[ \u00a0]+(?:de|du|des)[ \u00a0]+"
    r"[^,;:.()]{2,40}|[^\W\d_]+))",
    re.IGNORECASE,
)
_INVERTED = re.compile(
    r"(?:[,«»\"]|\bcomme[ \u00a0]+l['’]?)[ \u00a0]*" + _VERBS + r"(?:-(?:il|elle|on|ils|elles))?"
    r"(?P<rest>(?:[ \u00a0]+[^.;!?]*)?)[ \u00a0]*[.;!?»\"]*[ \u00a0]*$",
)
_VERB_RE = re.compile(_VERBS)
_STEM_RE = re.compile(_STEMS, re.IGNORECASE)
_DELIMITERS = ',;:.«»"'
_BEFORE_VERB = re.compile(
    r"(?:[ \u00a0]*,[ \u00a0]*(?:qui)?|[ \u00a0]+(?:l['’]|les|(?:" + _TIME_WORDS + r")))*"
    r"[ \u00a0]*$"
)
"""What may stand between a subject and its verb: ', qui', ', ', 'l'' (l'estimait), time words."""
_LEADING = re.compile(r"^(?:(?:et|mais|or|ainsi|" + _TIME_WORDS + r")[ \u00a0,]+)+", re.I)
_AFTER_SOURCE = re.compile(r",[ \u00a0]+(?=[a-zà-ÿ])|[ \u00a0]+(?:dont|qui|où)[ \u00a0]")
"""Where the words about a source end and what follows begins: 'Interpol, précisant que',
'l'organisation dont le siège est à Lyon'."""
_RELATIVE_WHO = re.compile(r"^(?P<who>.+?),[ \u00a0]*qui$")


def _clean(who: str) -> str | None:
    """A source as the text names it, without leading time words; None for a pronoun."""
    who = _LEADING.sub("", who.strip(" \u00a0,«»\"'’"))
    who = re.sub(r"^(?:" + _TIME_WORDS + r")[ \u00a0]+", "", who).strip()
    who = _AFTER_SOURCE.split(who, maxsplit=1)[0].strip()
    relative = _RELATIVE_WHO.match(who)
    if relative:
        who = relative.group("who")
    if not who or who.lower() in _PRONOUNS or len(who) < 2:
        return None
    return who


_AS_SAYS = re.compile(
    r"\bcomme[ \u00a0]+(?:l['’][ \u00a0]?)?" + _VERBS + r"[ \u00a0]+(?P<who>[^,;:.]{2,90})"
)
"""'comme l'indique le communiqué du groupe, ...'."""
_DETERMINER = re.compile(r"(?<![\w'’])(?:le|la|les|l['’]|un|une|Me|Mme|M\.)(?=[ \u00a0]|\w)")
_NOT_SUBJECT_AFTER = frozenset(
    ("de", "d'", "d’", "du", "des", "à", "aux", "au", "par", "sur", "dans", "lors", "avoir")
)


_COMPLETIVE = re.compile(r"(?<![\w'’])(?:avoir|être|que|qu['’])(?![\w'’])")


def _inverted_subject(rest: str) -> str | None:
    """The subject after an inverted reporting verb: 'hier soir la ministre ...' ->
    'la ministre ...'; a complement ('aux enquêteurs avoir confié...') is none."""
    rest = re.sub(r"^(?:(?:" + _TIME_WORDS + r")[ \u00a0]*)+", "", rest).strip()
    if _COMPLETIVE.search(rest):
        return None  # "avait expliqué aux enquêteurs avoir confié...": the subject came first
    if rest[:1].isupper():
        return re.split(r"[ \u00a0]+(?:dans|lors|sur|devant)[ \u00a0]", rest)[0]
    for match in _DETERMINER.finditer(rest):
        before = rest[: match.start()].split()
        previous = before[-1].lower() if before else ""
        if before and (previous in _NOT_SUBJECT_AFTER or previous.endswith(("'", "’"))):
            continue
        if not before or len(before) >= 2:
            who = rest[match.start() :]
            return re.split(r"[ \u00a0]+(?:dans|lors|sur|devant)[ \u00a0]", who)[0]
    return None


_CUES = ("selon", "source", "après", "pour", "according")


def _sentence(body: str, figure: Figure) -> tuple[str, int]:
    start = figure.sentence_start if figure.sentence_start is not None else 0
    end = figure.sentence_end if figure.sentence_end is not None else len(body)
    return body[start:end], start


def figure_source(body: str, figure: Figure) -> str | None:
    """The source the figure's sentence names ('le procureur'), or None."""
    sentence, offset = _sentence(body, figure)
    at = figure.start - offset
    lowered = sentence.lower()
    if not _STEM_RE.search(sentence) and not any(cue in lowered for cue in _CUES):
        return None  # most sentences name no one: decided without the patterns below
    for match in _SELON.finditer(sentence):
        who = _clean(match.group("who"))
        if who:
            return who
    source = _DE_SOURCE.search(sentence)
    if source:
        return _clean(source.group("who"))
    as_says = _AS_SAYS.search(sentence)
    if as_says:
        return _clean(as_says.group("who"))
    after = sentence[at:]
    inverted = _INVERTED.search(after)
    if inverted:
        rest = _inverted_subject(inverted.group("rest").strip())
        who = _clean(rest) if rest else None
        if who:
            return who
    return _subject_before(sentence[:at])


def _subject_before(before: str) -> str | None:
    """The subject of the last reporting verb before a figure ('Christine Lagarde a annoncé
    que', 'un audit interne l'estimait à', 'l'Afub, qui estime à')."""
    verbs = list(_VERB_RE.finditer(before))
    if not verbs:
        return None
    head = before[: verbs[-1].start()]
    head = head[: _BEFORE_VERB.search(head).start()]  # type: ignore[union-attr]
    cut = max(head.rfind(c) for c in _DELIMITERS)
    return _clean(head[cut + 1 :])
