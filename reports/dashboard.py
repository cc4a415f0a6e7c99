"""What the dashboard and the PDF report show, read from the dated indicator snapshots.

One function, `build_dashboard`, gathers everything for a scope (the district or one
sub-district) and a snapshot date, with a fixed number of queries however many kindergartens,
sub-districts or snapshot dates there are: each block is one query (GROUP BY in the database
where totals are needed), never a query per row. The dashboard page, its ECharts data and the
PDF report all read from the same `Dashboard` object, so they cannot disagree.

Which indicators are shown, and with which labels, comes from the apps that declare them
(`reports.registry`): the plan's targets first (``headline``), then the others in their declared
order.

Scoping: every query goes through `visible_to(user)`; the nightly job's PDF, rendered for nobody
in particular, passes `accounts.scoping.SYSTEM`, which sees the whole district.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from kindergartens.models import Subdistrict

from . import registry
from .annual import annual_dates
from .choices import Authority, Comparison, ScopeType
from .dates import resolve_date, scope_filter, snapshot_dates
from .models import (
    COMPLETENESS_FIELDS,
    ComputationRun,
    EarlyWarning,
    IndicatorSnapshot,
    SeatForecast,
    Target,
    completeness_from,
)
from .ranking import Attention, Ranking, attention_lists, sort_rows
from .standings import StoredRanking

if TYPE_CHECKING:
    from accounts.models import User
    from accounts.scoping import SystemScope

# Newest first, biggest gap first; warnings without a gap (under-used kindergartens) after the
# gaps on every database (PostgreSQL would put NULLs first in a descending order).
WARNING_ORDER = ("-date", F("shortfall").desc(nulls_last=True), "kind", "pk")
# How many warnings the dashboard shows before "all warnings".
DASHBOARD_WARNINGS = 5


@dataclass(frozen=True)
class TargetCheck:
    """One authority's target for an indicator and whether a value meets it."""

    authority: str
    value: Decimal
    comparison: str
    met: bool | None

    @property
    def label(self) -> str:
        # Translated only when shown: the district page builds thousands of these and shows few labels.
        return Authority(self.authority).label

    @property
    def is_chaoyang(self) -> bool:
        return self.authority == Authority.CHAOYANG

    @property
    def sign(self) -> str:
        return "≥" if self.comparison == Comparison.AT_LEAST else "≤"


@dataclass
class Figure:
    """One indicator for one scope and date: numerator, denominator, value and targets."""

    indicator: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    targets: list[TargetCheck] = field(default_factory=list)
    has_snapshot: bool = False
    # The reporting completeness the snapshot was computed with (None: not from reports).
    completeness: registry.Completeness | None = None

    @property
    def definition(self) -> registry.IndicatorDefinition | None:
        """The declaring app's definition; None for a code no installed app declares any more."""
        return registry.find(self.indicator)

    @property
    def label(self) -> str:
        return registry.label(self.indicator)

    @property
    def short_label(self) -> str:
        # Short names for table headers and chart legends where the full names do not fit.
        definition = self.definition
        return str(definition.short_label or definition.label) if definition else self.indicator

    @property
    def is_ratio(self) -> bool:
        return registry.is_ratio(self.indicator)

    @property
    def numerator_label(self) -> str:
        """What a share's numerator counts, for the caption under a figure."""
        return str(self.definition.numerator_label) if self.definition else ""

    @property
    def denominator_label(self) -> str:
        return str(self.definition.denominator_label) if self.definition else ""

    @property
    def has_breakdown(self) -> bool:
        """Whether the figure links to what makes it up (kindergartens, or a page of its app)."""
        definition = self.definition
        return definition is not None and (definition.kindergartens or definition.breakdown_url) is not None

    @property
    def chaoyang(self) -> TargetCheck | None:
        return next((t for t in self.targets if t.authority == Authority.CHAOYANG), None)

    @property
    def national(self) -> TargetCheck | None:
        return next((t for t in self.targets if t.authority == Authority.NATIONAL), None)

    @property
    def main_target(self) -> TargetCheck | None:
        """The target a shortfall is judged against: Chaoyang's plan, else the national standard."""
        return self.chaoyang or self.national

    @property
    def met(self) -> bool | None:
        target = self.main_target
        return target.met if target else None

    @property
    def short(self) -> bool:
        return self.met is False

    @property
    def gap(self) -> Decimal | None:
        """How far the value is above its main target (negative: below it), whatever the direction.

        For ranking only (which sub-district is furthest behind): the verdict stays `met`.
        """
        target = self.main_target
        if target is None or self.value is None:
            return None
        return self.value - target.value if target.comparison == Comparison.AT_LEAST else target.value - self.value


@dataclass(frozen=True)
class TrendPoint:
    """One point of the annual series (`reports.annual`): a school year's statistical date.

    `completeness`: the reporting completeness the point's snapshots were computed with (None for
    snapshots stored before completeness was recorded); the trend panel shows it beside the date.
    """

    date: datetime.date
    school_year: str
    completeness: registry.Completeness | None = None


@dataclass
class SubdistrictRow:
    """A sub-district's headline figures on the date (for the district table and chart)."""

    pk: int
    name: str
    code: str
    figures: list[Figure]
    missing_url: str = ""  # the sub-district's kindergartens whose report is missing

    @property
    def short(self) -> bool:
        return any(f.short for f in self.figures)

    @property
    def completeness(self) -> registry.Completeness | None:
        return _completeness_of(self.figures)

    @property
    def worst_gap(self) -> Decimal | None:
        """The row's gap furthest below its target (None when no figure has a target and a value)."""
        gaps = [f.gap for f in self.figures if f.gap is not None]
        return min(gaps) if gaps else None


@dataclass(frozen=True)
class ForecastYear:
    year: int
    cohort: int
    demand: int
    seats: int
    shortfall: int

    @property
    def gap(self) -> int:
        """Seats missing (0 where supply covers demand)."""
        return max(self.shortfall, 0)


@dataclass
class ForecastBySubdistrict:
    """One row of the report's forecast table: a sub-district's shortfall per forecast year."""

    name: str
    shortfalls: list[int | None]


@dataclass
class Dashboard:
    date: datetime.date | None
    dates: list[datetime.date]
    subdistrict: Subdistrict | None
    headline: list[Figure] = field(default_factory=list)
    others: list[Figure] = field(default_factory=list)
    rows: list[SubdistrictRow] = field(default_factory=list)
    trend: dict[str, list[tuple[datetime.date, Decimal | None]]] = field(default_factory=dict)
    warnings: list[EarlyWarning] = field(default_factory=list)
    warning_count: int = 0
    forecast: list[ForecastYear] = field(default_factory=list)
    forecast_rows: list[ForecastBySubdistrict] = field(default_factory=list)
    last_run: ComputationRun | None = None
    # The annual series (one point per school year's statistical date), oldest first.
    annual: list[TrendPoint] = field(default_factory=list)
    # "Needs attention": kind → a few sub-districts, worst first (district only).
    attention: dict[str, list[Attention]] = field(default_factory=dict)
    # District only (`reports.ranking`): sub-districts with figures, those missing a target; `rows`
    # holds them all for the PDF, a page of them on the dashboard.
    row_count: int = 0
    shortfall_count: int = 0
    # The chart's rows, and per indicator the pks drawn: the worst, then (beyond CHART_ALL) the best.
    chart_rows: list[SubdistrictRow] = field(default_factory=list)
    chart_picks: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)
    targets: dict[str, list[Target]] = field(default_factory=dict)
    # Whether the ranking is read from the stored standings of the date (reports.standings).
    stored_ranking: bool = False

    @property
    def is_district(self) -> bool:
        return self.subdistrict is None

    @property
    def completeness(self) -> registry.Completeness | None:
        """The reporting completeness behind the scope's headline figures on the date."""
        return _completeness_of(self.headline)

    @property
    def missing_url(self) -> str:
        """The page listing the scope's kindergartens whose report is missing (scoped there too)."""
        figure = next((f for f in self.headline if f.completeness is not None), None)
        if figure is None or self.date is None:
            return ""
        return registry.missing_reports_url(
            figure.indicator, self.subdistrict.pk if self.subdistrict else None, self.date
        )

    @property
    def scope_label(self) -> str:
        return str(ScopeType.DISTRICT.label) if self.subdistrict is None else self.subdistrict.name

    @property
    def shortfall_rows(self) -> list[SubdistrictRow]:
        return [row for row in self.rows if row.short]

    @property
    def forecast_years(self) -> list[int]:
        return [f.year for f in self.forecast]

    def chart_data(self) -> dict:
        """Everything the ECharts charts draw, as plain JSON-able values (floats, ISO dates)."""

        def num(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        def targets(figure: Figure) -> list[dict]:
            return [{"label": str(t.label), "value": float(t.value), "chaoyang": t.is_chaoyang} for t in figure.targets]

        return {
            # Labels the charts print, translated here so the script holds no UI text.
            "labels": {
                "chaoyang": str(_("朝阳目标")),
                "national": str(_("国家标准")),
                "demand": str(_("学位需求")),
                "seats": str(_("学位供给")),
                "shortfall": str(_("学位缺口")),
                "unit": str(_("学位")),
            },
            "indicators": [{"code": f.indicator, "label": str(f.label), "short": f.short_label} for f in self.headline],
            "targets": {f.indicator: targets(f) for f in self.headline},
            "trend": {
                "dates": [d.isoformat() for d in self.trend_dates],
                # Each point is a school year's statistical date: both are shown.
                "points": [
                    {
                        "date": p.date.isoformat(),
                        "year": p.school_year,
                        "completeness": None if p.completeness is None else str(p.completeness),
                    }
                    for p in self.annual
                ],
                "series": {
                    code: [num(v) for v in self._trend_on_dates(code)] for code in (f.indicator for f in self.headline)
                },
            },
            "subdistricts": {
                "names": [row.name for row in self.chart_rows],
                "ids": [row.pk for row in self.chart_rows],
                "series": {
                    figure.indicator: [num(row.figures[i].value) for row in self.chart_rows]
                    for i, figure in enumerate(self.headline)
                },
                # The stored verdicts: a bar is red when its figure misses the target, which the
                # script must not guess from the (cut) value.
                "short": {
                    figure.indicator: [row.figures[i].short for row in self.chart_rows]
                    for i, figure in enumerate(self.headline)
                },
                # Gap to the main target (negative: below): the chart ranks the bars by it.
                "gaps": {
                    figure.indicator: [num(row.figures[i].gap) for row in self.chart_rows]
                    for i, figure in enumerate(self.headline)
                },
                # Beyond CHART_ALL sub-districts, which rows each indicator's chart draws (indexes
                # into the lists above): the worst, then the best; "total" says how many there are.
                "picks": self._chart_indexes(),
                "total": self.row_count,
            },
            "forecast": {
                "years": [f.year for f in self.forecast],
                "demand": [f.demand for f in self.forecast],
                "seats": [f.seats for f in self.forecast],
                "shortfall": [f.gap for f in self.forecast],
            },
        }

    def _chart_indexes(self) -> dict[str, dict[str, list[int]]]:
        index = {row.pk: i for i, row in enumerate(self.chart_rows)}
        return {
            code: {
                "worst": [index[pk] for pk in worst if pk in index],
                "best": [index[pk] for pk in best if pk in index],
            }
            for code, (worst, best) in self.chart_picks.items()
        }

    @property
    def trend_dates(self) -> list[datetime.date]:
        return sorted({d for points in self.trend.values() for d, _ in points})

    def _trend_on_dates(self, code: str) -> list[Decimal | None]:
        by_date = dict(self.trend.get(code, []))
        return [by_date.get(d) for d in self.trend_dates]


def _completeness_of(figures: list[Figure]) -> registry.Completeness | None:
    # Every report-based figure of a scope and date shares its completeness: the first one's.
    return next((f.completeness for f in figures if f.completeness is not None), None)


def targets_in_force(day: datetime.date) -> dict[str, list[Target]]:
    """Indicator → the targets in force on `day`, one per authority (the newest version wins)."""
    found: dict[str, dict[str, Target]] = defaultdict(dict)
    for target in Target.objects.in_force(day).order_by("indicator", "authority", "-valid_from"):
        found[target.indicator].setdefault(target.authority, target)
    order = {Authority.CHAOYANG: 0, Authority.NATIONAL: 1}
    return {
        indicator: sorted(by_authority.values(), key=lambda t: order.get(t.authority, 9))
        for indicator, by_authority in found.items()
    }


# Where a snapshot keeps each authority's target and its verdict.
_STORED = {Authority.CHAOYANG: ("target", "met"), Authority.NATIONAL: ("national_target", "national_met")}


def _check(indicator: str, snapshot: dict | None, target: Target) -> TargetCheck:
    """One authority's target and verdict for a snapshot: the verdict the computation stored.

    The engine decided it on the exact fraction (`reports.models.meets`); the stored target is
    shown with it, so a badge always belongs to the figure beside it. A snapshot that stored no
    target of this authority (written before the target existed, or by hand) is judged on its
    numerator and denominator by the same rule, never on its (cut) value.
    """
    target_field, met_field = _STORED.get(target.authority, (None, None))
    if snapshot is not None and target_field and snapshot.get(target_field) is not None:
        return TargetCheck(
            authority=target.authority,
            value=snapshot[target_field],
            comparison=target.comparison,
            met=snapshot[met_field],
        )
    met = None
    if snapshot is not None and snapshot["value"] is not None:
        met = target.is_met(snapshot["numerator"], snapshot["denominator"], ratio=registry.is_ratio(indicator))
    return TargetCheck(authority=target.authority, value=target.value, comparison=target.comparison, met=met)


def make_figure(indicator: str, snapshot: dict | None, targets: dict[str, list[Target]]) -> Figure:
    """A Figure from a snapshot row (as a `values()` dict) and the targets in force."""
    return Figure(
        indicator=indicator,
        numerator=snapshot["numerator"] if snapshot else None,
        denominator=snapshot["denominator"] if snapshot else None,
        value=snapshot["value"] if snapshot else None,
        has_snapshot=snapshot is not None,
        completeness=completeness_from(snapshot) if snapshot else None,
        targets=[_check(indicator, snapshot, t) for t in targets.get(indicator, [])],
    )


SNAPSHOT_FIELDS = (
    "indicator",
    "numerator",
    "denominator",
    "value",
    "target",
    "met",
    "national_target",
    "national_met",
    *COMPLETENESS_FIELDS,
)


def build_dashboard(
    *,
    user: User | SystemScope,
    subdistrict: Subdistrict | None = None,
    date: datetime.date | None = None,
    all_warnings: bool = False,
    forecast_by_subdistrict: bool = False,
    all_rows: bool = True,
) -> Dashboard:
    """Everything shown for the scope on the snapshot date (the latest one when `date` is None).

    `all_warnings` lists every warning (the PDF) instead of the first few (the page);
    `forecast_by_subdistrict` adds the report's per-sub-district forecast table; `all_rows=False`
    leaves the district's `rows` empty: the page reads one page of them (`subdistrict_page`).
    """
    snapshots = IndicatorSnapshot.objects.visible_to(user)
    scope = scope_filter(subdistrict)
    headline, others = registry.headline_codes(), registry.other_codes()

    # The trend is the annual series only (reports.annual: the school years' statistical dates);
    # the nightly snapshots are the dates one may pick, not trend points.
    annual = annual_dates()
    trend: dict[str, list[tuple[datetime.date, Decimal | None]]] = {code: [] for code in headline}
    # Each point's completeness: the one its report-based figures were computed with (they share it).
    trend_completeness: dict[datetime.date, registry.Completeness] = {}
    for row in (
        snapshots.filter(scope, indicator__in=headline, date__in=list(annual))
        .order_by("date")
        .values("date", "indicator", "value", *COMPLETENESS_FIELDS)
    ):
        trend[row["indicator"]].append((row["date"], row["value"]))
        completeness = completeness_from(row)
        if completeness is not None:
            trend_completeness.setdefault(row["date"], completeness)
    dates = snapshot_dates(user, subdistrict)
    shown = resolve_date(dates, date)
    board = Dashboard(date=shown, dates=dates, subdistrict=subdistrict, trend=trend)
    board.annual = [
        TrendPoint(date=d, school_year=annual[d].label, completeness=trend_completeness.get(d))
        for d in board.trend_dates
    ]
    board.last_run = ComputationRun.objects.order_by("-started_at").first()
    if shown is None:
        board.headline = [Figure(indicator=code) for code in headline]
        board.others = [Figure(indicator=code) for code in others]
        return board

    targets = targets_in_force(shown)
    current = {row["indicator"]: row for row in snapshots.filter(scope, date=shown).values(*SNAPSHOT_FIELDS)}
    board.headline = [make_figure(code, current.get(code), targets) for code in headline]
    board.others = [make_figure(code, current.get(code), targets) for code in others]

    warnings = EarlyWarning.objects.visible_to(user).filter(date=shown)
    if subdistrict is not None:
        warnings = warnings.filter(subdistrict=subdistrict)
    warnings = warnings.select_related("subdistrict", "kindergarten").order_by(*WARNING_ORDER[1:])
    if all_warnings:
        board.warnings = list(warnings)
        board.warning_count = len(board.warnings)
    else:
        board.warning_count = warnings.count()
        board.warnings = list(warnings[:DASHBOARD_WARNINGS])

    forecasts = SeatForecast.objects.visible_to(user).filter(date=shown)
    if subdistrict is not None:
        forecasts = forecasts.filter(subdistrict=subdistrict)
    board.forecast = [
        ForecastYear(
            year=row["year"],
            cohort=row["cohort"] or 0,
            demand=row["demand"] or 0,
            seats=row["seats"] or 0,
            # The district's shortfall is the sum of the sub-districts' gaps: a surplus in one area
            # does not fill a gap in another (children do not travel across the district).
            shortfall=row["shortfall"] or 0,
        )
        for row in forecasts.order_by("year")
        .values("year")
        .annotate(
            cohort=Sum("cohort"),
            demand=Sum("demand"),
            seats=Sum("seats"),
            shortfall=Sum("shortfall", filter=Q(shortfall__gt=0)),
        )
    ]
    if forecast_by_subdistrict and subdistrict is None:
        board.forecast_rows = _forecast_rows(forecasts, board.forecast_years)

    if subdistrict is None:
        board.targets = targets
        # The ranking the nightly job stored for the date (reports.standings), else from the snapshots.
        stored = StoredRanking(shown, targets, headline, Ranking(snapshots, shown, targets, headline))
        totals = stored.check()
        board.stored_ranking = totals is not None
        ranking = stored if totals else stored.live
        board.row_count, board.shortfall_count = totals or ranking.totals()
        if all_rows:
            board.rows = sort_rows(subdistrict_rows(board, snapshots), board.headline, "code")[0]
        board.chart_picks = {code: ranking.chart_picks(code) for code in headline}
        drawn = {pk for worst, best in board.chart_picks.values() for pk in (*worst, *best)}
        keys = [ranking.keys[pk] for pk in drawn]
        board.chart_rows = sort_rows(subdistrict_rows(board, snapshots, keys), board.headline, "")[0]
        # The seat-shortfall list reads the first forecast year with a shortfall, known from the totals.
        first_year = next((f.year for f in board.forecast if f.shortfall > 0), None)
        board.attention = attention_lists(user, shown, ranking, make_figure, targets, first_year)

    return board


def subdistrict_rows(board: Dashboard, snapshots: QuerySet, keys: Iterable[str] | None = None) -> list[SubdistrictRow]:
    """The sub-districts whose snapshots have the scope `keys` (None: every one with a snapshot on
    the board's date) with their headline figures, in no particular order."""
    headline = tuple(f.indicator for f in board.headline)
    found: dict[int, dict] = {}
    rows = snapshots.filter(date=board.date, scope_type=ScopeType.SUBDISTRICT, indicator__in=headline)
    if keys is not None:
        # By scope key: the unique (date, scope_type, scope_key, indicator) index finds the few rows.
        rows = rows.filter(scope_key__in=list(keys))
    for row in rows.order_by().values("subdistrict_id", "subdistrict__name", "subdistrict__code", *SNAPSHOT_FIELDS):
        entry = found.setdefault(
            row["subdistrict_id"],
            {"name": row["subdistrict__name"], "code": row["subdistrict__code"], "snapshots": {}},
        )
        entry["snapshots"][row["indicator"]] = row
    # One URL built, not a reverse() per row.
    missing = board.missing_url
    return [
        SubdistrictRow(
            pk=pk,
            name=entry["name"],
            code=entry["code"],
            figures=[make_figure(code, entry["snapshots"].get(code), board.targets) for code in headline],
            missing_url=f"{missing}&subdistrict={pk}" if missing else "",
        )
        for pk, entry in found.items()
        if pk is not None
    ]


def _forecast_rows(forecasts: QuerySet, years: list[int]) -> list[ForecastBySubdistrict]:
    by_subdistrict: dict[str, dict[int, int]] = {}
    for name, year, shortfall in forecasts.order_by("subdistrict__code", "year").values_list(
        "subdistrict__name", "year", "shortfall"
    ):
        by_subdistrict.setdefault(name, {})[year] = shortfall
    return [
        ForecastBySubdistrict(name=name, shortfalls=[values.get(year) for year in years])
        for name, values in by_subdistrict.items()
    ]
