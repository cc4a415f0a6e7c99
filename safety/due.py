"""What the safe campus asks of each user on their home page (see `common.due`).

- A director: the open hazards of their kindergarten still to rectify (with the deadline), the
  evacuation drills the rule set in force asks for this quarter while fewer were held, and the
  one-button alarm when its last test is older than the rule set's `alarm_test_days`.
- An inspector: hazards of their assigned kindergartens submitted as rectified, awaiting
  verification (验收销号).
- Those who watch a dashboard: how many hazards in their scope are past their deadline.

At most four queries per role, whatever the data.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.permissions import Act, may
from common.due import DueItem, Severity, register_due_provider

from .choices import EVACUATION_DRILLS, HazardStatus
from .compliance import quarter_start
from .models import Drill, Hazard, SafetyProfile, SafetyRuleSet

KIND = gettext_lazy("平安校园")


def quarter_end(day: datetime.date) -> datetime.date:
    start = quarter_start(day)
    next_start = datetime.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    return next_start - datetime.timedelta(days=1)


@register_due_provider
def safety_due(user, today: datetime.date) -> list[DueItem]:
    if may(user, Act.FILL):
        return _director(user, today)
    if may(user, Act.RECORD):
        return _inspector(user, today)
    if may(user, Act.DASHBOARD):
        return _watcher(user, today)
    return []


def _director(user, today: datetime.date) -> list[DueItem]:
    hazards = (
        Hazard.objects.restrict(user, "view")
        .filter(status__in=(HazardStatus.OPEN, HazardStatus.RECTIFYING))
        .order_by("deadline", "pk")
    )
    items = []
    for hazard in hazards:
        late = max(0, (today - hazard.deadline).days)
        items.append(
            DueItem(
                title=_("安全隐患整改：%(category)s") % {"category": hazard.get_category_display()},
                kind=KIND,
                due_on=hazard.deadline,
                days_late=late,
                url=hazard.get_absolute_url(),
                action=_("整改并提交"),
                severity=Severity.LATE if late else Severity.DUE,
                detail=f"{hazard.get_severity_display()} · {' '.join(hazard.description.split())[:50]}",
            )
        )
    rules = SafetyRuleSet.objects.for_day(today)
    if rules is not None and rules.drills_per_quarter:
        held = Drill.objects.restrict(user, "view").filter(
            kindergarten_id=user.kindergarten_id,
            kind__in=EVACUATION_DRILLS,
            held_on__gte=quarter_start(today),
            held_on__lte=today,
        )
        count = held.count()
        if count < rules.drills_per_quarter:
            items.append(
                DueItem(
                    title=_("本季度疏散演练"),
                    kind=KIND,
                    due_on=quarter_end(today),
                    days_late=0,
                    url=reverse("safety:drill_add", args=[user.kindergarten_id]),
                    action=_("登记演练"),
                    severity=Severity.DUE,
                    date_label=_("季度末"),
                    detail=_("要求 %(required)d 次，已开展 %(held)d 次")
                    % {"required": rules.drills_per_quarter, "held": count},
                )
            )
    if rules is not None:
        items += _alarm_test(user, today, rules)
    return items


def _alarm_test(user, today: datetime.date, rules: SafetyRuleSet) -> list[DueItem]:
    """The installed alarm's test is due `alarm_test_days` after the last one (at once if never tested)."""
    profile = (
        SafetyProfile.objects.restrict(user, "view")
        .filter(kindergarten_id=user.kindergarten_id, alarm_installed=True)
        .only("kindergarten_id", "alarm_last_tested")
        .first()
    )
    if profile is None:
        return []
    tested = profile.alarm_last_tested
    due = tested + datetime.timedelta(days=rules.alarm_test_days) if tested else today
    if due > today:
        return []
    return [
        DueItem(
            title=_("一键式报警测试"),
            kind=KIND,
            due_on=due,
            days_late=(today - due).days,
            url=reverse("safety:profile_edit", args=[user.kindergarten_id]),
            action=_("测试后更新档案"),
            severity=Severity.LATE if due < today else Severity.DUE,
            detail=_("最近测试：%(day)s") % {"day": tested.isoformat()} if tested else _("没有测试记录"),
        )
    ]


def _inspector(user, today: datetime.date) -> list[DueItem]:
    hazards = (
        Hazard.objects.restrict(user, "view")
        .filter(status=HazardStatus.SUBMITTED)
        .select_related("kindergarten")
        .order_by("deadline", "pk")
    )
    return [
        DueItem(
            title=_("隐患待验收：%(kindergarten)s") % {"kindergarten": hazard.kindergarten.name},
            kind=KIND,
            due_on=hazard.deadline,
            days_late=0,
            url=hazard.get_absolute_url(),
            action=_("验收"),
            severity=Severity.DUE,
            date_label=_("整改期限"),
            detail=f"{hazard.get_category_display()} · {hazard.get_severity_display()}",
        )
        for hazard in hazards
    ]


def _watcher(user, today: datetime.date) -> list[DueItem]:
    late = Hazard.objects.restrict(user, "view").overdue(today).aggregate(n=Count("pk"), oldest=Min("deadline"))
    if not late["n"]:
        return []
    return [
        DueItem(
            title=ngettext("%(n)s 项安全隐患逾期未销号", "%(n)s 项安全隐患逾期未销号", late["n"]) % {"n": late["n"]},
            kind=KIND,
            due_on=late["oldest"],
            days_late=max(0, (today - late["oldest"]).days),
            url=reverse("safety:hazard_overdue"),
            action=_("查看"),
            severity=Severity.LATE,
            date_label=_("最早截止"),
        )
    ]
