"""Where to act: the district dashboard's sub-district table (ranked, paginated), its chart's worst
and best bars, and its "needs attention" lists (issue 13 items 4 and 5).

At national scale a district has 40,000 sub-districts: the page shows a page of them, so the
ranking is done by the database — each sub-district's gap to its targets is a SQL expression over
its snapshots (`value` minus the stored target, else the one in force), ordered and cut with
ORDER BY / LIMIT — and Figures are built only for the rows shown. A fixed number of queries
whatever the number of sub-districts.

The gap and the verdict are the ones `reports.dashboard.Figure` gives (`gap`, `short`): the main
target is Chaoyang's plan, else the national standard; the verdict is the one the computation
stored, else (a snapshot stored without that target) the exact comparison of numerator and
denominator, as `reports.models.meets` makes it.

`Ranking` reads the snapshots; the nightly job stores the same answers per date
(`reports.standings`, derived with these expressions), which the dashboard reads when they match
the targets in force.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Case, Count, DecimalField, F, FloatField, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Collate

from . import registry
from .choices import Authority, Comparison, ScopeType
from .models import SeatForecast

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.scoping import SystemScope

    from .dashboard import Figure, SubdistrictRow
    from .models import Target


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
# The table's page size: Chaoyang's 43 sub-districts fit on one page.
PAGE_SIZE = 50
# The chart draws every sub-district up to CHART_ALL, beyond that the CHART_WORST furthest below
# the target and the CHART_BEST furthest above it (bars stay readable at any scale).
CHART_ALL, CHART_WORST, CHART_BEST = 50, 40, 10
# The `?sort=` keys of the sub-district table besides an indicator's code (ascending gap, worst
# first) and "-code" (best first).
SORT_NAME, SORT_CODE, SORT_WORST = "name", "code", "worst"
# Where a snapshot keeps each authority's target and its verdict.
STORED = {Authority.CHAOYANG: ("target", "met"), Authority.NATIONAL: ("national_target", "national_met")}
GAP = DecimalField(max_digits=20, decimal_places=6)


def main_target(targets: dict[str, list[Target]], code: str) -> Target | None:
    """The target a shortfall is judged against (`Figure.main_target`): Chaoyang's, else the national one."""
    return next((t for t in targets.get(code, []) if t.authority in STORED), None)


def gap_expression(code: str, target: Target):
    """`Figure.gap` in SQL: how far the value is above the target (negative: below)."""
    target_field, _met = STORED[target.authority]
    level = Coalesce(F(target_field), Value(target.value, output_field=GAP), output_field=GAP)
    return F("value") - level if target.comparison == Comparison.AT_LEAST else level - F("value")


def short_condition(code: str, target: Target) -> Q:
    """`Figure.short` in SQL: the stored verdict is "not met", or, with no stored target, the exact
    numerator and denominator miss the one in force (never the cut value)."""
    target_field, met_field = STORED[target.authority]
    level = Value(target.value, output_field=GAP)
    if registry.is_ratio(code):
        needed = F("denominator") * level
        misses = Q(denominator__gt=0) & (
            Q(numerator__lt=needed) if target.comparison == Comparison.AT_LEAST else Q(numerator__gt=needed)
        )
    else:
        misses = Q(numerator__lt=level) if target.comparison == Comparison.AT_LEAST else Q(numerator__gt=level)
    stored = Q(**{f"{target_field}__isnull": False, met_field: False})
    computed = Q(**{f"{target_field}__isnull": True, "value__isnull": False}) & misses
    return Q(indicator=code) & (stored | computed)


# An indicator counting overdue items (hazards past their deadline, issues past theirs…) has a code
# ending in this: the "most overdue items" list adds them up per sub-district.
OVERDUE_SUFFIX = "_overdue"


def overdue_codes() -> list[str]:
    return [d.code for d in registry.definitions() if d.code.endswith(OVERDUE_SUFFIX)]


def share_expression() -> Case:
    """A snapshot's reporting share while reports are missing, else NULL: a float only to pick the
    least complete (two integer columns would divide to 0 in SQL); they are then ordered by the
    exact share."""
    missing = Q(reports_expected__gt=F("reports_received"), reports_received__isnull=False)
    share = Cast("reports_received", FloatField()) / F("reports_expected")
    return Case(When(missing, then=share), default=Value(None), output_field=FloatField())


def chart_bars(rows: QuerySet, keys: dict[int, str]) -> tuple[list[int], list[int]]:
    """One indicator's bars from `rows` annotated with its ``gap``: every sub-district (up to
    CHART_ALL), else the CHART_WORST furthest behind and the CHART_BEST furthest ahead. Records
    each drawn sub-district's scope key in `keys`."""
    worst = list(
        rows.order_by(F("gap").asc(nulls_last=True), "subdistrict__code").values_list("subdistrict_id", "scope_key")[
            : CHART_ALL + 1
        ]
    )
    best = list(
        rows.filter(gap__isnull=False)
        .order_by(F("gap").desc(), F("subdistrict__code").desc())
        .values_list("subdistrict_id", "scope_key")[:CHART_BEST]
    )
    keys.update(worst + best)
    worst, best = [pk for pk, _key in worst], [pk for pk, _key in best]
    if len(worst) <= CHART_ALL:
        return worst, []
    worst = worst[:CHART_WORST]
    return worst, [pk for pk in reversed(best) if pk not in worst]


class Ranking:
    """The sub-districts' headline snapshots on a day, with their gaps and verdicts as SQL."""

    def __init__(self, snapshots: QuerySet, day: datetime.date, targets: dict, headline: tuple[str, ...]) -> None:
        self.headline, self.snapshots, self.day = headline, snapshots, day
        self.keys: dict[int, str] = {}  # sub-district → its snapshots' scope key, as the chart read them
        self.base = snapshots.filter(
            date=day, scope_type=ScopeType.SUBDISTRICT, indicator__in=headline, subdistrict__isnull=False
        )
        mains = {code: main_target(targets, code) for code in headline}
        self.gaps = {code: gap_expression(code, t) for code, t in mains.items() if t is not None}
        self.short = Q(pk__in=[])
        for code, t in mains.items():
            if t is not None:
                self.short |= short_condition(code, t)

    def gap(self, code: str | None = None):
        """One indicator's gap per snapshot row, or (None) whichever indicator the row is."""
        codes = [code] if code else list(self.gaps)
        whens = [When(indicator=c, then=self.gaps[c]) for c in codes if c in self.gaps]
        return Case(*whens, default=Value(None, output_field=GAP), output_field=GAP) if whens else Value(None, GAP)

    def per_subdistrict(self) -> QuerySet:
        """One row per sub-district: each indicator's gap, the worst one, and how many figures miss."""
        gaps = {f"gap_{i}": Min(self.gap(code)) for i, code in enumerate(self.headline)}
        return self.base.values("subdistrict_id").annotate(
            worst=Min(self.gap()), misses=Count("pk", filter=self.short), **gaps
        )

    def totals(self) -> tuple[int, int]:
        """How many sub-districts have figures, and how many of them miss a target."""
        # Over the grouped rows (Django wraps them in a subquery): one query.
        found = self.per_subdistrict().aggregate(
            rows=Count("subdistrict_id"), short=Sum(Case(When(misses__gt=0, then=Value(1)), default=Value(0)))
        )
        return found["rows"], found["short"] or 0

    def ordered(self, sort: str, only_short: bool = False) -> tuple[QuerySet, str]:
        """Sub-district ids in the order `?sort=` asks (and the key used): by an indicator's gap to its
        target (worst first; "-code" best first), by name or code; by default the worst gap first.
        Rows without a figure go last; ties by code."""
        rows = self.per_subdistrict().values("subdistrict_id")
        if only_short:
            rows = rows.filter(misses__gt=0)
        descending = sort.startswith("-")
        key = sort.lstrip("-")
        if key in (SORT_NAME, SORT_CODE):
            field = F(f"subdistrict__{key}")
            if connection.vendor == "postgresql":  # code-point order, as Python sorts (not the locale's)
                field = Collate(field, "C")
            order = [field.desc() if descending else field.asc(), "subdistrict__code"]
        else:
            if key in self.headline:
                column = F(f"gap_{self.headline.index(key)}")
            else:
                sort, descending, column = SORT_WORST, False, F("worst")
            code = F("subdistrict__code")
            order = (
                [column.desc(nulls_last=True), code.desc()] if descending else [column.asc(nulls_last=True), code.asc()]
            )
        # Grouped by the id only: the name and code are one per id.
        # (id, scope key) pairs: the rows are then read by their key, from the unique index.
        return rows.order_by(*order).values_list("subdistrict_id", "scope_key"), sort

    def chart_picks(self, code: str) -> tuple[list[int], list[int]]:
        """One indicator's bars: every sub-district (up to CHART_ALL), else the worst and the best."""
        # Without a target in force on the date (a backfilled early year), ranked by the value.
        gap = self.gap(code) if code in self.gaps else F("value")
        rows = self.base.filter(indicator=code).annotate(gap=gap)
        return chart_bars(rows, self.keys)

    def below_target(self) -> list[dict]:
        """The figures furthest below their target (one per sub-district and indicator), worst first."""
        from .dashboard import SNAPSHOT_FIELDS

        return list(
            self.base.filter(self.short)
            .annotate(gap=self.gap())
            .filter(gap__isnull=False)
            .order_by("gap", "subdistrict__name", "pk")
            .values("subdistrict_id", "subdistrict__name", "gap", *SNAPSHOT_FIELDS)[:ATTENTION_ROWS]
        )

    def least_complete(self) -> list[dict]:
        """Snapshots of sub-districts still missing reports, the lowest share first (candidates: the
        caller keeps one per sub-district, the first headline figure's, like `SubdistrictRow`)."""
        from .models import COMPLETENESS_FIELDS

        return list(
            self.base.annotate(share=share_expression())
            .filter(share__isnull=False)
            .order_by("share", "subdistrict__name", "pk")
            .values("subdistrict_id", "subdistrict__name", "indicator", *COMPLETENESS_FIELDS)[
                : ATTENTION_ROWS * len(self.headline)
            ]
        )

    def overdue(self) -> list[tuple[int, str, Decimal]]:
        """The sub-districts with the most overdue items (the overdue counts added up), most first."""
        found = (
            self.snapshots.filter(
                date=self.day, scope_type=ScopeType.SUBDISTRICT, indicator__in=overdue_codes(), numerator__gt=0
            )
            .values("subdistrict_id", "subdistrict__name")
            .annotate(total=Sum("numerator"))
            .order_by("-total", "subdistrict_id")
            .values_list("subdistrict_id", "subdistrict__name", "total")[:ATTENTION_ROWS]
        )
        return [row for row in found if row[0] is not None]


def attention_lists(
    user: User | SystemScope,
    day: datetime.date,
    ranking: Ranking,
    make_figure,
    targets: dict,
    first_year: int | None,
) -> dict[str, list[Attention]]:
    """The "needs attention" lists of the district dashboard, worst first, a few rows each.

    - below_target: the sub-districts' headline figures furthest below their target (one line per
      sub-district and indicator; one query);
    - seat_shortfall: the largest forecast seat shortfall in `first_year`, the first forecast year
      with a shortfall (one query);
    - overdue: the most overdue items, the sum of the overdue-count indicators (one query);
    - completeness: the lowest reporting completeness, sub-districts still missing reports (one query).
    """
    from .models import completeness_from

    below = []
    for row in ranking.below_target():
        figure = make_figure(row["indicator"], row, targets)
        below.append(
            Attention(
                "below_target", row["subdistrict_id"], row["subdistrict__name"], figure.short_label, figure.gap, figure
            )
        )
    below.sort(key=lambda a: (a.value, a.name))

    forecasts = SeatForecast.objects.visible_to(user).filter(date=day, shortfall__gt=0)
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

    overdue = [Attention("overdue", pk, name, "", int(total)) for pk, name, total in ranking.overdue()]
    # One completeness per sub-district: its first headline figure's (they share it).
    first: dict[int, tuple[int, dict]] = {}
    for row in ranking.least_complete():
        rank = ranking.headline.index(row["indicator"])
        if row["subdistrict_id"] not in first or rank < first[row["subdistrict_id"]][0]:
            first[row["subdistrict_id"]] = (rank, row)
    incomplete = [
        Attention("completeness", pk, row["subdistrict__name"], "", c.share, completeness=c)
        for pk, (_rank, row) in first.items()
        if (c := completeness_from(row)) is not None and not c.is_complete
    ]
    incomplete.sort(key=lambda a: (a.value is not None, a.value, a.name))
    return {
        "below_target": below[:ATTENTION_ROWS],
        "seat_shortfall": shortfalls,
        "overdue": overdue,
        "completeness": incomplete[:ATTENTION_ROWS],
    }


def sort_rows(rows: list[SubdistrictRow], headline: list[Figure], sort: str) -> tuple[list[SubdistrictRow], str]:
    """Rows already built (a page, the chart's, the PDF's) in the order `?sort=` asks, the same order
    as `Ranking.ordered`: by an indicator's gap, by name or code, by default the worst gap first."""
    codes = [f.indicator for f in headline]
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key in (SORT_NAME, SORT_CODE):
        by_code = sorted(rows, key=lambda r: r.code)
        return sorted(by_code, key=lambda r: getattr(r, key), reverse=descending), sort
    if key in codes:
        i = codes.index(key)

        def gap(row: SubdistrictRow) -> Decimal | None:
            return row.figures[i].gap
    else:
        sort, descending = SORT_WORST, False

        def gap(row: SubdistrictRow) -> Decimal | None:
            return row.worst_gap

    known = [r for r in rows if gap(r) is not None]
    unknown = sorted((r for r in rows if gap(r) is None), key=lambda r: r.code, reverse=descending)
    return sorted(known, key=lambda r: (gap(r), r.code), reverse=descending) + unknown, sort


def subdistrict_page(board, user: User | SystemScope, *, sort: str, page: str | int | None, only_short: bool = False):
    """One page of the district's sub-district table in the order `?sort=` asks: the ranking in SQL,
    Figures built for the page's rows only. Returns the Paginator's page (its `object_list` the
    rows) and the sort key used."""
    from django.core.paginator import Paginator

    from .dashboard import subdistrict_rows
    from .models import IndicatorSnapshot
    from .standings import ranking_for

    snapshots = IndicatorSnapshot.objects.visible_to(user)
    headline = tuple(f.indicator for f in board.headline)
    ranking = ranking_for(snapshots, board.date, board.targets, headline, stored=board.stored_ranking)
    ordered, sort = ranking.ordered(sort, only_short)
    paginator = Paginator(ordered, PAGE_SIZE)
    paginator.count = board.shortfall_count if only_short else board.row_count  # counted with the board
    found = paginator.get_page(page)
    pairs = list(found.object_list)
    rows = {row.pk: row for row in subdistrict_rows(board, snapshots, [key for _pk, key in pairs])}
    found.object_list = [rows[pk] for pk, _key in pairs if pk in rows]
    return found, sort
