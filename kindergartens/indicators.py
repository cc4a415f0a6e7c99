"""What the registry contributes to the reports: residential-estate kindergartens not in place,
and area offices without a village centre kindergarten.

``estate_not_in_place`` = residential-estate kindergartens (``is_estate_kindergarten``) with at
least one `EstateGap` open on D: begun on or before D and not resolved on or before D
(``resolved_on`` empty or after D), so a recomputed past date counts what was open then. A count,
target 0 ("≤"); per district, sub-district and sponsor type. One GROUP BY per computation
(sub-district × sponsor type), every scope summed from its rows.

``village_centre_missing`` (plan 一, 2: 推进乡村中心园建设; plan 四: 纳入对街道、地区（乡）办事处督导考核)
= area offices (地区/乡, `SubdistrictKind.AREA`) without a licensed public village centre
kindergarten (``is_village_centre``, a public sponsor, licence status licensed). The rule binds
the area offices only: a street sub-district (街道) has no value (no data, so the scorecard
neither gives nor takes points for it); an area office counts 1 or 0, the district the number
of its area offices missing one. The registry keeps no licence dates, so the count is of the
registry as it stands when computed. Per district and sub-district (not per sponsor type: an
area office belongs to none). One query.

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

from .choices import PUBLIC_SPONSORS, LicenceStatus, SubdistrictKind
from .estates import estate_panel
from .models import EstateGap, Kindergarten, Subdistrict

ESTATE_NOT_IN_PLACE = "estate_not_in_place"
VILLAGE_CENTRE_MISSING = "village_centre_missing"


def board_url(subdistrict_id: int | None) -> str:
    """The estate board, showing the kindergartens with an open gap of the sub-district."""
    url = reverse("kindergartens:estate_board")
    return url if subdistrict_id is None else f"{url}?subdistrict={subdistrict_id}"


def compute_estate_figures(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    """One GROUP BY: estate kindergartens with a gap open on the date, per (sub-district, sponsor type)."""
    open_gap = EstateGap.objects.filter(kindergarten=OuterRef("pk")).open_on(context.day)
    rows = Kindergarten.objects.filter(Exists(open_gap), context.within(), is_estate_kindergarten=True)
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


def village_centre_areas() -> dict[int, bool]:
    """Each area office's id → whether it has a licensed public village centre kindergarten (one query)."""
    centre = Kindergarten.objects.filter(
        subdistrict=OuterRef("pk"),
        is_village_centre=True,
        sponsor_type__in=PUBLIC_SPONSORS,
        licence_status=LicenceStatus.LICENSED,
    )
    return dict(
        Subdistrict.objects.filter(kind=SubdistrictKind.AREA).annotate(has=Exists(centre)).values_list("pk", "has")
    )


def compute_village_centre_figures(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    areas = village_centre_areas()
    figures: dict[Scope, dict[str, Tally]] = {}
    for scope in context.scopes:
        if scope.type == ScopeType.DISTRICT:
            figures[scope] = {VILLAGE_CENTRE_MISSING: Tally(sum(1 for has in areas.values() if not has))}
        elif scope.type == ScopeType.SUBDISTRICT:
            if scope.subdistrict_id in areas:
                figures[scope] = {VILLAGE_CENTRE_MISSING: Tally(0 if areas[scope.subdistrict_id] else 1)}
            else:  # a street: the rule does not bind it
                figures[scope] = {VILLAGE_CENTRE_MISSING: Tally(0, known=False)}
    return figures


def village_centre_url(subdistrict_id: int | None) -> str:
    """The registry's village centre kindergartens (of the sub-district)."""
    url = f"{reverse('kindergartens:kindergarten_list')}?is_village_centre=true"
    return url if subdistrict_id is None else f"{url}&subdistrict={subdistrict_id}"


VILLAGE_CENTRE = IndicatorDefinition(
    code=VILLAGE_CENTRE_MISSING,
    label=_("未建成村中心园的地区（乡）数"),
    short_label=_("缺村中心园"),
    unit=Unit.COUNT,
    direction=Comparison.AT_MOST,
    scopes=AREA_SCOPES,
    order=46,
    breakdown_url=village_centre_url,
    definition=_("没有一所已取得办学许可的公办村中心园的地区（乡）办事处数；街道不适用（无数据）。目标为 0。"),
)

SOURCE = register(IndicatorSource(indicators=(NOT_IN_PLACE,), compute=compute_estate_figures))
VILLAGE_SOURCE = register(IndicatorSource(indicators=(VILLAGE_CENTRE,), compute=compute_village_centre_figures))
ESTATE_PANEL = register_panel(
    DashboardPanel(name="estates", template="kindergartens/_estate_panel.html", build=estate_panel)
)
