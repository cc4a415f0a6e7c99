"""The staff panel of the officials' dashboard: kindergartens meeting the staffing standard, those
short of caregivers, and certificates to renew, for the district or one sub-district, in a
constant five queries (the standard, two GROUP BYs, the kindergartens, one count of the
certificates expiring or expired: `selectors.certificate_worries`).

Each kindergarten's figures are read by two GROUP BYs (`selectors.grouped_staffing`) and judged by
`staff.compliance.judge` (`verdicts`), the rules the staff page shows: aggregating the SQL checks of
`with_staffing_checks` repeated every figure's correlated subquery in every condition (71
subqueries per kindergarten, ~100 ms at 2,000 kindergartens; docs/benchmarks.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields

from django.utils import timezone

from kindergartens.models import Kindergarten

from .choices import STAFFING_CHECKS, StaffingCheck
from .compliance import StaffFigures, judge
from .models import StaffingStandard, StaffMember
from .selectors import certificate_worries, grouped_staffing

# StaffFigures field → the `annotated_staffing` column holding it.
_COLUMNS = tuple(
    {"classes": "classes_this_year", "children": "children_this_year"}.get(f.name, f.name) for f in fields(StaffFigures)
)


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
    figures = _judged(kindergartens, today, standard)
    posts = StaffMember.objects.on(today).filter(kindergarten__in=kindergartens.values("pk"))
    notice = standard.expiry_notice_days if standard else 0
    certificates = certificate_worries(today, notice if standard else None, posts)
    return StaffPanel(
        **figures, **certificates, notice_days=notice, subdistrict_id=getattr(subdistrict, "pk", subdistrict)
    )


def _judged(kindergartens, today: datetime.date, standard: StaffingStandard | None) -> dict[str, int]:
    """The panel's counts over the kindergartens (a kindergarten without posts or classes has 0 of
    each), and ``staff``: their current posts, summed from the same GROUP BY."""
    by_pk = grouped_staffing(kindergartens, today, standard)
    counts = dict.fromkeys(("operating", "meeting", "short_per_class", "short_principals", "uncertified"), 0)
    counts["staff"] = sum(found.get("staff_total", 0) for found in by_pk.values())
    verdicts: dict[tuple, tuple[bool, ...]] = {}  # many kindergartens share their figures
    judges = {}  # per day type, the standard's constants read once
    for pk, day_type in kindergartens.values_list("pk", "day_type").order_by():
        found = by_pk.get(pk, {})
        key = (day_type, *(found.get(column, 0) for column in _COLUMNS))
        if key not in verdicts:
            if standard is not None and day_type not in judges:
                judges[day_type] = judge(standard, day_type)
            verdicts[key] = _verdict(StaffFigures(*key[1:]), judges.get(day_type))
        meets, per_class, principals, certified = verdicts[key]
        counts["operating"] += 1
        counts["meeting"] += meets
        counts["short_per_class"] += not per_class
        counts["short_principals"] += not principals
        counts["uncertified"] += not certified
    return counts


def _verdict(figures: StaffFigures, judged) -> tuple[bool, ...]:
    """(meets every staffing check, per class, principals, both certificate rates)."""
    if judged is None:  # no standard in force: nothing can be judged, nothing is met
        return False, False, False, False
    met = judged(figures)
    return (
        all(met[code] for code in STAFFING_CHECKS),
        met[StaffingCheck.PER_CLASS],
        met[StaffingCheck.PRINCIPALS],
        met[StaffingCheck.TEACHER_CERTIFICATES] and met[StaffingCheck.PRINCIPAL_CERTIFICATES],
    )
