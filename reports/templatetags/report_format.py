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
def figure_value(figure) -> str:
    """A Figure's value in its own unit."""
    return percent(figure.value) if figure.is_ratio else count(figure.value)


@register.filter
def target_value(target, figure) -> str:
    """A target in the unit of the figure it belongs to."""
    return percent(target.value, 0) if figure.is_ratio else count(target.value)
