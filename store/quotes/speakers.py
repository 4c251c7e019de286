"""Who is quoted: the reporting verb and its subject next to a quotation."""

from __future__ import annotations

import re
from dataclasses import dataclass

VERBS = (
    "déclaré|déclare|souligné|souligne|indiqué|indique|expliqué|explique|ajouté|ajoute|"
    "affirmé|affirme|estimé|estime|déploré|déplore|dit|assuré|assure|annoncé|annonce|"
    "précisé|précise|commenté|commente|lancé|lance|jugé|juge|martelé|martèle|insisté|insiste|"
    "prévenu|prévient|averti|avertit|rappelé|rappelle|reconnu|reconnaît|conclu|conclut|"
    "poursuivi|poursuit|répondu|répond|confié|confie|observé|observe|noté|note|alerté|alerte|"
    "proteste|protesté|raconte|raconté|rapporte|rapporté|résume|résumé|tranche|tranché|"
    "regrette|regretté|dénonce|dénoncé|écrit|confirme|confirmé|fait valoir|fait savoir|"
    "fait observer|a fait valoir|constate|constaté|relève|relevé|ironise|ironisé|s'est félicité|"
    "s'est dit|s'est déclaré|se félicite|témoigne|témoigné|interroge|s'interroge|avance|avancé"
)
# The speaker: a title (`M.`, whose full stop ends nothing) and up to a dozen words,
# stopping at punctuation or at the words that begin what follows the speaker (`pour qui`,
# `dans un communiqué`, `avant de`).
SPEAKER = (
    r"(?P<speaker>(?:(?:M|MM|Mme|Mmes|Mlle|Me|Dr|Pr|Mgr)\.?[ \u00a0]+)?"
    r"(?:[A-ZÀ-Ýa-zà-ÿœ'’.-]+[ \u00a0]){0,10}?[A-ZÀ-Ýa-zà-ÿœ'’-]*[A-Za-zà-ÿœ])"
    r"(?=\s*(?:[,.;:!?)»«\"\n]|$| pour qui| qui | dans | lors | à l| au | devant | sur | en "
    r"| avant | après | alors | avec | selon | tout en | mercredi| jeudi| vendredi| samedi"
    r"| dimanche| lundi| mardi| hier| aujourd))"
)
# After the closing mark: `, a déclaré X`, `, explique X`, `a-t-il dit` (a pronoun: no name).
AFTER = re.compile(
    rf"^[\s,.!?…]*(?:a|avait|ont|aurait)?\s*(?:{VERBS})(?:-t-(?:il|elle|on))?"
    rf"(?:\s+(?:encore|ainsi|aussi|alors|hier|notamment|mercredi|jeudi|vendredi|lundi|mardi|"
    rf"samedi|dimanche|dans un communiqué|à l'AFP|à l’AFP))*\s+{SPEAKER}"
)
SELON = re.compile(rf"^[\s,.]*selon\s+{SPEAKER}", re.IGNORECASE)
# Before the opening mark: `X a souligné que «`, `selon X, «`, `X : «`.
BEFORE = re.compile(
    rf"(?P<speaker>(?:(?:le|la|l'|l’|les|M\.|Mme)\s+)?[A-ZÀ-Ý][\w'’.-]*"
    rf"(?:\s+[A-ZÀ-Ý][\w'’-]*){{0,3}})\s+(?:a|avait|ont)\s+(?:{VERBS})"
    rf"(?:\s+(?:que|qu'|qu’|:))?\s*$"
)
BEFORE_SELON = re.compile(rf"[Ss]elon\s+{SPEAKER.replace('(?=', '(?=,?')}\s*,?\s*$")
# `le secrétaire général d'Interpol, Jürgen Stock, pour qui`: the name apposed to a title.
APPOSED = re.compile(
    r"^,[ \u00a0]+([A-ZÀ-Ý][\w'’-]+(?:[ \u00a0][A-ZÀ-Ý][\w'’-]+){0,3})(?=[,.;:)]|$)"
)
PRONOUNS = {"il", "elle", "ils", "elles", "on", "nous", "je"}
WINDOW = 160


@dataclass(frozen=True, slots=True)
class Speaker:
    """The words naming who is quoted, with their offsets."""

    text: str
    start: int
    end: int


def find_speaker(text: str, open_at: int, close_after: int) -> Speaker | None:
    """The speaker a cue next to the quotation at [open_at, close_after) names, if any."""
    after = text[close_after : close_after + WINDOW]
    for pattern in (AFTER, SELON):
        match = pattern.match(after)
        if match:
            speaker = make_speaker(match, close_after)
            return None if speaker is None else with_apposed_name(text, speaker)
    before_start = max(0, open_at - WINDOW)
    before = text[before_start:open_at]
    for pattern in (BEFORE, BEFORE_SELON):
        match = pattern.search(before)
        if match:
            return make_speaker(match, before_start)
    return None


def make_speaker(match: re.Match[str], offset: int) -> Speaker | None:
    """The speaker group as a Speaker in text offsets; None for a bare pronoun."""
    words = match.group("speaker").strip()
    if not words or words.lower() in PRONOUNS:
        return None
    start = offset + match.start("speaker")
    return Speaker(words, start, start + len(words))


def with_apposed_name(text: str, speaker: Speaker) -> Speaker:
    """The speaker extended over a name apposed to it between commas."""
    match = APPOSED.match(text[speaker.end : speaker.end + WINDOW])
    if match is None:
        return speaker
    end = speaker.end + match.end(1)
    return Speaker(text[speaker.start : end], speaker.start, end)
