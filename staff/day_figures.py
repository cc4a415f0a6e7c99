"""Each kindergarten's posts and classes on a day, aggregated once per indicator run and shared.

The staffing checks (`staff.indicators`), the dual-certificate rate
(`staff.indicators_development`) and the safety guard rule (`safety.indicators`) all read each
kindergarten's posts and classes of the day. Aggregated by each of them, a national district's
9 million posts were read three times a night; now the first of them fills a temporary table with
one row per kindergarten (`day_figures`, in the engine's `common.temp_tables`) and the others join
it (docs/benchmarks.md).

The table's columns (a count is NULL where the kindergarten has no post, or no class, that day):

- ``kg``, ``subdistrict``, ``sponsor_type``;
- the post counts of `staff.selectors.post_conditions` (``staff_total``, ``carers``, …, and
  ``teachers_certified``, ``principals_certified`` when a staffing standard is in force);
- ``appointed``: principals appointed within the plan period, and ``dual``: those of them holding
  both certificates (`staff.selectors_development`);
- ``classes_this_year``, ``children_this_year``: every class of the school year, from the table of
  `enrollment.day_figures` (shared with enrolment's figures).
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from common.temp_tables import TempTables, joined, temp_tables
from enrollment.day_figures import class_figures
from kindergartens.models import Kindergarten

from .choices import PRINCIPAL_ROLES
from .models import PlanPeriod, StaffingStandard
from .selectors import POST_FIGURES, certificate_flags, holds_flag, judge_staffing, post_conditions, post_rows
from .selectors_development import DUAL_KINDS, appointed_condition, dual_condition

CLASS_FIGURES = ("classes_this_year", "children_this_year")
CERTIFIED = ("teachers_certified", "principals_certified")


def day_figures(tables: TempTables, within: QuerySet[Kindergarten], day: datetime.date) -> str:
    """The name of the table of `within`'s kindergartens on `day` (see the module's docstring),
    filled the first time it is asked for in `tables`."""
    kindergartens = within.order_by().values("pk")
    return tables.table(
        f"staff day figures {day} {kindergartens.query}",
        lambda: _select(kindergartens, day, class_figures(tables, within, day)),
    )


def _select(kindergartens: QuerySet, day: datetime.date, classes: str) -> tuple[str, tuple]:
    standard = StaffingStandard.objects.for_day(day)
    conditions = post_conditions(day, standard, holds=holds_flag)
    conditions["appointed"] = appointed = appointed_condition(PlanPeriod.for_day(day), day)
    conditions["dual"] = appointed & dual_condition(day, holds=holds_flag)
    flags = certificate_flags(standard)
    for kind in DUAL_KINDS:  # the principals' dual certificates
        flags.setdefault(kind, set()).update(PRINCIPAL_ROLES)
    parts = [
        kindergartens.values(kg=F("pk"), area=F("subdistrict"), sponsor=F("sponsor_type")).query.sql_with_params(),
        post_rows(kindergartens, day, conditions, flags),
    ]
    quote = connection.ops.quote_name
    posts = ", ".join(f"p.{quote(name)}" for name in conditions)
    sql = (
        f"SELECT k.kg, k.area AS subdistrict, k.sponsor AS sponsor_type, {posts}, "
        "c.classes AS classes_this_year, c.children AS children_this_year "
        f"FROM ({parts[0][0]}) k LEFT JOIN ({parts[1][0]}) p ON p.kg = k.kg LEFT JOIN {classes} c ON c.kg = k.kg"
    )
    return sql, tuple(param for _sql, params in parts for param in params)


def grouped_dual(table: str) -> tuple[str, tuple]:
    """Per (sub-district, sponsor type) of the table's kindergartens: ``dual`` and ``appointed``."""
    return (
        f"SELECT subdistrict, sponsor_type, SUM(dual), SUM(appointed) FROM {table} GROUP BY subdistrict, sponsor_type",
        (),
    )


# The grouped figures' columns, summed per group by `grouped_staffing_checks`.
GROUP_SUMS = (
    "children_this_year",
    "fulltime_teachers",
    "teachers",
    "teachers_certified",
    "principals",
    "principals_certified",
)


def grouped_staffing_checks(
    queryset: QuerySet[Kindergarten], day: datetime.date, standard: StaffingStandard | None, *group: str
) -> list[dict]:
    """Per value of the `group` fields of `queryset`'s kindergartens: ``operating`` (how many),
    ``staffing`` (how many meet the six staffing checks) and the `GROUP_SUMS` of their figures
    (the statement of `grouped_staffing_sql`, on a table of their own)."""
    with temp_tables() as tables, connection.cursor() as cursor:
        cursor.execute(*grouped_staffing_sql(queryset, day_figures(tables, queryset, day), standard, *group))
        keys = (*group, "operating", "staffing", *GROUP_SUMS)  # the order values().annotate() selects
        return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def grouped_staffing_sql(
    queryset: QuerySet[Kindergarten], table: str, standard: StaffingStandard | None, *group: str
) -> tuple[str, tuple]:
    """The statement of `grouped_staffing_checks` and its parameters: it selects the `group`
    fields, ``operating``, ``staffing`` and the `GROUP_SUMS`, in that order, reading each
    kindergarten's figures from `table` (`day_figures` of the same day, covering `queryset`).

    The same figures and checks as `staff.selectors.with_staffing_checks` (one definition:
    `judge_staffing`), with each kindergarten's posts and classes counted once, in the table, instead
    of eleven correlated subqueries per kindergarten (13.7 s at 20,000 kindergartens with staff
    records; docs/benchmarks.md). The SQL is composed from an ORM queryset, so it stays portable.
    """
    assert group, "group by at least one field (values() without fields would select them all)"
    quote = connection.ops.quote_name
    zero = Value(0, output_field=IntegerField())
    columns = dict.fromkeys(CERTIFIED, zero)  # no standard: nobody is certified (as `annotated_staffing`)
    for name in (*POST_FIGURES, *(CERTIFIED if standard is not None else ()), *CLASS_FIGURES):
        columns[name] = RawSQL(f"COALESCE(staff_day.{quote(name)}, 0)", (), output_field=IntegerField())
    rows = (
        judge_staffing(queryset.annotate(**columns), standard)
        .values(*group)
        .annotate(
            operating=Count("pk"),
            staffing=Count("pk", filter=Q(meets_staffing=True)),
            **{name: Coalesce(Sum(name), 0) for name in GROUP_SUMS},
        )
        .order_by()
    )
    return joined(rows, table, "staff_day")
