"""Staff reminders (staff/): certificates of current staff expiring soon, and expired ones.

| kind | when | told |
|---|---|---|
| certificate_expiring | a certificate of someone in post expires within the staffing standard's `expiry_notice_days` (90 seeded) and no renewal of the same kind lasts beyond that horizon | the director(s) of each kindergarten where the holder is in post |
| certificate_expired | a certificate of someone in post has expired and they hold no valid one of the same kind | the same |

A certificate belongs to its holder, so someone in post at two kindergartens is reminded to both
directors. Each is sent once: per certificate, expiry date and kindergarten for each kind (a
certificate whose expiry date is corrected is a new reminder). Without a staffing standard in force
there is no horizon and no reminder. One query per kind, whatever the number of kindergartens.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from staff.choices import CertificateKind
from staff.models import StaffingStandard, StaffMember
from staff.selectors import expired_certificates, expiring_certificates

from ..choices import NotificationKind
from .common import Reminder, days_late, days_left

FIELDS = (
    "kindergarten_id",
    "kindergarten__name",
    "kindergarten__subdistrict_id",
    "person_id",
    "person__name",
    "person__certificates__pk",
    "person__certificates__kind",
    "person__certificates__expires_on",
)


def _rows(today: datetime.date, certificates) -> list[tuple]:
    """(post's kindergarten, holder, certificate) for current posts whose holder has one of `certificates`."""
    return list(
        StaffMember.objects.on(today)
        .filter(person__certificates__in=certificates)
        .values_list(*FIELDS)
        .distinct()
        .order_by("person__certificates__expires_on", "person__certificates__pk", "kindergarten_id")
    )


def certificate_reminders(today: datetime.date) -> list[Reminder]:
    standard = StaffingStandard.objects.for_day(today)
    if standard is None:
        return []
    expiring = expiring_certificates(today, standard.expiry_notice_days)
    reminders = []
    for kind, rows in (
        (NotificationKind.CERTIFICATE_EXPIRING, _rows(today, expiring)),
        (NotificationKind.CERTIFICATE_EXPIRED, _rows(today, expired_certificates(today))),
    ):
        for kindergarten_id, kindergarten, subdistrict_id, person_id, person, pk, cert_kind, expires_on in rows:
            names = {
                "kindergarten": kindergarten,
                "person": person,
                "certificate": CertificateKind(cert_kind).label,
                "expires": expires_on.isoformat(),
            }
            if kind == NotificationKind.CERTIFICATE_EXPIRING:
                title = _("教职工证书即将到期：%(kindergarten)s") % names
                body = _(
                    "%(kindergarten)s %(person)s的%(certificate)s有效期至 %(expires)s（%(left)s），请及时办理换证。"
                ) % {
                    **names,
                    "left": days_left((expires_on - today).days),
                }
            else:
                title = _("教职工证书已过期：%(kindergarten)s") % names
                body = _(
                    "%(kindergarten)s %(person)s的%(certificate)s有效期至 %(expires)s，%(late)s，且没有同类有效证书。"
                    "请办理换证并在平台登记。"
                ) % {**names, "late": days_late((today - expires_on).days)}
            reminders.append(
                Reminder(
                    kind=kind,
                    key=f"{kind}:{pk}:{expires_on.isoformat()}:{kindergarten_id}",
                    title=title,
                    body=body,
                    kindergarten_id=kindergarten_id,
                    subdistrict_id=subdistrict_id,
                    link=reverse("staff:person_detail", args=[person_id]),
                )
            )
    return reminders
