"""The safety indicators: the "three 100 %" coverages and the open hazards.

Terms, for a date D
-------------------
- Operating kindergartens: licensed ones and community points (as the enrolment indicators).
- The rule set is the `SafetyRuleSet` in force on D; people on campus = the profile's staff count
  + children in the kindergarten's classes of the school year D falls in (`safety.compliance`).
  A kindergarten without a safety profile meets no rule.
- ``guard_coverage``: full-time guards ≥ those the rule set requires for its people.
- ``alarm_coverage``: one-button alarm installed and linked to the police alarm centre.
- ``video_coverage``: video surveillance (at least one camera) linked to the police.
- ``closed_campus_coverage``: closed-campus management.
  Each = operating kindergartens meeting the rule ÷ operating kindergartens (target 100 %).
- ``safety_full_coverage``: operating kindergartens meeting all four ÷ operating kindergartens.
- ``hazards_overdue``: hazards found on or before D, not closed on D (still open, or closed only
  after D) and whose deadline is before D.
- ``major_hazards_open``: major hazards found on or before D and not closed on D.
  Both counts have target 0 ("≤").

One source: one GROUP BY over operating kindergartens per (sub-district, sponsor type), the
per-kindergarten rules evaluated in SQL (the guard requirement as a CASE over the rule set's
bands, the children as a subquery), and one GROUP BY over hazards; every scope is summed from
those group rows. ``reports`` finds this module by autodiscovery and imports nothing from here.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kindergartens.models import Kindergarten
from reports.choices import Comparison, ScopeType
from reports.registry import IndicatorContext, IndicatorDefinition, IndicatorSource, Parts, Tally, Unit, register
from reports.scopes import Scope

from .choices import OPEN_HAZARD_STATUSES, Severity
from .models import Hazard
from .selectors import (
    ALARM_COVERAGE,
    CLOSED_CAMPUS_COVERAGE,
    COVERAGES,
    GUARD_COVERAGE,
    SAFETY_FULL_COVERAGE,
    VIDEO_COVERAGE,
    annotated_safety,
    rule_conditions,
    with_coverage,
)

HAZARDS_OVERDUE = "hazards_overdue"
MAJOR_HAZARDS_OPEN = "major_hazards_open"


def _only(context: IndicatorContext, prefix: str) -> Q:
    only = context.only
    if only is None or only.type == ScopeType.DISTRICT:
        return Q()
    if only.type == ScopeType.SUBDISTRICT:
        return Q(**{f"{prefix}subdistrict": only.subdistrict_id})
    return Q(**{f"{prefix}sponsor_type": only.key})


Group = tuple[int, str]  # (sub-district, sponsor type)


def _coverage_groups(context: IndicatorContext) -> dict[Group, dict[str, int]]:
    conditions = rule_conditions()
    rows = (
        annotated_safety(Kindergarten.objects.operating().filter(_only(context, "")), context.day)
        .values("subdistrict", "sponsor_type")
        .annotate(operating=Count("pk"), **{code: Count("pk", filter=q) for code, q in conditions.items()})
        .order_by()
    )
    return {(r["subdistrict"], r["sponsor_type"]): r for r in rows}


def _hazard_groups(context: IndicatorContext) -> dict[Group, dict[str, int]]:
    day = context.day
    open_on_day = Q(found_on__lte=day) & (Q(status__in=OPEN_HAZARD_STATUSES) | Q(closed_on__gt=day))
    rows = (
        Hazard.objects.filter(open_on_day, _only(context, "kindergarten__"))
        .values("kindergarten__subdistrict", "kindergarten__sponsor_type")
        .annotate(
            overdue=Count("pk", filter=Q(deadline__lt=day)),
            major=Count("pk", filter=Q(severity=Severity.MAJOR)),
        )
        .order_by()
    )
    return {(r["kindergarten__subdistrict"], r["kindergarten__sponsor_type"]): r for r in rows}


def _belongs(scope: Scope, group: Group) -> bool:
    if scope.type == ScopeType.DISTRICT:
        return True
    if scope.type == ScopeType.SUBDISTRICT:
        return group[0] == scope.subdistrict_id
    return group[1] == scope.key


def compute_safety_figures(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    """The source's function: two GROUP BY queries, every scope summed from their group rows."""
    coverage = _coverage_groups(context)
    hazards = _hazard_groups(context)
    figures: dict[Scope, dict[str, Tally]] = {}
    for scope in context.scopes:
        sums: dict[str, int] = defaultdict(int)
        for group, row in coverage.items():
            if _belongs(scope, group):
                for key in ("operating", *COVERAGES):
                    sums[key] += row[key]
        for group, row in hazards.items():
            if _belongs(scope, group):
                sums["overdue"] += row["overdue"]
                sums["major"] += row["major"]
        figures[scope] = {code: Tally(sums[code], sums["operating"]) for code in COVERAGES}
        figures[scope][HAZARDS_OVERDUE] = Tally(sums["overdue"])
        figures[scope][MAJOR_HAZARDS_OPEN] = Tally(sums["major"])
    return figures


# --- the drill-down --------------------------------------------------------------------------


def _scope_kindergartens(scope: Scope) -> QuerySet[Kindergarten]:
    queryset = Kindergarten.objects.select_related("subdistrict")
    if scope.type == ScopeType.SUBDISTRICT:
        return queryset.filter(subdistrict=scope.subdistrict_id)
    if scope.type == ScopeType.OWNERSHIP:
        return queryset.filter(sponsor_type=scope.key)
    return queryset


def _operating(scope: Scope, day: datetime.date) -> QuerySet[Kindergarten]:
    return with_coverage(_scope_kindergartens(scope).operating(), day).order_by("subdistrict__code", "code")


def overdue_url(subdistrict_id: int | None) -> str:
    url = reverse("safety:hazard_overdue")
    return url if subdistrict_id is None else f"{url}?subdistrict={subdistrict_id}"


def major_url(subdistrict_id: int | None) -> str:
    query = "severity=major&open=true"
    if subdistrict_id is not None:
        query += f"&subdistrict={subdistrict_id}"
    return f"{reverse('safety:hazard_list')}?{query}"


def _coverage(code: str, label, short, numerator, definition, order: int) -> IndicatorDefinition:
    return IndicatorDefinition(
        code=code,
        label=label,
        short_label=short,
        unit=Unit.RATIO,
        direction=Comparison.AT_LEAST,
        binds_parts=True,
        order=order,
        numerator_label=numerator,
        denominator_label=_("在办幼儿园"),
        kindergartens=_operating,
        lists_figures=False,
        parts=Parts(Q(**{f"meets_{code}": True}), _("达标"), _("未达标")),
        definition=definition,
    )


INDICATORS = (
    _coverage(
        GUARD_COVERAGE,
        _("专职保安员配备达标率"),
        _("保安达标"),
        _("保安员配备达标园"),
        _(
            "专职保安员人数达到安全规则要求（教职工 + 幼儿不超过 1000 人至少 3 名，每增加 500 人增加 1 名，"
            "以统计日期有效的规则版本为准）的在办幼儿园数 ÷ 在办幼儿园数。未建安全档案的幼儿园计为未达标。"
        ),
        60,
    ),
    _coverage(
        ALARM_COVERAGE,
        _("一键式报警联网率"),
        _("一键报警"),
        _("一键报警联网园"),
        _("已安装一键式紧急报警并与公安报警中心联网的在办幼儿园数 ÷ 在办幼儿园数。"),
        61,
    ),
    _coverage(
        VIDEO_COVERAGE,
        _("视频监控联网率"),
        _("视频联网"),
        _("视频监控联网园"),
        _("已安装视频监控并与公安联网的在办幼儿园数 ÷ 在办幼儿园数。"),
        62,
    ),
    _coverage(
        CLOSED_CAMPUS_COVERAGE,
        _("封闭化管理率"),
        _("封闭管理"),
        _("封闭管理园"),
        _("实行封闭式管理的在办幼儿园数 ÷ 在办幼儿园数。"),
        63,
    ),
    _coverage(
        SAFETY_FULL_COVERAGE,
        _("平安校园“三个100%”达标率"),
        _("三个100%"),
        _("四项全部达标园"),
        _("保安员配备、一键式报警联网、视频监控联网、封闭式管理四项全部达标的在办幼儿园数 ÷ 在办幼儿园数。"),
        64,
    ),
    IndicatorDefinition(
        code=HAZARDS_OVERDUE,
        label=_("逾期未整改隐患数"),
        short_label=_("逾期隐患"),
        unit=Unit.COUNT,
        direction=Comparison.AT_MOST,
        order=65,
        breakdown_url=overdue_url,
        definition=_("统计日期尚未验收销号、且整改期限早于统计日期的安全隐患数，目标为 0。"),
    ),
    IndicatorDefinition(
        code=MAJOR_HAZARDS_OPEN,
        label=_("未销号重大隐患数"),
        short_label=_("重大隐患"),
        unit=Unit.COUNT,
        direction=Comparison.AT_MOST,
        order=66,
        breakdown_url=major_url,
        definition=_("统计日期尚未验收销号的重大隐患数，目标为 0。"),
    ),
)

SOURCE = register(IndicatorSource(indicators=INDICATORS, compute=compute_safety_figures))
