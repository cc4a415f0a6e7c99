"""The enrolment and registry indicators: the three 2025 targets and the figures around them.

Declared here because they count this app's data (classes, population, the forecast) and the
registry's (kindergartens, capacity); ``reports`` collects them (see `reports.registry`) and owns
the engine, the snapshots and the outputs. The codes are `EnrollmentIndicator`.

Terms, for a date D
-------------------
- School year: the one D falls in (1 September – 31 August); its start year is Y
  (``SchoolYear.start_year_for``). Classes are those recorded for school year Y.
- Population: resident (常住) children aged 3, 4 and 5 in calendar year Y (``ChildPopulation``,
  basis resident), e.g. school year 2025–26 uses population 2025.
- Operating kindergartens: ``licence_status`` licensed (已取得办园许可) or community_point
  (社区办园点). Unlicensed kindergartens (无证园) count in no target; suspended and closed ones
  count nowhere.
- Enrolled children (在园幼儿): children in small, middle, senior and mixed classes (any age) of
  operating kindergartens. Toddler classes (托班) are excluded from every ratio over enrolled
  children.
- Public kindergarten (公办园): ``sponsor_type`` in ``kindergartens.choices.PUBLIC_SPONSORS``.
- Inclusive on D (普惠): public, or ``inclusive_status`` inclusive_private with a recognition that
  covers D: ``recognition_date <= D`` and (``recognition_expiry`` empty or ``recognition_expiry > D``).
  A recognition expiring on D no longer covers D.

Indicators
----------
- ``gross_enrollment_rate`` = enrolled ÷ population 3–5. Never capped: above 100 % is reported
  as such (in-migration, children from neighbouring areas).
- ``inclusive_coverage`` = enrolled in kindergartens inclusive on D ÷ enrolled.
- ``public_share`` = enrolled in public kindergartens ÷ enrolled.
- ``seat_utilisation`` = children in all classes of operating kindergartens, toddler classes
  included (toddler classes are how the plan fills slack places, so they occupy seats) ÷ approved
  capacity (核定学位数) of the operating kindergartens that have reported for the year: one that has
  not is missing (see completeness below), not a kindergarten with empty seats.
- ``class_size_compliance`` = classes within the class-size limit in force on D for their class
  type (``ClassSizeLimit``; enrolled ≤ max_children) ÷ all classes of operating kindergartens,
  toddler classes included. A class type with no limit in force imposes none.
- ``unlicensed_open`` = number of kindergartens whose licence_status is unlicensed (target 0, "≤").
- ``forecast_shortfall`` = sum over sub-districts of the positive shortfall (demand − seats) of the
  seat forecast for school year Y+1 (``enrollment.forecast``); a surplus in one sub-district does
  not cancel a shortfall in another. No value for a sub-district without population figures.

Official figures and completeness
---------------------------------
Every figure above counts official figures only: a kindergarten-year's classes, which a
director's draft never touches (`enrollment.services.report`). A kindergarten *has reported* for
school year Y when it has classes for Y or a submitted report (`selectors.reported_q`); it *owes*
a report when it operates and has approved seats (`selectors.owing_reports`). The five figures
computed from reports (the first five above) carry their scope's `Completeness`: kindergartens
reported ÷ expected, and the approved seats of those reported ÷ those expected, and whether the
school year is still provisional (暂定: not locked by the bureau). A kindergarten that has not
reported is counted nowhere, never as zero children; it is listed as missing.

Scopes: a sub-district's kindergartens are those located in it, with its resident population. A
sponsor type's gross enrolment rate is that type's *contribution* to the district rate: its
enrolled children ÷ the whole district's population 3–5 (the types' rates add up to the
district's); its other ratios are within the type (public_share is therefore 100 % or 0 %). No
forecast_shortfall row for a sponsor type: the forecast is per sub-district. Only
``unlicensed_open`` and ``class_size_compliance`` targets bind a sponsor type.

All seven come from one source: two GROUP BY queries per (sub-district, sponsor type) over the
kindergartens (with each one's classes of the year from the table of `enrollment.day_figures`,
summed once per engine run and shared with the staff and safety sources), their group rows
summed per scope in the same statements (`reports.scopes.GroupSums.in_database`), one over the
population per sub-district, and the forecast.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, IntegerField, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from common.temp_tables import joined, temp_tables
from kindergartens.choices import PUBLIC_SPONSORS, InclusiveStatus, LicenceStatus
from kindergartens.models import Kindergarten
from reports.choices import Authority, Comparison, ScopeType
from reports.registry import (
    AREA_SCOPES,
    Completeness,
    IndicatorContext,
    IndicatorDefinition,
    IndicatorSource,
    Parts,
    Tally,
    Unit,
    register,
)
from reports.scopes import GroupSums, Scope

from .choices import EnrollmentIndicator, PopulationBasis
from .day_figures import TARGET_CLASS_TYPES, class_figures, over_limit_q
from .forecast import forecast_seats
from .models import ChildPopulation, ClassSizeLimit, SchoolYear
from .selectors import reported_q

POPULATION_BASIS = PopulationBasis.RESIDENT
COHORT_AGES = (3, 4, 5)
OPERATING_LICENCES = (LicenceStatus.LICENSED, LicenceStatus.COMMUNITY_POINT)
# The table's columns (enrollment.day_figures) the class figures add up.
YEAR_COLUMNS = ("classes", "children", "target_children", "classes_over_limit")

Code = EnrollmentIndicator


def inclusive_q(day: datetime.date, prefix: str = "") -> Q:
    """Kindergartens that count as inclusive on `day` (public, or recognised and covered)."""
    p = prefix
    recognised = Q(**{f"{p}inclusive_status": InclusiveStatus.INCLUSIVE_PRIVATE, f"{p}recognition_date__lte": day}) & (
        Q(**{f"{p}recognition_expiry__isnull": True}) | Q(**{f"{p}recognition_expiry__gt": day})
    )
    return Q(**{f"{p}sponsor_type__in": PUBLIC_SPONSORS}) | recognised


def demand_rate_from(targets) -> Decimal:
    """`enrollment.forecast.demand_rate` from targets already read (saves a query)."""
    for authority in (Authority.CHAOYANG, Authority.NATIONAL):
        target = targets.get((Code.GROSS_ENROLLMENT_RATE, authority))
        if target is not None:
            return target.value
    return Decimal(1)


# --- the source: every figure of the seven indicators for all scopes at once ------------------


@dataclass(slots=True)
class _Counts:
    """The additive figures every indicator of a scope is derived from (`CLASS_SUMS` then
    `KINDERGARTEN_SUMS`, in field order)."""

    enrolled: int = 0  # children in small/middle/senior/mixed classes of operating kindergartens
    public: int = 0  # ... of which in public kindergartens
    inclusive: int = 0  # ... of which in kindergartens inclusive on the date
    children_in_classes: int = 0  # all classes including toddler, operating kindergartens
    classes: int = 0
    classes_over_limit: int = 0
    capacity: int = 0  # approved capacity of operating kindergartens (the forecast's seats)
    reported_capacity: int = 0  # ... of those that have reported (seat utilisation's denominator)
    unlicensed: int = 0
    # Completeness: kindergartens owing a report (operating, with approved seats) and those of
    # them with official figures for the year, and their approved seats.
    expected: int = 0
    reported: int = 0
    expected_seats: int = 0
    reported_seats: int = 0

    def completeness(self, provisional: bool) -> Completeness:
        return Completeness(self.expected, self.reported, self.expected_seats, self.reported_seats, provisional)


CLASS_SUMS = ("enrolled", "public", "inclusive", "children_in_classes", "classes", "classes_over_limit")
KINDERGARTEN_SUMS = (
    "capacity",
    "reported_capacity",
    "unlicensed",
    "expected",
    "reported",
    "expected_seats",
    "reported_seats",
)


def _class_sums(context: IndicatorContext) -> GroupSums:
    """The `CLASS_SUMS` per scope: one GROUP BY per (sub-district, sponsor type) of the operating
    kindergartens, reading each one's classes of the year from the table of
    `enrollment.day_figures` (the engine's, shared with the staff and safety sources), summed per
    scope by the database (`reports.scopes.GroupSums`)."""
    kindergartens = Kindergarten.objects.filter(context.within())
    year = {name: RawSQL(f"year.{name}", (), output_field=IntegerField()) for name in YEAR_COLUMNS}
    target = "year_target_children"
    rows = (
        kindergartens.filter(licence_status__in=OPERATING_LICENCES)
        .annotate(**{f"year_{name}": column for name, column in year.items()})
        .values("subdistrict", "sponsor_type")
        .annotate(
            target=Sum(target),
            public=Sum(target, filter=Q(sponsor_type__in=PUBLIC_SPONSORS)),
            inclusive=Sum(target, filter=inclusive_q(context.day)),
            children=Sum("year_children"),
            class_count=Sum("year_classes"),
            over_count=Sum("year_classes_over_limit"),
        )
        .values_list(
            "subdistrict", "sponsor_type", "target", "public", "inclusive", "children", "class_count", "over_count"
        )
        .order_by()
    )
    with temp_tables(context.tables) as tables:
        return GroupSums.in_database(
            joined(rows, class_figures(tables, kindergartens, context.day), "year"), len(CLASS_SUMS)
        )


def _kindergarten_sums(context: IndicatorContext, start_year: int) -> GroupSums:
    """The `KINDERGARTEN_SUMS` per scope: one GROUP BY, summed per scope by the database.

    Whether a kindergarten has reported (`reported_q`: two EXISTS) is a grouping column, so it is
    decided once per kindergarten rather than once in each figure that depends on it (four times:
    4 s of 4.5 at national scale); the group rows with and without it are added up per scope.
    """
    operating = Q(licence_status__in=OPERATING_LICENCES)
    expected = operating & Q(approved_capacity__gt=0)  # selectors.owing_reports
    rows = (
        Kindergarten.objects.filter(context.within())
        .annotate(has_reported=ExpressionWrapper(reported_q(start_year), output_field=BooleanField()))
        .values("subdistrict", "sponsor_type", "has_reported")
        .annotate(
            capacity=Sum("approved_capacity", filter=operating),
            unlicensed=Count("pk", filter=Q(licence_status=LicenceStatus.UNLICENSED)),
            expected_count=Count("pk", filter=expected),
            expected_seats=Sum("approved_capacity", filter=expected),
        )
        .values_list(
            "subdistrict", "sponsor_type", "has_reported", "capacity", "unlicensed", "expected_count", "expected_seats"
        )
        .order_by()
    )
    # n0 has reported, n1 capacity, n2 unlicensed, n3 expected, n4 their seats: `KINDERGARTEN_SUMS`.
    when_reported = "CASE WHEN n0 THEN {} ELSE 0 END".format
    sums = ("n1", when_reported("n1"), "n2", "n3", when_reported("n3"), "n4", when_reported("n4"))
    return GroupSums.in_database(rows, 5, sums=sums)


def _population(context: IndicatorContext, start_year: int) -> dict[int, int]:
    """One GROUP BY query: resident children aged 3–5 in year Y per sub-district."""
    rows = ChildPopulation.objects.filter(basis=POPULATION_BASIS, year=start_year, age__in=COHORT_AGES)
    if context.only is not None and context.only.type == ScopeType.SUBDISTRICT:
        rows = rows.filter(subdistrict=context.only.subdistrict_id)
    rows = rows.values("subdistrict").annotate(children=Sum("children")).order_by()
    return {row["subdistrict"]: row["children"] or 0 for row in rows}


def _next_year_shortfalls(context: IndicatorContext, start_year: int, seats: dict[int, int]) -> dict[int, int]:
    """Shortfall of the forecast for school year Y+1 per sub-district (negative = surplus)."""
    forecast = context.forecast
    if forecast is None:
        ids = None
        if context.only is not None and context.only.type == ScopeType.SUBDISTRICT:
            ids = [context.only.subdistrict_id]
        rate = demand_rate_from(context.targets)
        forecast = forecast_seats(context.day, subdistrict_ids=ids, seats=seats, rate=rate)
    return {row.subdistrict_id: row.shortfall for row in forecast if row.year == start_year + 1}


def _tallies(counts: _Counts, population: int, shortfall: int | None, provisional: bool) -> dict[str, Tally]:
    """The seven indicators of one scope from its counts (the shortfall is left out for sponsor types).

    The five computed from the kindergartens' reports carry the scope's completeness.
    """
    done = counts.completeness(provisional)
    return {
        Code.GROSS_ENROLLMENT_RATE: Tally(counts.enrolled, population, completeness=done),
        Code.INCLUSIVE_COVERAGE: Tally(counts.inclusive, counts.enrolled, completeness=done),
        Code.PUBLIC_SHARE: Tally(counts.public, counts.enrolled, completeness=done),
        # Over the seats of the kindergartens that reported: one that has not is missing, not empty.
        Code.SEAT_UTILISATION: Tally(counts.children_in_classes, counts.reported_capacity, completeness=done),
        Code.CLASS_SIZE_COMPLIANCE: Tally(
            counts.classes - counts.classes_over_limit, counts.classes, completeness=done
        ),
        Code.UNLICENSED_OPEN: Tally(counts.unlicensed),
        Code.FORECAST_SHORTFALL: Tally(shortfall or 0, known=shortfall is not None),
    }


def compute_enrollment_figures(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    """The source's function: every scope's seven figures from the grouped queries above."""
    start_year = SchoolYear.start_year_for(context.day)
    classes = _class_sums(context)
    kindergartens = _kindergarten_sums(context, start_year)
    population = _population(context, start_year)
    # Provisional (暂定) until the bureau locks the school year after checking it.
    provisional = not SchoolYear.objects.filter(start_year=start_year, locked=True).exists()
    district_population = sum(population.values())

    shortfalls: dict[int, int] = {}
    if context.wants(ScopeType.DISTRICT) or context.wants(ScopeType.SUBDISTRICT):
        capacity = KINDERGARTEN_SUMS.index("capacity")
        seats = {subdistrict_id: sums[capacity] for subdistrict_id, sums in kindergartens.by_subdistrict.items()}
        shortfalls = _next_year_shortfalls(context, start_year, seats)

    figures: dict[Scope, dict[str, Tally]] = {}
    for scope in context.scopes:
        counts = _Counts(*classes.of(scope), *kindergartens.of(scope))
        if scope.type == ScopeType.DISTRICT:
            total = sum(max(0, s) for s in shortfalls.values()) if shortfalls else None
            figures[scope] = _tallies(counts, district_population, total, provisional)
        elif scope.type == ScopeType.SUBDISTRICT:
            shortfall = shortfalls.get(scope.subdistrict_id)
            figures[scope] = _tallies(
                counts,
                population.get(scope.subdistrict_id, 0),
                None if shortfall is None else max(0, shortfall),
                provisional,
            )
        else:
            # A sponsor type's rate is its contribution to the district's: over the whole population.
            figures[scope] = _tallies(counts, district_population, None, provisional)
    return figures


# --- the drill-down: the kindergartens behind a figure ---------------------------------------


def annotated_kindergartens(scope: Scope, day: datetime.date) -> QuerySet[Kindergarten]:
    """The scope's kindergartens annotated with what each contributes, in one GROUP BY.

    ``enrolled_children`` (target classes), ``children_in_classes`` (all classes), ``class_count``,
    ``classes_over_limit`` and ``counts_as_inclusive``; no per-row queries.
    """
    start_year = SchoolYear.start_year_for(day)
    queryset = Kindergarten.objects.select_related("subdistrict")
    if scope.type == ScopeType.SUBDISTRICT:
        queryset = queryset.filter(subdistrict=scope.subdistrict_id)
    elif scope.type == ScopeType.OWNERSHIP:
        queryset = queryset.filter(sponsor_type=scope.key)
    this_year = Q(classes__school_year__start_year=start_year)
    return queryset.annotate(
        enrolled_children=Coalesce(
            Sum("classes__enrolled", filter=this_year & Q(classes__class_type__in=TARGET_CLASS_TYPES)), 0
        ),
        children_in_classes=Coalesce(Sum("classes__enrolled", filter=this_year), 0),
        class_count=Count("classes", filter=this_year),
        classes_over_limit=Count(
            "classes", filter=this_year & over_limit_q(ClassSizeLimit.objects.limits_on(day), "classes__")
        ),
        counts_as_inclusive=ExpressionWrapper(inclusive_q(day), output_field=BooleanField()),
        # No official figures for the year: shown as missing (未报送), not as 0 children.
        has_reported=ExpressionWrapper(reported_q(start_year), output_field=BooleanField()),
    )


def _operating(scope: Scope, day: datetime.date) -> QuerySet[Kindergarten]:
    """Enrolment, inclusive, public and seat figures: the scope's operating kindergartens."""
    return (
        annotated_kindergartens(scope, day)
        .filter(licence_status__in=OPERATING_LICENCES)
        .order_by("subdistrict__code", "code")
    )


def _with_classes(scope: Scope, day: datetime.date) -> QuerySet[Kindergarten]:
    """Class-size compliance: the scope's operating kindergartens that have classes this year."""
    return _operating(scope, day).filter(class_count__gt=0)


def _unlicensed(scope: Scope, day: datetime.date) -> QuerySet[Kindergarten]:
    return (
        annotated_kindergartens(scope, day)
        .filter(licence_status=LicenceStatus.UNLICENSED)
        .order_by("subdistrict__code", "code")
    )


def _short_of_seats(scope: Scope, day: datetime.date) -> QuerySet[Kindergarten]:
    """Operating kindergartens of the scope's sub-districts short of seats next year."""
    start_year = SchoolYear.start_year_for(day)
    ids = [scope.subdistrict_id] if scope.type == ScopeType.SUBDISTRICT else None
    short = {
        row.subdistrict_id
        for row in forecast_seats(day, subdistrict_ids=ids)
        if row.year == start_year + 1 and row.shortfall > 0
    }
    return _operating(scope, day).filter(subdistrict__in=short)


# --- the declarations ------------------------------------------------------------------------

INDICATORS = (
    IndicatorDefinition(
        code=Code.GROSS_ENROLLMENT_RATE,
        label=_("学前三年毛入园率"),
        short_label=_("毛入园率"),
        unit=Unit.RATIO,
        direction=Comparison.AT_LEAST,
        headline=True,
        population_basis=POPULATION_BASIS,
        numerator_label=_("在园幼儿"),
        denominator_label=_("3–5 岁常住儿童"),
        kindergartens=_operating,
        definition=_(
            "在园幼儿数 ÷ 学年起始年份 3–5 周岁常住儿童数。在园幼儿指已取得办园许可的幼儿园和社区办园点"
            "小班、中班、大班、混合班的幼儿（不限年龄），不含托班幼儿，不含无证园幼儿。毛入园率可超过 100%，"
            "不作截顶。按举办者类型统计时以全区 3–5 周岁常住儿童数为分母，即该类型对全区毛入园率的贡献。"
        ),
    ),
    IndicatorDefinition(
        code=Code.INCLUSIVE_COVERAGE,
        label=_("普惠性幼儿园覆盖率"),
        short_label=_("普惠覆盖率"),
        unit=Unit.RATIO,
        direction=Comparison.AT_LEAST,
        headline=True,
        numerator_label=_("普惠性幼儿园在园幼儿"),
        denominator_label=_("在园幼儿"),
        kindergartens=_operating,
        parts=Parts(Q(counts_as_inclusive=True), _("普惠性幼儿园"), _("非普惠性幼儿园")),
        definition=_(
            "（公办园在园幼儿 + 普惠性民办园在园幼儿）÷ 在园幼儿数。民办园仅在认定日期不晚于统计日期、"
            "且有效期晚于统计日期（或未设有效期）时计为普惠性民办园。"
        ),
    ),
    IndicatorDefinition(
        code=Code.PUBLIC_SHARE,
        label=_("公办园在园幼儿占比"),
        short_label=_("公办占比"),
        unit=Unit.RATIO,
        direction=Comparison.AT_LEAST,
        headline=True,
        numerator_label=_("公办园在园幼儿"),
        denominator_label=_("在园幼儿"),
        kindergartens=_operating,
        parts=Parts(Q(sponsor_type__in=PUBLIC_SPONSORS), _("公办园"), _("民办园")),
        definition=_(
            "公办园在园幼儿 ÷ 在园幼儿数。公办园指教育部门、其他机关事业单位、国有企业、部队、街道/乡镇"
            "或农村集体举办的幼儿园。"
        ),
    ),
    IndicatorDefinition(
        code=Code.SEAT_UTILISATION,
        label=_("学位使用率"),
        short_label=_("学位使用率"),
        unit=Unit.RATIO,
        direction=Comparison.AT_LEAST,
        order=10,
        numerator_label=_("在园幼儿"),
        denominator_label=_("核定学位"),
        kindergartens=_operating,
        definition=_(
            "在办幼儿园（已取得办园许可的幼儿园和社区办园点）全部班级（含托班）在班幼儿数 ÷ 已报送本学年"
            "数据的在办幼儿园核定学位数之和；尚未报送的幼儿园不计入分子和分母，列为未报送（见报送完整度）。"
        ),
    ),
    IndicatorDefinition(
        code=Code.CLASS_SIZE_COMPLIANCE,
        label=_("班额达标率"),
        short_label=_("班额达标率"),
        unit=Unit.RATIO,
        direction=Comparison.AT_LEAST,
        binds_parts=True,
        order=20,
        numerator_label=_("班额达标班级"),
        denominator_label=_("班级总数"),
        kindergartens=_with_classes,
        parts=Parts(Q(classes_over_limit=0), _("班额全部达标"), _("有超班额班级")),
        definition=_("班额不超过统计日期有效班额标准的班级数 ÷ 在办幼儿园本学年全部班级数（含托班）。"),
    ),
    IndicatorDefinition(
        code=Code.UNLICENSED_OPEN,
        label=_("未清理无证园数"),
        short_label=_("无证园"),
        unit=Unit.COUNT,
        direction=Comparison.AT_MOST,
        binds_parts=True,
        order=30,
        kindergartens=_unlicensed,
        lists_figures=False,
        definition=_("办园许可状态为“无证园”的幼儿园数，目标为 0。"),
    ),
    IndicatorDefinition(
        code=Code.FORECAST_SHORTFALL,
        label=_("预测学位缺口"),
        short_label=_("预测缺口"),
        # Shown under the dashboard's tile: the unit and which year the gap is for.
        numerator_label=_("个学位 · 下一学年"),
        unit=Unit.COUNT,
        direction=Comparison.AT_MOST,
        scopes=AREA_SCOPES,
        order=50,
        kindergartens=_short_of_seats,
        definition=_(
            "下一学年各街道/地区预测学位缺口之和（学位需求 − 学位供给，只计正数）；"
            "学位需求 = 预测 3–5 周岁常住儿童数 × 毛入园率目标值。"
        ),
    ),
)


def missing_reports_url(subdistrict_id: int | None, day: datetime.date) -> str:
    """The submission tracker filtered to the scope's kindergartens without official figures."""
    query = {"year": SchoolYear.start_year_for(day), "status": "no_figures"}  # filtersets.TrackerStatus
    if subdistrict_id is not None:
        query["subdistrict"] = subdistrict_id
    return f"{reverse('enrollment:tracker')}?{urlencode(query)}"


SOURCE = register(
    IndicatorSource(indicators=INDICATORS, compute=compute_enrollment_figures, missing_url=missing_reports_url)
)
