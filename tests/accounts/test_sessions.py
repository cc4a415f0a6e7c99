"""The session store (accounts.sessions): the idle timeout still slides, with at most a minute's
lag, and every change to a session is saved at once."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import REFRESH_SECONDS
from tests.conftest import client_for


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_page_within_the_minute_does_not_write_the_session(client, bureau_official):
    client_for(client, bureau_official)
    before = stored_expiry(client)
    assert client.get(reverse("kindergartens:kindergarten_list")).status_code == 200
    assert stored_expiry(client) == before


def test_a_later_page_moves_the_idle_timeout(client, bureau_official):
    client_for(client, bureau_official)
    key = client.session.session_key
    # As if the last write had been two minutes ago.
    Session.objects.filter(session_key=key).update(expire_date=stored_expiry(client) - timedelta(minutes=2))
    assert client.get(reverse("kindergartens:kindergarten_list")).status_code == 200
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs(stored_expiry(client) - expected) < timedelta(seconds=REFRESH_SECONDS)


def test_an_expired_session_is_not_revived(client, bureau_official):
    client_for(client, bureau_official)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("kindergartens:kindergarten_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_signing_out_is_saved_at_once(client, bureau_official):
    client_for(client, bureau_official)
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert SESSION_KEY not in client.session
