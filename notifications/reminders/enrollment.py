"""Enrolment-report reminders for the daily job (`services.collect_reminders` adds them).

For each school year that is not locked, has a deadline and is not over (the current year or a
later one), kindergartens that owe a report (operating, with approved places) and have not
submitted it are reminded twice, each once (the dedupe key names kindergarten, year and deadline):

| kind | when | told |
|---|---|---|
| enrollment_due | from `remind_days_before` days before the deadline up to the deadline | the director(s) |
| enrollment_overdue | from `remind_days_after` days after the deadline, while not submitted | director(s), the sub-district's officials |

The offsets are the school year's data (`SchoolYear.remind_days_before/after`), set by the bureau
with the deadline. A returned report is a draft again, so it is reminded too. Queries: one for
the years, one per open year for the kindergartens (one or two years at a time).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from enrollment.models import EnrollmentSubmission, SchoolYear
from enrollment.selectors import REPORTED
from kindergartens.models import Kindergarten

from ..choices import NotificationKind
from .common import Reminder


def enrollment_reminders(today: datetime.date) -> list[Reminder]:
    years = SchoolYear.objects.filter(
        locked=False, submission_due__isnull=False, start_year__gte=SchoolYear.start_year_for(today)
    ).order_by("start_year")
    reminders = []
    for year in years:
        due = year.submission_due
        before = today >= due - datetime.timedelta(days=year.remind_days_before) and today <= due
        after = today >= due + datetime.timedelta(days=year.remind_days_after)
        if not (before or after):
            continue
        reported = EnrollmentSubmission.objects.filter(
            kindergarten=OuterRef("pk"), school_year=year, status__in=REPORTED
        )
        owing = (
            Kindergarten.objects.operating()
            .filter(approved_capacity__gt=0)
            .exclude(Exists(reported))
            .only("pk", "name", "subdistrict_id")
            .order_by("pk")
        )
        report_link = reverse("enrollment:mine")
        tracker_link = f"{reverse('enrollment:tracker')}?{urlencode({'year': year.start_year, 'status': 'unreported'})}"
        names = {"year": str(year), "due": due.isoformat()}
        for kindergarten in owing:
            common = {
                "kindergarten_id": kindergarten.pk,
                "subdistrict_id": kindergarten.subdistrict_id,
                "link": report_link,
            }
            names["kindergarten"] = kindergarten.name
            if before:
                left = (due - today).days
                when = _("今天到期") if left == 0 else ngettext("还有 %(n)s 天", "还有 %(n)s 天", left) % {"n": left}
                reminders.append(
                    Reminder(
                        kind=NotificationKind.ENROLLMENT_DUE,
                        key=f"{NotificationKind.ENROLLMENT_DUE}:{kindergarten.pk}:{year.start_year}:{due.isoformat()}",
                        title=_("在园情况报送即将截止：%(kindergarten)s") % names,
                        body=_("%(kindergarten)s %(year)s在园情况须于 %(due)s 前报送（%(when)s），目前尚未报送。")
                        % {**names, "when": when},
                        **common,
                    )
                )
            else:
                late = (today - due).days
                reminders.append(
                    Reminder(
                        kind=NotificationKind.ENROLLMENT_OVERDUE,
                        key=f"{NotificationKind.ENROLLMENT_OVERDUE}:{kindergarten.pk}:{year.start_year}:{due.isoformat()}",
                        title=_("在园情况报送已逾期：%(kindergarten)s") % names,
                        body=_("%(kindergarten)s %(year)s在园情况报送截止日期为 %(due)s，%(late)s，尚未报送。")
                        % {**names, "late": ngettext("已逾期 %(n)s 天", "已逾期 %(n)s 天", late) % {"n": late}},
                        official_link=tracker_link,
                        **common,
                    )
                )
    return reminders
