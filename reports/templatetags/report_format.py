"""Formatting of indicator values for the dashboard and the PDF: shares as %, counts with separators.

A missing value (a zero denominator, or no snapshot) is "—", never 0 % (domain.md §1).

Shares are cut, not rounded, to the places shown: 89.96 % reads 89.9 %, so a figure printed as
90.0 % has really reached a 90 % target and the number never contradicts its met/not-met badge.
The charts (`common.charts`, `static/js/dashboard.js`) follow the same rule.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from django import template

register = template.Library()

DASH = "—"


@register.filter
def percent(value: Decimal | float | None, places: int = 1) -> str:
    if value is None or value == "":
        return DASH
    # str() first: Decimal(0.57) is 0.5699999…, which would be cut to 56.9 %.
    shown = (Decimal(str(value)) * 100).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_FLOOR)
    return f"{shown}%"


@register.filter
def count(value: Decimal | float | int | None) -> str:
    """A whole number with thousands separators (numerators and denominators are stored as decimals)."""
    if value is None or value == "":
        return DASH
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.2f}"


@register.filter
def per_one(value: Decimal | float | None, places: int = 1) -> str:
    """A ratio that is not a share (12.5 children per teacher), cut like the shares."""
    if value is None or value == "":
        return DASH
    return f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_FLOOR)}"


def shown(indicator: str, value, places: int = 1) -> str:
    """A value in its indicator's unit: a share as %, another ratio as a number, a count whole."""
    from reports import registry

    if registry.is_percent(indicator):
        return percent(value, places)
    if registry.is_ratio(indicator):
        return per_one(value, places)
    return count(value)


@register.filter
def figure_value(figure) -> str:
    """A Figure's value in its own unit."""
    return shown(figure.indicator, figure.value)


@register.filter
def target_value(target, figure) -> str:
    """A target in the unit of the figure it belongs to."""
    return shown(figure.indicator, target.value, 0)
