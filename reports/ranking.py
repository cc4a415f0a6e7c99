"""Where to act: the district dashboard's sub-district rows in the order `?sort=` asks, and its
"needs attention" lists (issue 13 item 4). Reads the rows `reports.dashboard` built, plus one
query each for the seat shortfall and the overdue items."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet, Sum

from . import registry
from .choices import ScopeType
from .models import SeatForecast

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.scoping import SystemScope

    from .dashboard import Figure, SubdistrictRow


@dataclass(frozen=True)
class Attention:
    """One line of the "needs attention" list: a sub-district and why."""

    kind: str  # "below_target", "seat_shortfall", "overdue", "completeness"
    pk: int
    name: str
    label: str  # what is measured (an indicator's short label, "学位缺口"…)
    value: Decimal | int | None
    figure: Figure | None = None
    completeness: registry.Completeness | None = None


# How many sub-districts each "needs attention" list names.
ATTENTION_ROWS = 5
# The `?sort=` keys of the sub-district table besides an indicator's code (ascending gap, worst
# first) and "-code" (best first).
SORT_NAME, SORT_CODE, SORT_WORST = "name", "code", "worst"


def sort_rows(rows: list[SubdistrictRow], headline: list[Figure], sort: str) -> tuple[list[SubdistrictRow], str]:
    """The rows in the order `?sort=` asks (and the key actually used): by an indicator's gap to its
    target (worst first; "-code" best first), by name or code; by default the worst gap first.
    Rows without a figure go last."""
    codes = [f.indicator for f in headline]
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == SORT_NAME:
        return sorted(rows, key=lambda r: r.name, reverse=descending), sort
    if key == SORT_CODE:
        return sorted(rows, key=lambda r: r.code, reverse=descending), sort
    if key in codes:
        i = codes.index(key)

        def gap(row: SubdistrictRow) -> Decimal | None:
            return row.figures[i].gap
    else:
        sort, descending = SORT_WORST, False

        def gap(row: SubdistrictRow) -> Decimal | None:
            return row.worst_gap

    known = [r for r in rows if gap(r) is not None]
    unknown = [r for r in rows if gap(r) is None]
    return sorted(known, key=lambda r: (gap(r), r.code), reverse=descending) + unknown, sort


# An indicator counting overdue items (hazards past their deadline, issues past theirs…) has a code
# ending in this: the "most overdue items" list adds them up per sub-district.
OVERDUE_SUFFIX = "_overdue"


def attention_lists(
    snapshots: QuerySet,
    user: User | SystemScope,
    day: datetime.date,
    rows: list[SubdistrictRow],
    headline: list[Figure],
) -> dict[str, list[Attention]]:
    """The "needs attention" lists of the district dashboard, worst first, a few rows each.

    - below_target: the sub-districts' headline figures furthest below their target (one line per
      sub-district and indicator, from the rows already read);
    - seat_shortfall: the largest forecast seat shortfall in the first forecast year (one query);
    - overdue: the most overdue items, the sum of the overdue-count indicators (one query).
    - completeness: the lowest reporting completeness, sub-districts still missing reports (from the rows).
    """
    below = [
        Attention("below_target", row.pk, row.name, figure.short_label, figure.gap, figure)
        for row in rows
        for figure in row.figures
        if figure.short and figure.gap is not None
    ]
    below.sort(key=lambda a: (a.value, a.name))

    forecasts = SeatForecast.objects.visible_to(user).filter(date=day, shortfall__gt=0)
    first_year = forecasts.order_by("year").values_list("year", flat=True).first()
    shortfalls = []
    if first_year is not None:
        for pk, name, gap in (
            forecasts.filter(year=first_year, subdistrict__isnull=False)
            .values("subdistrict_id", "subdistrict__name")
            .annotate(gap=Sum("shortfall"))
            .order_by("-gap", "subdistrict_id")
            .values_list("subdistrict_id", "subdistrict__name", "gap")[:ATTENTION_ROWS]
        ):
            shortfalls.append(Attention("seat_shortfall", pk, name, str(first_year), gap))

    overdue_codes = [d.code for d in registry.definitions() if d.code.endswith(OVERDUE_SUFFIX)]
    overdue = [
        Attention("overdue", pk, name, "", int(total))
        for pk, name, total in snapshots.filter(
            date=day, scope_type=ScopeType.SUBDISTRICT, indicator__in=overdue_codes, numerator__gt=0
        )
        .values("subdistrict_id", "subdistrict__name")
        .annotate(total=Sum("numerator"))
        .order_by("-total", "subdistrict_id")
        .values_list("subdistrict_id", "subdistrict__name", "total")[:ATTENTION_ROWS]
        if pk is not None
    ]
    incomplete = [
        Attention("completeness", row.pk, row.name, "", row.completeness.share, completeness=row.completeness)
        for row in rows
        if row.completeness is not None and not row.completeness.is_complete
    ]
    incomplete.sort(key=lambda a: (a.value is not None, a.value, a.name))
    return {
        "below_target": below[:ATTENTION_ROWS],
        "seat_shortfall": shortfalls,
        "overdue": overdue,
        "completeness": incomplete[:ATTENTION_ROWS],
    }
