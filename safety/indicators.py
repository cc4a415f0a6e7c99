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
- ``hazard_closure_rate``: of the hazards **due in the 12 months before D** — deadline on or
  after the same date a year earlier and before D (``[D − 1 year, D − 1 day]``; a hazard due on D
  itself may still be closed that day, so it waits for the next computation) — those closed by
  their deadline (``closed_on ≤ deadline``). Numerator: closed in time; denominator: due in the
  period; no hazard due: no value. A rolling twelve months, not the school year so far, so the
  figure is as steady in September as in June. Target: Chaoyang ≥ 90 %, the bureau's working
  value (`safety/migrations/0006_hazard_closure_target.py`), to be confirmed like the deadlines.

One source: one GROUP BY over operating kindergartens per (sub-district, sponsor type), the
per-kindergarten rules evaluated in SQL (the guard requirement as a CASE over the rule set's
bands, the children as a subquery), and one GROUP BY over hazards (open on D, or due in the
closure period); every scope is summed from those group rows.

Drill-down: a coverage lists the scope's operating kindergartens (达标 / 未达标, with their
children and capacity: `enrollment.indicators.annotated_kindergartens`); a count or the closure
rate opens the hazard list filtered to the hazards behind it.

This module also registers the dashboard's safety panel (`safety_panel`, live figures of the
user's scope with links to the lists) and the safety section of the PDF report
(`safety_pdf_section`, the snapshot's figures). ``reports`` finds this module by autodiscovery
and imports nothing from here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from urllib.parse import urlencode

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.report_rows import excerpt
from enrollment.indicators import annotated_kindergartens
from kindergartens.models import Kindergarten, Subdistrict
from reports.choices import Comparison, ScopeType
from reports.dashboard import Figure, make_figure, targets_in_force
from reports.models import IndicatorSnapshot
from reports.registry import (
    DashboardPanel,
    IndicatorContext,
    IndicatorDefinition,
    IndicatorSource,
    Parts,
    PdfSection,
    Tally,
    Unit,
    register,
    register_panel,
    register_pdf_section,
)
from reports.scopes import GroupSums, Scope
from staff.day_figures import day_figures

from .choices import OPEN_HAZARD_STATUSES, Severity
from .models import Hazard
from .selectors import (
    ALARM_COVERAGE,
    CLOSED_CAMPUS_COVERAGE,
    COVERAGES,
    GUARD_COVERAGE,
    SAFETY_FULL_COVERAGE,
    VIDEO_COVERAGE,
    guards_met,
    rule_conditions,
    with_coverage,
)

HAZARDS_OVERDUE = "hazards_overdue"
MAJOR_HAZARDS_OPEN = "major_hazards_open"
HAZARD_CLOSURE_RATE = "hazard_closure_rate"
CODES = (*COVERAGES, HAZARDS_OVERDUE, MAJOR_HAZARDS_OPEN, HAZARD_CLOSURE_RATE)


def closure_period(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last deadline counted by ``hazard_closure_rate`` on `day`: the 12 months before it."""
    try:
        first = day.replace(year=day.year - 1)
    except ValueError:  # 29 February: a year earlier has none
        first = day.replace(year=day.year - 1, day=28)
    return first, day - datetime.timedelta(days=1)


HAZARD_SUMS = ("overdue", "major", "due", "on_time")


def _coverage_sums(context: IndicatorContext, kindergartens: QuerySet[Kindergarten]) -> GroupSums:
    """Operating kindergartens per scope, and how many meet each coverage rule: one GROUP BY,
    summed per scope by the database (`reports.scopes.GroupSums`): the operating ones, then
    those meeting each rule in `COVERAGES` order.

    The guard rule needs each kindergarten's children: it is a grouping column (``pk IN`` the
    kindergartens meeting it, computed once), so no per-row subquery runs; the group rows with
    and without it are added up per scope.
    """
    operating = kindergartens.operating().filter(context.within())
    # In the engine, each kindergarten's posts and children come from the table its staff
    # sources fill (staff.day_figures); called alone (the dashboard's panel), they are counted here.
    shared = (
        None
        if context.tables is None
        else day_figures(context.tables, kindergartens.filter(context.within()), context.day)
    )
    conditions = rule_conditions()
    others = conditions[ALARM_COVERAGE] & conditions[VIDEO_COVERAGE] & conditions[CLOSED_CAMPUS_COVERAGE]
    singles = (ALARM_COVERAGE, VIDEO_COVERAGE, CLOSED_CAMPUS_COVERAGE)
    rows = (
        operating.annotate(
            guards_ok=ExpressionWrapper(
                Q(pk__in=guards_met(operating, context.day, shared)), output_field=BooleanField()
            )
        )
        .values("subdistrict", "sponsor_type", "guards_ok")
        .annotate(
            operating=Count("pk"),
            others=Count("pk", filter=others),
            **{c: Count("pk", filter=conditions[c]) for c in singles},
        )
        .values_list("subdistrict", "sponsor_type", "guards_ok", "operating", "others", *singles)
        .order_by()
    )
    # n0 guards_ok, n1 operating, n2 others (the three other rules met), n3–n5 the single rules.
    guard, full = "CASE WHEN n0 THEN n1 ELSE 0 END", "CASE WHEN n0 THEN n2 ELSE 0 END"
    return GroupSums.in_database(rows, 6, sums=("n1", guard, "n3", "n4", "n5", full))


def _hazard_sums(context: IndicatorContext, hazards: QuerySet[Hazard]) -> GroupSums:
    """The hazards per scope, in `HAZARD_SUMS` order: one GROUP BY summed by the database."""
    day = context.day
    first, last = closure_period(day)
    open_on_day = Q(found_on__lte=day) & (Q(status__in=OPEN_HAZARD_STATUSES) | Q(closed_on__gt=day))
    due = Q(deadline__gte=first, deadline__lte=last)
    rows = (
        hazards.filter(open_on_day | due, context.within("kindergarten__"))
        .values("kindergarten__subdistrict", "kindergarten__sponsor_type")
        .annotate(
            overdue=Count("pk", filter=open_on_day & Q(deadline__lt=day)),
            major=Count("pk", filter=open_on_day & Q(severity=Severity.MAJOR)),
            due=Count("pk", filter=due),
            on_time=Count("pk", filter=due & Q(closed_on__isnull=False, closed_on__lte=F("deadline"))),
        )
        .values_list("kindergarten__subdistrict", "kindergarten__sponsor_type", *HAZARD_SUMS)
        .order_by()
    )
    return GroupSums.in_database(rows, len(HAZARD_SUMS))


def _figures(scopes, coverage: GroupSums, hazards: GroupSums) -> dict[Scope, dict[str, Tally]]:
    """Every scope's tallies from the sums of `_coverage_sums` and `_hazard_sums`."""
    figures: dict[Scope, dict[str, Tally]] = {}
    for scope in scopes:
        operating, *met = coverage.of(scope)
        overdue, major, due, on_time = hazards.of(scope)
        figures[scope] = {code: Tally(n, operating) for code, n in zip(COVERAGES, met, strict=True)}
        figures[scope][HAZARDS_OVERDUE] = Tally(overdue)
        figures[scope][MAJOR_HAZARDS_OPEN] = Tally(major)
        figures[scope][HAZARD_CLOSURE_RATE] = Tally(on_time, due)
    return figures


def compute_safety_figures(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    """The source's function: two GROUP BY queries, summed per scope by the database."""
    coverage = _coverage_sums(context, Kindergarten.objects.all())
    hazards = _hazard_sums(context, Hazard.objects.all())
    return _figures(context.scopes, coverage, hazards)


# --- the drill-down --------------------------------------------------------------------------


def _operating(scope: Scope, day: datetime.date) -> QuerySet[Kindergarten]:
    """The scope's operating kindergartens with their children and capacity, and ``meets_<code>`` per rule."""
    return with_coverage(annotated_kindergartens(scope, day).operating(), day).order_by("subdistrict__code", "code")


def _hazard_list(subdistrict_id: int | None, **filters) -> str:
    if subdistrict_id is not None:
        filters["subdistrict"] = subdistrict_id
    return f"{reverse('safety:hazard_list')}?{urlencode(filters)}"


def overdue_url(subdistrict_id: int | None) -> str:
    url = reverse("safety:hazard_overdue")
    return url if subdistrict_id is None else f"{url}?subdistrict={subdistrict_id}"


def major_url(subdistrict_id: int | None) -> str:
    return _hazard_list(subdistrict_id, severity="major", open="true")


def closure_url(subdistrict_id: int | None, day: datetime.date | None = None) -> str:
    """The hazards due in the closure period of `day` (today by default)."""
    first, last = closure_period(day or timezone.localdate())
    return _hazard_list(subdistrict_id, deadline_from=first.isoformat(), deadline_to=last.isoformat())


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
    IndicatorDefinition(
        code=HAZARD_CLOSURE_RATE,
        label=_("隐患按期整改率"),
        short_label=_("按期整改"),
        unit=Unit.RATIO,
        direction=Comparison.AT_LEAST,
        binds_parts=True,  # every kindergarten rectifies on time, whoever sponsors it
        order=67,
        numerator_label=_("按期销号隐患"),
        denominator_label=_("期内到期隐患"),
        breakdown_url=closure_url,
        definition=_(
            "统计日期前 12 个月内到期（整改期限不早于上一年同日、早于统计日期）的安全隐患中，"
            "在整改期限当天或之前验收销号的隐患数 ÷ 期内到期的隐患数。期内没有到期隐患时不计算。"
        ),
    ),
)


# --- the dashboard panel -----------------------------------------------------------------------


def _scope_of(subdistrict: Subdistrict | None) -> Scope:
    return Scope.district() if subdistrict is None else Scope.of_subdistrict(subdistrict)


def _value(code: str, tally: Tally) -> Decimal | None:
    if code not in (HAZARDS_OVERDUE, MAJOR_HAZARDS_OPEN):
        if not tally.denominator:
            return None
        # Cut like the engine's stored values, so a figure never reads as more than it is.
        return (Decimal(tally.numerator) / Decimal(tally.denominator)).quantize(Decimal("0.000001"), ROUND_DOWN)
    return Decimal(tally.numerator)


def _make_figures(tallies: dict[str, Tally], day: datetime.date) -> dict[str, Figure]:
    """Figures as the dashboard shows them, judged against the targets in force on `day`."""
    targets = targets_in_force(day)
    return {
        code: make_figure(
            code,
            {"numerator": Decimal(t.numerator), "denominator": t.denominator, "value": _value(code, t)},
            targets,
        )
        for code, t in tallies.items()
    }


@dataclass
class PanelFigure:
    figure: Figure
    url: str  # the list behind the figure: kindergartens not meeting the rule, or hazards


@dataclass
class SafetyPanel:
    day: datetime.date
    subdistrict: Subdistrict | None
    coverages: list[PanelFigure] = field(default_factory=list)
    hazards: list[PanelFigure] = field(default_factory=list)
    hazard_list_url: str = ""
    overview_url: str = ""


def safety_panel(user, subdistrict: Subdistrict | None = None, today: datetime.date | None = None) -> SafetyPanel:
    """Today's safety figures of the user's scope (their sub-district, or the one shown), live.

    Live rather than the snapshot's: the counts must equal the lists the panel links to, which
    show today's hazards and profiles. The rows pass through `visible_to(user)`.
    """
    day = today or timezone.localdate()
    scope = _scope_of(subdistrict)
    context = IndicatorContext(day=day, scopes=(scope,), only=scope, targets={})
    tallies = _figures(
        (scope,),
        _coverage_sums(context, Kindergarten.objects.visible_to(user)),
        _hazard_sums(context, Hazard.objects.visible_to(user)),
    )[scope]
    figures = _make_figures(tallies, day)
    pk = subdistrict.pk if subdistrict else None

    def not_met(code: str) -> str:
        """The reports drill-down of the coverage, switched to the kindergartens that miss it."""
        query = {"part": "out"} if pk is None else {"subdistrict": pk, "part": "out"}
        return f"{reverse('reports:drilldown', args=[code])}?{urlencode(query)}"

    return SafetyPanel(
        day=day,
        subdistrict=subdistrict,
        coverages=[PanelFigure(figures[code], not_met(code)) for code in COVERAGES],
        hazards=[
            PanelFigure(figures[HAZARDS_OVERDUE], overdue_url(pk)),
            PanelFigure(figures[MAJOR_HAZARDS_OPEN], major_url(pk)),
            PanelFigure(figures[HAZARD_CLOSURE_RATE], closure_url(pk, day)),
        ],
        hazard_list_url=_hazard_list(pk, open="true"),
        overview_url=reverse("safety:index") + (f"?subdistrict={pk}" if pk else ""),
    )


# --- the PDF report's section ------------------------------------------------------------------

SNAPSHOT_FIELDS = ("indicator", "numerator", "denominator", "value", "target", "met", "national_target", "national_met")
PDF_HAZARD_ROWS = 40  # a sub-district's report lists at most this many overdue or major hazards


@dataclass
class SafetyRow:
    name: str
    figures: dict[str, Figure]


@dataclass
class SafetySection:
    day: datetime.date
    subdistrict: Subdistrict | None
    figures: list[Figure]
    rows: list[SafetyRow] = field(default_factory=list)  # the district's sub-districts short of a target
    rows_total: int = 0  # how many are short: `rows` lists them all, or the furthest behind (common.report_rows)
    areas_clear: int = 0  # the district's sub-districts meeting every target
    unmet: list[Kindergarten] = field(default_factory=list)  # a sub-district's kindergartens
    hazards: list[Hazard] = field(default_factory=list)
    hazard_total: int = 0
    today: datetime.date | None = None  # the day the listed kindergartens and hazards were read
    row_codes: tuple[str, ...] = (SAFETY_FULL_COVERAGE, HAZARDS_OVERDUE, MAJOR_HAZARDS_OPEN, HAZARD_CLOSURE_RATE)

    @property
    def row_labels(self) -> list[str]:
        by_code = {f.indicator: f for f in self.figures}
        return [by_code[code].short_label for code in self.row_codes if code in by_code]


def safety_pdf_section(day: datetime.date, subdistrict: Subdistrict | None = None) -> SafetySection:
    """The snapshot's safety figures for the report; a sub-district's also lists what falls short.

    The district report has a table per sub-district and no kindergarten; a sub-district's lists
    its kindergartens missing one of the four rules and its overdue or open major hazards (today's
    records, as the report's kindergarten list).
    """
    targets = targets_in_force(day)
    snapshots = IndicatorSnapshot.objects.filter(date=day, indicator__in=CODES)
    own = (
        Q(scope_type=ScopeType.DISTRICT)
        if subdistrict is None
        else Q(scope_type=ScopeType.SUBDISTRICT, subdistrict=subdistrict)
    )
    found = {row["indicator"]: row for row in snapshots.filter(own).values(*SNAPSHOT_FIELDS)}
    section = SafetySection(
        day=day, subdistrict=subdistrict, figures=[make_figure(code, found.get(code), targets) for code in CODES]
    )
    if subdistrict is None:
        by_area: dict[str, dict] = {}
        for row in (
            snapshots.filter(scope_type=ScopeType.SUBDISTRICT, indicator__in=section.row_codes)
            .order_by("subdistrict__code")
            .values("subdistrict__name", *SNAPSHOT_FIELDS)
        ):
            by_area.setdefault(row["subdistrict__name"], {})[row["indicator"]] = row
        every = [
            SafetyRow(name, {code: make_figure(code, rows.get(code), targets) for code in section.row_codes})
            for name, rows in by_area.items()
        ]
        # Only the sub-districts short of a target: a 300-row table would add half to the PDF's
        # rendering time (docs/benchmarks.md), and every value is on the dashboard and in the export.
        shown = excerpt(
            (row for row in every if any(f.short for f in row.figures.values())),
            worst_first=lambda row: -sum(f.short for f in row.figures.values()),  # most figures short first
        )
        section.rows, section.rows_total = shown.rows, shown.total
        section.areas_clear = len(every) - shown.total
        return section
    today = section.today = timezone.localdate()
    section.unmet = list(
        with_coverage(Kindergarten.objects.filter(subdistrict=subdistrict).operating(), today)
        .filter(meets_safety_full_coverage=False)
        .order_by("code")
    )
    hazards = (
        Hazard.objects.filter(kindergarten__subdistrict=subdistrict)
        .still_open()
        .filter(Q(deadline__lt=today) | Q(severity=Severity.MAJOR))
        .select_related("kindergarten")
        .order_by("deadline", "pk")
    )
    section.hazards = list(hazards[:PDF_HAZARD_ROWS])
    section.hazard_total = len(section.hazards) if len(section.hazards) < PDF_HAZARD_ROWS else hazards.count()
    return section


SOURCE = register(IndicatorSource(indicators=INDICATORS, compute=compute_safety_figures))
PANEL = register_panel(DashboardPanel(name="safety", template="safety/panel.html", build=safety_panel))
PDF_SECTION = register_pdf_section(
    PdfSection(name="safety", template="safety/pdf_section.html", build=safety_pdf_section)
)
