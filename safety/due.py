"""What the safe campus asks of each user on their home page (see `common.due`).

- A director: the open hazards of their kindergarten still to rectify (with the deadline), and
  the evacuation drills the rule set in force asks for this quarter while fewer were held.
- An inspector: hazards of their assigned kindergartens submitted as rectified, awaiting
  verification (验收销号).
- Those who watch a dashboard: how many hazards in their scope are past their deadline.

At most three queries per role, whatever the data.
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
from .models import Drill, Hazard, SafetyRuleSet

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
    return items


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
