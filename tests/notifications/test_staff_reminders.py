"""Certificate reminders through the daily job: expiring within 90 days and expired certificates of
staff in post, told to the director(s) of their kindergarten(s) once, and to nobody else.

Day fixed at 2025-11-20; the seeded staffing standard gives the 90-day horizon.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.choices import Role
from notifications.choices import NotificationKind as Kind
from notifications.models import Notification
from notifications.services import send_reminders
from staff.choices import CertificateKind
from tests.factories import UserFactory
from tests.staff.factories import CertificateFactory, PersonFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

DATE = datetime.date.fromisoformat
TODAY = DATE("2025-11-20")


@pytest.fixture
def director_c(kg_c):
    return UserFactory(username="director_c", role=Role.DIRECTOR, kindergarten=kg_c)


def staff_with(kindergarten, *, expires: str, kind=CertificateKind.HEALTH, **post):
    person = PersonFactory(name=post.pop("name", "李老师"))
    StaffMemberFactory(person=person, kindergarten=kindergarten, **post)
    certificate = CertificateFactory(person=person, kind=kind, issued_on=DATE("2024-01-01"), expires_on=DATE(expires))
    return person, certificate


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_it_tells_the_director_of_a_certificate_expiring_within_90_days(
    director_a, director_b, wangjing_official, bureau_official, inspector, kg_a
):
    person, _ = staff_with(kg_a, expires="2026-02-10", name="张丽")  # 82 days ahead

    send_reminders(today=TODAY)

    note = Notification.objects.get(recipient=director_a)
    assert note.kind == Kind.CERTIFICATE_EXPIRING
    assert "张丽" in note.body and "健康证" in note.body and "2026-02-10" in note.body
    assert note.link == reverse("staff:person_detail", args=[person.pk])
    for outsider in (director_b, wangjing_official, bureau_official, inspector):
        assert kinds_of(outsider) == []


def test_it_tells_the_director_of_an_expired_certificate(director_a, kg_a):
    staff_with(kg_a, expires="2025-11-01")

    send_reminders(today=TODAY)

    assert kinds_of(director_a) == [Kind.CERTIFICATE_EXPIRED]


def test_it_sends_each_reminder_once(director_a, kg_a):
    staff_with(kg_a, expires="2026-01-15")
    staff_with(kg_a, expires="2025-10-01", name="王芳")

    first = send_reminders(today=TODAY)
    again = send_reminders(today=TODAY + datetime.timedelta(days=1))

    assert first.created_total == 2
    assert again.created_total == 0
    assert kinds_of(director_a) == [Kind.CERTIFICATE_EXPIRED, Kind.CERTIFICATE_EXPIRING]


def test_it_says_nothing_of_distant_renewed_or_former_staff_certificates(director_a, kg_a):
    staff_with(kg_a, expires="2026-03-01")  # 101 days ahead: beyond the horizon
    person, _ = staff_with(kg_a, expires="2025-12-01")
    CertificateFactory(person=person, kind=CertificateKind.HEALTH, issued_on=TODAY, expires_on=DATE("2026-12-01"))
    staff_with(kg_a, expires="2025-11-01", left_on=DATE("2025-06-30"))  # no longer in post

    send_reminders(today=TODAY)

    assert kinds_of(director_a) == []


def test_it_tells_both_directors_when_the_holder_works_at_two_kindergartens(director_a, director_c, kg_a, kg_c):
    person, _ = staff_with(kg_a, expires="2025-12-20")
    StaffMemberFactory(person=person, kindergarten=kg_c, full_time=False)

    send_reminders(today=TODAY)

    assert kinds_of(director_a) == [Kind.CERTIFICATE_EXPIRING]
    assert kinds_of(director_c) == [Kind.CERTIFICATE_EXPIRING]
