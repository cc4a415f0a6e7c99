"""What enrolment asks of each user on their home page (see `common.due`).

A director: the current school year's report while it is not submitted — not started, a draft,
or returned by the bureau — with the deadline and, once past it, the days late. Those who watch
a dashboard (bureau, sub-district officials): how many kindergartens in their scope still owe the
report, from the year's first reminder day (`remind_days_before`) on. Two queries at most.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.permissions import Act, may
from common.due import DueItem, Severity, register_due_provider

from .choices import SubmissionStatus
from .models import SchoolYear
from .selectors import REPORTED, days_late, tracker_queryset

KIND = gettext_lazy("在园报送")


def _severity(due: datetime.date | None, today: datetime.date) -> Severity:
    if due is None:
        return Severity.NOTICE
    return Severity.LATE if due < today else Severity.DUE


@register_due_provider
def enrollment_due(user, today: datetime.date) -> list[DueItem]:
    if not (may(user, Act.FILL) or may(user, Act.DASHBOARD)):
        return []
    year = SchoolYear.objects.current(today)
    if year is None or year.locked:
        return []
    if may(user, Act.FILL):
        return _own_report(user, year, today)
    return _owing(user, year, today)


def _own_report(user, year: SchoolYear, today: datetime.date) -> list[DueItem]:
    row = tracker_queryset(user, year, today).filter(pk=user.kindergarten_id).first()
    if row is None or row.report_status in REPORTED:  # nothing owed, or done
        return []
    due = year.submission_due
    if row.report_status == SubmissionStatus.DRAFT and row.report_submitted_at:
        detail, action = _("已被教育委员会退回，请修改后重新报送"), _("修改并报送")
    elif row.report_status == SubmissionStatus.DRAFT:
        detail, action = _("草稿已保存，尚未报送"), _("继续报送")
    else:
        detail, action = _("尚未填报"), _("去报送")
    return [
        DueItem(
            title=_("%(year)s在园情况报送") % {"year": year},
            kind=KIND,
            due_on=due,
            days_late=days_late(due, None, today),
            url=reverse("enrollment:report", args=[row.pk, year.start_year]),
            action=action,
            severity=_severity(due, today),
            detail=detail,
        )
    ]


def _owing(user, year: SchoolYear, today: datetime.date) -> list[DueItem]:
    due = year.submission_due
    if due is None or due > today + datetime.timedelta(days=year.remind_days_before):
        return []
    owing = (
        tracker_queryset(user, year, today)
        .filter(Q(report_status__isnull=True) | Q(report_status=SubmissionStatus.DRAFT))
        .count()
    )
    if not owing:
        return []
    late = days_late(due, None, today)
    title = (
        ngettext("%(n)s 所幼儿园逾期未报送在园情况", "%(n)s 所幼儿园逾期未报送在园情况", owing)
        if late
        else ngettext("%(n)s 所幼儿园尚未报送在园情况", "%(n)s 所幼儿园尚未报送在园情况", owing)
    ) % {"n": owing}
    query = urlencode({"year": year.start_year, "status": "unreported", "ordering": "-days_late"})
    return [
        DueItem(
            title=title,
            kind=KIND,
            due_on=due,
            days_late=late,
            url=f"{reverse('enrollment:tracker')}?{query}",
            action=_("查看报送进度"),
            severity=_severity(due, today),
            detail=str(year),
        )
    ]
