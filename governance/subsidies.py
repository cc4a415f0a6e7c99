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

- new places (`NewPlace`): the one-off amount per new place (¥10,000 in the 2018 rule) × the
  places approved on a day of M that the recognition covers; paid once, in the month of approval,
  never pro rata;
- rent (`RentedPremises`): area m² × the rate per m² and day (¥5) × the days of M that both the
  rental period (rent_from … rent_to, both included) and the recognition cover, rounded to the fen
  (half up) per lease.

Only recognised (or later revoked, for the months before the revocation) non-profit private
kindergartens are entitled. The rates are those of the rule in force on the month's first day.
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
from .models import FeeCap, FeeItem, NewPlace, Recognition, RentedPremises, SeniorYearWaiver, SubsidyRule

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
    new_places: int = 0
    new_place_amount: Decimal = Decimal("0.00")
    rent_area_days: Decimal = Decimal("0")  # Σ m² × days covered, over the leases
    rent: Decimal = Decimal("0.00")

    @property
    def kindergarten(self):
        return self.recognition.kindergarten

    @property
    def total(self) -> Decimal:
        return self.base + self.waiver + self.new_place_amount + self.rent


def overlap_days(month: datetime.date, *periods: tuple[datetime.date | None, datetime.date | None]) -> int:
    """Days of `month` inside every half-open period [start, end) (None: unbounded)."""
    first = month_start(month)
    start, end = first, first + datetime.timedelta(days=month_days(first))
    for begin, stop in periods:
        if begin is not None:
            start = max(start, begin)
        if stop is not None:
            end = min(end, stop)
    return max(0, (end - start).days)


def _pro_rata(amount: Decimal, days: int, days_in_month: int) -> Decimal:
    return (amount * days / days_in_month).quantize(CENT, rounding=ROUND_HALF_UP)


def entitlements(recognitions, month: datetime.date) -> list[Entitlement]:
    """The month's entitlement of every recognition of `recognitions` (a queryset, already scoped)
    that covers at least one day of it: a constant seven queries, whatever the number."""
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
    new_places: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for kindergarten, approved_on, places in NewPlace.objects.filter(
        kindergarten__in=ids, approved_on__gte=month, approved_on__lt=after_last
    ).values_list("kindergarten", "approved_on", "places"):
        new_places[kindergarten].append((approved_on, places))
    leases: dict[int, list[tuple[Decimal, datetime.date, datetime.date]]] = defaultdict(list)
    for kindergarten, area, rent_from, rent_to in RentedPremises.objects.filter(
        kindergarten__in=ids, rent_from__lt=after_last, rent_to__gte=month
    ).values_list("kindergarten", "area_m2", "rent_from", "rent_to"):
        leases[kindergarten].append((area, rent_from, rent_to))
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
                **_facts(recognition, month, rule, new_places, leases),
            )
        )
    return result


def _facts(recognition: Recognition, month: datetime.date, rule: SubsidyRule, new_places, leases) -> dict:
    """The new-place and rent amounts of one recognition for the month."""
    covers = (recognition.valid_from, recognition.valid_to)
    places = sum(
        n
        for approved_on, n in new_places.get(recognition.kindergarten_id, ())
        if recognition.valid_from <= approved_on
        and (recognition.valid_to is None or approved_on < recognition.valid_to)
    )
    area_days = Decimal("0")
    rent = Decimal("0")
    for area, rent_from, rent_to in leases.get(recognition.kindergarten_id, ()):
        days = overlap_days(month, covers, (rent_from, rent_to + datetime.timedelta(days=1)))
        area_days += area * days
        rent += (area * rule.rent_per_m2_day * days).quantize(CENT, rounding=ROUND_HALF_UP)
    return {
        "new_places": places,
        "new_place_amount": (places * rule.per_new_place).quantize(CENT),
        "rent_area_days": area_days,
        "rent": rent.quantize(CENT),
    }


def totals_by_subdistrict(rows: list[Entitlement], paid: dict[int, Decimal]) -> list[dict]:
    """Entitlement and disbursed money per sub-district (`paid` per kindergarten id)."""
    sums: dict = defaultdict(lambda: {"entitled": Decimal("0"), "paid": Decimal("0"), "kindergartens": 0})
    counted: set[int] = set()  # a kindergarten with two recognitions in the month has two rows
    for row in rows:
        area = sums[row.kindergarten.subdistrict]
        area["entitled"] += row.total
        if row.kindergarten.pk not in counted:
            counted.add(row.kindergarten.pk)
            area["paid"] += paid.get(row.kindergarten.pk, Decimal("0"))
            area["kindergartens"] += 1
    return [{"subdistrict": s, **v} for s, v in sorted(sums.items(), key=lambda pair: pair[0].code)]
