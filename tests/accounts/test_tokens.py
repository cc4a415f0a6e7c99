"""API tokens: they expire, a bad one is a 401 with WWW-Authenticate, the user rotates and revokes
theirs on the account page, the bureau administrator revokes any on the admin site, a password
change revokes it, and the token endpoint is throttled."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tokens import rotate_token

PASSWORD = "portal-pass-123"
API_URL = "/api/kindergartens/"
TOKEN_URL = "/api/token/"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def token_client(key: str) -> APIClient:
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return caller


def age(token: Token, days: int) -> None:
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=days))


def test_it_issues_a_token_with_its_expiry(bureau_official, settings):
    settings.API_TOKEN_DAYS = 90
    response = APIClient().post(TOKEN_URL, {"username": "bureau", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    body = response.json()
    token = Token.objects.get(user=bureau_official)
    assert body["token"] == token.key
    assert body["expires"] == (token.created + timedelta(days=90)).isoformat()
    assert token_client(body["token"]).get(API_URL).status_code == 200


def test_it_refuses_an_expired_token_with_401_and_www_authenticate(bureau_official, settings):
    settings.API_TOKEN_DAYS = 90
    token = rotate_token(user=bureau_official)
    age(token, 89)
    assert token_client(token.key).get(API_URL).status_code == 200
    age(token, 90)
    response = token_client(token.key).get(API_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "过期" in response.json()["detail"]


def test_it_refuses_an_unknown_token_with_401(bureau_official):
    response = token_client("0" * 40).get(API_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_it_answers_an_anonymous_api_call_with_401(db):
    response = APIClient().get(API_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_it_replaces_an_expired_token_at_the_endpoint_and_keeps_a_valid_one(bureau_official):
    token = rotate_token(user=bureau_official)
    response = APIClient().post(TOKEN_URL, {"username": "bureau", "password": PASSWORD}, format="json")
    assert response.json()["token"] == token.key
    age(token, 365)
    response = APIClient().post(TOKEN_URL, {"username": "bureau", "password": PASSWORD}, format="json")
    assert response.json()["token"] != token.key
    assert token_client(response.json()["token"]).get(API_URL).status_code == 200


def test_it_revokes_the_token_when_the_password_changes(client, bureau_official):
    token = rotate_token(user=bureau_official)
    client.force_login(bureau_official)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-pass-456!", "new_password2": "a-new-pass-456!"},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(user=bureau_official).exists()
    assert token_client(token.key).get(API_URL).status_code == 401


def test_it_keeps_the_token_when_the_user_is_saved_without_a_password_change(bureau_official):
    token = rotate_token(user=bureau_official)
    bureau_official.first_name = "王"
    bureau_official.save()
    assert Token.objects.filter(key=token.key).exists()


def test_the_user_rotates_their_token_on_the_account_page(client, director_a):
    old = rotate_token(user=director_a)
    client.force_login(director_a)
    page = client.get(reverse("account_security"))
    assert page.status_code == 200
    assert "API 令牌" in page.content.decode()
    assert old.key not in page.content.decode()  # a key is shown only when it is issued

    response = client.post(reverse("account_token_rotate"))
    assert response.status_code == 200
    new = Token.objects.get(user=director_a)
    assert new.key != old.key
    assert new.key in response.content.decode()
    assert token_client(old.key).get(API_URL).status_code == 401
    assert token_client(new.key).get(API_URL).status_code == 200


def test_the_user_revokes_their_token_on_the_account_page(client, director_a):
    token = rotate_token(user=director_a)
    client.force_login(director_a)
    response = client.post(reverse("account_token_revoke"))
    assert response.status_code == 302
    assert not Token.objects.filter(user=director_a).exists()
    assert token_client(token.key).get(API_URL).status_code == 401


def test_the_account_page_needs_a_login(client, db):
    response = client.get(reverse("account_security"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.post(reverse("account_token_rotate")).status_code == 302
    assert not Token.objects.exists()


def test_the_bureau_administrator_revokes_a_token_on_the_admin_site(client, bureau_admin, director_a):
    token = rotate_token(user=director_a)
    client.force_login(bureau_admin)
    changelist = client.get(reverse("admin:authtoken_tokenproxy_changelist"))
    assert changelist.status_code == 200
    assert "director_a" in changelist.content.decode()
    url = reverse("admin:authtoken_tokenproxy_delete", args=[director_a.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert token_client(token.key).get(API_URL).status_code == 401


def test_the_user_menu_links_the_account_page(client, director_a):
    client.force_login(director_a)
    html = client.get(reverse("account_security")).content.decode()
    assert f'href="{reverse("account_security")}"' in html
    assert "账号与安全" in html


def test_the_token_endpoint_is_throttled(bureau_official, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/min"}}
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        codes = [
            APIClient().post(TOKEN_URL, {"username": "bureau", "password": "wrong"}, format="json").status_code
            for _ in range(4)
        ]
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [400, 400, 400, 429]
