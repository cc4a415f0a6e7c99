"""`/api/notifications/`: the caller's own notifications only; `read` marks one read."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from tests.helpers import assert_api_scope

from .conftest import notify

pytestmark = pytest.mark.django_db

URL = "/api/notifications/"


@pytest.mark.parametrize("persona", ["director_a", "director_b", "bureau_admin", "wangjing_official", "inspector"])
def test_it_lists_only_the_callers_own(api_client, personas, persona):
    own = {name: [n.pk for n in notify(user, 2, key=name)] for name, user in personas.items()}
    others = [pk for name, pks in own.items() if name != persona for pk in pks]
    assert_api_scope(api_client, personas[persona], URL, own[persona], hidden_ids=others)


def test_it_serializes_and_filters_unread(api_client, director_a):
    first, second = notify(director_a, 2, link="/inspections/")
    Notification.objects.filter(pk=first.pk).update(read_at="2025-01-01T00:00Z")
    api_client.force_authenticate(director_a)
    rows = api_client.get(URL).json()["results"]
    assert [row["id"] for row in rows] == [second.pk, first.pk]
    assert rows[0]["kind"] == "issue_due" and rows[0]["kind_display"] == "问题整改即将到期"
    assert rows[0]["link"] == "/inspections/" and rows[0]["is_read"] is False
    assert [row["id"] for row in api_client.get(f"{URL}?unread=true").json()["results"]] == [second.pk]


def test_read_marks_it_read(api_client, director_a):
    notification = notify(director_a)[0]
    api_client.force_authenticate(director_a)
    response = api_client.post(f"{URL}{notification.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_read_on_another_users_notification_is_404(api_client, director_a, director_b):
    notification = notify(director_a)[0]
    api_client.force_authenticate(director_b)
    assert api_client.post(f"{URL}{notification.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_it_is_read_only_apart_from_read(api_client, director_a):
    notification = notify(director_a)[0]
    api_client.force_authenticate(director_a)
    assert api_client.post(URL, {"title": "x"}).status_code == 405
    assert api_client.patch(f"{URL}{notification.pk}/", {"title": "x"}).status_code == 405
    assert api_client.delete(f"{URL}{notification.pk}/").status_code == 405


def test_anonymous_callers_are_refused(api_client):
    assert api_client.get(URL).status_code in (401, 403)
