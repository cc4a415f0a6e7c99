"""Indicators contributed by their apps: the registry the engine, the API and the outputs read.

Indicators belong to the app whose data they count (conventions: "the engine in `reports/`
collects them"). ``reports`` owns the engine, the scopes, the targets, the snapshots, the nightly
job and the outputs; it names no app's indicator and imports no domain app's models.

Where an app declares an indicator
----------------------------------
In ``<app>/indicators.py``, which builds

- one `IndicatorDefinition` per indicator: its code (a public contract, never renamed), label,
  definition text, unit (ratio or count), direction (≥ or ≤ is better), the scope types it exists
  for, and the labels and drill-down the dashboard and the PDF use;
- one `IndicatorSource` per GROUP BY: a function that, given an `IndicatorContext` (the date, the
  scopes wanted, the targets in force), computes the numerator and denominator of its indicators
  for all those scopes at once and returns them as ``{scope: {code: Tally}}``;

and calls ``register(source)`` at import (``register_panel(...)`` for a dashboard panel,
``register_pdf_section(...)`` for a section of the PDF report).

Panels and PDF sections
-----------------------
A `DashboardPanel` is a template shown on the dashboard below the figures, with the object its
``build(user, subdistrict)`` returns as the context variable ``name`` (and ``subdistrict``, the
sub-district shown or None). The page does not build it: panels count live data, so the
dashboard holds a placeholder and fetches the panel's fragment from
``/dashboard/panels/<name>/`` (`reports.views.DashboardPanelView`) once it is shown; the template
must therefore stand alone (no variable of the page's but ``subdistrict``, no script of its
own: a behaviour must be delegated to the document, or listen for the ``dashboard:panel`` event
the inserted section sends). A `PdfSection` is the same
for the district's and the sub-districts' PDF report: ``build(date, subdistrict)`` (the snapshot
date the report shows; ``subdistrict`` None for the district) gives the template's ``section``
variable (``name`` only tells sections apart), and the report renders each registered section as a chapter of its own, after its own
chapters and before the definitions. Neither mechanism lets ``reports`` import the app.

How the engine finds them
-------------------------
``ReportsConfig.ready()`` calls `autodiscover()`, which imports the ``indicators`` module of every
installed app in ``INSTALLED_APPS`` order (Django's ``autodiscover_modules``, as the admin does
for ``admin.py``). Registration order is the order of the snapshots, the definitions and the
exports. Adding an indicator in a new app therefore touches no file in ``reports/``: the
engine, the snapshots, ``/api/indicators/``, the dashboard, the PDF and the exports pick it up.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from .choices import Comparison, ScopeType

if TYPE_CHECKING:
    from common.temp_tables import TempTables
    from enrollment.forecast import ForecastRow
    from kindergartens.models import Kindergarten

    from .models import Target
    from .scopes import Scope

Text = str | Promise  # a label may be a lazy translation, resolved when shown
ALL_SCOPES = frozenset({ScopeType.DISTRICT, ScopeType.SUBDISTRICT, ScopeType.OWNERSHIP})
# A case, a forecast... belongs to a sub-district, not to a sponsor type.
AREA_SCOPES = frozenset({ScopeType.DISTRICT, ScopeType.SUBDISTRICT})


class Unit(StrEnum):
    RATIO = "ratio"  # numerator ÷ denominator, stored as a fraction, shown as a percentage
    # numerator ÷ denominator shown as a plain number with one decimal: 12.5 children per teacher
    PER = "per"
    COUNT = "count"  # the numerator itself, no denominator


@dataclass(frozen=True, slots=True)
class Completeness:
    """How much of a scope's reported data a figure stands on (docs/indicators.md, "Official figures and completeness").

    `expected` kindergartens owe a report for the school year, `reported` of them have official
    figures for it; the seats are their approved capacities. `provisional`: the bureau has not
    locked the school year yet (暂定), so the figures may still change.
    """

    expected: int
    reported: int
    expected_seats: int
    reported_seats: int
    provisional: bool

    @property
    def missing(self) -> int:
        return self.expected - self.reported

    @property
    def is_complete(self) -> bool:
        return self.reported >= self.expected

    @property
    def share(self) -> Decimal | None:
        """Kindergartens reported ÷ expected, cut to six places like every stored ratio; None for 0/0."""
        return _cut_ratio(self.reported, self.expected)

    @property
    def seat_share(self) -> Decimal | None:
        """The share of the expected kindergartens' approved seats held by those that reported."""
        return _cut_ratio(self.reported_seats, self.expected_seats)


def _cut_ratio(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.000001"), rounding=ROUND_DOWN)


@dataclass(slots=True)
class Tally:
    """One indicator's figures for one scope, as a source computed them.

    `known` False means there is no value (e.g. no forecast without population figures) while
    the numerator is still stored. A ratio's value is numerator ÷ denominator (none when the
    denominator is 0); a count's is the numerator. `completeness`: for a figure computed from
    kindergartens' reports, how many of them it stands on (None for other figures).

    Read-only by convention, not `frozen`: the sources build one per scope and indicator (1.16
    million a night at national scale), and a frozen dataclass's constructor took four times as
    long (0.54 against 0.14 s for as many; docs/benchmarks.md).
    """

    numerator: int | Decimal
    denominator: int | Decimal | None = None
    known: bool = True
    completeness: Completeness | None = None


@dataclass(frozen=True)
class Parts:
    """The drill-down's "counted / not counted" switch: the kindergartens making up the numerator."""

    counted: Q  # over the annotated kindergartens of the drill-down
    counted_label: Text
    other_label: Text


@dataclass(frozen=True)
class IndicatorDefinition:
    """What the engine, the API, the dashboard and the PDF know of one indicator."""

    code: str
    label: Text
    definition: Text  # the formula in Chinese, for the dashboard's help and the PDF's last page
    unit: Unit
    direction: str  # Comparison: whether a higher (≥) or a lower (≤) value is better
    scopes: frozenset[str] = ALL_SCOPES
    short_label: Text = ""  # for table headers and chart legends; the label when empty
    numerator_label: Text = ""  # what a ratio's numerator and denominator count, under a figure
    denominator_label: Text = ""
    headline: bool = False  # one of the plan's targets, shown first with trend and charts
    # Whether targets bind each part of the district (a sponsor type), not only the district and
    # its sub-districts: a sponsor type is not expected to reach a 90 % enrolment rate on its own.
    binds_parts: bool = False
    population_basis: str = ""  # stored with the value (domain.md §1: a gross rate keeps its basis)
    order: int = 0  # place among the dashboard's other indicators (ties keep registration order)
    # The drill-down: the scope's kindergartens behind the figure, annotated (see
    # enrollment.indicators.annotated_kindergartens); or a page of the app's own, given the
    # sub-district's pk (None for the district). Neither: the figure has no drill-down.
    kindergartens: Callable[[Scope, datetime.date], QuerySet[Kindergarten]] | None = None
    breakdown_url: Callable[[int | None], str] | None = None
    lists_figures: bool = True  # False: the listed kindergartens count whole (addresses, no classes)
    parts: Parts | None = None

    @property
    def is_ratio(self) -> bool:
        """Numerator ÷ denominator (value and met from both), whether shown as a percentage or not."""
        return self.unit in (Unit.RATIO, Unit.PER)

    @property
    def is_percent(self) -> bool:
        return self.unit == Unit.RATIO

    @property
    def sign(self) -> str:
        return "≥" if self.direction == Comparison.AT_LEAST else "≤"

    def exists_for(self, scope_type: str) -> bool:
        return scope_type in self.scopes


@dataclass(frozen=True)
class IndicatorContext:
    """What a source is given: compute these scopes' figures on `day`."""

    day: datetime.date
    scopes: tuple[Scope, ...]  # the scopes for which at least one of the source's indicators exists
    only: Scope | None  # the single scope asked for (limit the queries to it), or None for all
    targets: Mapping[tuple[str, str], Target]  # in force on `day`, per (indicator, authority)
    forecast: Sequence[ForecastRow] | None = None  # the nightly job's seat forecast, when computed
    # The engine's tables for this run, shared by its sources (common.temp_tables; e.g. each
    # kindergarten's posts and classes, staff.day_figures); None when a source is called alone.
    tables: TempTables | None = None

    def within(self, prefix: str = "") -> Q:
        """The scope asked for (`only`) as a condition on the kindergarten at the path `prefix`
        ("" on a kindergarten, ``"kindergarten__"`` on a row that has one); none for the district
        or for every scope. One definition for every source: the tables sources share
        (`staff.day_figures`) are keyed by the kindergartens it selects."""
        only = self.only
        if only is None or only.type == ScopeType.DISTRICT:
            return Q()
        if only.type == ScopeType.SUBDISTRICT:
            return Q(**{f"{prefix}subdistrict": only.subdistrict_id})
        return Q(**{f"{prefix}sponsor_type": only.key})

    def wants(self, scope_type: str) -> bool:
        return any(scope.type == scope_type for scope in self.scopes)


Figures = Mapping["Scope", Mapping[str, Tally]]


@dataclass(frozen=True)
class IndicatorSource:
    """Indicators computed together by one set of GROUP BY queries covering every scope.

    `compute` returns a tally per scope and indicator; a scope (or an indicator of a scope) it
    leaves out has numerator 0 (so a ratio has no value, a count is 0), as a GROUP BY without rows.
    """

    indicators: tuple[IndicatorDefinition, ...]
    compute: Callable[[IndicatorContext], Figures]
    # For figures with a completeness: the app's page listing the kindergartens whose report is
    # missing, given the sub-district's pk (None for the district) and the statistical date.
    missing_url: Callable[[int | None, datetime.date], str] | None = None


@dataclass(frozen=True)
class DashboardPanel:
    """A panel an app adds to the dashboard: `template` rendered with `build(user, subdistrict)` as `name`.

    Rendered on its own, as a fragment the dashboard fetches after the page (see the module docstring).
    """

    name: str
    template: str
    build: Callable[..., object]


@dataclass(frozen=True)
class PdfSection:
    """A chapter an app adds to the PDF report: `template` rendered with `build(date, subdistrict)` as ``section``.

    The template starts its chapter with ``<section class="chapter"><h2 class="numbered">`` so the
    report numbers it with the others; it must stay light (tables, no large charts): the nightly
    job renders a report per sub-district.
    """

    name: str
    template: str
    build: Callable[..., object]


_sources: list[IndicatorSource] = []
# Looked up for every figure the dashboard builds: a dict, kept in step with _sources.
_by_code: dict[str, IndicatorDefinition] = {}
_panels: list[DashboardPanel] = []
_pdf_sections: list[PdfSection] = []


def register(source: IndicatorSource) -> IndicatorSource:
    """Adds an app's source; its codes must be new. Registering the same source again does nothing."""
    if any(known is source for known in _sources):
        return source
    taken = set(_by_code)
    for indicator in source.indicators:
        if indicator.code in taken:
            raise ImproperlyConfigured(f"Indicator code {indicator.code!r} is declared twice")
        taken.add(indicator.code)
    _sources.append(source)
    _by_code.update((d.code, d) for d in source.indicators)
    return source


def unregister(source: IndicatorSource) -> None:
    if any(known is source for known in _sources):
        _sources[:] = [known for known in _sources if known is not source]
        for indicator in source.indicators:
            _by_code.pop(indicator.code, None)


@contextmanager
def registered(source: IndicatorSource) -> Iterator[IndicatorSource]:
    """The source registered for the block only (tests)."""
    register(source)
    try:
        yield source
    finally:
        unregister(source)


def register_panel(panel: DashboardPanel) -> DashboardPanel:
    if not any(known is panel for known in _panels):
        _panels.append(panel)
    return panel


def unregister_panel(panel: DashboardPanel) -> None:
    _panels[:] = [known for known in _panels if known is not panel]


def register_pdf_section(section: PdfSection) -> PdfSection:
    """Adds a chapter to the PDF report; registering the same section again does nothing."""
    if any(known.name == section.name for known in _pdf_sections if known is not section):
        raise ImproperlyConfigured(f"PDF section {section.name!r} is declared twice")
    if not any(known is section for known in _pdf_sections):
        _pdf_sections.append(section)
    return section


def unregister_pdf_section(section: PdfSection) -> None:
    _pdf_sections[:] = [known for known in _pdf_sections if known is not section]


def autodiscover() -> None:
    """Imports every installed app's ``indicators`` module, in INSTALLED_APPS order."""
    autodiscover_modules("indicators")


def sources() -> tuple[IndicatorSource, ...]:
    return tuple(_sources)


def panels() -> tuple[DashboardPanel, ...]:
    return tuple(_panels)


def pdf_sections() -> tuple[PdfSection, ...]:
    return tuple(_pdf_sections)


def definitions() -> tuple[IndicatorDefinition, ...]:
    """Every registered indicator, in registration order."""
    return tuple(indicator for source in _sources for indicator in source.indicators)


def find(code: str) -> IndicatorDefinition | None:
    return _by_code.get(code)


def missing_reports_url(code: str, subdistrict_id: int | None, day: datetime.date) -> str:
    """The page listing the kindergartens missing from `code`'s figure; "" when its app has none."""
    source = next((s for s in _sources if any(d.code == code for d in s.indicators)), None)
    if source is None or source.missing_url is None:
        return ""
    return source.missing_url(subdistrict_id, day)


def codes() -> list[str]:
    return [d.code for d in definitions()]


def choices() -> list[tuple[str, str]]:
    """(code, label) pairs, for the API's filter and its documentation."""
    return [(d.code, str(d.label)) for d in definitions()]


class IndicatorChoices(BaseChoiceIterator):
    """(code, label) of every registered indicator, read at each use rather than at import.

    Unlike a callable, a choice iterator is enumerated by drf-spectacular, so the API schema
    documents the codes the installed apps declare.
    """

    def __iter__(self) -> Iterator[tuple[str, str]]:
        yield from choices()


CHOICES = IndicatorChoices()


def label(code: str) -> str:
    """The indicator's label; the code itself for one no installed app declares (an old snapshot)."""
    found = find(code)
    return str(found.label) if found else code


def is_ratio(code: str) -> bool:
    found = find(code)
    return found is not None and found.is_ratio


def is_percent(code: str) -> bool:
    found = find(code)
    return found is not None and found.is_percent


def headline_codes() -> tuple[str, ...]:
    """The plan's target indicators, shown first on the dashboard and in the report."""
    return tuple(d.code for d in definitions() if d.headline)


def other_codes() -> tuple[str, ...]:
    """The other indicators of the district and its sub-districts, in the dashboard's order."""
    others = [d for d in definitions() if not d.headline and d.scopes & AREA_SCOPES]
    return tuple(d.code for d in sorted(others, key=lambda d: d.order))
