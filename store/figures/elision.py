"""Amounts whose currency the sentence gave already: '... 636 millions d'euros ... : 287
millions en coût du risque et 349 millions en produit net bancaire'.

News text names the currency once and then writes only the scale. A bare scaled number
(``437 millions``, ``2,7 milliards``) with no noun of its own, in the sentence of an amount
or the one after it, is an amount in that currency.
"""

from __future__ import annotations

import re

from store.figures.context import _Raw

_SCALED = re.compile(r"(?:millions?|milliards?|billions?|Mds?|Mrds?)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…](?:[\"»”)\]]*)[ \t\u00a0]+(?=\S)|\n")
_NOT_A_NOUN = frozenset(("fin", "début", "mi", "courant", "cette", "ce"))
"""Words read as a noun after an amount that say when, not what ('1,02 million fin janvier')."""


def _without_noun(raw: _Raw) -> bool:
    return raw.unit is None or raw.unit.split()[0].lower().rstrip("-") in _NOT_A_NOUN


def _with_elided_currency(text: str, raws: list[_Raw]) -> list[_Raw]:
    """Bare scaled numbers after an amount, within two sentences of it or of the last
    such number, become amounts too."""
    last_money: _Raw | None = None
    for raw in raws:
        if raw.kind == "money":
            last_money = raw
            continue
        if (
            last_money is None
            or raw.kind not in ("count", "other")
            or raw.value_max is not None
            or not _without_noun(raw)
            or not _SCALED.search(text, raw.start, raw.end)
        ):
            continue
        if len(_SENTENCE_END.findall(text, last_money.end, raw.start)) > 1:
            continue
        raw.kind = "money"
        raw.currency = last_money.currency
        raw.unit = last_money.unit
        last_money = raw  # "..., 3 milliards. ... 2,55 milliards": the currency carries on
    return raws
