"""A serious incident tells the bureau at once, under the bell and by email, each once — through
`safety.signals.incident_reported`, received by `notifications.receivers` (safety never imports
notifications)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from notifications.choices import NotificationKind
from notifications.models import Notification
from safety import services
from safety.choices import IncidentSeverity
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def report(kindergarten, user, **changes):
    fields = {
        "occurred_at": timezone.now() - datetime.timedelta(hours=2),
        "place": "楼梯",
        "child_initials": "W.Y.",
        "child_age": 5,
        "what_happened": "下楼时摔倒，疑似手臂骨折",
        "treatment": "送朝阳医院急诊",
        "severity": IncidentSeverity.SERIOUS,
        **changes,
    }
    return services.incident_record(kindergarten=kindergarten, user=user, **fields)


@pytest.fixture
def bureau(mailed_personas, bureau_admin):
    """Two bureau staff with addresses, one inactive official who hears nothing."""
    bureau_admin.email = "admin@example.cn"
    bureau_admin.save(update_fields=["email"])
    UserFactory(username="retired", role=Role.BUREAU_OFFICIAL, is_active=False, email="old@example.cn")
    return [mailed_personas["bureau_official"], bureau_admin]


def test_it_tells_every_active_bureau_member_once_in_app_and_by_email(
    django_capture_on_commit_callbacks, bureau, mailed_personas, director_a, kg_a
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(kg_a, director_a)
    notices = Notification.objects.filter(kind=NotificationKind.SERIOUS_INCIDENT)
    assert sorted(n.recipient.username for n in notices) == ["admin", "bureau"]
    notice = notices.first()
    assert notice.link == incident.get_absolute_url() and kg_a.name in notice.title and "W.Y." in notice.body
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.cn", "bureau@example.cn"]
    assert all(n.emailed_at for n in notices)
    # Directors and others are not told; an update of the same incident tells nobody again.
    assert not Notification.objects.filter(recipient=mailed_personas["director_a"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_update(incident=incident, user=director_a, treatment="已复查")
    assert notices.count() == 2 and len(mail.outbox) == 2


def test_a_minor_incident_tells_nobody_until_it_becomes_serious(
    django_capture_on_commit_callbacks, bureau, director_a, kg_a
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(kg_a, director_a, severity=IncidentSeverity.MINOR)
    assert not Notification.objects.exists() and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_update(incident=incident, user=director_a, severity=IncidentSeverity.SERIOUS)
    assert Notification.objects.filter(kind=NotificationKind.SERIOUS_INCIDENT).count() == 2


def test_nothing_is_told_before_the_transaction_commits(django_capture_on_commit_callbacks, bureau, director_a, kg_a):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report(kg_a, director_a)
    assert len(callbacks) == 1 and not Notification.objects.exists()


def test_the_bureau_opens_the_incident_from_the_bell(
    client, django_capture_on_commit_callbacks, bureau, director_a, kg_a
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(kg_a, director_a)
    notice = Notification.objects.get(recipient=bureau[0])
    response = client_for(client, bureau[0]).get(reverse("notifications:notification_open", args=[notice.pk]))
    assert response.status_code == 302 and response.url == incident.get_absolute_url()
