"""The district ranking stored by the nightly job: one row per sub-district and date
(`SubdistrictStanding`: its worst gap, how many targets it misses, its overdue items) and one per
headline figure (`FigureStanding`: the figure's gap, verdict and reporting share).

`write_standings` derives them from the date's snapshots right after the job writes them, with
the same SQL expressions as the ranking read from the snapshots (`reports.ranking.Ranking`): one
`INSERT … SELECT` per table, compiled from the same querysets. `StoredRanking` answers what
`Ranking` answers (the table's order, the totals, the chart's bars, the attention lists) with
`ORDER BY … LIMIT` over the stored rows' indexes. Each row carries the `basis` it was derived with
(the targets in force, the headline and overdue codes): a date computed before this table existed,
or whose targets changed since, has no rows of the current basis and is ranked from the snapshots.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Collate

from . import registry
from .choices import ScopeType
from .models import COMPLETENESS_FIELDS, FigureStanding, IndicatorSnapshot, SubdistrictStanding
from .ranking import (
    ATTENTION_ROWS,
    SORT_CODE,
    SORT_NAME,
    SORT_WORST,
    Ranking,
    chart_bars,
    main_target,
    overdue_codes,
    share_expression,
)

if TYPE_CHECKING:
    from .models import Target


def basis(targets: dict[str, list[Target]], headline: tuple[str, ...]) -> str:
    """What a date's stored ranking depends on besides its snapshots, as a short fingerprint."""
    parts = []
    for code in headline:
        t = main_target(targets, code)
        parts.append((code, registry.is_ratio(code), t and (t.authority, str(t.value), t.comparison)))
    return hashlib.md5(repr((parts, overdue_codes())).encode()).hexdigest()


def _sql(model, columns: list[str]) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    return f"INSERT INTO {table} ({names})"


def _execute(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


FIGURE_COLUMNS = ["date", "subdistrict", "scope_key", "indicator", "snapshot", "gap", "short", "share"]
STANDING_COLUMNS = ["date", "subdistrict", "scope_key", "figures", "worst_gap", "misses", "overdue", "basis"]


def write_standings(day: datetime.date) -> None:
    """Replace `day`'s stored ranking with one derived from its snapshots.

    Set-based: the headline snapshots are read once (into `FigureStanding`, with `Ranking`'s gap
    and verdict expressions); the sub-districts' rows group those, plus the overdue counts; then a
    row without a snapshot for each headline figure a sub-district lacks.
    """
    from .dashboard import targets_in_force

    targets = targets_in_force(day)
    headline = registry.headline_codes()
    ranking = Ranking(IndicatorSnapshot.objects.all(), day, targets, headline)
    FigureStanding.objects.filter(date=day).delete()
    SubdistrictStanding.objects.filter(date=day).delete()

    figures = (
        ranking.base.annotate(
            gap=ranking.gap(),
            short=Case(When(ranking.short, then=Value(True)), default=Value(False), output_field=BooleanField()),
            share=share_expression(),
        )
        .values("date", "subdistrict_id", "scope_key", "indicator", "pk", "gap", "short", "share")
        .order_by()
    )
    sql, params = figures.query.sql_with_params()
    _execute(f"{_sql(FigureStanding, FIGURE_COLUMNS)} {sql}", params)

    # Each sub-district with a headline figure or overdue items: its worst gap and misses as
    # `Ranking.per_subdistrict` groups them, its overdue items as the attention list adds them up.
    gaps = (
        FigureStanding.objects.filter(date=day)
        .values("date", "subdistrict_id", "scope_key")
        .annotate(
            figures=Count("snapshot_id"),
            worst_gap=Min("gap"),
            misses=Count("pk", filter=Q(short=True)),
            overdue=Value(Decimal(0)),
        )
        .order_by()
    )
    overdue = (
        IndicatorSnapshot.objects.filter(
            date=day,
            scope_type=ScopeType.SUBDISTRICT,
            indicator__in=overdue_codes(),
            numerator__gt=0,
            subdistrict__isnull=False,
        )
        .values("date", "subdistrict_id", "scope_key")
        .annotate(
            figures=Value(0),
            worst_gap=Value(None, output_field=DecimalField()),
            misses=Value(0),
            overdue=Sum("numerator"),
        )
        .order_by()
    )
    gaps_sql, gaps_params = gaps.query.sql_with_params()
    overdue_sql, overdue_params = overdue.query.sql_with_params()
    _execute(
        f"WITH parts (d, s, k, figures, worst, misses, overdue) AS ({gaps_sql} UNION ALL {overdue_sql}) "
        f"{_sql(SubdistrictStanding, STANDING_COLUMNS)} "
        "SELECT d, s, k, SUM(figures), MIN(worst), SUM(misses), SUM(overdue), %s FROM parts GROUP BY d, s, k",
        (*gaps_params, *overdue_params, basis(targets, headline)),
    )

    # A row without a snapshot for each headline figure a sub-district lacks: the sort by that
    # indicator puts it last (as `Ranking.ordered` does), from the same index. (The job writes every
    # figure of every sub-district: usually none lacks one.)
    lacking = SubdistrictStanding.objects.filter(date=day, figures__gt=0, figures__lt=len(headline))
    if not lacking.exists():
        return
    for code in headline:
        missing = (
            lacking.exclude(
                subdistrict__in=FigureStanding.objects.filter(date=day, indicator=code).values("subdistrict")
            )
            .annotate(
                code=Value(code),
                no_snapshot=Value(None, output_field=IntegerField()),
                no_gap=Value(None, output_field=DecimalField()),
                no=Value(False),
                no_share=Value(None, output_field=FloatField()),
            )
            .values("date", "subdistrict_id", "scope_key", "code", "no_snapshot", "no_gap", "no", "no_share")
            .order_by()
        )
        sql, params = missing.query.sql_with_params()
        _execute(f"{_sql(FigureStanding, FIGURE_COLUMNS)} {sql}", params)


class StoredRanking:
    """`Ranking`'s answers from the stored rows of a date (see the module docstring)."""

    def __init__(self, day: datetime.date, targets: dict, headline: tuple[str, ...], live: Ranking) -> None:
        self.day, self.targets, self.headline, self.live = day, targets, headline, live
        self.keys = live.keys  # sub-district → scope key, filled by chart_picks
        self.standings = SubdistrictStanding.objects.filter(date=day)
        self.figures = FigureStanding.objects.filter(date=day)

    def check(self) -> tuple[int, int] | None:
        """The totals (sub-districts with figures, those missing a target), or None when the date
        has no stored ranking of the current basis (one query)."""
        found = self.standings.filter(figures__gt=0).aggregate(
            rows=Count("pk"), short=Count("pk", filter=Q(misses__gt=0)), low=Min("basis"), high=Max("basis")
        )
        key = basis(self.targets, self.headline)
        if not found["rows"] or found["low"] != key or found["high"] != key:
            return None
        return found["rows"], found["short"]

    def ordered(self, sort: str, only_short: bool = False) -> tuple[QuerySet, str]:
        """As `Ranking.ordered`."""
        rows = self.standings.filter(figures__gt=0)
        if only_short:
            rows = rows.filter(misses__gt=0)
        descending = sort.startswith("-")
        key = sort.lstrip("-")
        code = F("subdistrict__code")
        if key in (SORT_NAME, SORT_CODE):
            field = F(f"subdistrict__{key}")
            if connection.vendor == "postgresql":  # code-point order, as Python sorts (not the locale's)
                field = Collate(field, "C")
            order = [field.desc() if descending else field.asc(), code.asc()]
            return rows.order_by(*order).values_list("subdistrict_id", "scope_key"), sort
        if key in self.headline:
            column = F("gap")
            rows = self.figures.filter(indicator=key)
            if only_short:
                short = self.standings.filter(misses__gt=0).values("subdistrict_id")
                rows = rows.filter(subdistrict__in=short)
        else:
            sort, descending, column = SORT_WORST, False, F("worst_gap")
        order = [column.desc(nulls_last=True), code.desc()] if descending else [column.asc(nulls_last=True), code.asc()]
        return rows.order_by(*order).values_list("subdistrict_id", "scope_key"), sort

    def chart_picks(self, code: str) -> tuple[list[int], list[int]]:
        """As `Ranking.chart_picks` (an indicator without a target in force: from the snapshots)."""
        if code not in self.live.gaps:
            return self.live.chart_picks(code)
        rows = self.figures.filter(indicator=code, snapshot__isnull=False)
        return chart_bars(rows, self.keys)

    def _with_snapshots(self, rows: QuerySet, fields: tuple[str, ...], *extra: str) -> list[dict]:
        # The snapshot's columns under their own names, as `Ranking` returns them.
        found = rows.values("subdistrict_id", "subdistrict__name", *extra, *(f"snapshot__{f}" for f in fields))
        return [{k.removeprefix("snapshot__"): v for k, v in row.items()} for row in found]

    def below_target(self) -> list[dict]:
        """As `Ranking.below_target`."""
        from .dashboard import SNAPSHOT_FIELDS

        rows = self.figures.filter(short=True, gap__isnull=False).order_by("gap", "subdistrict__name", "snapshot_id")
        return self._with_snapshots(rows[:ATTENTION_ROWS], SNAPSHOT_FIELDS, "gap")

    def least_complete(self) -> list[dict]:
        """As `Ranking.least_complete`."""
        rows = self.figures.filter(share__isnull=False).order_by("share", "subdistrict__name", "snapshot_id")
        return self._with_snapshots(rows[: ATTENTION_ROWS * len(self.headline)], ("indicator", *COMPLETENESS_FIELDS))

    def overdue(self) -> list[tuple[int, str, object]]:
        """As `Ranking.overdue`."""
        rows = self.standings.filter(overdue__gt=0).order_by("-overdue", "subdistrict_id")
        return list(rows.values_list("subdistrict_id", "subdistrict__name", "overdue")[:ATTENTION_ROWS])


def ranking_for(snapshots: QuerySet, day: datetime.date, targets: dict, headline: tuple[str, ...], *, stored: bool):
    """The stored ranking of `day` when `stored` (the board found it valid), else the live one."""
    live = Ranking(snapshots, day, targets, headline)
    return StoredRanking(day, targets, headline, live) if stored else live
