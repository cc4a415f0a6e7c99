"""Governance reminders (governance/): inclusive recognitions lapsing or lapsed, annual reviews
due, and this school year's fee filing missing.

| kind | when | told |
|---|---|---|
| recognition_expiring | a recognition in force (recognised, not revoked) whose expiry is within the recognition policy's `warning_days` (90 seeded) or already past (the indicator `recognitions_expiring`) | the kindergarten's director(s); once lapsed, also the sub-district's officials |
| recognition_review_due | a recognition in force whose annual review falls within 30 days or is late: one year after its last review (or, never reviewed, after its start), while that day is before the expiry | the director(s) |
| fee_filing_missing | an open fee alert "本学年收费未备案" (`not_filed`, raised by the daily scan) | the director(s) |

Each is sent once: per recognition and expiry (a renewal moves the expiry: a new reminder; a
lapse is a new one too, as it also tells the officials), per recognition and review day, per
alert. Without a recognition policy in force the horizon is 0 days (lapsed ones only). One
query per kind, whatever the number of kindergartens.
"""

from __future__ import annotations

import datetime

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from governance.choices import AlertKind, AlertStatus
from governance.models import FeeAlert, Recognition, school_year_label
from governance.selectors import warning_days

from ..choices import NotificationKind
from .common import Reminder, days_late, days_left

REVIEW_NOTICE_DAYS = 30
FIELDS = ("pk", "kindergarten_id", "kindergarten__name", "kindergarten__subdistrict_id", "valid_from", "valid_to")


def _anniversary(day: datetime.date, years: int = 1) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def expiry_reminders(today: datetime.date) -> list[Reminder]:
    horizon = warning_days(today)
    reminders = []
    rows = Recognition.objects.expiring(today, horizon).order_by("valid_to", "pk").values_list(*FIELDS)
    for pk, kindergarten_id, name, subdistrict_id, _valid_from, valid_to in rows:
        link = reverse("governance:recognition_detail", args=[pk])
        lapsed = valid_to <= today
        names = {"kindergarten": name, "expires": valid_to.isoformat()}
        if lapsed:
            title = _("普惠认定已到期：%(kindergarten)s") % names
            body = _(
                "%(kindergarten)s的普惠性民办园认定有效期至 %(expires)s，%(late)s，尚未延续。请尽快申请延续认定。"
            ) % {
                **names,
                "late": days_late((today - valid_to).days),
            }
        else:
            title = _("普惠认定即将到期：%(kindergarten)s") % names
            body = _("%(kindergarten)s的普惠性民办园认定有效期至 %(expires)s（%(left)s）。请及时准备延续认定材料。") % {
                **names,
                "left": days_left((valid_to - today).days),
            }
        reminders.append(
            Reminder(
                kind=NotificationKind.RECOGNITION_EXPIRING,
                key=f"{NotificationKind.RECOGNITION_EXPIRING}:{pk}:{valid_to.isoformat()}:{'lapsed' if lapsed else 'soon'}",
                title=title,
                body=body,
                kindergarten_id=kindergarten_id,
                subdistrict_id=subdistrict_id,
                link=link,
                official_link=link if lapsed else "",
            )
        )
    return reminders


def review_reminders(today: datetime.date) -> list[Reminder]:
    reminders = []
    rows = (
        Recognition.objects.covering(today)
        .annotate(reviewed=F("last_reviewed_on"))
        .order_by("pk")
        .values_list(*FIELDS, "reviewed")
    )
    for pk, kindergarten_id, name, subdistrict_id, valid_from, valid_to, reviewed in rows:
        due = _anniversary(reviewed or valid_from)
        if due > today + datetime.timedelta(days=REVIEW_NOTICE_DAYS) or (valid_to and due >= valid_to):
            continue
        names = {"kindergarten": name, "due": due.isoformat()}
        when = days_left((due - today).days) if due >= today else days_late((today - due).days)
        reminders.append(
            Reminder(
                kind=NotificationKind.RECOGNITION_REVIEW_DUE,
                key=f"{NotificationKind.RECOGNITION_REVIEW_DUE}:{pk}:{due.isoformat()}",
                title=_("普惠认定年度复核：%(kindergarten)s") % names,
                body=_("%(kindergarten)s的普惠性民办园认定应于 %(due)s 前完成年度复核（%(when)s）。请准备复核材料。")
                % {**names, "when": when},
                kindergarten_id=kindergarten_id,
                subdistrict_id=subdistrict_id,
                link=reverse("governance:recognition_detail", args=[pk]),
            )
        )
    return reminders


def fee_filing_reminders(today: datetime.date) -> list[Reminder]:
    rows = (
        FeeAlert.objects.filter(kind=AlertKind.NOT_FILED, status=AlertStatus.OPEN, raised_on__lte=today)
        .order_by("pk")
        .values_list("pk", "key", "kindergarten_id", "kindergarten__name", "kindergarten__subdistrict_id")
    )
    reminders = []
    for pk, key, kindergarten_id, name, subdistrict_id in rows:
        year = key.split(":")[0]
        names = {"kindergarten": name, "year": school_year_label(int(year)) if year.isdigit() else key}
        reminders.append(
            Reminder(
                kind=NotificationKind.FEE_FILING_MISSING,
                key=f"{NotificationKind.FEE_FILING_MISSING}:{pk}",
                title=_("收费未备案：%(kindergarten)s") % names,
                body=_("%(kindergarten)s尚未备案 %(year)s 学年的保育教育费。请在平台填报收费备案。") % names,
                kindergarten_id=kindergarten_id,
                subdistrict_id=subdistrict_id,
                link=reverse("governance:fee_filing_add"),
            )
        )
    return reminders


def governance_reminders(today: datetime.date) -> list[Reminder]:
    return [*expiry_reminders(today), *review_reminders(today), *fee_filing_reminders(today)]
