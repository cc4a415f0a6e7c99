"""Each check of the staffing standard, evaluated into met / not met with its reason.

`evaluate()` is a pure function of a kindergarten's figures, the standard in force and the day
type: no queries, so every rule is tested at its edges without a database.
`evaluate_kindergarten()` reads the figures of one kindergarten in one query
(`selectors.annotated_staffing`, the same SQL the indicators group) for the staff page.

Figures: current posts on the day (hired by then, not left before it); classes and children of
the kindergarten's classes of the school year the day falls in (the official figures,
`enrollment.SchoolClass`, toddler classes included). Each kindergarten is judged against the
standard of its day type, recorded in the registry (`Kindergarten.day_type`, 全日制 by default).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, fields

from django.utils.translation import gettext as _

from kindergartens.models import Kindergarten

from .choices import DayType, StaffingCheck
from .models import StaffingStandard
from .selectors import (
    ALL_STAFF,
    BASIS,
    CARERS,
    FULLTIME_TEACHERS,
    HEALTH,
    PER_CLASS,
    PRINCIPAL_CERTIFICATES,
    PRINCIPALS,
    TEACHER_CERTIFICATES,
    annotated_staffing,
)


@dataclass(frozen=True)
class StaffFigures:
    classes: int = 0
    children: int = 0
    staff_total: int = 0
    carers: int = 0  # teachers + caregivers (保教人员)
    teachers: int = 0
    caregivers: int = 0
    fulltime_teachers: int = 0
    principals: int = 0  # principals and deputy principals
    health_staff: int = 0  # full-time
    teachers_certified: int = 0
    principals_certified: int = 0

    @classmethod
    def of(cls, row) -> StaffFigures:
        """From a kindergarten annotated by `annotated_staffing`."""
        renamed = {"classes": "classes_this_year", "children": "children_this_year"}  # Kindergarten.classes exists
        return cls(**{f.name: getattr(row, renamed.get(f.name, f.name)) for f in fields(cls)})


@dataclass(frozen=True)
class CheckResult:
    code: str
    label: str
    met: bool
    reason: str


def _ratio(children: int, people: int) -> str:
    return f"1:{children / people:.1f}" if people and children else "—"


def _result(code: StaffingCheck, met: bool, reason: str) -> CheckResult:
    return CheckResult(code=code.value, label=str(code.label), met=met, reason=reason)


def _ratio_check(code: StaffingCheck, met: bool, who, people: int, children: int, low: int, high: int) -> CheckResult:
    needed = math.ceil(children / high)
    reason = _(
        "%(who)s %(people)d 人，幼儿 %(children)d 人，比例 %(ratio)s；标准 1:%(low)d – 1:%(high)d，至少需 %(needed)d 人"
    ) % {
        "who": who,
        "people": people,
        "children": children,
        "ratio": _ratio(children, people),
        "low": low,
        "high": high,
        "needed": needed,
    }
    return _result(code, met, reason)


def _rate_check(code: StaffingCheck, met: bool, who, holders: int, total: int, rate) -> CheckResult:
    if total == 0:
        reason = _("无%(who)s") % {"who": who}
    else:
        reason = _("%(who)s %(total)d 人，持有应持证书 %(holders)d 人（%(share)s）；要求 %(rate)s") % {
            "who": who,
            "total": total,
            "holders": holders,
            "share": f"{holders * 100 // total}%",
            "rate": f"{rate * 100:.0f}%",
        }
    return _result(code, met, reason)


def verdicts(figures: StaffFigures, *, standard: StaffingStandard, day_type: str = DayType.FULL_DAY) -> dict[str, bool]:
    """Whether each check of `standard` is met, without the reasons (the dashboard's counts)."""
    return judge(standard, day_type)(figures)


def judge(standard: StaffingStandard, day_type: str = DayType.FULL_DAY) -> Callable[[StaffFigures], dict[str, bool]]:
    """`verdicts` for one standard and day type, its constants read once: the dashboard judges
    ~2,000 kindergartens with it (reading them per call was ~35 ms there; docs/benchmarks.md)."""
    r = standard.ratios(day_type)
    staff_ratio, carer_ratio = r["staff_ratio_high"], r["carer_ratio_high"]
    teachers_per_class, carers_per_class = r["teachers_per_class"], r["carers_per_class"]
    per_teacher = standard.children_per_fulltime_teacher
    teacher_rate, principal_rate = (
        int(standard.teacher_certified_rate * BASIS),
        int(standard.principal_certified_rate * BASIS),
    )
    max_principals, required_health_staff = standard.max_principals, standard.required_health_staff

    def met(f: StaffFigures) -> dict[str, bool]:
        return {
            ALL_STAFF: f.children <= f.staff_total * staff_ratio,
            CARERS: f.children <= f.carers * carer_ratio,
            PER_CLASS: f.teachers >= f.classes * teachers_per_class and f.carers >= f.classes * carers_per_class,
            PRINCIPALS: 1 <= f.principals <= max_principals(f.classes),
            HEALTH: f.health_staff >= required_health_staff(f.children),
            FULLTIME_TEACHERS: f.children <= f.fulltime_teachers * per_teacher,
            TEACHER_CERTIFICATES: f.teachers == 0 or f.teachers_certified * BASIS >= f.teachers * teacher_rate,
            PRINCIPAL_CERTIFICATES: f.principals == 0
            or f.principals_certified * BASIS >= f.principals * principal_rate,
        }

    return met


def evaluate(
    figures: StaffFigures, *, standard: StaffingStandard, day_type: str = DayType.FULL_DAY
) -> list[CheckResult]:
    """Every check of `standard` for these figures, met as `verdicts` decides, with its reason."""
    f = figures
    r = standard.ratios(day_type)
    met = verdicts(f, standard=standard, day_type=day_type)
    per_class_teachers = f.classes * r["teachers_per_class"]
    per_class_carers = f.classes * r["carers_per_class"]
    most_principals = standard.max_principals(f.classes)
    health_needed = standard.required_health_staff(f.children)
    teacher_limit = standard.children_per_fulltime_teacher
    return [
        _ratio_check(
            StaffingCheck.ALL_STAFF,
            met[StaffingCheck.ALL_STAFF],
            _("教职工"),
            f.staff_total,
            f.children,
            r["staff_ratio_low"],
            r["staff_ratio_high"],
        ),
        _ratio_check(
            StaffingCheck.CARERS,
            met[StaffingCheck.CARERS],
            _("保教人员"),
            f.carers,
            f.children,
            r["carer_ratio_low"],
            r["carer_ratio_high"],
        ),
        _result(
            StaffingCheck.PER_CLASS,
            met[StaffingCheck.PER_CLASS],
            _(
                "%(classes)d 个班，专任教师 %(teachers)d 人、保育员 %(caregivers)d 人；"
                "标准每班 %(tpc)d 名专任教师、共 %(cpc)d 名保教人员，至少需专任教师 %(need_t)d 人、保教人员 %(need_c)d 人"
            )
            % {
                "classes": f.classes,
                "teachers": f.teachers,
                "caregivers": f.caregivers,
                "tpc": r["teachers_per_class"],
                "cpc": r["carers_per_class"],
                "need_t": per_class_teachers,
                "need_c": per_class_carers,
            },
        ),
        _result(
            StaffingCheck.PRINCIPALS,
            met[StaffingCheck.PRINCIPALS],
            _("%(classes)d 个班，园长（含副园长）%(principals)d 人；标准 1 – %(most)d 人")
            % {"classes": f.classes, "principals": f.principals, "most": most_principals},
        ),
        _result(
            StaffingCheck.HEALTH,
            met[StaffingCheck.HEALTH],
            _("幼儿 %(children)d 人，专职卫生保健人员 %(actual)d 人；标准每 %(per)d 名幼儿 1 人，至少需 %(needed)d 人")
            % {
                "children": f.children,
                "actual": f.health_staff,
                "per": standard.children_per_health_staff,
                "needed": health_needed,
            },
        ),
        _result(
            StaffingCheck.FULLTIME_TEACHERS,
            met[StaffingCheck.FULLTIME_TEACHERS],
            _(
                "专职专任教师 %(teachers)d 人，幼儿 %(children)d 人，比例 %(ratio)s；标准不低于 1:%(limit)d，至少需 %(needed)d 人"
            )
            % {
                "teachers": f.fulltime_teachers,
                "children": f.children,
                "ratio": _ratio(f.children, f.fulltime_teachers),
                "limit": teacher_limit,
                "needed": math.ceil(f.children / teacher_limit),
            },
        ),
        _rate_check(
            StaffingCheck.TEACHER_CERTIFICATES,
            met[StaffingCheck.TEACHER_CERTIFICATES],
            _("专任教师"),
            f.teachers_certified,
            f.teachers,
            standard.teacher_certified_rate,
        ),
        _rate_check(
            StaffingCheck.PRINCIPAL_CERTIFICATES,
            met[StaffingCheck.PRINCIPAL_CERTIFICATES],
            _("园长（含副园长）"),
            f.principals_certified,
            f.principals,
            standard.principal_certified_rate,
        ),
    ]


def evaluate_kindergarten(
    kindergarten: Kindergarten, day: datetime.date
) -> tuple[StaffingStandard | None, StaffFigures, list[CheckResult]]:
    """The standard in force on `day`, the kindergarten's figures and every check (none without a standard)."""
    standard = StaffingStandard.objects.for_day(day)
    row = annotated_staffing(Kindergarten.objects.filter(pk=kindergarten.pk), day, standard).get()
    figures = StaffFigures.of(row)
    if standard is None:
        return None, figures, []
    return standard, figures, evaluate(figures, standard=standard, day_type=row.day_type)
