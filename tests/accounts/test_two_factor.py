"""Two-factor sign-in (django-otp TOTP): required for the bureau administrator, available to
everyone from the account page (enrol with a QR code, verify, disable); the token endpoint asks
for the code when the user has a device. A TOTP code is accepted once per time step: each test
takes a fresh code for its device (`code()`), resetting `last_t` when the same step is reused,
and the failure back-off of django-otp after a wrong code."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import SecurityEvent
from accounts.two_factor import has_authenticator

PASSWORD = "portal-pass-123"


@pytest.fixture(autouse=True)
def required_for_the_bureau_administrator(settings):
    settings.OTP_REQUIRED_ROLES = ["bureau_admin"]
    cache.clear()
    yield
    cache.clear()


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    # A fresh step, and no back-off left from a wrong code typed just before (django-otp
    # throttles a device after each failure: 1 s, 2 s, 4 s …).
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save(update_fields=["last_t", "throttling_failure_count", "throttling_failure_timestamp"])
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def device_for(user, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def sign_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_the_administrator_without_a_device_is_sent_to_enrol(client, bureau_admin):
    sign_in(client, "admin")
    response = client.get(reverse("kindergartens:kindergarten_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_enrol"))
    assert client.get("/admin/").status_code == 302
    api = client.get("/api/kindergartens/")
    assert api.status_code == 403
    assert "两步验证" in api.json()["detail"]


def test_the_administrator_enrols_with_a_qr_code_and_goes_on(client, bureau_admin, kg_a):
    sign_in(client, "admin")
    page = client.get(reverse("otp_enrol"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert "<script" not in html.split("<footer")[0].split("</header>")[1]
    device = TOTPDevice.objects.get(user=bureau_admin, confirmed=False)

    wrong = client.post(reverse("otp_enrol"), {"code": "000000"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()

    response = client.post(reverse("otp_enrol"), {"code": code(device), "next": "/kindergartens/"})
    # The recovery codes are shown once, then the administrator goes on where they were going.
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    assert 'href="/kindergartens/"' in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("kindergartens:kindergarten_list")).status_code == 200
    assert client.get("/api/kindergartens/").status_code == 200
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.OTP, detail="enrolled").exists()


def test_a_user_with_a_device_verifies_after_the_password(client, bureau_admin):
    device = device_for(bureau_admin)
    sign_in(client, "admin")
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("otp_verify"))
    assert client.post(reverse("otp_verify"), {"code": "123456"}).status_code == 200
    assert client.get(reverse("home")).status_code == 302  # still not verified
    response = client.post(reverse("otp_verify"), {"code": code(device), "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code in (200, 302)
    assert not client.get(reverse("account_security"))["Content-Type"].startswith("application/json")
    assert client.get(reverse("account_security")).status_code == 200


def test_a_code_is_accepted_only_once_and_wrong_codes_slow_down(client, bureau_admin):
    device = device_for(bureau_admin)
    used = code(device)
    assert device.verify_token(used)
    device.refresh_from_db()
    assert not device.verify_token(used)
    assert device.throttling_failure_count == 1
    device.last_t = -1
    assert not device.verify_token(used)  # right code, but inside the back-off after a failure


def test_other_roles_need_no_second_factor_but_may_turn_it_on_and_off(client, director_a):
    sign_in(client, "director_a")
    assert client.get(reverse("account_security")).status_code == 200
    assert "启用两步验证" in client.get(reverse("account_security")).content.decode()
    client.get(reverse("otp_enrol"))
    device = TOTPDevice.objects.get(user=director_a)
    client.post(reverse("otp_enrol"), {"code": code(device)})
    assert TOTPDevice.objects.get(user=director_a).confirmed

    # Next sign-in asks for the code.
    client.post(reverse("logout"))
    sign_in(client, "director_a")
    assert client.get(reverse("account_security"))["Location"].startswith(reverse("otp_verify"))
    client.post(reverse("otp_verify"), {"code": code(device)})

    client.post(reverse("otp_disable"), {"code": "000000"})
    assert TOTPDevice.objects.filter(user=director_a).exists()
    client.post(reverse("otp_disable"), {"code": code(device)})
    assert not TOTPDevice.objects.filter(user=director_a).exists()


def test_the_administrator_cannot_turn_it_off(client, bureau_admin):
    device = device_for(bureau_admin)
    sign_in(client, "admin")
    client.post(reverse("otp_verify"), {"code": code(device)})
    client.post(reverse("otp_disable"), {"code": code(device)})
    assert TOTPDevice.objects.filter(user=bureau_admin).exists()


def test_the_token_endpoint_asks_for_the_code(director_a):
    device = device_for(director_a)
    anonymous = APIClient()
    response = anonymous.post("/api/token/", {"username": "director_a", "password": PASSWORD}, format="json")
    assert response.status_code == 400 and "otp_token" in response.json()
    response = anonymous.post(
        "/api/token/", {"username": "director_a", "password": PASSWORD, "otp_token": "000000"}, format="json"
    )
    assert response.status_code == 400
    response = anonymous.post(
        "/api/token/", {"username": "director_a", "password": PASSWORD, "otp_token": code(device)}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"]


def test_the_token_endpoint_refuses_an_administrator_without_a_device(bureau_admin):
    response = APIClient().post("/api/token/", {"username": "admin", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert "otp_token" in response.json()


def test_the_requirement_is_off_in_other_tests_by_the_shared_fixture(client, bureau_admin, settings):
    settings.OTP_REQUIRED_ROLES = []
    sign_in(client, "admin")
    assert client.get(reverse("kindergartens:kindergarten_list")).status_code == 200


def test_a_device_added_in_another_session_counts_at_once(client, director_a):
    other = Client()
    sign_in(client, "director_a")
    assert client.get(reverse("account_security")).status_code == 200
    sign_in(other, "director_a")
    other.get(reverse("otp_enrol"))
    other.post(reverse("otp_enrol"), {"code": code(TOTPDevice.objects.get(user=director_a))})

    # The first session signed in with the password alone: from its next request it needs the code.
    response = client.get(reverse("account_security"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_verify"))
    assert client.get("/api/kindergartens/").status_code == 403


def test_turning_it_off_in_one_session_frees_the_others(client, director_a):
    device = device_for(director_a)
    waiting = Client()
    sign_in(waiting, "director_a")
    assert waiting.get(reverse("account_security"))["Location"].startswith(reverse("otp_verify"))
    sign_in(client, "director_a")
    client.post(reverse("otp_verify"), {"code": code(device)})
    client.post(reverse("otp_disable"), {"code": code(device)})

    assert waiting.get(reverse("account_security")).status_code == 200
    assert client.get(reverse("account_security")).status_code == 200


def test_a_device_removed_by_an_administrator_sends_the_bureau_administrator_to_enrol(client, bureau_admin):
    device = device_for(bureau_admin)
    sign_in(client, "admin")
    client.post(reverse("otp_verify"), {"code": code(device)})
    assert client.get(reverse("account_security")).status_code == 200
    device.delete()
    response = client.get(reverse("account_security"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_enrol"))


def test_a_second_authenticator_needs_the_first_ones_code(client, director_a):
    device_for(director_a)
    sign_in(client, "director_a")
    response = client.get(reverse("otp_enrol"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("otp_verify"))
    assert client.post(reverse("otp_enrol"), {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=director_a).count() == 1


def test_whether_a_user_has_a_device_is_on_the_user_row(director_a, django_assert_num_queries):
    """Read with the user on every request (no query of its own), kept by the device's signals."""
    from accounts.models import User

    pending = device_for(director_a, confirmed=False)
    with django_assert_num_queries(1):
        assert not has_authenticator(User.objects.get(pk=director_a.pk))
    pending.confirmed = True
    pending.save()
    with django_assert_num_queries(1):
        assert has_authenticator(User.objects.get(pk=director_a.pk))
    device_for(director_a)
    pending.delete()
    assert has_authenticator(User.objects.get(pk=director_a.pk))
    TOTPDevice.objects.filter(user=director_a).delete()
    assert not has_authenticator(User.objects.get(pk=director_a.pk))
