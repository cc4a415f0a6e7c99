"""Resource early warnings (资源预警) raised by the nightly computation for a date.

- ``seat_shortage``: one per sub-district and forecast school year where forecast demand for
  places exceeds the seats of its operating kindergartens (``enrollment.forecast``); the message
  gives the shortfall in seats.
- ``underused_inclusive``: an inclusive kindergarten (public, or private with a recognition covering
  the date) that is operating, has classes recorded for the school year and has an approved
  capacity, whose children in all classes (toddler classes included, as for seat utilisation) fall
  below ``settings.UNDERUSED_INCLUSIVE_THRESHOLD`` (default 0.6) of that capacity. A kindergarten
  that has reported no classes yet raises nothing: missing data is the submission tracker's
  business, not a warning about empty places.

The warnings are built unsaved; ``reports.services.compute_indicators`` writes them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import F, IntegerField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from common.temp_tables import TempTables, joined, temp_tables
from enrollment.day_figures import class_figures
from enrollment.forecast import ForecastRow
from enrollment.indicators import OPERATING_LICENCES, inclusive_q
from enrollment.models import SchoolYear
from kindergartens.models import Kindergarten, Subdistrict

from .choices import WarningKind
from .models import EarlyWarning
from .templatetags.report_format import percent

# Integer arithmetic for the threshold comparison, so SQLite and PostgreSQL agree exactly.
THRESHOLD_SCALE = 10_000


def underused_threshold() -> Decimal:
    return Decimal(str(settings.UNDERUSED_INCLUSIVE_THRESHOLD))


def seat_shortage_warnings(day: datetime.date, forecast: Iterable[ForecastRow]) -> list[EarlyWarning]:
    """A warning for every sub-district and year whose forecast demand exceeds its seats."""
    short = [row for row in forecast if row.shortfall > 0]
    if not short:
        return []
    names = dict(Subdistrict.objects.filter(pk__in={row.subdistrict_id for row in short}).values_list("pk", "name"))
    return [
        EarlyWarning(
            date=day,
            kind=WarningKind.SEAT_SHORTAGE,
            subdistrict_id=row.subdistrict_id,
            year=row.year,
            demand=row.demand,
            supply=row.seats,
            shortfall=row.shortfall,
            message=_(
                "%(subdistrict)s %(year)s–%(next)s学年预测学位需求 %(demand)s 个，现有学位 %(seats)s 个，"
                "缺口 %(shortfall)s 个学位。"
            )
            % {
                "subdistrict": names.get(row.subdistrict_id, ""),
                "year": row.year,
                "next": row.year + 1,
                "demand": f"{row.demand:,}",
                "seats": f"{row.seats:,}",
                "shortfall": f"{row.shortfall:,}",
            },
        )
        for row in short
    ]


def underused_inclusive_warnings(
    day: datetime.date, threshold: Decimal | None = None, tables: TempTables | None = None
) -> list[EarlyWarning]:
    """A warning for every inclusive operating kindergarten running below the threshold.

    Each kindergarten's classes of the year come from `enrollment.day_figures`: in the nightly job
    the table the indicator sources filled (`tables`), otherwise one of its own.
    """
    threshold = underused_threshold() if threshold is None else threshold
    start_year = SchoolYear.start_year_for(day)
    scaled_threshold = int(threshold * THRESHOLD_SCALE)
    kindergartens = (
        Kindergarten.objects.filter(inclusive_q(day), licence_status__in=OPERATING_LICENCES, approved_capacity__gt=0)
        .annotate(
            children=RawSQL("classes_day.children", (), output_field=IntegerField()),
            class_count=RawSQL("classes_day.classes", (), output_field=IntegerField()),
        )
        .filter(class_count__gt=0)
        .alias(children_scaled=F("children") * THRESHOLD_SCALE)
        .filter(children_scaled__lt=F("approved_capacity") * scaled_threshold)
        .order_by("subdistrict__code", "code")
        .values_list("pk", "name", "subdistrict_id", "subdistrict__name", "approved_capacity", "children")
    )
    with temp_tables(tables) as shared, connection.cursor() as cursor:
        cursor.execute(*joined(kindergartens, class_figures(shared, Kindergarten.objects.all(), day), "classes_day"))
        rows = cursor.fetchall()
    warnings = []
    for pk, name, subdistrict_id, subdistrict, capacity, children in rows:
        utilisation = Decimal(children) / capacity
        warnings.append(
            EarlyWarning(
                date=day,
                kind=WarningKind.UNDERUSED_INCLUSIVE,
                subdistrict_id=subdistrict_id,
                kindergarten_id=pk,
                year=start_year,
                demand=children,
                supply=capacity,
                shortfall=None,
                message=_(
                    "%(kindergarten)s（%(subdistrict)s）%(year)s–%(next)s学年在班幼儿 %(children)s 人，"
                    "核定学位 %(capacity)s 个，学位使用率 %(utilisation)s，低于 %(threshold)s。"
                )
                % {
                    "kindergarten": name,
                    "subdistrict": subdistrict,
                    "year": start_year,
                    "next": start_year + 1,
                    "children": f"{children:,}",
                    "capacity": f"{capacity:,}",
                    # Cut like every percentage the portal prints: 59.96 % is not "60.0 %, below 60 %".
                    "utilisation": percent(utilisation),
                    "threshold": f"{(threshold * 100).normalize():f}%",
                },
            )
        )
    return warnings


def build_warnings(
    day: datetime.date, forecast: Iterable[ForecastRow], tables: TempTables | None = None
) -> list[EarlyWarning]:
    """Every early warning for `day`, unsaved: seat shortages first, then underused kindergartens
    (`tables`: as `underused_inclusive_warnings`)."""
    return seat_shortage_warnings(day, forecast) + underused_inclusive_warnings(day, tables=tables)
