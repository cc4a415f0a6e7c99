"""The recognition journey at service level: the registry and inclusive coverage follow it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enrollment.indicators import compute_enrollment_figures
from governance import services
from governance.choices import KindergartenGrade, Opinion, RecognitionStatus
from governance.models import Recognition
from inspections.choices import EvaluationStatus, ResultGrade
from kindergartens.choices import InclusiveStatus, SponsorType
from kindergartens.models import Kindergarten
from reports.registry import IndicatorContext
from reports.scopes import Scope

from .conftest import DAY, add_classes, all_conditions, recognised

pytestmark = pytest.mark.django_db


def coverage_on(day: datetime.date) -> tuple[int, int]:
    """(children in inclusive kindergartens, enrolled children) of the district on `day`."""
    district = Scope.district()
    figures = compute_enrollment_figures(IndicatorContext(day=day, scopes=(district,), only=None, targets={}))
    tally = figures[district]["inclusive_coverage"]
    return tally.numerator, tally.denominator


def test_it_takes_an_application_through_to_renewal_and_the_registry_follows(kg_p, director_p, bureau_official, kg_a):
    add_classes(kg_a, 2025, small=20)
    add_classes(kg_p, 2025, small=25, senior=30, toddler=10)
    add_classes(kg_a, 2028, small=20)
    add_classes(kg_p, 2028, small=25, senior=30)
    assert coverage_on(DAY) == (20, 75)

    application = services.recognition_apply(
        kindergarten=kg_p,
        user=director_p,
        grade=KindergartenGrade.FIRST,
        monthly_fee=Decimal("700"),
        conditions_met=all_conditions(),
        day=DAY,
    )
    assert application.status == RecognitionStatus.APPLIED and application.conditions_total == 7
    services.recognition_record_opinion(recognition=application, user=bureau_official, opinion=Opinion.AGREE)
    recognition = services.recognition_recognise(recognition=application, user=bureau_official, valid_from=DAY)
    assert (recognition.valid_from, recognition.valid_to) == (DAY, datetime.date(2028, 10, 15))

    kg = Kindergarten.objects.get(pk=kg_p.pk)
    assert kg.inclusive_status == InclusiveStatus.INCLUSIVE_PRIVATE
    assert (kg.recognition_date, kg.recognition_expiry) == (DAY, datetime.date(2028, 10, 15))
    latest = kg.history.first()
    assert latest.history_user == bureau_official and latest.history_change_reason == "普惠性民办园认定"
    assert coverage_on(DAY) == (75, 75)
    assert coverage_on(DAY - datetime.timedelta(days=1)) == (20, 75)

    # Time moves on past the expiry: no longer inclusive; renewal starts a new period.
    lapsed = datetime.date(2028, 11, 1)
    assert coverage_on(lapsed) == (20, 75)
    services.recognition_review(recognition=recognition, user=bureau_official, passed=True, day=lapsed)
    services.recognition_renew(recognition=recognition, user=bureau_official, day=lapsed)
    kg.refresh_from_db()
    assert (kg.recognition_date, kg.recognition_expiry) == (lapsed, datetime.date(2031, 11, 1))
    assert coverage_on(lapsed) == (75, 75)
    actions = list(recognition.events.values_list("action", flat=True))
    assert actions == ["applied", "opinion", "recognised", "reviewed", "renewed"]


def test_it_renews_a_running_recognition_from_its_expiry(kg_p, director_p, bureau_official):
    recognition = recognised(kg_p, director_p, bureau_official)
    services.recognition_renew(recognition=recognition, user=bureau_official, day=datetime.date(2028, 9, 1))
    recognition.refresh_from_db()
    assert (recognition.valid_from, recognition.valid_to) == (DAY, datetime.date(2031, 10, 15))


def test_it_revokes_and_the_kindergarten_stops_counting_from_that_day(kg_p, director_p, bureau_official):
    add_classes(kg_p, 2026, small=30)
    recognition = recognised(kg_p, director_p, bureau_official)
    with pytest.raises(ValidationError):
        services.recognition_revoke(recognition=recognition, user=bureau_official, note="")
    revoked_on = datetime.date(2026, 12, 1)
    services.recognition_revoke(recognition=recognition, user=bureau_official, note="年度复核不合格", day=revoked_on)
    kg = Kindergarten.objects.get(pk=kg_p.pk)
    assert kg.recognition_expiry == revoked_on
    assert coverage_on(revoked_on) == (0, 30)
    assert coverage_on(revoked_on - datetime.timedelta(days=1)) == (30, 30)
    assert Recognition.objects.get().status == RecognitionStatus.REVOKED


def test_it_keeps_the_latest_published_evaluation_grade_on_the_application(kg_p, director_p):
    from tests.inspections.factories import cycle, external_evaluation

    external_evaluation(cycle(), kg_p, status=EvaluationStatus.PUBLISHED, grade=ResultGrade.GOOD)
    recognition = services.recognition_apply(
        kindergarten=kg_p, user=director_p, grade="second", monthly_fee=Decimal("600"), day=DAY
    )
    assert recognition.evaluation_grade == ResultGrade.GOOD and recognition.evaluation_cycle


def test_it_refuses_who_may_not_and_what_may_not_be(
    kg_p, director_p, director_a, kg_a, bureau_official, wangjing_official
):
    with pytest.raises(PermissionDenied):
        services.recognition_apply(kindergarten=kg_p, user=director_a, grade="first", monthly_fee=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.recognition_apply(kindergarten=kg_p, user=bureau_official, grade="first", monthly_fee=Decimal("1"))
    with pytest.raises(ValidationError):  # a public kindergarten
        services.recognition_apply(kindergarten=kg_a, user=director_a, grade="first", monthly_fee=Decimal("1"))
    application = services.recognition_apply(
        kindergarten=kg_p, user=director_p, grade="first", monthly_fee=Decimal("700"), conditions_met=[], day=DAY
    )
    with pytest.raises(ValidationError):  # one at a time
        services.recognition_apply(kindergarten=kg_p, user=director_p, grade="first", monthly_fee=Decimal("700"))
    with pytest.raises(PermissionDenied):  # sub-district officials read only
        services.recognition_record_opinion(recognition=application, user=wangjing_official, opinion=Opinion.AGREE)
    with pytest.raises(ValidationError):  # not yet at the bureau's review
        services.recognition_recognise(recognition=application, user=bureau_official)
    services.recognition_record_opinion(recognition=application, user=bureau_official, opinion=Opinion.DISAGREE)
    with pytest.raises(ValidationError):  # conditions not met
        services.recognition_recognise(recognition=application, user=bureau_official)
    services.recognition_reject(recognition=application, user=bureau_official, note="条件不具备")
    assert Kindergarten.objects.get(pk=kg_p.pk).inclusive_status == InclusiveStatus.NON_INCLUSIVE_PRIVATE


def test_a_for_profit_kindergarten_may_not_apply(kg_p, director_p):
    Kindergarten.objects.filter(pk=kg_p.pk).update(sponsor_type=SponsorType.PRIVATE_FORPROFIT)
    kg_p.refresh_from_db()
    with pytest.raises(ValidationError):
        services.recognition_apply(kindergarten=kg_p, user=director_p, grade="first", monthly_fee=Decimal("700"))
