"""What the registry contributes to the reports: residential-estate kindergartens not in place.

``estate_not_in_place`` = residential-estate kindergartens (``is_estate_kindergarten``) with at
least one `EstateGap` open on D: begun on or before D and not resolved on or before D
(``resolved_on`` empty or after D), so a recomputed past date counts what was open then. A count,
target 0 ("≤"); per district, sub-district and sponsor type. One GROUP BY per computation
(sub-district × sponsor type), every scope summed from its rows.

``reports`` finds this module by autodiscovery (see `reports.registry`) and imports nothing from
this app. The dashboard panel (`estates.estate_panel`) shows the count and the longest gaps.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from reports.choices import Comparison, ScopeType
from reports.registry import (
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

from .estates import estate_panel
from .models import EstateGap, Kindergarten

ESTATE_NOT_IN_PLACE = "estate_not_in_place"


def board_url(subdistrict_id: int | None) -> str:
    """The estate board, showing the kindergartens with an open gap of the sub-district."""
    url = reverse("kindergartens:estate_board")
    return url if subdistrict_id is None else f"{url}?subdistrict={subdistrict_id}"


def compute_estate_figures(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    """One GROUP BY: estate kindergartens with a gap open on the date, per (sub-district, sponsor type)."""
    open_gap = EstateGap.objects.filter(kindergarten=OuterRef("pk")).open_on(context.day)
    rows = Kindergarten.objects.filter(Exists(open_gap), is_estate_kindergarten=True)
    only = context.only
    if only is not None and only.type == ScopeType.SUBDISTRICT:
        rows = rows.filter(subdistrict=only.subdistrict_id)
    elif only is not None and only.type == ScopeType.OWNERSHIP:
        rows = rows.filter(sponsor_type=only.key)
    groups = rows.values("subdistrict", "sponsor_type").annotate(n=Count("pk")).order_by()
    by_subdistrict: dict[int, int] = defaultdict(int)
    by_sponsor: dict[str, int] = defaultdict(int)
    for group in groups:
        by_subdistrict[group["subdistrict"]] += group["n"]
        by_sponsor[group["sponsor_type"]] += group["n"]
    figures: dict[Scope, dict[str, Tally]] = {}
    for scope in context.scopes:
        if scope.type == ScopeType.DISTRICT:
            count = sum(by_subdistrict.values())
        elif scope.type == ScopeType.SUBDISTRICT:
            count = by_subdistrict.get(scope.subdistrict_id, 0)
        else:
            count = by_sponsor.get(scope.key, 0)
        figures[scope] = {ESTATE_NOT_IN_PLACE: Tally(count)}
    return figures


NOT_IN_PLACE = IndicatorDefinition(
    code=ESTATE_NOT_IN_PLACE,
    label=_("配套园“四个不到位”园数"),
    short_label=_("配套园不到位"),
    unit=Unit.COUNT,
    direction=Comparison.AT_MOST,
    binds_parts=True,
    order=45,
    breakdown_url=board_url,
    definition=_(
        "统计日期至少有一项规划、配建、移交或使用不到位尚未解决（起始日期不晚于统计日期，且未解决或"
        "解决日期晚于统计日期）的居住区配套园数，目标为 0。"
    ),
)

SOURCE = register(IndicatorSource(indicators=(NOT_IN_PLACE,), compute=compute_estate_figures))
ESTATE_PANEL = register_panel(
    DashboardPanel(name="estates", template="kindergartens/_estate_panel.html", build=estate_panel)
)
