"""The staff indicators: staffing to standard, children per full-time teacher, certificates.

Terms, for a date D
-------------------
- Operating kindergartens: licensed ones and community points (as the other indicators).
- The standard is the `StaffingStandard` in force on D; staff are the posts held on D (hired by D,
  not left before it); classes and children are the kindergarten's classes of the school year D
  falls in, toddler classes included (`staff.compliance`; each kindergarten is judged against
  the standard of its day type, `Kindergarten.day_type`).
- ``staffing_compliance``: operating kindergartens meeting all six staffing checks (all staff :
  children, care-and-teaching staff : children, per class, principals, health staff, children per
  full-time teacher) ÷ operating kindergartens (target 100 %). Certificates are measured apart.
- ``children_per_fulltime_teacher``: children in operating kindergartens ÷ their full-time
  teachers (专任教师, full time), shown as a number (12.5), target ≤ 15. Without a full-time
  teacher there is no value.
- ``teacher_certified_rate``: teachers holding every certificate their role requires on D ÷
  teachers, in operating kindergartens (target 100 %).
- ``principal_certified_rate``: the same for principals and deputy principals (双证: teacher
  qualification and principal certificate).
- ``certificates_expiring``: certificates valid on D expiring within the standard's notice days
  (90) and not already renewed, held by staff of operating kindergartens, counted at the
  kindergarten of each current post (a count; no target).

One source: one GROUP BY over operating kindergartens per (sub-district, sponsor type) with the
per-kindergarten figures and checks in SQL (`staff.day_figures.grouped_staffing_sql`: posts and
classes read from the table of each kindergarten's figures of the day, `staff.day_figures`,
filled once per engine run and shared with the dual-certificate rate and the safety guard rule;
the pages and the drill-down judge the same checks per kindergarten with `with_staffing_checks`),
and one GROUP BY over expiring certificates; every scope is summed from those group rows by the
database (`reports.scopes.GroupSums.in_database`). ``reports`` finds this module by
autodiscovery and imports nothing from here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.report_rows import excerpt
from common.temp_tables import TempTables, temp_tables
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

from .choices import STAFFING_CHECKS
from .dashboard import staff_panel
from .day_figures import GROUP_SUMS, day_figures, grouped_staffing_sql
from .models import StaffingStandard, StaffMember
from .selectors import expiring_condition, with_staffing_checks

STAFFING_COMPLIANCE = "staffing_compliance"
CHILDREN_PER_FULLTIME_TEACHER = "children_per_fulltime_teacher"
TEACHER_CERTIFIED_RATE = "teacher_certified_rate"
PRINCIPAL_CERTIFIED_RATE = "principal_certified_rate"
CERTIFICATES_EXPIRING = "certificates_expiring"

SUMS = ("operating", "staffing", *GROUP_SUMS)  # GROUP_SUMS: children_this_year, fulltime_teachers, …


def _staffing_sums(context: IndicatorContext, standard: StaffingStandard | None, tables: TempTables) -> GroupSums:
    table = day_figures(tables, Kindergarten.objects.filter(context.within()), context.day)
    kindergartens = Kindergarten.objects.operating().filter(context.within())
    grouped = grouped_staffing_sql(kindergartens, table, standard, "subdistrict", "sponsor_type")
    return GroupSums.in_database(grouped, len(SUMS))


def _expiring_sums(context: IndicatorContext, standard: StaffingStandard | None) -> GroupSums:
    if standard is None:
        return GroupSums((), 1)
    # One row per (certificate, current post of its holder): grouped by the post's kindergarten.
    # The holders' certificates are tested in the join (one filter() call: the same certificate
    # row), not as ``id IN (expiring)``, which joined every certificate to the expiring ones.
    posts = StaffMember.objects.on(context.day).filter(
        expiring_condition(context.day, standard.expiry_notice_days, "person__certificates__"),
        context.within("kindergarten__"),
        kindergarten__in=Kindergarten.objects.operating(),
    )
    grouped = posts.values_list("kindergarten__subdistrict", "kindergarten__sponsor_type").annotate(
        n=Count("person__certificates")
    )
    return GroupSums.in_database(grouped.order_by(), 1)


def compute_staff_figures(context: IndicatorContext) -> dict[Scope, dict[str, Tally]]:
    """The source's function: two GROUP BY queries, summed per scope by the database (GroupSums)."""
    standard = StaffingStandard.objects.for_day(context.day)
    with temp_tables(context.tables) as tables:  # the engine's, shared with the other sources
        staffed = _staffing_sums(context, standard, tables)
    expired = _expiring_sums(context, standard)
    figures: dict[Scope, dict[str, Tally]] = {}
    for scope in context.scopes:
        sums = dict(zip(SUMS, staffed.of(scope), strict=True))
        (count,) = expired.of(scope)
        figures[scope] = {
            STAFFING_COMPLIANCE: Tally(sums["staffing"], sums["operating"]),
            CHILDREN_PER_FULLTIME_TEACHER: Tally(sums["children_this_year"], sums["fulltime_teachers"]),
            TEACHER_CERTIFIED_RATE: Tally(sums["teachers_certified"], sums["teachers"]),
            PRINCIPAL_CERTIFIED_RATE: Tally(sums["principals_certified"], sums["principals"]),
            CERTIFICATES_EXPIRING: Tally(count),
        }
    return figures


# --- the drill-down --------------------------------------------------------------------------


def _operating(scope: Scope, day: datetime.date) -> QuerySet[Kindergarten]:
    """The scope's operating kindergartens with the drill-down's enrolment figures and the staffing checks."""
    queryset = annotated_kindergartens(scope, day).operating()
    standard = StaffingStandard.objects.for_day(day)
    return with_staffing_checks(queryset, day, standard).order_by("subdistrict__code", "code")


def expiring_url(subdistrict_id: int | None) -> str:
    url = reverse("staff:certificate_expiry") + "?state=expiring"
    return url if subdistrict_id is None else f"{url}&subdistrict={subdistrict_id}"


def _kindergarten_indicator(code, label, short, numerator, denominator, parts, definition, order, **extra):
    return IndicatorDefinition(
        code=code,
        label=label,
        short_label=short,
        unit=extra.pop("unit", Unit.RATIO),
        direction=extra.pop("direction", Comparison.AT_LEAST),
        order=order,
        numerator_label=numerator,
        denominator_label=denominator,
        kindergartens=_operating,
        lists_figures=False,
        parts=parts,
        definition=definition,
        **extra,
    )


INDICATORS = (
    _kindergarten_indicator(
        STAFFING_COMPLIANCE,
        _("教职工配备达标率"),
        _("配备达标"),
        _("配备达标园"),
        _("在办幼儿园"),
        Parts(Q(meets_staffing=True), _("达标"), _("未达标")),
        _(
            "全园教职工与幼儿比、保教人员与幼儿比、每班专任教师和保育员、园长人数、专职卫生保健人员、"
            "专任教师与幼儿比六项均达到统计日期有效的教职工配备标准（全日制）的在办幼儿园数 ÷ 在办幼儿园数。"
        ),
        70,
        binds_parts=True,
    ),
    _kindergarten_indicator(
        CHILDREN_PER_FULLTIME_TEACHER,
        _("专任教师生师比"),
        _("生师比"),
        _("在园幼儿"),
        _("专职专任教师"),
        Parts(Q(meets_fulltime_teacher_ratio=True), _("不超过 15:1"), _("超过 15:1")),
        _("在办幼儿园本学年班级的幼儿数（含托班）÷ 在职的专职专任教师数，即每名专任教师对应的幼儿数，目标不超过 15。"),
        71,
        unit=Unit.PER,
        direction=Comparison.AT_MOST,
        binds_parts=True,
    ),
    _kindergarten_indicator(
        TEACHER_CERTIFIED_RATE,
        _("专任教师持证率"),
        _("教师持证"),
        _("持证专任教师"),
        _("专任教师"),
        Parts(Q(meets_teacher_certificates=True), _("全部持证"), _("有未持证")),
        _("在办幼儿园在职专任教师中，统计日期持有有效教师资格证的人数 ÷ 专任教师人数。"),
        72,
        binds_parts=True,
    ),
    _kindergarten_indicator(
        PRINCIPAL_CERTIFIED_RATE,
        _("园长持证率"),
        _("园长持证"),
        _("双证齐全的园长"),
        _("园长（含副园长）"),
        Parts(Q(meets_principal_certificates=True), _("全部持证"), _("有未持证")),
        _(
            "在办幼儿园在职园长、副园长中，统计日期同时持有有效教师资格证和园长任职资格（培训合格）证的人数 ÷ 园长、副园长人数。"
        ),
        73,
        binds_parts=True,
    ),
    IndicatorDefinition(
        code=CERTIFICATES_EXPIRING,
        label=_("即将到期证书数"),
        short_label=_("证书将到期"),
        unit=Unit.COUNT,
        direction=Comparison.AT_MOST,
        order=74,
        breakdown_url=expiring_url,
        definition=_(
            "在办幼儿园在职教职工的证书中，统计日期有效、在配备标准规定的提醒天数（90 天）内到期且尚未换发新证的证书数。"
        ),
    ),
)

# --- the PDF report's chapter ----------------------------------------------------------------

SNAPSHOT_FIELDS = ("indicator", "numerator", "denominator", "value", "target", "met", "national_target", "national_met")
# The development codes (indicators_development) are listed by name: that module imports this one.
PDF_CODES = (
    STAFFING_COMPLIANCE,
    CHILDREN_PER_FULLTIME_TEACHER,
    TEACHER_CERTIFIED_RATE,
    PRINCIPAL_CERTIFIED_RATE,
    CERTIFICATES_EXPIRING,
    "dual_certificate_rate",
    "principal_credit_completion",
    "social_insurance_coverage",
)
# The district table's columns: the indicators with a target.
PDF_ROW_CODES = (STAFFING_COMPLIANCE, CHILDREN_PER_FULLTIME_TEACHER, TEACHER_CERTIFIED_RATE, PRINCIPAL_CERTIFIED_RATE)


@dataclass
class StaffRow:
    name: str
    figures: dict[str, Figure]


@dataclass
class StaffSection:
    day: datetime.date
    subdistrict: Subdistrict | None
    figures: list[Figure]
    rows: list[StaffRow] = field(default_factory=list)  # the district's sub-districts short of a target
    rows_total: int = 0  # how many are short: `rows` lists them all, or the furthest behind (common.report_rows)
    areas_clear: int = 0
    unmet: list[Kindergarten] = field(default_factory=list)  # a sub-district's kindergartens short of the standard
    today: datetime.date | None = None
    row_codes: tuple[str, ...] = PDF_ROW_CODES

    @property
    def row_labels(self) -> list[str]:
        by_code = {f.indicator: f for f in self.figures}
        return [by_code[code].short_label for code in self.row_codes if code in by_code]

    @property
    def check_labels(self) -> list[str]:
        return [check.label for check in STAFFING_CHECKS]


def staff_pdf_section(day: datetime.date, subdistrict: Subdistrict | None = None) -> StaffSection:
    """The snapshot's staff figures; the district's sub-districts short of a target, or a
    sub-district's kindergartens short of the staffing standard today (with the checks they miss)."""
    targets = targets_in_force(day)
    snapshots = IndicatorSnapshot.objects.filter(date=day, indicator__in=PDF_CODES)
    own = (
        Q(scope_type=ScopeType.DISTRICT)
        if subdistrict is None
        else Q(scope_type=ScopeType.SUBDISTRICT, subdistrict=subdistrict)
    )
    found = {row["indicator"]: row for row in snapshots.filter(own).values(*SNAPSHOT_FIELDS)}
    figures = [make_figure(code, found.get(code), targets) for code in PDF_CODES]
    section = StaffSection(day=day, subdistrict=subdistrict, figures=figures)
    if subdistrict is None:
        by_area: dict[str, dict] = {}
        for row in (
            snapshots.filter(scope_type=ScopeType.SUBDISTRICT, indicator__in=section.row_codes)
            .order_by("subdistrict__code")
            .values("subdistrict__name", *SNAPSHOT_FIELDS)
        ):
            by_area.setdefault(row["subdistrict__name"], {})[row["indicator"]] = row
        every = [
            StaffRow(name, {code: make_figure(code, rows.get(code), targets) for code in section.row_codes})
            for name, rows in by_area.items()
        ]
        shown = excerpt(
            (row for row in every if any(f.short for f in row.figures.values())),
            worst_first=lambda row: -sum(f.short for f in row.figures.values()),  # most figures short first
        )
        section.rows, section.rows_total = shown.rows, shown.total
        section.areas_clear = len(every) - shown.total
        return section
    today = section.today = timezone.localdate()
    operating = Kindergarten.objects.filter(subdistrict=subdistrict).operating()
    section.unmet = list(
        with_staffing_checks(operating, today, StaffingStandard.objects.for_day(today))
        .filter(meets_staffing=False)
        .order_by("code")
    )
    for kindergarten in section.unmet:
        kindergarten.staffing_flags = [getattr(kindergarten, f"meets_{check.value}") for check in STAFFING_CHECKS]
    return section


SOURCE = register(IndicatorSource(indicators=INDICATORS, compute=compute_staff_figures))
STAFF_PANEL = register_panel(DashboardPanel(name="staff", template="staff/_dashboard_panel.html", build=staff_panel))
PDF_SECTION = register_pdf_section(PdfSection(name="staff", template="staff/pdf_section.html", build=staff_pdf_section))

# The development indicators (principals, certificates, insurance) register after the core ones.
from . import indicators_development  # noqa: E402, F401
