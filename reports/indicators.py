"""The indicator engine: every app's indicators, for every scope, on a date (domain.md §1).

The dashboard, the API (through the nightly snapshots), the PDF report and the management command
all read their figures from here, so a definition changes in one place only. The formulas
themselves belong to the apps whose data they count and are documented there:
``enrollment/indicators.py`` (the three 2025 targets and the other enrolment and registry
indicators) and ``inspections/indicators.py`` (open unlicensed cases). Each app registers them
with `reports.registry`, which explains where an app declares an indicator and how the engine
finds it (autodiscovery of ``<app>.indicators`` modules).

Scopes
------
- district (全区): everything.
- subdistrict (街道/地区, key = statistical code): every sub-district, with or without data.
- ownership (举办者类型, key = sponsor type code): every sponsor type.

An indicator exists for the scope types it declares (`IndicatorDefinition.scopes`): open cases and
the forecast shortfall, for instance, have no ownership rows.

Values and targets
------------------
A ratio's value is numerator ÷ denominator cut (not rounded) to six decimals, so a stored value
never reads as more than the figure it stands for (360,008 / 400,009 = 0.89999975 is stored
0.899999, not 0.900000); a ratio whose denominator is 0 has no value (None, shown "—") and is
neither met nor missed. A count's value is its numerator. Targets come from
``Target.objects.in_force(D)``, the latest version per (indicator, authority): ``target`` and
``met`` are Chaoyang's (朝阳区行动计划), ``national_target``/``national_met`` the national county
standard's. ``met`` is decided on the exact fraction (`reports.models.meets`: numerator ≥ target ×
denominator in exact arithmetic, ≤ for an "at most" target; a count's numerator against the
target), never on the stored or printed value, and every page reads the stored verdict. District
and sub-district scopes carry every target; ownership scopes only those of indicators that bind
each part (`IndicatorDefinition.binds_parts`).

Each source computes its figures with a fixed handful of GROUP BY queries covering all scopes at
once; the engine adds the targets and the sub-district list, whatever the number of rows. Rows
several sources need are aggregated once per run into temporary tables the engine hands them
(`IndicatorContext.tables`, `common.temp_tables`: each kindergarten's classes of the year,
`enrollment.day_figures`, and its posts of the day, `staff.day_figures`) and drops when the
sources are done; the nightly job hands it its own tables instead, which its warnings read after
the sources (`stream_indicators_for(…, tables=…)`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from common.gc import gc_paused
from common.pg import bulk_query_settings
from common.temp_tables import TempTables, temp_tables
from kindergartens.choices import SponsorType
from kindergartens.models import Subdistrict

from . import registry
from .choices import Authority, Comparison, ScopeType
from .models import IndicatorSnapshot, Target, completeness_fields
from .registry import Completeness, IndicatorContext, IndicatorDefinition, Tally
from .scopes import DISTRICT_KEY, Scope, scope_from_key

if TYPE_CHECKING:
    from enrollment.forecast import ForecastRow
    from kindergartens.models import Kindergarten

__all__ = [
    "DISTRICT_KEY",
    "IndicatorValue",
    "Scope",
    "compute_indicators_for",
    "drilldown_kindergartens",
    "format_indicator_value",
    "headline",
    "indicators_for_scope",
    "scope_from_key",
    "stream_indicators_for",
    "targets_in_force",
]

VALUE_PLACES = Decimal("0.000001")
VALUE_SCALE = 10**6
# Below this, numerator × 10⁶ // denominator is the cut value exactly (see `_ratio`).
EXACT_INTEGERS = 10**15
ZERO = Tally(0)


@dataclass(slots=True)
class IndicatorValue:
    """One indicator for one scope on one date: the figures behind it and how it compares.

    Read-only by convention, not `frozen`: a frozen dataclass sets each field through
    `object.__setattr__`, which made building the nightly job's 1.16 million values several
    times slower (docs/benchmarks.md).
    """

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
    completeness: Completeness | None = None  # for a figure computed from kindergartens' reports

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
        return registry.label(self.indicator)

    @property
    def is_ratio(self) -> bool:
        return registry.is_ratio(self.indicator)

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
            **completeness_fields(self.completeness),
        )


def format_indicator_value(indicator: str, value: Decimal | None) -> str:
    """A value as people read it: a percentage with one decimal for ratios, a whole number for counts."""
    if value is None:
        return "—"
    from .templatetags.report_format import shown

    # The same cut-not-rounded rule as the dashboard and PDF: 89.96 % never prints as 90.0 %.
    return shown(indicator, value if registry.is_ratio(indicator) else value.to_integral_value())


def targets_in_force(day: datetime.date) -> dict[tuple[str, str], Target]:
    """The target in force on `day` per (indicator, authority): the latest version of each."""
    found: dict[tuple[str, str], Target] = {}
    for target in Target.objects.in_force(day).order_by("indicator", "authority", "-valid_from"):
        found.setdefault((target.indicator, target.authority), target)
    return found


def _ratio(numerator: int | Decimal, denominator: int | Decimal | None) -> Decimal | None:
    if not denominator:
        return None
    exact = type(numerator) is int and type(denominator) is int
    if exact and 0 <= numerator < EXACT_INTEGERS and 0 < denominator < EXACT_INTEGERS:
        # The same cut in integers (a million ratios a night). Decimal's 28-digit division could only
        # round up across a sixth decimal for figures far beyond EXACT_INTEGERS, so both agree.
        return Decimal(numerator * VALUE_SCALE // denominator).scaleb(-6)
    # Cut, not rounded: 0.89999975 is stored 0.899999 (its met comes from the exact fraction anyway).
    return (Decimal(numerator) / Decimal(denominator)).quantize(VALUE_PLACES, rounding=ROUND_DOWN)


class _Verdict:
    """`Target.is_met` for the many figures judged against one target: the target's exact fraction
    taken once and integer figures compared directly (the same integers `reports.models.meets`
    compares); other figures go through `meets` itself."""

    __slots__ = ("at_least", "p", "q", "target")

    def __init__(self, target: Target) -> None:
        self.target = target
        self.p, self.q = target.value.as_integer_ratio()
        self.at_least = target.comparison == Comparison.AT_LEAST

    def __call__(self, numerator: int | Decimal, denominator: int | Decimal | None, ratio: bool) -> bool | None:
        if type(numerator) is not int or (ratio and type(denominator) is not int):
            return self.target.is_met(numerator, denominator, ratio=ratio)
        if ratio and not denominator:
            return None
        left, right = numerator * self.q, self.p * (denominator if ratio else 1)
        return left >= right if self.at_least else left <= right


@dataclass(frozen=True)
class _Column:
    """What one indicator's values share in every scope of one type: worked out once per type."""

    code: str
    ratio: bool
    population_basis: str
    target: Decimal | None
    met: _Verdict | None
    national_target: Decimal | None
    national_met: _Verdict | None
    comparison: str | None

    @classmethod
    def of(cls, definition: IndicatorDefinition, scope_type: str, targets: Mapping[tuple[str, str], Target]) -> _Column:
        binding = scope_type != ScopeType.OWNERSHIP or definition.binds_parts
        chaoyang = targets.get((definition.code, Authority.CHAOYANG)) if binding else None
        national = targets.get((definition.code, Authority.NATIONAL)) if binding else None
        return cls(
            code=definition.code,
            ratio=definition.is_ratio,
            population_basis=definition.population_basis,
            target=chaoyang.value if chaoyang else None,
            met=_Verdict(chaoyang) if chaoyang else None,
            national_target=national.value if national else None,
            national_met=_Verdict(national) if national else None,
            comparison=(chaoyang or national).comparison if (chaoyang or national) else None,
        )


class _Engine:
    """Asks every registered source for its figures once and turns them into values per scope."""

    def __init__(
        self,
        day: datetime.date,
        scope: Scope | None,
        forecast: Sequence[ForecastRow] | None,
        tables: TempTables | None = None,
    ) -> None:
        self.day = day
        self.scope = scope
        self.forecast = forecast
        self.tables = tables

    def values(self) -> list[IndicatorValue]:
        with gc_paused():
            return list(self.stream())

    def stream(self) -> Iterator[IndicatorValue]:
        """Runs the sources' queries now; builds the values as the caller takes them."""
        with bulk_query_settings():
            targets = targets_in_force(self.day)
            scopes = self._scopes()
            figures = self._figures(scopes, targets)
        return self._build(scopes, figures, targets)

    def _scopes(self) -> list[Scope]:
        """The district, every sub-district by code and every sponsor type; or the one scope asked for."""
        if self.scope is not None:
            return [self.scope]
        subdistricts = Subdistrict.objects.order_by("code").values_list("pk", "code", "name")
        return [
            Scope.district(),
            *(Scope(ScopeType.SUBDISTRICT, code, name, pk) for pk, code, name in subdistricts),
            *(Scope.of_sponsor_type(s) for s in SponsorType.values),
        ]

    def _figures(self, scopes: list[Scope], targets: dict[tuple[str, str], Target]) -> dict[Scope, dict[str, Tally]]:
        figures: dict[Scope, dict[str, Tally]] = {scope: {} for scope in scopes}
        types = {scope.type for scope in scopes}
        # Rows several sources read (each kindergarten's posts and classes of the day): filled by
        # the first source that needs them, dropped when the last source is done (or by the
        # caller that handed its own tables over).
        with temp_tables(self.tables) as tables:
            for source in registry.sources():
                # A source runs only for scopes one of its indicators exists for (no ownership-only
                # query reads the cases of a sub-district, for instance).
                kinds = {t for t in types if any(d.exists_for(t) for d in source.indicators)}
                wanted = tuple(s for s in scopes if s.type in kinds)
                if not wanted:
                    continue
                context = IndicatorContext(
                    day=self.day, scopes=wanted, only=self.scope, targets=targets, forecast=self.forecast, tables=tables
                )
                for scope, tallies in source.compute(context).items():
                    if scope in figures:
                        figures[scope].update(tallies)
        return figures

    @staticmethod
    def _build(
        scopes: list[Scope], figures: dict[Scope, dict[str, Tally]], targets: dict[tuple[str, str], Target]
    ) -> Iterator[IndicatorValue]:
        definitions = registry.definitions()
        columns: dict[str, list[_Column]] = {}
        for scope in scopes:
            if scope.type not in columns:
                columns[scope.type] = [
                    _Column.of(d, scope.type, targets) for d in definitions if d.exists_for(scope.type)
                ]
            yield from _scope_values(scope, columns[scope.type], figures[scope])


def _scope_values(scope: Scope, columns: Iterable[_Column], tallies: Mapping[str, Tally]) -> list[IndicatorValue]:
    """The values of one scope: every indicator that exists for its type, in registration order."""
    values = []
    for column in columns:
        tally = tallies.get(column.code, ZERO)
        numerator, denominator = tally.numerator, tally.denominator
        number = Decimal(numerator)
        if column.ratio:
            value = _ratio(numerator, denominator) if tally.known else None
            denominator = Decimal(denominator or 0)
        else:
            value = number if tally.known else None  # a count's value is its numerator (a Decimal: immutable)
            denominator = None if denominator is None else Decimal(denominator)
        # Met or not on the exact fraction, not the cut value; no value (unknown, zero denominator): none.
        judged = value is not None
        values.append(
            IndicatorValue(
                scope,
                column.code,
                number,
                denominator,
                value,
                column.target,
                column.met(numerator, tally.denominator, column.ratio) if judged and column.met else None,
                column.national_target,
                column.national_met(numerator, tally.denominator, column.ratio)
                if judged and column.national_met
                else None,
                column.comparison,
                column.population_basis,
                tally.completeness,
            )
        )
    return values


def compute_indicators_for(
    day: datetime.date, *, forecast: Sequence[ForecastRow] | None = None
) -> list[IndicatorValue]:
    """Every indicator for every scope on `day`: the district, each sub-district, each sponsor type.

    `forecast` may carry the seat forecast already computed for `day` (the nightly job passes it);
    otherwise a source that needs it computes it.
    """
    return _Engine(day, None, forecast).values()


def stream_indicators_for(
    day: datetime.date, *, forecast: Sequence[ForecastRow] | None = None, tables: TempTables | None = None
) -> Iterator[IndicatorValue]:
    """`compute_indicators_for`, its values built one scope at a time as the caller takes them.

    The sources' queries run at once; the nightly job then writes the values while they are built
    (reports.row_writer streams them into COPY), so Python builds them while PostgreSQL inserts the
    ones before. Take them inside `common.gc.gc_paused` and before the data they count changes.
    `tables`: the caller's temporary tables, which the sources fill and the caller reads after them
    and drops (the nightly job's warnings read the classes table); otherwise the run's own.
    """
    return _Engine(day, None, forecast, tables).stream()


def indicators_for_scope(
    day: datetime.date, scope: Scope, *, forecast: Sequence[ForecastRow] | None = None
) -> list[IndicatorValue]:
    """Every indicator of one scope on `day` (the same queries, limited to that scope)."""
    return _Engine(day, scope, forecast).values()


def headline(values: Iterable[IndicatorValue], scope: Scope | None = None) -> dict[str, IndicatorValue]:
    """The plan's target indicators of one scope (the district by default), keyed by code."""
    scope = scope or Scope.district()
    wanted = registry.headline_codes()
    found = {
        v.indicator: v
        for v in values
        if v.scope.type == scope.type and v.scope.key == scope.key and v.indicator in wanted
    }
    return {code: found[code] for code in wanted if code in found}


def drilldown_kindergartens(indicator: str, scope: Scope, day: datetime.date) -> QuerySet[Kindergarten]:
    """The kindergartens behind one figure, as the indicator's app declares them.

    LookupError for an indicator without such a list (unknown, or with a page of its own).
    Callers apply ``restrict(user)`` for what the user may see.
    """
    definition = registry.find(indicator)
    if definition is None or definition.kindergartens is None:
        raise LookupError(indicator)
    return definition.kindergartens(scope, day)
