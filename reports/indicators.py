"""The indicator engine: every formula behind the portal's indicators, in one module (domain.md §1).

The dashboard, the API (through the nightly snapshots), the PDF report and the management command
all read their figures from here, so a definition changes in one place only.

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
  capacity (核定学位数) of all operating kindergartens, whether or not they have reported classes.
- ``class_size_compliance`` = classes within the class-size limit in force on D for their class
  type (``ClassSizeLimit``; enrolled ≤ max_children) ÷ all classes of operating kindergartens,
  toddler classes included. A class type with no limit in force imposes none.
- ``unlicensed_open`` = number of kindergartens whose licence_status is unlicensed (target 0, "≤").
- ``forecast_shortfall`` = sum over sub-districts of the positive shortfall (demand − seats) of the
  seat forecast for school year Y+1 (``enrollment.forecast``); a surplus in one sub-district does
  not cancel a shortfall in another. No value for a sub-district without population figures.
- ``unlicensed_open_cases`` = unlicensed kindergartens' cases (``inspections.UnlicensedCase``) of the
  scope still open on D: discovered on or before D and, on D, not yet closed or converted — status
  in ``OPEN_UNLICENSED_STATUSES``, or closed/converted only after D (``resolved_on > D``), so a
  recomputed past date counts what was open then (target 0, "≤": the "dynamic zero"). District
  and sub-district scopes only: a case belongs to a sub-district, not to a sponsor type.

A ratio whose denominator is 0 has no value (None, shown "—") and is neither met nor missed.

Scopes
------
- district (全区): every kindergarten and all sub-districts' population.
- subdistrict (街道/地区, key = statistical code): kindergartens located in the sub-district and its
  resident population.
- ownership (举办者类型, key = sponsor type code): the kindergartens of one sponsor type. Its gross
  enrolment rate is that type's *contribution* to the district rate: its enrolled children ÷ the
  whole district's population 3–5 (the types' rates add up to the district's). Its other ratios
  are within the type (public_share is therefore 100 % or 0 %). No forecast_shortfall row: the
  forecast is per sub-district, not per sponsor.

Targets
-------
From ``Target.objects.in_force(D)``, the latest version per (indicator, authority): ``target`` and
``met`` are Chaoyang's (朝阳区行动计划), ``national_target``/``national_met`` the national county
standard's. District and sub-district scopes carry every target; ownership scopes only those that
bind each part (``unlicensed_open``, ``class_size_compliance``): a sponsor type is not expected to
reach a 90 % enrolment rate on its own.

Every figure comes from a fixed handful of GROUP BY queries covering all scopes at once; the
per-scope work in Python is over at most (sub-districts × sponsor types) group rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from common.gc import gc_paused
from enrollment.choices import ClassType, PopulationBasis
from enrollment.forecast import ForecastRow, forecast_seats
from enrollment.models import ChildPopulation, ClassSizeLimit, SchoolClass, SchoolYear
from inspections.choices import OPEN_UNLICENSED_STATUSES
from inspections.models import UnlicensedCase
from kindergartens.choices import PUBLIC_SPONSORS, InclusiveStatus, LicenceStatus, SponsorType
from kindergartens.models import Kindergarten, Subdistrict

from .choices import Authority, Indicator, ScopeType
from .models import IndicatorSnapshot, Target

POPULATION_BASIS = PopulationBasis.RESIDENT
COHORT_AGES = (3, 4, 5)
OPERATING_LICENCES = (LicenceStatus.LICENSED, LicenceStatus.COMMUNITY_POINT)
TARGET_CLASS_TYPES = (ClassType.SMALL, ClassType.MIDDLE, ClassType.SENIOR, ClassType.MIXED)
DISTRICT_KEY = "district"
VALUE_PLACES = Decimal("0.000001")

RATIO_INDICATORS = frozenset(
    {
        Indicator.GROSS_ENROLLMENT_RATE,
        Indicator.INCLUSIVE_COVERAGE,
        Indicator.PUBLIC_SHARE,
        Indicator.SEAT_UTILISATION,
        Indicator.CLASS_SIZE_COMPLIANCE,
    }
)
COUNT_INDICATORS = frozenset({Indicator.UNLICENSED_OPEN, Indicator.FORECAST_SHORTFALL, Indicator.UNLICENSED_OPEN_CASES})
# Targets that bind every part of the district, including one sponsor type's kindergartens.
PART_TARGETED = frozenset({Indicator.UNLICENSED_OPEN, Indicator.CLASS_SIZE_COMPLIANCE})

# The definitions in Chinese, for the dashboard's help and the PDF's definitions page.
INDICATOR_DEFINITIONS = {
    Indicator.GROSS_ENROLLMENT_RATE: _(
        "在园幼儿数 ÷ 学年起始年份 3–5 周岁常住儿童数。在园幼儿指已取得办园许可的幼儿园和社区办园点"
        "小班、中班、大班、混合班的幼儿（不限年龄），不含托班幼儿，不含无证园幼儿。毛入园率可超过 100%，"
        "不作截顶。按举办者类型统计时以全区 3–5 周岁常住儿童数为分母，即该类型对全区毛入园率的贡献。"
    ),
    Indicator.INCLUSIVE_COVERAGE: _(
        "（公办园在园幼儿 + 普惠性民办园在园幼儿）÷ 在园幼儿数。民办园仅在认定日期不晚于统计日期、"
        "且有效期晚于统计日期（或未设有效期）时计为普惠性民办园。"
    ),
    Indicator.PUBLIC_SHARE: _(
        "公办园在园幼儿 ÷ 在园幼儿数。公办园指教育部门、其他机关事业单位、国有企业、部队、街道/乡镇"
        "或农村集体举办的幼儿园。"
    ),
    Indicator.SEAT_UTILISATION: _(
        "在办幼儿园（已取得办园许可的幼儿园和社区办园点）全部班级（含托班）在班幼儿数 ÷ 这些幼儿园的"
        "核定学位数之和；尚未报送班级的在办幼儿园，其学位仍计入分母。"
    ),
    Indicator.CLASS_SIZE_COMPLIANCE: _(
        "班额不超过统计日期有效班额标准的班级数 ÷ 在办幼儿园本学年全部班级数（含托班）。"
    ),
    Indicator.UNLICENSED_OPEN: _("办园许可状态为“无证园”的幼儿园数，目标为 0。"),
    Indicator.FORECAST_SHORTFALL: _(
        "下一学年各街道/地区预测学位缺口之和（学位需求 − 学位供给，只计正数）；"
        "学位需求 = 预测 3–5 周岁常住儿童数 × 毛入园率目标值。"
    ),
    Indicator.UNLICENSED_OPEN_CASES: _(
        "统计日期仍未办结的无证园案件数：发现日期不晚于统计日期，且在统计日期尚未关停或转为合规"
        "（状态为已发现、已责令关停或已责令整改转型，或办结日期晚于统计日期）。目标为 0（动态清零）。"
        "只按全区和街道/地区统计。"
    ),
}
ZERO_DENOMINATOR_HELP = _("分母为 0 时不计算指标值，显示为“—”。")


@dataclass(frozen=True)
class Scope:
    """What an indicator is computed over: the district, one sub-district or one sponsor type."""

    type: str
    key: str
    label: str
    subdistrict_id: int | None = None

    @classmethod
    def district(cls) -> Scope:
        return cls(ScopeType.DISTRICT, DISTRICT_KEY, str(_("全区")))

    @classmethod
    def of_subdistrict(cls, subdistrict: Subdistrict) -> Scope:
        return cls(ScopeType.SUBDISTRICT, subdistrict.code, subdistrict.name, subdistrict.pk)

    @classmethod
    def of_sponsor_type(cls, sponsor_type: str) -> Scope:
        sponsor = SponsorType(sponsor_type)
        return cls(ScopeType.OWNERSHIP, sponsor.value, str(sponsor.label))


def scope_from_key(scope_type: str, scope_key: str) -> Scope:
    """The scope a (scope_type, scope_key) pair names, as stored on snapshots. LookupError if none."""
    if scope_type == ScopeType.DISTRICT:
        return Scope.district()
    if scope_type == ScopeType.SUBDISTRICT:
        try:
            return Scope.of_subdistrict(Subdistrict.objects.get(code=scope_key))
        except Subdistrict.DoesNotExist as exc:
            raise LookupError(scope_key) from exc
    if scope_type == ScopeType.OWNERSHIP and scope_key in SponsorType.values:
        return Scope.of_sponsor_type(scope_key)
    raise LookupError(f"{scope_type}:{scope_key}")


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator for one scope on one date: the figures behind it and how it compares."""

    scope: Scope
    indicator: str
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    target: Decimal | None
    met: bool | None
    national_target: Decimal | None
    national_met: bool | None
    comparison: str | None = None
    population_basis: str = ""

    @property
    def scope_type(self) -> str:
        return self.scope.type

    @property
    def scope_key(self) -> str:
        return self.scope.key

    @property
    def scope_label(self) -> str:
        return self.scope.label

    @property
    def subdistrict_id(self) -> int | None:
        return self.scope.subdistrict_id

    @property
    def indicator_label(self) -> str:
        return str(Indicator(self.indicator).label)

    @property
    def is_ratio(self) -> bool:
        return self.indicator in RATIO_INDICATORS

    def to_snapshot(self, day: datetime.date) -> IndicatorSnapshot:
        return IndicatorSnapshot(
            date=day,
            scope_type=self.scope.type,
            scope_key=self.scope.key,
            subdistrict_id=self.scope.subdistrict_id,
            indicator=self.indicator,
            numerator=self.numerator,
            denominator=self.denominator,
            value=self.value,
            target=self.target,
            met=self.met,
            national_target=self.national_target,
            national_met=self.national_met,
            population_basis=self.population_basis,
        )


def format_indicator_value(indicator: str, value: Decimal | None) -> str:
    """A value as people read it: a percentage with one decimal for ratios, a whole number for counts."""
    if value is None:
        return "—"
    from .templatetags.report_format import count, percent

    # The same cut-not-rounded rule as the dashboard and PDF: 89.96 % never prints as 90.0 %.
    return percent(value) if indicator in RATIO_INDICATORS else count(value.to_integral_value())


@dataclass(slots=True)
class _Counts:
    """The additive figures every indicator of a scope is derived from."""

    enrolled: int = 0  # children in small/middle/senior/mixed classes of operating kindergartens
    public: int = 0  # ... of which in public kindergartens
    inclusive: int = 0  # ... of which in kindergartens inclusive on the date
    children_in_classes: int = 0  # all classes including toddler, operating kindergartens
    classes: int = 0
    classes_over_limit: int = 0
    capacity: int = 0  # approved capacity of operating kindergartens
    unlicensed: int = 0


@dataclass
class _Totals:
    """`_Counts` summed per sub-district, per sponsor type and for the whole district."""

    by_subdistrict: dict[int, _Counts] = field(default_factory=lambda: defaultdict(_Counts))
    by_sponsor: dict[str, _Counts] = field(default_factory=lambda: defaultdict(_Counts))
    district: _Counts = field(default_factory=_Counts)

    def of(self, subdistrict_id: int, sponsor_type: str) -> tuple[_Counts, _Counts, _Counts]:
        """The three totals one (sub-district, sponsor type) group adds to."""
        return self.by_subdistrict[subdistrict_id], self.by_sponsor[sponsor_type], self.district


def inclusive_q(day: datetime.date, prefix: str = "") -> Q:
    """Kindergartens that count as inclusive on `day` (public, or recognised and covered)."""
    p = prefix
    recognised = Q(**{f"{p}inclusive_status": InclusiveStatus.INCLUSIVE_PRIVATE, f"{p}recognition_date__lte": day}) & (
        Q(**{f"{p}recognition_expiry__isnull": True}) | Q(**{f"{p}recognition_expiry__gt": day})
    )
    return Q(**{f"{p}sponsor_type__in": PUBLIC_SPONSORS}) | recognised


def class_size_limits(day: datetime.date) -> dict[str, int]:
    """The class-size limit in force on `day` per class type (the latest version wins)."""
    limits: dict[str, int] = {}
    in_force = ClassSizeLimit.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
    ).order_by("class_type", "-valid_from")
    for class_type, max_children in in_force.values_list("class_type", "max_children"):
        limits.setdefault(class_type, max_children)
    return limits


def _over_limit_q(limits: dict[str, int], prefix: str = "") -> Q:
    """Classes above the limit for their type; never true for a type without a limit."""
    # A primary key is never NULL: the neutral start of the OR, valid even with no limits at all.
    q = Q(**{f"{prefix}pk__isnull": True})
    for class_type, max_children in limits.items():
        q |= Q(**{f"{prefix}class_type": class_type, f"{prefix}enrolled__gt": max_children})
    return q


def targets_in_force(day: datetime.date) -> dict[tuple[str, str], Target]:
    """The target in force on `day` per (indicator, authority): the latest version of each."""
    found: dict[tuple[str, str], Target] = {}
    for target in Target.objects.in_force(day).order_by("indicator", "authority", "-valid_from"):
        found.setdefault((target.indicator, target.authority), target)
    return found


def _ratio(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


class _Engine:
    """Reads the grouped figures once and turns them into indicator values for the wanted scopes."""

    def __init__(self, day: datetime.date, scope: Scope | None, forecast: Sequence[ForecastRow] | None) -> None:
        self.day = day
        self.start_year = SchoolYear.start_year_for(day)
        self.scope = scope
        self.forecast = forecast

    # --- queries -------------------------------------------------------------------------------

    def _kindergarten_filter(self, prefix: str) -> Q:
        if self.scope is None or self.scope.type == ScopeType.DISTRICT:
            return Q()
        if self.scope.type == ScopeType.SUBDISTRICT:
            return Q(**{f"{prefix}subdistrict": self.scope.subdistrict_id})
        return Q(**{f"{prefix}sponsor_type": self.scope.key})

    def _group_counts(self, limits: dict[str, int]) -> _Totals:
        """Two GROUP BY queries: classes and kindergartens per (sub-district, sponsor type).

        Each group row is added straight into its sub-district's, its sponsor type's and the
        district's totals: at national scale there are some 130,000 group rows, and summing them
        field by field in one pass (tuples, no per-group objects) keeps the Python side well below
        the database's.
        """
        totals = _Totals()
        in_target = Q(class_type__in=TARGET_CLASS_TYPES)
        classes = (
            SchoolClass.objects.filter(
                self._kindergarten_filter("kindergarten__"),
                school_year__start_year=self.start_year,
                kindergarten__licence_status__in=OPERATING_LICENCES,
            )
            .values("kindergarten__subdistrict", "kindergarten__sponsor_type")
            .annotate(
                # Annotation names differ from field names: Django would read "enrolled" as the alias.
                target_children=Sum("enrolled", filter=in_target),
                inclusive_children=Sum("enrolled", filter=in_target & inclusive_q(self.day, "kindergarten__")),
                all_children=Sum("enrolled"),
                class_count=Count("pk"),
                over_count=Count("pk", filter=_over_limit_q(limits)),
            )
            .values_list(
                "kindergarten__subdistrict",
                "kindergarten__sponsor_type",
                "target_children",
                "inclusive_children",
                "all_children",
                "class_count",
                "over_count",
            )
            .order_by()
        )
        for subdistrict_id, sponsor_type, enrolled, inclusive, children, class_count, over_count in classes:
            enrolled, inclusive, children = enrolled or 0, inclusive or 0, children or 0
            public = enrolled if sponsor_type in PUBLIC_SPONSORS else 0
            for counts in totals.of(subdistrict_id, sponsor_type):
                counts.enrolled += enrolled
                counts.public += public
                counts.inclusive += inclusive
                counts.children_in_classes += children
                counts.classes += class_count
                counts.classes_over_limit += over_count
        kindergartens = (
            Kindergarten.objects.filter(self._kindergarten_filter(""))
            .values("subdistrict", "sponsor_type")
            .annotate(
                capacity=Sum("approved_capacity", filter=Q(licence_status__in=OPERATING_LICENCES)),
                unlicensed=Count("pk", filter=Q(licence_status=LicenceStatus.UNLICENSED)),
            )
            .values_list("subdistrict", "sponsor_type", "capacity", "unlicensed")
            .order_by()
        )
        for subdistrict_id, sponsor_type, capacity, unlicensed in kindergartens:
            capacity = capacity or 0
            for counts in totals.of(subdistrict_id, sponsor_type):
                counts.capacity += capacity
                counts.unlicensed += unlicensed
        return totals

    def _population(self) -> dict[int, int]:
        """One GROUP BY query: resident children aged 3–5 in year Y per sub-district."""
        rows = ChildPopulation.objects.filter(basis=POPULATION_BASIS, year=self.start_year, age__in=COHORT_AGES)
        if self.scope is not None and self.scope.type == ScopeType.SUBDISTRICT:
            rows = rows.filter(subdistrict=self.scope.subdistrict_id)
        rows = rows.values("subdistrict").annotate(children=Sum("children")).order_by()
        return {row["subdistrict"]: row["children"] or 0 for row in rows}

    def _next_year_shortfalls(self, seats: dict[int, int], targets: dict[tuple[str, str], Target]) -> dict[int, int]:
        """Shortfall of the forecast for school year Y+1 per sub-district (negative = surplus)."""
        forecast = self.forecast
        if forecast is None:
            ids = None
            if self.scope is not None and self.scope.type == ScopeType.SUBDISTRICT:
                ids = [self.scope.subdistrict_id]
            rate = demand_rate_from(targets)
            forecast = forecast_seats(self.day, subdistrict_ids=ids, seats=seats, rate=rate)
        return {row.subdistrict_id: row.shortfall for row in forecast if row.year == self.start_year + 1}

    def _open_unlicensed_cases(self) -> dict[int, int]:
        """One GROUP BY query: unlicensed kindergartens' cases still open on the date, per sub-district."""
        still_open = Q(status__in=OPEN_UNLICENSED_STATUSES) | Q(resolved_on__gt=self.day)
        rows = UnlicensedCase.objects.filter(still_open, discovered_on__lte=self.day)
        if self.scope is not None and self.scope.type == ScopeType.SUBDISTRICT:
            rows = rows.filter(subdistrict=self.scope.subdistrict_id)
        rows = rows.values("subdistrict").annotate(cases=Count("pk")).values_list("subdistrict", "cases").order_by()
        return dict(rows)

    # --- assembly ------------------------------------------------------------------------------

    def values(self) -> list[IndicatorValue]:
        with gc_paused():
            return self._values()

    def _values(self) -> list[IndicatorValue]:
        limits = class_size_limits(self.day)
        targets = targets_in_force(self.day)
        totals = self._group_counts(limits)
        population = self._population()
        by_subdistrict, by_sponsor, district = totals.by_subdistrict, totals.by_sponsor, totals.district
        district_population = sum(population.values())

        wanted = self.scope.type if self.scope is not None else None
        shortfalls: dict[int, int] = {}
        open_cases: dict[int, int] = {}
        if wanted != ScopeType.OWNERSHIP:
            seats = {subdistrict_id: counts.capacity for subdistrict_id, counts in by_subdistrict.items()}
            shortfalls = self._next_year_shortfalls(seats, targets)
            open_cases = self._open_unlicensed_cases()

        results: list[IndicatorValue] = []
        if wanted in (None, ScopeType.DISTRICT):
            total_shortfall = sum(max(0, s) for s in shortfalls.values()) if shortfalls else None
            results += _scope_values(
                Scope.district(),
                district,
                district_population,
                total_shortfall,
                targets,
                include_forecast=True,
                open_cases=sum(open_cases.values()),
            )
        if wanted in (None, ScopeType.SUBDISTRICT):
            if self.scope is not None:
                scopes = [self.scope]
            else:
                scopes = [
                    Scope(ScopeType.SUBDISTRICT, code, name, pk)
                    for pk, code, name in Subdistrict.objects.order_by("code").values_list("pk", "code", "name")
                ]
            for scope in scopes:
                shortfall = shortfalls.get(scope.subdistrict_id)
                results += _scope_values(
                    scope,
                    by_subdistrict.get(scope.subdistrict_id, _Counts()),
                    population.get(scope.subdistrict_id, 0),
                    None if shortfall is None else max(0, shortfall),
                    targets,
                    include_forecast=True,
                    open_cases=open_cases.get(scope.subdistrict_id, 0),
                )
        if wanted in (None, ScopeType.OWNERSHIP):
            scopes = [self.scope] if self.scope is not None else [Scope.of_sponsor_type(s) for s in SponsorType.values]
            for scope in scopes:
                results += _scope_values(
                    scope,
                    by_sponsor.get(scope.key, _Counts()),
                    district_population,
                    None,
                    targets,
                    include_forecast=False,
                )
        return results


def demand_rate_from(targets: dict[tuple[str, str], Target]) -> Decimal:
    """`enrollment.forecast.demand_rate` from targets already read (saves a query)."""
    for authority in (Authority.CHAOYANG, Authority.NATIONAL):
        target = targets.get((Indicator.GROSS_ENROLLMENT_RATE, authority))
        if target is not None:
            return target.value
    return Decimal(1)


def _scope_values(
    scope: Scope,
    counts: _Counts,
    population: int,
    shortfall: int | None,
    targets: dict[tuple[str, str], Target],
    *,
    include_forecast: bool,
    open_cases: int | None = None,
) -> list[IndicatorValue]:
    """The eight indicators (six for an ownership scope) of one scope from its counts.

    `open_cases` is None where the scope has no open-cases row (sponsor types)."""
    within = counts.classes - counts.classes_over_limit
    figures: list[tuple[str, int, int | None, Decimal | None]] = [
        (Indicator.GROSS_ENROLLMENT_RATE, counts.enrolled, population, _ratio(counts.enrolled, population)),
        (Indicator.INCLUSIVE_COVERAGE, counts.inclusive, counts.enrolled, _ratio(counts.inclusive, counts.enrolled)),
        (Indicator.PUBLIC_SHARE, counts.public, counts.enrolled, _ratio(counts.public, counts.enrolled)),
        (
            Indicator.SEAT_UTILISATION,
            counts.children_in_classes,
            counts.capacity,
            _ratio(counts.children_in_classes, counts.capacity),
        ),
        (Indicator.CLASS_SIZE_COMPLIANCE, within, counts.classes, _ratio(within, counts.classes)),
        (Indicator.UNLICENSED_OPEN, counts.unlicensed, None, Decimal(counts.unlicensed)),
    ]
    if include_forecast:
        figures.append(
            (Indicator.FORECAST_SHORTFALL, shortfall or 0, None, None if shortfall is None else Decimal(shortfall))
        )
    if open_cases is not None:
        figures.append((Indicator.UNLICENSED_OPEN_CASES, open_cases, None, Decimal(open_cases)))
    values = []
    for indicator, numerator, denominator, value in figures:
        binding = scope.type != ScopeType.OWNERSHIP or indicator in PART_TARGETED
        chaoyang = targets.get((indicator, Authority.CHAOYANG)) if binding else None
        national = targets.get((indicator, Authority.NATIONAL)) if binding else None
        values.append(
            IndicatorValue(
                scope=scope,
                indicator=indicator,
                numerator=Decimal(numerator),
                denominator=None if denominator is None else Decimal(denominator),
                value=value,
                target=chaoyang.value if chaoyang else None,
                met=chaoyang.is_met(value) if chaoyang else None,
                national_target=national.value if national else None,
                national_met=national.is_met(value) if national else None,
                comparison=(chaoyang or national).comparison if (chaoyang or national) else None,
                population_basis=POPULATION_BASIS if indicator == Indicator.GROSS_ENROLLMENT_RATE else "",
            )
        )
    return values


def compute_indicators_for(
    day: datetime.date, *, forecast: Sequence[ForecastRow] | None = None
) -> list[IndicatorValue]:
    """Every indicator for every scope on `day`: the district, each sub-district, each sponsor type.

    `forecast` may carry the seat forecast already computed for `day` (the nightly job passes it);
    otherwise it is computed here.
    """
    return _Engine(day, None, forecast).values()


def indicators_for_scope(
    day: datetime.date, scope: Scope, *, forecast: Sequence[ForecastRow] | None = None
) -> list[IndicatorValue]:
    """Every indicator of one scope on `day` (the same queries, limited to that scope)."""
    return _Engine(day, scope, forecast).values()


def headline(values: Iterable[IndicatorValue], scope: Scope | None = None) -> dict[str, IndicatorValue]:
    """The three target indicators of one scope (the district by default), keyed by code."""
    scope = scope or Scope.district()
    wanted = {Indicator.GROSS_ENROLLMENT_RATE, Indicator.INCLUSIVE_COVERAGE, Indicator.PUBLIC_SHARE}
    return {
        v.indicator: v
        for v in values
        if v.scope.type == scope.type and v.scope.key == scope.key and v.indicator in wanted
    }


def drilldown_kindergartens(indicator: str, scope: Scope, day: datetime.date) -> QuerySet[Kindergarten]:
    """The kindergartens behind one figure, annotated with what each contributes.

    - enrolment, inclusive, public and seat figures: the scope's operating kindergartens;
    - class_size_compliance: the scope's operating kindergartens that have classes this year;
    - unlicensed_open: the scope's unlicensed kindergartens;
    - forecast_shortfall: operating kindergartens of the scope's sub-districts short of seats next year.

    Annotations (one GROUP BY, no per-row queries): ``enrolled_children`` (target classes),
    ``children_in_classes`` (all classes), ``class_count``, ``classes_over_limit`` and
    ``counts_as_inclusive``. Callers apply ``restrict(user)`` for what the user may see.
    """
    indicator = Indicator(indicator)
    start_year = SchoolYear.start_year_for(day)
    queryset = Kindergarten.objects.select_related("subdistrict")
    if scope.type == ScopeType.SUBDISTRICT:
        queryset = queryset.filter(subdistrict=scope.subdistrict_id)
    elif scope.type == ScopeType.OWNERSHIP:
        queryset = queryset.filter(sponsor_type=scope.key)

    if indicator == Indicator.UNLICENSED_OPEN:
        queryset = queryset.filter(licence_status=LicenceStatus.UNLICENSED)
    else:
        queryset = queryset.filter(licence_status__in=OPERATING_LICENCES)
    if indicator == Indicator.FORECAST_SHORTFALL:
        ids = [scope.subdistrict_id] if scope.type == ScopeType.SUBDISTRICT else None
        short = {
            row.subdistrict_id
            for row in forecast_seats(day, subdistrict_ids=ids)
            if row.year == start_year + 1 and row.shortfall > 0
        }
        queryset = queryset.filter(subdistrict__in=short)

    this_year = Q(classes__school_year__start_year=start_year)
    queryset = queryset.annotate(
        enrolled_children=Coalesce(
            Sum("classes__enrolled", filter=this_year & Q(classes__class_type__in=TARGET_CLASS_TYPES)), 0
        ),
        children_in_classes=Coalesce(Sum("classes__enrolled", filter=this_year), 0),
        class_count=Count("classes", filter=this_year),
        classes_over_limit=Count("classes", filter=this_year & _over_limit_q(class_size_limits(day), "classes__")),
        counts_as_inclusive=ExpressionWrapper(inclusive_q(day), output_field=BooleanField()),
    )
    if indicator == Indicator.CLASS_SIZE_COMPLIANCE:
        queryset = queryset.filter(class_count__gt=0)
    return queryset.order_by("subdistrict__code", "code")
