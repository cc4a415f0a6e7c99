"""Each kindergarten's classes of the school year a day falls in, summed once per indicator run.

Enrolment's class figures (`enrollment.indicators`) and, through `staff.day_figures`, the staffing
checks and the safety guard rule all add up each kindergarten's classes of the year: 2.8 million
at national scale, read once a night instead of once per source. The first source that asks
fills a temporary table (`common.temp_tables`, the engine's for the run) with one row per
kindergarten of the scope; the others join it. Its columns (NULL without a class that year):

- ``kg``;
- ``classes`` and ``children``: every class, toddler classes included;
- ``target_children``: the children of the target class types (`TARGET_CLASS_TYPES`);
- ``classes_over_limit``: classes above the class-size limit in force on the day (`over_limit_q`).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, QuerySet, Sum

from common.temp_tables import TempTables
from kindergartens.models import Kindergarten

from .choices import ClassType
from .models import ClassSizeLimit, SchoolClass, SchoolYear

# The classes whose children the three 2025 targets count (not the toddler classes).
TARGET_CLASS_TYPES = (ClassType.SMALL, ClassType.MIDDLE, ClassType.SENIOR, ClassType.MIXED)


def over_limit_q(limits: dict[str, int], prefix: str = "") -> Q:
    """Classes above the limit for their type; never true for a type without a limit."""
    # A primary key is never NULL: the neutral start of the OR, valid even with no limits at all.
    q = Q(**{f"{prefix}pk__isnull": True})
    for class_type, max_children in limits.items():
        q |= Q(**{f"{prefix}class_type": class_type, f"{prefix}enrolled__gt": max_children})
    return q


def class_figures(tables: TempTables, within: QuerySet[Kindergarten], day: datetime.date) -> str:
    """The name of the table of `within`'s kindergartens' classes in the school year of `day`
    (see the module's docstring), filled the first time it is asked for in `tables`."""
    kindergartens = within.order_by().values("pk")
    return tables.table(f"enrolment class figures {day} {kindergartens.query}", lambda: _select(kindergartens, day))


def year_classes(kindergartens: QuerySet[Kindergarten], day: datetime.date) -> QuerySet[SchoolClass]:
    """The classes of `kindergartens` in the school year of `day`, grouped per kindergarten (``kg``):
    annotate the sums wanted. The one selection behind the table below, the staff panel's figures
    (`staff.selectors.class_rows`) and the safety guard rule counted alone (`safety.selectors`)."""
    return (
        SchoolClass.objects.filter(kindergartens.as_condition(), school_year__start_year=SchoolYear.start_year_for(day))
        .order_by()
        .values(kg=F("kindergarten"))
    )


def _select(kindergartens: QuerySet, day: datetime.date) -> tuple[str, tuple]:
    in_target = Q(class_type__in=TARGET_CLASS_TYPES)
    rows = year_classes(kindergartens, day).annotate(
        classes=Count("pk"),
        children=Sum("enrolled"),
        target_children=Sum("enrolled", filter=in_target),
        classes_over_limit=Count("pk", filter=over_limit_q(ClassSizeLimit.objects.limits_on(day))),
    )
    return rows.query.sql_with_params()
