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
once; the engine adds the targets and the sub-district list, whatever the number of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from common.gc import gc_paused
from common.pg import bulk_query_settings
from kindergartens.choices import SponsorType
from kindergartens.models import Subdistrict

from . import registry
from .choices import Authority, ScopeType
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
    "targets_in_force",
]

VALUE_PLACES = Decimal("0.000001")
ZERO = Tally(0)


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
    # Cut, not rounded: 0.89999975 is stored 0.899999 (its met comes from the exact fraction anyway).
    return (Decimal(numerator) / Decimal(denominator)).quantize(VALUE_PLACES, rounding=ROUND_DOWN)


def _verdict(target: Target | None, value: Decimal | None, tally: Tally, ratio: bool) -> bool | None:
    """Met or not on the exact fraction, not the cut value; no value (unknown, zero denominator): none."""
    if target is None or value is None:
        return None
    return target.is_met(tally.numerator, tally.denominator, ratio=ratio)


class _Engine:
    """Asks every registered source for its figures once and turns them into values per scope."""

    def __init__(self, day: datetime.date, scope: Scope | None, forecast: Sequence[ForecastRow] | None) -> None:
        self.day = day
        self.scope = scope
        self.forecast = forecast

    def values(self) -> list[IndicatorValue]:
        with gc_paused(), bulk_query_settings():
            return self._values()

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

    def _values(self) -> list[IndicatorValue]:
        targets = targets_in_force(self.day)
        scopes = self._scopes()
        figures: dict[Scope, dict[str, Tally]] = {scope: {} for scope in scopes}
        for source in registry.sources():
            # A source runs only for scopes one of its indicators exists for (no ownership-only
            # query reads the cases of a sub-district, for instance).
            wanted = tuple(s for s in scopes if any(d.exists_for(s.type) for d in source.indicators))
            if not wanted:
                continue
            context = IndicatorContext(
                day=self.day, scopes=wanted, only=self.scope, targets=targets, forecast=self.forecast
            )
            for scope, tallies in source.compute(context).items():
                if scope in figures:
                    figures[scope].update(tallies)
        definitions = registry.definitions()
        results: list[IndicatorValue] = []
        for scope in scopes:
            results += _scope_values(scope, definitions, figures[scope], targets)
        return results


def _scope_values(
    scope: Scope,
    definitions: Iterable[IndicatorDefinition],
    tallies: Mapping[str, Tally],
    targets: Mapping[tuple[str, str], Target],
) -> list[IndicatorValue]:
    """The values of one scope: every indicator that exists for its type, in registration order."""
    values = []
    for definition in definitions:
        if not definition.exists_for(scope.type):
            continue
        tally = tallies.get(definition.code, ZERO)
        if definition.is_ratio:
            denominator = Decimal(tally.denominator or 0)
            value = _ratio(tally.numerator, tally.denominator) if tally.known else None
        else:
            denominator = None if tally.denominator is None else Decimal(tally.denominator)
            value = Decimal(tally.numerator) if tally.known else None
        binding = scope.type != ScopeType.OWNERSHIP or definition.binds_parts
        chaoyang = targets.get((definition.code, Authority.CHAOYANG)) if binding else None
        national = targets.get((definition.code, Authority.NATIONAL)) if binding else None
        values.append(
            IndicatorValue(
                scope=scope,
                indicator=definition.code,
                numerator=Decimal(tally.numerator),
                denominator=denominator,
                value=value,
                target=chaoyang.value if chaoyang else None,
                met=_verdict(chaoyang, value, tally, definition.is_ratio),
                national_target=national.value if national else None,
                national_met=_verdict(national, value, tally, definition.is_ratio),
                comparison=(chaoyang or national).comparison if (chaoyang or national) else None,
                population_basis=definition.population_basis,
                completeness=tally.completeness,
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
