"""`{{ warning|warning_text }}`: an early warning's text in the page's language.

The nightly job stores each warning's message in Chinese (the language it runs in). The figures
behind it are stored too, so an English page rebuilds the text from them with the same msgids
as `reports.early_warnings`; the stored message is never changed, and a Chinese page shows it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ..choices import WarningKind
from .report_format import percent

register = template.Library()

# The threshold an underused-inclusive warning was raised against, as its message wrote it.
THRESHOLD = re.compile(r"低于\s*([\d.]+%)")


@register.filter
def warning_text(warning) -> str:
    message = warning.message
    if (get_language() or "").startswith("zh"):
        return message
    if warning.kind == WarningKind.SEAT_SHORTAGE and None not in (warning.demand, warning.supply, warning.shortfall):
        return _(
            "%(subdistrict)s %(year)s–%(next)s学年预测学位需求 %(demand)s 个，现有学位 %(seats)s 个，"
            "缺口 %(shortfall)s 个学位。"
        ) % {
            "subdistrict": warning.subdistrict.name,
            "year": warning.year,
            "next": warning.year + 1,
            "demand": f"{warning.demand:,}",
            "seats": f"{warning.supply:,}",
            "shortfall": f"{warning.shortfall:,}",
        }
    threshold = THRESHOLD.search(message)
    if (
        warning.kind == WarningKind.UNDERUSED_INCLUSIVE
        and warning.kindergarten_id
        and warning.demand is not None
        and warning.supply
        and threshold
    ):
        return _(
            "%(kindergarten)s（%(subdistrict)s）%(year)s–%(next)s学年在班幼儿 %(children)s 人，"
            "核定学位 %(capacity)s 个，学位使用率 %(utilisation)s，低于 %(threshold)s。"
        ) % {
            "kindergarten": warning.kindergarten.name,
            "subdistrict": warning.subdistrict.name,
            "year": warning.year,
            "next": warning.year + 1,
            "children": f"{warning.demand:,}",
            "capacity": f"{warning.supply:,}",
            "utilisation": percent(Decimal(warning.demand) / warning.supply),
            "threshold": threshold[1],
        }
    return message
