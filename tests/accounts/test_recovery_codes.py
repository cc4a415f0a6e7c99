"""Two-factor recovery codes (django-otp's static device): ten single-use codes, issued when the
authenticator is enrolled and again on the account page (the old ones stop working), shown once,
accepted at the second step of signing in instead of an authenticator code, and logged."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent

from .test_two_factor import PASSWORD, code, device_for, sign_in


@pytest.fixture(autouse=True)
def required_for_the_bureau_administrator(settings):
    settings.OTP_REQUIRED_ROLES = ["bureau_admin"]
    cache.clear()
    yield
    cache.clear()


def enrol(client, username: str, user) -> list[str]:
    sign_in(client, username)
    client.get(reverse("otp_enrol"))
    response = client.post(reverse("otp_enrol"), {"code": code(TOTPDevice.objects.get(user=user))})
    assert response.status_code == 200
    return response.context["codes"]


def sign_in_again(client, username: str):
    client.post(reverse("logout"))
    sign_in(client, username)


def test_enrolling_shows_ten_codes_once_and_stores_them_as_the_library_does(client, director_a):
    codes = enrol(client, "director_a", director_a)
    assert len(codes) == len(set(codes)) == 10
    stored = set(StaticToken.objects.filter(device__user=director_a).values_list("token", flat=True))
    assert stored == {c.replace("-", "") for c in codes}
    assert SecurityEvent.objects.filter(user=director_a, detail="recovery codes issued").count() == 1
    page = client.get(reverse("account_security")).content.decode()
    assert codes[0] not in page and "剩余 10 个" in page


def test_a_recovery_code_signs_in_once(client, director_a):
    first, second = enrol(client, "director_a", director_a)[:2]
    sign_in_again(client, "director_a")
    response = client.post(reverse("otp_verify"), {"code": first.upper().replace("-", " "), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(reverse("account_security")).status_code == 200
    assert SecurityEvent.objects.filter(user=director_a, detail="recovery code used, 9 left").exists()

    sign_in_again(client, "director_a")
    response = client.post(reverse("otp_verify"), {"code": first})
    assert response.status_code == 200 and "验证码不正确或已使用" in response.content.decode()
    StaticDevice.objects.filter(user=director_a).update(throttling_failure_count=0)
    assert client.post(reverse("otp_verify"), {"code": second}).status_code == 302
    assert StaticToken.objects.filter(device__user=director_a).count() == 8


def test_new_codes_replace_the_old_ones(client, director_a):
    old = enrol(client, "director_a", director_a)
    response = client.post(reverse("otp_recovery_codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(old) & set(new)
    assert SecurityEvent.objects.filter(user=director_a, detail="recovery codes issued").count() == 2

    sign_in_again(client, "director_a")
    assert client.post(reverse("otp_verify"), {"code": old[0]}).status_code == 200
    StaticDevice.objects.filter(user=director_a).update(throttling_failure_count=0)
    assert client.post(reverse("otp_verify"), {"code": new[0]}).status_code == 302


def test_codes_need_a_verified_session_and_an_authenticator(client, director_a):
    sign_in(client, "director_a")
    response = client.post(reverse("otp_recovery_codes"))
    assert response.status_code == 302 and not StaticToken.objects.exists()
    device_for(director_a)
    response = client.post(reverse("otp_recovery_codes"))  # password only: sent to verify first
    assert response["Location"].startswith(reverse("otp_verify")) and not StaticToken.objects.exists()


def test_everyday_codes_do_not_slow_down_the_recovery_codes(client, director_a):
    codes = enrol(client, "director_a", director_a)
    device = TOTPDevice.objects.get(user=director_a)
    for _ in range(3):
        sign_in_again(client, "director_a")
        client.post(reverse("otp_verify"), {"code": code(device)})
    assert StaticDevice.objects.get(user=director_a).throttling_failure_count == 0
    sign_in_again(client, "director_a")
    assert client.post(reverse("otp_verify"), {"code": codes[0]}).status_code == 302


def test_turning_two_factor_off_removes_the_codes(client, director_a):
    enrol(client, "director_a", director_a)
    client.post(reverse("otp_disable"), {"code": code(TOTPDevice.objects.get(user=director_a))})
    assert not StaticDevice.objects.filter(user=director_a).exists()
    assert not StaticToken.objects.exists()


def test_the_administrator_may_sign_in_with_a_code_but_still_must_keep_two_factor(client, bureau_admin):
    codes = enrol(client, "admin", bureau_admin)
    sign_in_again(client, "admin")
    assert client.post(reverse("otp_verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("kindergartens:kindergarten_list")).status_code == 200
    client.post(reverse("otp_disable"), {"code": codes[1]})
    assert TOTPDevice.objects.filter(user=bureau_admin).exists()


def test_new_codes_start_without_the_old_codes_back_off(client, director_a):
    enrol(client, "director_a", director_a)
    StaticDevice.objects.filter(user=director_a).update(throttling_failure_count=7)
    client.post(reverse("otp_recovery_codes"))
    assert StaticDevice.objects.get(user=director_a).throttling_failure_count == 0


def test_the_token_endpoint_takes_an_authenticator_code_not_a_recovery_code(client, director_a):
    codes = enrol(client, "director_a", director_a)
    answer = client.post("/api/token/", {"username": "director_a", "password": PASSWORD, "otp_token": codes[0]})
    assert answer.status_code == 400 and "恢复码只能用于网页登录" in answer.content.decode()
    assert StaticToken.objects.filter(device__user=director_a).count() == 10  # not used up
    answer = client.post(
        "/api/token/",
        {"username": "director_a", "password": PASSWORD, "otp_token": code(TOTPDevice.objects.get(user=director_a))},
    )
    assert answer.status_code == 200 and answer.json()["token"]
