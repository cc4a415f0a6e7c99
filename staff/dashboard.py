"""The staff panel of the officials' dashboard: kindergartens meeting the staffing standard, those
short of caregivers, and certificates to renew, for the district or one sub-district, in a
constant three queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from kindergartens.models import Kindergarten

from .models import StaffingStandard, StaffMember
from .selectors import expired_certificates, expiring_certificates, with_staffing_checks


@dataclass(frozen=True)
class StaffPanel:
    operating: int
    meeting: int
    short_per_class: int
    short_principals: int
    uncertified: int
    staff: int
    expiring: int
    expired: int
    notice_days: int
    subdistrict_id: int | None

    @property
    def meeting_share(self) -> int | None:
        """Per cent of operating kindergartens meeting the standard, cut, not rounded."""
        return self.meeting * 100 // self.operating if self.operating else None


def staff_panel(user, subdistrict=None, today: datetime.date | None = None) -> StaffPanel:
    today = today or timezone.localdate()
    standard = StaffingStandard.objects.for_day(today)
    kindergartens = Kindergarten.objects.restrict(user).operating()
    if subdistrict is not None:
        kindergartens = kindergartens.filter(subdistrict=subdistrict)
    figures = with_staffing_checks(kindergartens, today, standard).aggregate(
        operating=Count("pk"),
        meeting=Count("pk", filter=Q(meets_staffing=True)),
        short_per_class=Count("pk", filter=Q(meets_per_class=False)),
        short_principals=Count("pk", filter=Q(meets_principals=False)),
        uncertified=Count("pk", filter=Q(meets_teacher_certificates=False) | Q(meets_principal_certificates=False)),
    )
    posts = StaffMember.objects.on(today).filter(kindergarten__in=kindergartens.values("pk"))
    notice = standard.expiry_notice_days if standard else 0
    holders = posts.values("person")
    certificates = {
        "staff": posts.count(),
        "expiring": expiring_certificates(today, notice).filter(person__in=holders).count() if standard else 0,
        "expired": expired_certificates(today).filter(person__in=holders).count(),
    }
    return StaffPanel(
        **figures, **certificates, notice_days=notice, subdistrict_id=getattr(subdistrict, "pk", subdistrict)
    )
