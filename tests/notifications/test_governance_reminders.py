"""Governance reminders through the daily job: recognitions lapsing within the policy's 90 days
(directors) or lapsed (directors and the sub-district's officials), annual reviews due within 30
days, and a missing fee filing — each sent once.

Day fixed at 2025-11-20; the seeded recognition policy gives the 90-day warning.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from governance.choices import AlertKind, AlertStatus, KindergartenGrade, RecognitionStatus
from governance.models import FeeAlert, Recognition
from notifications.choices import NotificationKind as Kind
from notifications.models import Notification
from notifications.services import send_reminders
from tests.factories import KindergartenFactory, UserFactory

pytestmark = pytest.mark.django_db

DATE = datetime.date.fromisoformat
TODAY = DATE("2025-11-20")


def recognition(kindergarten, valid_from: str, valid_to: str, reviewed: str | None = None, **fields) -> Recognition:
    return Recognition.objects.create(
        kindergarten=kindergarten,
        grade=KindergartenGrade.FIRST,
        monthly_fee=700,
        status=fields.pop("status", RecognitionStatus.RECOGNISED),
        valid_from=DATE(valid_from),
        valid_to=DATE(valid_to),
        last_reviewed_on=DATE(reviewed) if reviewed else None,
        **fields,
    )


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def director_c(kg_c):
    return UserFactory(username="director_c", role=Role.DIRECTOR, kindergarten=kg_c)


def test_a_recognition_lapsing_soon_is_told_to_the_director_only(director_a, wangjing_official, bureau_official, kg_a):
    row = recognition(kg_a, "2023-01-10", "2026-01-10", reviewed="2025-03-01")  # 51 days ahead, reviewed
    send_reminders(today=TODAY)
    note = Notification.objects.get(recipient=director_a)
    assert note.kind == Kind.RECOGNITION_EXPIRING
    assert "2026-01-10" in note.body and "还有 51 天" in note.body
    assert note.link == reverse("governance:recognition_detail", args=[row.pk])
    assert kinds_of(wangjing_official) == [] and kinds_of(bureau_official) == []


def test_a_lapsed_recognition_is_told_to_the_officials_too(director_b, wangjing_official, kg_b):
    recognition(kg_b, "2022-11-01", "2025-11-01")
    send_reminders(today=TODAY)
    assert kinds_of(director_b) == [Kind.RECOGNITION_EXPIRING]
    assert "已逾期 19 天" in Notification.objects.get(recipient=director_b).body
    assert kinds_of(wangjing_official) == [Kind.RECOGNITION_EXPIRING]


def test_revoked_renewed_and_far_recognitions_are_not_reminded(director_a, director_b, kg_a, kg_b):
    recognition(kg_a, "2022-11-01", "2025-11-01", status=RecognitionStatus.REVOKED, revoked_on=DATE("2025-11-01"))
    recognition(kg_b, "2025-06-01", "2028-06-01")  # expires far ahead; first review on 2026-06-01
    send_reminders(today=TODAY)
    assert kinds_of(director_a) == [] and kinds_of(director_b) == []


def test_the_annual_review_is_reminded_within_30_days_and_when_late(director_a, director_c, kg_a, kg_c):
    recognition(kg_c, "2024-12-01", "2027-12-01")  # never reviewed: due 2025-12-01, in 11 days
    recognition(kg_a, "2023-09-01", "2026-09-01", reviewed="2024-10-01")  # due 2025-10-01, 50 days late
    send_reminders(today=TODAY)
    note = Notification.objects.get(recipient=director_c)
    assert note.kind == Kind.RECOGNITION_REVIEW_DUE and "2025-12-01" in note.body and "还有 11 天" in note.body
    assert kinds_of(director_a) == [Kind.RECOGNITION_REVIEW_DUE]
    assert "已逾期 50 天" in Notification.objects.get(recipient=director_a).body


def test_a_missing_fee_filing_is_reminded_once(director_a, director_b, wangjing_official, kg_a, kg_b):
    FeeAlert.objects.create(kindergarten=kg_a, kind=AlertKind.NOT_FILED, key="2025", detail="—", raised_on=TODAY)
    FeeAlert.objects.create(
        kindergarten=kg_b, kind=AlertKind.NOT_FILED, key="2025", detail="—", raised_on=TODAY,
        status=AlertStatus.RESOLVED, resolved_on=TODAY,
    )  # fmt: skip
    send_reminders(today=TODAY)
    note = Notification.objects.get(recipient=director_a)
    assert note.kind == Kind.FEE_FILING_MISSING and "2025-2026" in note.body
    assert note.link == reverse("governance:fee_filing_add")
    assert kinds_of(director_b) == [] and kinds_of(wangjing_official) == []
    count = Notification.objects.count()
    send_reminders(today=TODAY)
    send_reminders(today=TODAY + datetime.timedelta(days=1))
    assert Notification.objects.count() == count


def test_it_costs_the_same_number_of_queries_for_many_kindergartens(wangjing):
    def district(n: int) -> None:
        for kindergarten in KindergartenFactory.create_batch(n, subdistrict=wangjing):
            UserFactory(role=Role.DIRECTOR, kindergarten=kindergarten)
            # lapsing within 90 days, and its first annual review (2025-12-01) due within 30
            recognition(kindergarten, "2024-12-01", "2026-01-10", status=RecognitionStatus.RECOGNISED)
            FeeAlert.objects.create(
                kindergarten=kindergarten, kind=AlertKind.NOT_FILED, key="2025", detail="—", raised_on=TODAY
            )

    def queries() -> int:
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            assert send_reminders(today=TODAY).created_total > 0
        return len(captured)

    district(2)
    few = queries()
    district(6)
    assert queries() == few
