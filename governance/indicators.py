"""The governance indicators: recognitions needing renewal and open fee anomalies.

Terms, for a date D
-------------------
- ``recognitions_expiring``: recognitions in state recognised (not revoked), recognised on or
  before D, whose expiry is on or before D + N days, N the warning days of the recognition policy
  in force on D (lapsed ones included: they stay counted until renewed or revoked). A count,
  target 0 ("≤"). Renewals move the expiry, so a past date is counted with today's expiries.
- ``fee_anomalies_open``: fee alerts raised on or before D and not resolved on D (still open, or
  resolved only after D). A count, target 0.

One GROUP BY per indicator over (sub-district, sponsor type); every scope is summed from those
group rows. The PDF report's governance chapter (`governance.pdf`) is registered here too.
``reports`` finds this module by autodiscovery and imports nothing from here.
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.choices import Comparison
from reports.registry import (
    DashboardPanel,
    IndicatorContext,
    IndicatorDefinition,
    IndicatorSource,
    PdfSection,
    Tally,
    Unit,
    register,
    register_panel,
    register_pdf_section,
)
from reports.scopes import GroupSums, Scope

from .dashboard import recognitions_panel
from .models import FeeAlert, Recognition
from .pdf import governance_pdf_section
from .selectors import warning_days

RECOGNITIONS_EXPIRING = "recognitions_expiring"
FEE_ANOMALIES_OPEN = "fee_anomalies_open"


def _sums(queryset) -> GroupSums:
    """How many rows of `queryset` per scope, added up by the database (reports.scopes.GroupSums)."""
    grouped = (
        queryset.values_list("kindergarten__subdistrict", "kindergarten__sponsor_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return GroupSums.in_database(grouped, 1)


def compute_governance_figures(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    day = context.day
    sums = {
        RECOGNITIONS_EXPIRING: _sums(
            Recognition.objects.expiring(day, warning_days(day)).filter(context.within("kindergarten__"))
        ),
        FEE_ANOMALIES_OPEN: _sums(FeeAlert.objects.open_on(day).filter(context.within("kindergarten__"))),
    }
    figures: dict[Scope, dict[str, Tally]] = {}
    for scope in context.scopes:
        figures[scope] = {code: Tally(totals.of(scope)[0]) for code, totals in sums.items()}
    return figures


def expiring_url(subdistrict_id: int | None) -> str:
    query = "expiring=true" if subdistrict_id is None else f"expiring=true&subdistrict={subdistrict_id}"
    return f"{reverse('governance:recognition_list')}?{query}"


def anomalies_url(subdistrict_id: int | None) -> str:
    query = "status=open" if subdistrict_id is None else f"status=open&subdistrict={subdistrict_id}"
    return f"{reverse('governance:fee_alert_list')}?{query}"


INDICATORS = (
    IndicatorDefinition(
        code=RECOGNITIONS_EXPIRING,
        label=_("普惠认定到期待续数"),
        short_label=_("认定到期"),
        unit=Unit.COUNT,
        direction=Comparison.AT_MOST,
        order=70,
        breakdown_url=expiring_url,
        definition=_(
            "统计日期处于“已认定”状态、有效期已届满或将在预警天数（以统计日期有效的认定规则为准）内届满、"
            "尚未延续或撤销的普惠性民办园认定数，目标为 0。"
        ),
    ),
    IndicatorDefinition(
        code=FEE_ANOMALIES_OPEN,
        label=_("未处理收费预警数"),
        short_label=_("收费预警"),
        unit=Unit.COUNT,
        direction=Comparison.AT_MOST,
        order=71,
        breakdown_url=anomalies_url,
        definition=_(
            "统计日期尚未处理的收费预警数：收费超过限价、本学年保育教育费未备案、非营利性民办园向举办者支付款项，"
            "发现日期不晚于统计日期且在统计日期尚未处理。目标为 0。"
        ),
    ),
)

SOURCE = register(IndicatorSource(indicators=INDICATORS, compute=compute_governance_figures))
RECOGNITIONS_PANEL = register_panel(
    DashboardPanel(name="recognitions", template="governance/_recognition_panel.html", build=recognitions_panel)
)
PDF_SECTION = register_pdf_section(
    PdfSection(name="governance", template="governance/pdf_section.html", build=governance_pdf_section)
)
