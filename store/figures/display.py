"""How a figure's normalised value reads to a person: one spelling for the app and the CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.models import Figure

QUALIFIER_SIGNS = {"at_least": "≥ ", "at_most": "≤ ", "about": "≈ ", "exact": ""}
NARROW_NBSP = "\u202f"


def format_figure_value(figure: Figure, *, with_unit: bool = False) -> str:
    """Qualifier sign, value or range (dates as MM-DD or YYYY-MM-DD), percent, currency.

    With `with_unit`, the unit as written follows when there is no currency.
    """
    if figure.value is None:
        return figure.surface
    show = _SHOW.get(figure.kind, _number)
    text = show(figure.value)
    if figure.value_max is not None and figure.value_max != figure.value:
        text += f"–{show(figure.value_max)}"
    if figure.kind == "percent":
        text += " %"
    if figure.currency:
        text += f" {figure.currency}"
    elif with_unit and figure.unit:
        text += f" {figure.unit}"
    return QUALIFIER_SIGNS.get(figure.qualifier, "") + text


def _date(value: float) -> str:
    """Dates are stored as YYYYMMDD, or MMDD when the text gives no year."""
    digits = f"{int(value):04d}" if value < 10_000 else f"{int(value):08d}"
    if len(digits) == 8:
        day = digits[6:]
        return f"{digits[:4]}-{digits[4:6]}" + (f"-{day}" if day != "00" else "")
    return f"{digits[:2]}-{digits[2:]}"


def _whole(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}".replace(",", NARROW_NBSP)
    return f"{value:,.2f}".replace(",", NARROW_NBSP).rstrip("0").rstrip(".")


_SHOW = {"date": _date, "year": _whole, "ordinal": _whole}
