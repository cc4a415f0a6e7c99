"""Safety reminders (safety/): overdue hazards, drills not held this quarter, alarms not tested.

| kind | when | told |
|---|---|---|
| hazard_overdue | a hazard not closed after its deadline | the kindergarten's director(s), the user who opened it and the inspectors assigned to the kindergarten |
| drill_missing | from the second month of a quarter, an operating kindergarten with a safety profile has held fewer evacuation drills (evacuation, fire, earthquake) since the quarter began than the rule set asks (`drills_per_quarter`) | director(s) |
| alarm_untested | a one-button alarm is installed and its last test is more than `alarm_test_days` (rule set, 30 seeded) days ago, or was never recorded | director(s) |

A kindergarten without a safety profile gets no drill reminder: the overview already counts it
as meeting no rule, and its first step is the profile, not a drill.

Each is sent once: per hazard and deadline, per kindergarten and quarter, per kindergarten and
last test date (a new test followed by another lapse is a new reminder). The rule set in force on
the day gives the numbers; without one, no drill or alarm reminder. One query per source, whatever
the number of kindergartens (and one for the assigned inspectors).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from kindergartens.models import Kindergarten
from safety.choices import EVACUATION_DRILLS
from safety.compliance import quarter_start
from safety.models import Hazard, SafetyProfile, SafetyRuleSet

from ..choices import NotificationKind
from .common import Reminder, days_late, short


def _assigned_inspectors(kindergarten_ids: set[int]) -> dict[int, list[int]]:
    """Users assigned to each kindergarten; `audience()` keeps those who may still see it."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = User.assigned_kindergartens.through.objects.filter(kindergarten_id__in=kindergarten_ids)
    for kindergarten_id, user_id in rows.values_list("kindergarten_id", "user_id").order_by("user_id"):
        found[kindergarten_id].append(user_id)
    return found


def hazard_reminders(today: datetime.date) -> list[Reminder]:
    hazards = list(Hazard.objects.overdue(today).select_related("kindergarten").order_by("deadline", "pk"))
    inspectors = _assigned_inspectors({h.kindergarten_id for h in hazards})
    reminders = []
    for hazard in hazards:
        kindergarten, deadline = hazard.kindergarten, hazard.deadline
        names = {
            "kindergarten": kindergarten.name,
            "severity": hazard.get_severity_display(),
            "description": short(hazard.description),
            "deadline": deadline.isoformat(),
        }
        followers = [hazard.opened_by_id] if hazard.opened_by_id else []
        followers += [pk for pk in inspectors.get(kindergarten.pk, []) if pk not in followers]
        reminders.append(
            Reminder(
                kind=NotificationKind.HAZARD_OVERDUE,
                key=f"{NotificationKind.HAZARD_OVERDUE}:{hazard.pk}:{deadline.isoformat()}",
                title=_("安全隐患整改已逾期：%(kindergarten)s") % names,
                body=_(
                    "%(kindergarten)s的%(severity)s“%(description)s”整改期限为 %(deadline)s，%(late)s，尚未验收销号。"
                )
                % {**names, "late": days_late((today - deadline).days)},
                kindergarten_id=kindergarten.pk,
                subdistrict_id=kindergarten.subdistrict_id,
                link=hazard.get_absolute_url(),
                user_ids=tuple(followers),
            )
        )
    return reminders


def drill_reminders(today: datetime.date, rules: SafetyRuleSet) -> list[Reminder]:
    start = quarter_start(today)
    if today.month == start.month:  # the first month of the quarter is the kindergartens' own
        return []
    held = Q(
        safety_drills__kind__in=EVACUATION_DRILLS,
        safety_drills__held_on__gte=start,
        safety_drills__held_on__lte=today,
    )
    short_of_drills = (
        Kindergarten.objects.operating()
        .filter(safety_profile__isnull=False)
        .annotate(drills=Count("safety_drills", filter=held))
        .filter(drills__lt=rules.drills_per_quarter)
        .order_by("pk")
    )
    reminders = []
    for kindergarten in short_of_drills:
        names = {
            "kindergarten": kindergarten.name,
            "start": start.isoformat(),
            "required": rules.drills_per_quarter,
            "held": kindergarten.drills,
        }
        reminders.append(
            Reminder(
                kind=NotificationKind.DRILL_MISSING,
                key=f"{NotificationKind.DRILL_MISSING}:{kindergarten.pk}:{start.isoformat()}",
                title=_("本季度尚未完成疏散演练：%(kindergarten)s") % names,
                body=_(
                    "%(kindergarten)s自 %(start)s 本季度开始以来登记的疏散演练（含消防、防震演练）为 %(held)s 次，"
                    "安全规则要求每季度至少 %(required)s 次。请组织演练并在平台登记。"
                )
                % names,
                kindergarten_id=kindergarten.pk,
                subdistrict_id=kindergarten.subdistrict_id,
                link=reverse("safety:drill_add", args=[kindergarten.pk]),
            )
        )
    return reminders


def alarm_reminders(today: datetime.date, rules: SafetyRuleSet) -> list[Reminder]:
    last_allowed = today - datetime.timedelta(days=rules.alarm_test_days)
    profiles = (
        SafetyProfile.objects.filter(alarm_installed=True, kindergarten__in=Kindergarten.objects.operating())
        .filter(Q(alarm_last_tested__isnull=True) | Q(alarm_last_tested__lt=last_allowed))
        .select_related("kindergarten")
        .order_by("pk")
    )
    reminders = []
    for profile in profiles:
        kindergarten, tested = profile.kindergarten, profile.alarm_last_tested
        names = {"kindergarten": kindergarten.name, "days": rules.alarm_test_days}
        if tested is None:
            body = _(
                "%(kindergarten)s的一键式报警没有测试记录。安全规则要求至少每 %(days)s 天测试一次，请测试后更新安全工作档案。"
            )
        else:
            names["tested"] = tested.isoformat()
            body = _(
                "%(kindergarten)s的一键式报警最近一次测试为 %(tested)s，已超过 %(days)s 天。请测试后更新安全工作档案。"
            )
        reminders.append(
            Reminder(
                kind=NotificationKind.ALARM_UNTESTED,
                key=f"{NotificationKind.ALARM_UNTESTED}:{kindergarten.pk}:{tested.isoformat() if tested else 'never'}",
                title=_("一键式报警超期未测试：%(kindergarten)s") % names,
                body=body % names,
                kindergarten_id=kindergarten.pk,
                subdistrict_id=kindergarten.subdistrict_id,
                link=reverse("safety:profile_edit", args=[kindergarten.pk]),
            )
        )
    return reminders


def safety_reminders(today: datetime.date) -> list[Reminder]:
    reminders = hazard_reminders(today)
    rules = SafetyRuleSet.objects.for_day(today)
    if rules is not None:
        reminders += drill_reminders(today, rules) + alarm_reminders(today, rules)
    return reminders
