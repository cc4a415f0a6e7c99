"""What inspections contributes to the reports: the open unlicensed cases indicator, the evaluation
coverage indicator and the dashboard's quality-evaluation panel.

``evaluation_coverage`` = the evaluation coverage of the three-year cycle in force on D, by its one
definition (`inspections.coverage`): planned kindergartens evaluated ÷ kindergartens planned in
the cycle (``EvaluationCycle.objects.current(D)``), per district, sub-district and sponsor type,
in one GROUP BY. Its evaluations are counted as they stand when the figure is computed (the
statuses carry no "as of" date), so a recomputed past date shows that cycle's present state.

``unlicensed_open_cases`` = unlicensed kindergartens' cases (`UnlicensedCase`) of the scope still
open on D: discovered on or before D and, on D, not yet closed or converted — status in
``OPEN_UNLICENSED_STATUSES``, or closed/converted only after D (``resolved_on > D``), so a
recomputed past date counts what was open then (target 0, "≤": the "dynamic zero"). District and
sub-district scopes only: a case belongs to a sub-district, not to a sponsor type. One GROUP BY
per computation, whatever the number of cases.

``reports`` finds this module by autodiscovery (see `reports.registry`) and imports nothing from
this app.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.choices import Comparison, ScopeType
from reports.registry import (
    ALL_SCOPES,
    AREA_SCOPES,
    DashboardPanel,
    IndicatorContext,
    IndicatorDefinition,
    IndicatorSource,
    Tally,
    Unit,
    register,
    register_panel,
)
from reports.scopes import GroupSums, Scope

from .choices import OPEN_UNLICENSED_STATUSES
from .coverage import DEFINITION as COVERAGE_DEFINITION
from .coverage import EVALUATION_COVERAGE, Coverage, coverage_grouped
from .coverage import LABEL as COVERAGE_LABEL
from .dashboard import quality_panel
from .models import CycleAssignment, EvaluationCycle, UnlicensedCase

UNLICENSED_OPEN_CASES = "unlicensed_open_cases"


def open_cases_url(subdistrict_id: int | None) -> str:
    """Open cases are cases, not registry kindergartens: their own list is the figure's breakdown."""
    query = "open=true" if subdistrict_id is None else f"open=true&subdistrict={subdistrict_id}"
    return f"{reverse('inspections:unlicensed_case_list')}?{query}"


def compute_open_cases(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    """One GROUP BY query: the cases still open on the date, per sub-district."""
    still_open = Q(status__in=OPEN_UNLICENSED_STATUSES) | Q(resolved_on__gt=context.day)
    rows = UnlicensedCase.objects.filter(still_open, discovered_on__lte=context.day)
    if context.only is not None and context.only.type == ScopeType.SUBDISTRICT:
        rows = rows.filter(subdistrict=context.only.subdistrict_id)
    rows = rows.values("subdistrict").annotate(cases=Count("pk")).values_list("subdistrict", "cases").order_by()
    open_cases: dict[int, int] = dict(rows)
    figures: dict[Scope, dict[str, Tally]] = {}
    for scope in context.scopes:
        if scope.type == ScopeType.DISTRICT:
            figures[scope] = {UNLICENSED_OPEN_CASES: Tally(sum(open_cases.values()))}
        elif scope.type == ScopeType.SUBDISTRICT:
            figures[scope] = {UNLICENSED_OPEN_CASES: Tally(open_cases.get(scope.subdistrict_id, 0))}
    return figures


OPEN_CASES = IndicatorDefinition(
    code=UNLICENSED_OPEN_CASES,
    label=_("未办结无证园案件数"),
    short_label=_("无证园案件"),
    unit=Unit.COUNT,
    direction=Comparison.AT_MOST,
    scopes=AREA_SCOPES,
    order=40,  # beside the registry's count of unlicensed kindergartens: the same goal, another source
    breakdown_url=open_cases_url,
    definition=_(
        "统计日期仍未办结的无证园案件数：发现日期不晚于统计日期，且在统计日期尚未关停或转为合规"
        "（状态为已发现、已责令关停或已责令整改转型，或办结日期晚于统计日期）。目标为 0（动态清零）。"
        "只按全区和街道/地区统计。"
    ),
)

SOURCE = register(IndicatorSource(indicators=(OPEN_CASES,), compute=compute_open_cases))


def results_url(subdistrict_id: int | None) -> str:
    """The coverage's breakdown: the results overview of the current cycle (per sub-district)."""
    url = reverse("inspections:results_overview")
    return url if subdistrict_id is None else f"{url}?subdistrict={subdistrict_id}"


def compute_evaluation_coverage(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    """One GROUP BY (sub-district × sponsor type) over the plan of the cycle in force on the date."""
    cycle = EvaluationCycle.objects.current(context.day)
    grouped: dict[tuple, Coverage] = {}
    if cycle is not None:
        assignments = CycleAssignment.objects.filter(context.within("kindergarten__"), cycle=cycle)
        grouped = coverage_grouped(assignments, "kindergarten__subdistrict_id", "kindergarten__sponsor_type")

    # One pass over the group rows, not rows × scopes (reports.scopes.GroupSums).
    sums = GroupSums(((key, (c.evaluated, c.planned)) for key, c in grouped.items()), 2)
    figures: dict[Scope, dict[str, Tally]] = {}
    for scope in context.scopes:
        evaluated, planned = sums.of(scope)
        figures[scope] = {EVALUATION_COVERAGE: Tally(evaluated, planned)}
    return figures


EVALUATION_COVERAGE_DEFINITION = IndicatorDefinition(
    code=EVALUATION_COVERAGE,
    label=COVERAGE_LABEL,
    short_label=_("评估覆盖率"),
    unit=Unit.RATIO,
    direction=Comparison.AT_LEAST,
    scopes=ALL_SCOPES,
    order=50,
    numerator_label=_("已完成评估"),
    denominator_label=_("计划评估"),
    breakdown_url=results_url,
    definition=COVERAGE_DEFINITION,
)

COVERAGE_SOURCE = register(
    IndicatorSource(indicators=(EVALUATION_COVERAGE_DEFINITION,), compute=compute_evaluation_coverage)
)
QUALITY_PANEL = register_panel(
    DashboardPanel(name="quality", template="reports/_quality_panel.html", build=quality_panel)
)
