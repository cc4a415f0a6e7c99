"""The security-event log: sign-ins, failures, lockouts, exports, PDF downloads, token use (once an
hour per token) and footage-register reads are recorded apart from the data history; the bureau
administrator reads and filters them; nobody edits them."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import SecurityEvent
from accounts.security_log import SecurityEventMiddleware
from accounts.tokens import rotate_token

PASSWORD = "portal-pass-123"
Kind = SecurityEvent.Kind


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def kinds() -> list[str]:
    return list(SecurityEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_it_records_a_login_a_failure_and_a_lockout(client, settings, bureau_official):
    settings.AXES_FAILURE_LIMIT = 2
    client.post(reverse("login"), {"username": "bureau", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    login = SecurityEvent.objects.get(kind=Kind.LOGIN)
    assert login.user == bureau_official and login.ip_address == "203.0.113.7"
    client.post(reverse("logout"))
    for _ in range(3):
        client.post(reverse("login"), {"username": "bureau", "password": "wrong"}, REMOTE_ADDR="198.51.100.9")
    failed = SecurityEvent.objects.filter(kind=Kind.LOGIN_FAILED)
    assert failed.count() >= 2
    assert failed.first().username == "bureau" and failed.first().user is None
    assert SecurityEvent.objects.filter(kind=Kind.LOCKOUT, username="bureau", ip_address="198.51.100.9").exists()
    assert Kind.LOGOUT in kinds()


def test_it_records_an_export(client, bureau_official, kg_a):
    client.force_login(bureau_official)
    response = client.get(reverse("kindergartens:kindergarten_export"))
    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind=Kind.EXPORT)
    assert event.user == bureau_official
    assert event.path == reverse("kindergartens:kindergarten_export")


@pytest.mark.django_db
def test_it_records_a_pdf_download_with_its_path():
    request = RequestFactory().get("/dashboard/report.pdf", REMOTE_ADDR="203.0.113.7")
    middleware = SecurityEventMiddleware(lambda r: HttpResponse(b"%PDF-", content_type="application/pdf"))
    middleware(request)
    event = SecurityEvent.objects.get()
    assert event.kind == Kind.PDF and event.path == "/dashboard/report.pdf" and event.ip_address == "203.0.113.7"


def test_it_records_footage_register_reads(client, bureau_official):
    client.force_login(bureau_official)
    assert client.get(reverse("safety:footage_list")).status_code == 200
    assert SecurityEvent.objects.filter(kind=Kind.FOOTAGE_READ, user=bureau_official).count() == 1


def test_it_records_token_use_at_most_once_an_hour(bureau_official):
    token = rotate_token(user=bureau_official)
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for _ in range(3):
        assert caller.get("/api/kindergartens/").status_code == 200
    uses = SecurityEvent.objects.filter(kind=Kind.TOKEN_USE)
    assert uses.count() == 1
    assert uses.get().user == bureau_official
    assert token.key not in uses.get().detail  # never the whole key
    cache.clear()  # an hour later
    caller.get("/api/kindergartens/")
    assert uses.count() == 2


def test_the_bureau_administrator_reads_and_filters_the_log(client, bureau_admin, bureau_official):
    client.post(reverse("login"), {"username": "bureau", "password": "wrong"})
    client.force_login(bureau_admin)
    page = client.get(reverse("security_events"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "登录失败" in html and "bureau" in html
    filtered = client.get(reverse("security_events"), {"kind": Kind.LOGIN_FAILED})
    assert [e.kind for e in filtered.context["object_list"]] == [Kind.LOGIN_FAILED]
    assert client.get(reverse("security_events"), {"username": "nobody"}).context["object_list"].count() == 0


@pytest.mark.parametrize("persona", ["bureau_official", "director_a", "wangjing_official"])
def test_nobody_else_reads_the_log(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("security_events")).status_code == 403


def test_the_admin_site_shows_the_log_read_only(client, bureau_admin):
    client.force_login(bureau_admin)
    event = SecurityEvent.objects.create(kind=Kind.LOGIN, username="x")
    assert client.get(reverse("admin:accounts_securityevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    assert (
        client.post(reverse("admin:accounts_securityevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


def test_the_log_is_not_the_data_history():
    assert not hasattr(SecurityEvent, "history")
