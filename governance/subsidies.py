"""The subsidy entitlement of inclusive private kindergartens, computed from the rules in force
(`SubsidyRule`), the recognitions and the official enrolment — never stored, so a corrected
figure corrects the entitlement.

For kindergarten K and month M (domain.md §7):

- children = children in K's small, middle, senior and mixed classes of the school year M falls
  in (`enrollment.SchoolClass`, the official figures); toddler classes are excluded;
- rate = the rule's per-child amount for the grade on K's recognition (示范/一级 ¥1,000,
  二级/三级 ¥700 in the 2018 rule);
- covered days = days d of M with valid_from ≤ d < valid_to (the registry's rule: a recognition
  expiring on d no longer covers d); a recognition starting or ending mid-month is paid pro rata:
  base = children × rate × covered days ÷ days in M, rounded to the fen (half up);
- senior-year waiver (from autumn 2025, while a `SeniorYearWaiver` is in force): the kindergarten
  deducts the public cap of its grade from each senior-class child's care-and-education fee (never
  more than the fee it filed), and the deduction is added to its entitlement, pro rata as above:
  waiver = senior children × deduction × covered days ÷ days in M.

Only recognised (or later revoked, for the months before the revocation) non-profit private
kindergartens are entitled. The one-off ¥10,000 per new place and the rent subsidy are rule
fields the bureau keeps; they depend on facts the portal does not hold (new places created,
rented floor area) and are not computed.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum

from enrollment.choices import ClassType
from enrollment.models import SchoolClass, SchoolYear

from .choices import FeeItemKind, FeeKind, RecognitionStatus
from .models import FeeCap, FeeItem, Recognition, SeniorYearWaiver, SubsidyRule

CENT = Decimal("0.01")


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_days(month: datetime.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def covered_days(month: datetime.date, valid_from: datetime.date, valid_to: datetime.date | None) -> int:
    """Days of `month` with valid_from ≤ d < valid_to."""
    first = month_start(month)
    after_last = first + datetime.timedelta(days=month_days(first))
    start = max(first, valid_from)
    end = min(after_last, valid_to) if valid_to else after_last
    return max(0, (end - start).days)


@dataclass
class Entitlement:
    recognition: Recognition
    month: datetime.date
    children: int
    senior_children: int
    rate: Decimal
    days: int
    days_in_month: int
    base: Decimal
    waiver: Decimal

    @property
    def kindergarten(self):
        return self.recognition.kindergarten

    @property
    def total(self) -> Decimal:
        return self.base + self.waiver


def _pro_rata(amount: Decimal, days: int, days_in_month: int) -> Decimal:
    return (amount * days / days_in_month).quantize(CENT, rounding=ROUND_HALF_UP)


def entitlements(recognitions, month: datetime.date) -> list[Entitlement]:
    """The month's entitlement of every recognition of `recognitions` (a queryset, already scoped)
    that covers at least one day of it: a constant five queries, whatever the number."""
    month = month_start(month)
    rule = SubsidyRule.objects.for_day(month)
    if rule is None:
        return []
    days_in_month = month_days(month)
    after_last = month + datetime.timedelta(days=days_in_month)
    rows = list(
        recognitions.filter(
            status__in=(RecognitionStatus.RECOGNISED, RecognitionStatus.REVOKED),
            valid_from__lt=after_last,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=month))
        .select_related("kindergarten__subdistrict")
        .order_by("kindergarten__subdistrict__code", "kindergarten__code")
    )
    if not rows:
        return []
    year = SchoolYear.start_year_for(month)
    ids = [r.kindergarten_id for r in rows]
    counts = {
        row["kindergarten"]: row
        for row in SchoolClass.objects.filter(kindergarten__in=ids, school_year__start_year=year)
        .values("kindergarten")
        .annotate(
            children=Sum("enrolled", filter=~Q(class_type=ClassType.TODDLER)),
            seniors=Sum("enrolled", filter=Q(class_type=ClassType.SENIOR)),
        )
        .order_by()
    }
    waiver_in_force = SeniorYearWaiver.objects.for_day(datetime.date(year, 9, 1)) is not None
    public_caps: dict[str, Decimal] = {}
    filed: dict[int, Decimal] = {}
    if waiver_in_force:
        for cap in (
            FeeCap.objects.in_force(datetime.date(year, 9, 1))
            .filter(kind=FeeKind.PUBLIC, item=FeeItemKind.CARE_EDUCATION)
            .order_by("valid_from")
        ):
            public_caps[cap.grade] = cap.monthly_cap
        filed = dict(
            FeeItem.objects.filter(
                filing__kindergarten__in=ids, filing__school_year=year, item=FeeItemKind.CARE_EDUCATION
            ).values_list("filing__kindergarten", "monthly_amount")
        )
    result = []
    for recognition in rows:
        days = covered_days(month, recognition.valid_from, recognition.valid_to)
        if days == 0:
            continue
        count = counts.get(recognition.kindergarten_id, {})
        children, seniors = count.get("children") or 0, count.get("seniors") or 0
        rate = rule.per_child(recognition.grade)
        deduction = Decimal("0")
        if waiver_in_force:
            deduction = public_caps.get(recognition.grade, Decimal("0"))
            if recognition.kindergarten_id in filed:
                deduction = min(deduction, filed[recognition.kindergarten_id])
        result.append(
            Entitlement(
                recognition=recognition,
                month=month,
                children=children,
                senior_children=seniors,
                rate=rate,
                days=days,
                days_in_month=days_in_month,
                base=_pro_rata(children * rate, days, days_in_month),
                waiver=_pro_rata(seniors * deduction, days, days_in_month),
            )
        )
    return result


def totals_by_subdistrict(rows: list[Entitlement], paid: dict[int, Decimal]) -> list[dict]:
    """Entitlement and disbursed money per sub-district (`paid` per kindergarten id)."""
    sums: dict = defaultdict(lambda: {"entitled": Decimal("0"), "paid": Decimal("0"), "kindergartens": 0})
    for row in rows:
        area = sums[row.kindergarten.subdistrict]
        area["entitled"] += row.total
        area["paid"] += paid.get(row.kindergarten.pk, Decimal("0"))
        area["kindergartens"] += 1
    return [{"subdistrict": s, **v} for s, v in sorted(sums.items(), key=lambda pair: pair[0].code)]
