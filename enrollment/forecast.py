"""Cohort forecast of the 3–5-year-old resident population per sub-district, and the seats it needs.

Method (cohort-component, "move up a year"), per sub-district:

1. Base year. The school year of the date starts in calendar year Y (``SchoolYear.start_year_for``).
   The base year B is the latest year ≤ Y for which the sub-district has resident (常住) population
   figures; figures more than ``HISTORY_YEARS`` years before Y are not read. A sub-district with no
   figures in that window gets no forecast. Ages without a figure in the base year count as 0, so
   the statistics workbook should carry ages 0–5 every year.
2. Ageing. Each year the children of age a−1 become the children of age a, multiplied by the
   sub-district's migration factor (``ForecastSetting.migration_factor``, default 1.0; above 1 means
   net in-migration): ``pop[y+1][a] = pop[y][a−1] × m`` for a = 1…5.
3. Births. Age 0 in every projected year is the mean of the last ``BIRTHS_WINDOW`` (3) recorded
   age-0 figures up to the base year (fewer if fewer are recorded). We average rather than hold the
   last year constant because a sub-district's yearly births swing by tens of percent and the
   forecast should not follow one unusual year; births are not multiplied by the migration factor
   (movers are counted when they age into the cohort).
4. Cohort. For each of the ``FORECAST_YEARS`` (5) school years after Y: cohort = ages 3 + 4 + 5,
   rounded half up to whole children.
5. Demand = cohort × the gross enrolment rate target in force on the date (Chaoyang's; the national
   standard if Chaoyang has none; 100 % if neither), rounded half up. The targets are the reports
   app's, which depends on this one: reports tells `demand_rate` how to read them at start-up.
6. Seats = approved capacity (核定学位数) of the sub-district's operating kindergartens — licensed
   ones and community points — on the date, held constant (planned kindergartens are not counted
   until they are licensed). Shortfall = demand − seats; positive means children without a place.

Decimals are kept until the end, so rounding happens once per figure. The nightly job stores the
rows as `reports.SeatForecast`; this module only computes them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from kindergartens.models import Kindergarten

from .choices import PopulationBasis
from .models import ChildPopulation, ForecastSetting, SchoolYear

FORECAST_YEARS = 5
COHORT_AGES = (3, 4, 5)
MAX_AGE = max(COHORT_AGES)
BIRTHS_WINDOW = 3
HISTORY_YEARS = 5
DEFAULT_MIGRATION_FACTOR = Decimal(1)

# Shown on the dashboard beside the forecast chart and printed in the PDF's definitions.
FORECAST_METHOD_HELP = _(
    "预测方法（队列要素法）：以统计日期所在学年起始年份及以前最近一年的常住儿童人口为基数，"
    "每年各年龄组儿童升一岁，并乘以该街道/地区的迁移系数（默认 1.0，大于 1 表示净迁入）；"
    "今后各年的新生儿数取最近三个有记录年份出生数（0 岁人口）的平均值。"
    "某年 3–5 周岁儿童之和即为预测常住适龄儿童数；学位需求 = 预测适龄儿童数 × 毛入园率目标值；"
    "学位供给 = 该街道/地区在办幼儿园（已取得办园许可的幼儿园和社区办园点）的核定学位数；"
    "学位缺口 = 需求 − 供给，正数表示学位不足。"
)


@dataclass(frozen=True)
class ForecastRow:
    """Forecast demand for places against seats in one sub-district and one future school year."""

    subdistrict_id: int
    year: int
    cohort: int
    demand: int
    seats: int

    @property
    def shortfall(self) -> int:
        return self.demand - self.seats


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


DemandRateSource = Callable[[datetime.date], Decimal]
_demand_rate_source: DemandRateSource | None = None


def read_demand_rate_from(source: DemandRateSource) -> None:
    """Where `demand_rate` reads the gross enrolment rate target in force on a date.

    Targets are models of the reports app, and reports depends on enrollment, not the other way
    round; so reports hands its reader over when the apps are ready (`ReportsConfig.ready`).
    """
    global _demand_rate_source
    _demand_rate_source = source


def demand_rate(day: datetime.date) -> Decimal:
    """The gross enrolment rate demand is planned for: the target in force on `day`."""
    if _demand_rate_source is None:
        raise ImproperlyConfigured("No demand rate source: the reports app is not installed; pass rate= instead.")
    return _demand_rate_source(day)


def operating_seats(subdistrict_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Approved capacity of operating kindergartens (licensed and community points) per sub-district."""
    rows = Kindergarten.objects.operating()
    if subdistrict_ids is not None:
        rows = rows.filter(subdistrict__in=list(subdistrict_ids))
    rows = rows.values("subdistrict").annotate(seats=Sum("approved_capacity")).order_by()
    return {row["subdistrict"]: row["seats"] or 0 for row in rows}


def project_cohorts(
    base: Mapping[int, Decimal | int],
    births: Decimal,
    factor: Decimal,
    years: int,
) -> list[Decimal]:
    """Ages 3–5 summed for each of `years` years after the base year, unrounded.

    `base` maps age (0–5) to children in the base year; `births` is age 0 in every later year.
    """
    ages = [Decimal(base.get(age, 0)) for age in range(MAX_AGE + 1)]
    cohorts: list[Decimal] = []
    for _year in range(years):
        ages = [births] + [children * factor for children in ages[:-1]]
        cohorts.append(sum((ages[age] for age in COHORT_AGES), Decimal(0)))
    return cohorts


def forecast_seats(
    day: datetime.date,
    *,
    subdistrict_ids: Iterable[int] | None = None,
    seats: Mapping[int, int] | None = None,
    rate: Decimal | None = None,
) -> list[ForecastRow]:
    """The forecast as of `day` for the next five school years, per sub-district (see module doc).

    `seats` and `rate` may be passed by a caller that has already read them (the indicator engine);
    otherwise they are read here. A handful of queries whatever the number of kindergartens.
    """
    start_year = SchoolYear.start_year_for(day)
    ids = None if subdistrict_ids is None else list(subdistrict_ids)

    population = ChildPopulation.objects.filter(
        basis=PopulationBasis.RESIDENT,
        year__gt=start_year - HISTORY_YEARS,
        year__lte=start_year,
        age__lte=MAX_AGE,
    )
    factors = ForecastSetting.objects.all()
    if ids is not None:
        population = population.filter(subdistrict__in=ids)
        factors = factors.filter(subdistrict__in=ids)
    # subdistrict -> year -> children of each age 0…MAX_AGE (None: no figure). One row per
    # sub-district and year, not per age: 200,000 rows nationally instead of 1.2 million. Read
    # through a plain cursor: the ORM's conversion of each sum took longer than the query.
    ages = {f"age_{age}": Sum("children", filter=Q(age=age)) for age in range(MAX_AGE + 1)}
    yearly = population.values("subdistrict", "year").annotate(**ages).values_list("subdistrict", "year", *ages)
    recorded: dict[int, dict[int, list[int | None]]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(*yearly.order_by().query.sql_with_params())
        for subdistrict_id, year, *children in cursor.fetchall():
            recorded[subdistrict_id][year] = children
    migration = dict(factors.values_list("subdistrict", "migration_factor"))
    if seats is None:
        seats = operating_seats(recorded.keys())
    if rate is None:
        rate = demand_rate(day)

    rows: list[ForecastRow] = []
    for subdistrict_id in sorted(recorded):
        by_year = recorded[subdistrict_id]
        base_year = max(by_year)
        recorded_births = [by_year[y][0] for y in sorted(by_year) if by_year[y][0] is not None][-BIRTHS_WINDOW:]
        births = Decimal(sum(recorded_births)) / len(recorded_births) if recorded_births else Decimal(0)
        factor = Decimal(migration.get(subdistrict_id, DEFAULT_MIGRATION_FACTOR))
        # Project through the current school year (if the base is older) and five years beyond it.
        horizon = start_year + FORECAST_YEARS - base_year
        base = {age: children for age, children in enumerate(by_year[base_year]) if children is not None}
        cohorts = project_cohorts(base, births, factor, horizon)
        for offset, cohort in enumerate(cohorts, start=1):
            year = base_year + offset
            if year <= start_year:
                continue
            rows.append(
                ForecastRow(
                    subdistrict_id=subdistrict_id,
                    year=year,
                    cohort=_whole(cohort),
                    demand=_whole(cohort * rate),
                    seats=seats.get(subdistrict_id, 0),
                )
            )
    return rows
