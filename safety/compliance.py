"""Each rule of the rule set in force, evaluated into met / not met with its reason.

`evaluate()` is a pure function of a profile, the rule set, the children enrolled and the
drills' dates: no queries, so every rule is tested at its edges without a database.
`evaluate_kindergarten()` reads those inputs for one kindergarten (the safety page).

People on campus = staff + children in the kindergarten's classes of the school year the date
falls in (the official figures, `enrollment.SchoolClass`, toddler classes included: they are on
campus too). Staff are the posts held on the date in the staff registry (`staff.StaffMember`); a
kindergarten with no staff records falls back on `SafetyProfile.staff_count`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from enrollment.models import SchoolClass, SchoolYear
from staff.models import StaffMember

from .choices import EVACUATION_DRILLS, RuleCode
from .models import Drill, SafetyProfile, SafetyRuleSet


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    met: bool
    reason: str


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def children_enrolled(kindergarten_id: int, day: datetime.date) -> int:
    """Children in the kindergarten's classes of the school year `day` falls in (official figures)."""
    rows = SchoolClass.objects.filter(
        kindergarten_id=kindergarten_id, school_year__start_year=SchoolYear.start_year_for(day)
    )
    return rows.aggregate(n=Sum("enrolled"))["n"] or 0


def staff_counts(kindergarten_ids: Iterable[int], day: datetime.date) -> dict[int, int]:
    """Posts held on `day` per kindergarten, from the staff registry (kindergartens without any are absent)."""
    rows = StaffMember.objects.on(day).filter(kindergarten_id__in=list(kindergarten_ids))
    return dict(rows.values("kindergarten_id").annotate(n=Count("pk")).values_list("kindergarten_id", "n").order_by())


def _result(code: RuleCode, met: bool, reason: str) -> RuleResult:
    return RuleResult(code=code.value, label=str(code.label), met=met, reason=reason)


def _retention(code: RuleCode, kept: int, required: int, installed: bool = True) -> RuleResult:
    if not installed:
        return _result(code, False, _("未安装，要求保存 %(required)d 天") % {"required": required})
    return _result(
        code,
        kept >= required,
        _("要求保存 %(required)d 天，实际 %(kept)d 天") % {"required": required, "kept": kept},
    )


def evaluate(
    profile: SafetyProfile | None,
    *,
    rules: SafetyRuleSet,
    children: int,
    drill_dates: Iterable[datetime.date],
    day: datetime.date,
    staff: int | None = None,
) -> list[RuleResult]:
    """Every rule of `rules` for this profile on `day` (a missing profile meets none). `staff` is
    the registry's count; without one (None or 0) the profile's `staff_count` stands in."""
    p = profile or SafetyProfile()
    staff = staff or p.staff_count
    people = staff + children
    guards = rules.required_guards(people)
    start = quarter_start(day)
    drills = sum(1 for held in drill_dates if start <= held <= day)
    return [
        _result(
            RuleCode.SAFETY_MANAGER,
            p.full_time_safety_managers >= rules.min_safety_managers,
            _("要求专职安全管理人员 %(required)d 名，登记 %(actual)d 名")
            % {"required": rules.min_safety_managers, "actual": p.full_time_safety_managers},
        ),
        _result(
            RuleCode.GUARDS,
            p.guards_full_time >= guards,
            _("%(people)d 人（教职工 %(staff)d + 幼儿 %(children)d）应配专职保安员 %(required)d 名，登记 %(actual)d 名")
            % {
                "people": people,
                "staff": staff,
                "children": children,
                "required": guards,
                "actual": p.guards_full_time,
            },
        ),
        _result(
            RuleCode.ALARM,
            p.alarm_installed and p.alarm_linked,
            _("已安装并与公安报警中心联网")
            if p.alarm_installed and p.alarm_linked
            else (_("已安装，未与公安联网") if p.alarm_installed else _("未安装一键式报警")),
        ),
        _result(
            RuleCode.VIDEO_LINKED,
            p.cameras > 0 and p.video_linked,
            _("摄像头 %(cameras)d 个，%(linked)s")
            % {"cameras": p.cameras, "linked": _("已与公安联网") if p.video_linked else _("未与公安联网")},
        ),
        _retention(RuleCode.VIDEO_RETENTION, p.video_retention_days, rules.video_retention_days, p.cameras > 0),
        _retention(
            RuleCode.INTRUSION_LOGS, p.intrusion_log_days, rules.intrusion_log_days, p.intrusion_alarm_installed
        ),
        _retention(RuleCode.ACCESS_LOGS, p.access_log_days, rules.access_log_days, p.access_control_installed),
        _result(
            RuleCode.CLOSED_CAMPUS,
            p.closed_campus,
            _("实行封闭式管理") if p.closed_campus else _("未实行封闭式管理"),
        ),
        _result(
            RuleCode.DRILLS,
            drills >= rules.drills_per_quarter,
            _("本季度（%(start)s 起）要求疏散演练 %(required)d 次，已开展 %(actual)d 次")
            % {"start": start.isoformat(), "required": rules.drills_per_quarter, "actual": drills},
        ),
        _result(
            RuleCode.CARERS,
            p.carers_per_class >= rules.min_carers,
            _("要求每班幼儿身边至少 %(required)d 人看护，登记 %(actual)d 人")
            % {"required": rules.min_carers, "actual": p.carers_per_class},
        ),
    ]


def evaluate_kindergarten(kindergarten, day: datetime.date) -> tuple[SafetyRuleSet | None, list[RuleResult]]:
    """The rule set in force on `day` and the kindergarten's results (none without a rule set)."""
    rules = SafetyRuleSet.objects.for_day(day)
    if rules is None:
        return None, []
    profile = SafetyProfile.objects.filter(kindergarten=kindergarten).first()
    drill_dates = Drill.objects.filter(
        kindergarten=kindergarten, kind__in=EVACUATION_DRILLS, held_on__gte=quarter_start(day), held_on__lte=day
    ).values_list("held_on", flat=True)
    results = evaluate(
        profile,
        rules=rules,
        children=children_enrolled(kindergarten.pk, day),
        drill_dates=drill_dates,
        day=day,
        staff=staff_counts([kindergarten.pk], day).get(kindergarten.pk),
    )
    return rules, results
