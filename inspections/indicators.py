"""What inspections contributes to the reports: the open unlicensed cases indicator and the dashboard's
quality-evaluation panel.

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
from reports.scopes import Scope

from .choices import OPEN_UNLICENSED_STATUSES
from .dashboard import quality_panel
from .models import UnlicensedCase

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
QUALITY_PANEL = register_panel(
    DashboardPanel(name="quality", template="reports/_quality_panel.html", build=quality_panel)
)
