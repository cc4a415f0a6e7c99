"""Reads of the governance app: which caps bind a kindergarten, the senior-year fee after the
waiver, the recognition policy in force, and whether a pending appeal may change a credit level."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from kindergartens.models import Kindergarten

from .choices import AppealStatus, CreditEventStatus, CreditSubject, FeeItemKind, FeeKind
from .models import CreditAppeal, CreditEvent, CreditRecord, FeeCap, FeeFiling, RecognitionPolicy, SeniorYearWaiver


def school_year_start(start_year: int) -> datetime.date:
    return datetime.date(start_year, 9, 1)


def fee_kind(kindergarten: Kindergarten, day: datetime.date) -> str | None:
    """Whose caps bind the kindergarten on `day`: public, inclusive private, or none (market fees)."""
    if kindergarten.is_public:
        return FeeKind.PUBLIC
    if kindergarten.is_inclusive_on(day):
        return FeeKind.INCLUSIVE_PRIVATE
    return None


def caps_for(kind: str | None, grade: str, day: datetime.date) -> dict[str, FeeCap]:
    """The caps in force on `day` per item for a kind and grade (one query)."""
    if kind is None:
        return {}
    caps: dict[str, FeeCap] = {}
    for cap in FeeCap.objects.in_force(day).filter(kind=kind, grade=grade).order_by("valid_from"):
        caps[cap.item] = cap  # the latest version wins if, against the rules, several are in force
    return caps


@dataclass(frozen=True)
class SeniorFee:
    """The senior year's care-and-education fee after the final-year waiver."""

    filed: Decimal
    deduction: Decimal
    waiver: SeniorYearWaiver | None

    @property
    def effective(self) -> Decimal:
        return max(Decimal("0"), self.filed - self.deduction)


def senior_year_fee(filing: FeeFiling, care_fee: Decimal | None) -> SeniorFee | None:
    """Public kindergartens waive the senior year's care-and-education fee; private ones deduct the
    equivalent, i.e. the public cap of their grade in force at the school year's start. No waiver
    in force for the school year: the filed fee stands."""
    if care_fee is None:
        return None
    start = school_year_start(filing.school_year)
    waiver = SeniorYearWaiver.objects.for_day(start)
    if waiver is None:
        return SeniorFee(care_fee, Decimal("0"), None)
    if filing.kindergarten.is_public:
        return SeniorFee(care_fee, care_fee, waiver)
    public_cap = FeeCap.objects.for_day(start, kind=FeeKind.PUBLIC, grade=filing.grade, item=FeeItemKind.CARE_EDUCATION)
    # Never more than the fee itself: a fee below the public cap is waived entirely.
    deduction = min(care_fee, public_cap.monthly_cap) if public_cap else Decimal("0")
    return SeniorFee(care_fee, deduction, waiver)


def warning_days(day: datetime.date | None = None) -> int:
    """N of "lapsing within N days", from the recognition policy in force (0 without one)."""
    policy = RecognitionPolicy.objects.for_day(day or timezone.localdate())
    return policy.warning_days if policy else 0


def credit_level_under_review(record: CreditRecord) -> bool:
    """Whether a pending appeal may change the kindergarten's level as last computed: the events
    under appeal that counted (active, in the rule's window on the day rated) are withdrawn in
    the two ways that move the score furthest (the deductions, then the credits), and the level
    at either end differs from the one held. An appeal that cannot change the level (a 5-point
    order against a score of 100) leaves it published. One query; `record.rule` should be selected."""
    if not record.level or record.rule_id is None or record.computed_on is None:
        return False
    rule, day = record.rule, record.computed_on
    pending = CreditAppeal.objects.filter(event=OuterRef("pk"), status=AppealStatus.PENDING)
    counted = CreditEvent.objects.filter(
        record=record, status=CreditEventStatus.ACTIVE, occurred_on__range=(rule.window_start(day), day)
    )
    total = deductions = credits = 0
    for kind, appealed in counted.values_list("kind", Exists(pending)):
        points = rule.points_for(kind, CreditSubject.KINDERGARTEN)
        total += points
        if appealed:
            deductions += min(points, 0)
            credits += max(points, 0)
    if not (deductions or credits):
        return False
    best, worst = rule.score_of(total - deductions), rule.score_of(total - credits)
    return rule.level_of(best) != record.level or rule.level_of(worst) != record.level
